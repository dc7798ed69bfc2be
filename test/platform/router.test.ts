import {expect} from 'chai'
import {createHash} from 'node:crypto'
import http from 'node:http'
import net, {type AddressInfo} from 'node:net'

import {AppRouter} from '../../src/platform/router/router.js'
import {
  backend, closeBackends, deadPort, echoBackend, firstData, oneRefused, type Reply, request, slowBackend, upgrade,
} from './router-helpers.js'
import {until} from './rollout-helpers.js'

let router: AppRouter
let routerPort: number
let logged: string[]

const get = (path = '/', headers: http.OutgoingHttpHeaders = {}): Promise<Reply> => request(routerPort, {path, headers})

describe('AppRouter', () => {

  beforeEach(async () => {
    logged = []
    // A tunnel's or a refused upgrade's connection is closed 100 ms after the router's end, not 2 s.
    router = new AppRouter({app: 'shop-default', port: 0, host: '127.0.0.1', log: line => logged.push(line), lingerMs: 100})
    routerPort = await router.listen()
  })

  afterEach(async () => {
    await router.close()
    await closeBackends()
  })

  it('rejects listen() when its port is taken', async () => {
    const second = new AppRouter({app: 'shop-default', port: routerPort, host: '127.0.0.1'})
    const outcome = await second.listen().then(port => `listening on ${port}`, (error: NodeJS.ErrnoException) => error.code)
    expect(outcome).to.equal('EADDRINUSE')
    await second.close()
  })

  it('holds its cap of connections at most, closing more as they arrive, and serves again once they go', async () => {
    // The cap is 1,000; this router's is 20, the same code without a thousand sockets.
    const capped = new AppRouter({app: 'shop-default', port: 0, host: '127.0.0.1', maxConnections: 20})
    const port = await capped.listen()
    capped.setBackends([await backend('web.a')])
    const held = await oneRefused(port, 21)
    for (const socket of held) socket.destroy()
    // The router counts a connection gone once it reads its end.
    expect(await until('the router to serve again', () => request(port, {path: '/'}).then(reply => reply.body, () => undefined), [], 5000)).to.equal('web.a')
    await capped.close()
  })

  it('sends requests to the ready backends in turn', async () => {
    const pool = [await backend('web.a'), await backend('web.b'), await backend('web.c')]
    router.setBackends(pool)
    const bodies: string[] = []
    for (let count = 0; count < 6; count++) bodies.push((await get()).body)
    expect(bodies).to.deep.equal(['web.a', 'web.b', 'web.c', 'web.a', 'web.b', 'web.c'])
    expect(logged).to.deep.equal(pool.map(({id, port}) => `router shop-default: ${id} (port ${port}) joined the pool`))
  })

  it('answers 502 for a backend status Node cannot send (HTTP/1.1 099), and keeps serving', async () => {
    const raw = net.createServer(socket => socket.once('data', () => socket.end('HTTP/1.1 099 Weird\r\ncontent-length: 0\r\n\r\n')))
    await new Promise<void>(resolve => raw.listen(0, '127.0.0.1', resolve))
    const port = (raw.address() as AddressInfo).port
    try {
      router.setBackends([{id: 'web.raw', port}])
      expect(await get()).to.deep.include({status: 502, body: 'The web dyno web.raw sent an invalid response.\n'})
      router.setBackends([await backend('web.a')])
      expect(await get()).to.deep.include({status: 200, body: 'web.a'})
    } finally {
      await new Promise(resolve => raw.close(resolve))
    }
  })

  it('adds X-Forwarded-* and X-Request-Id, and passes the backend status and headers back', async () => {
    const web = await backend('web.a', (_request, response) => {
      response.writeHead(201, 'Made', {'set-cookie': ['a=1', 'b=2'], 'x-dyno': 'web.a'})
      response.end('made')
    })
    router.setBackends([web])
    const reply = await get('/orders?id=3', {host: 'shop.example'})
    expect(reply).to.deep.include({status: 201, body: 'made'})
    expect(reply.headers).to.deep.include({'set-cookie': ['a=1', 'b=2'], 'x-dyno': 'web.a'})
    const [sent] = web.seen
    expect(sent).to.deep.include({
      'host': 'shop.example', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-port': String(routerPort),
    })
    expect(sent['x-request-id']).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)

    await get('/', {'x-request-id': 'req-42', 'x-forwarded-for': '10.1.2.3', 'x-forwarded-proto': 'https'})
    expect(web.seen[1]).to.deep.include({'x-request-id': 'req-42', 'x-forwarded-for': '10.1.2.3, 127.0.0.1', 'x-forwarded-proto': 'http'})
  })

  it('streams a large request body to the backend as it arrives', async () => {
    let firstChunk!: () => void
    const backendHasData = new Promise<void>(resolve => { firstChunk = resolve })
    router.setBackends([await backend('web.a', (incoming, response) => {
      const hash = createHash('sha256')
      let bytes = 0
      incoming.on('data', chunk => { bytes += chunk.length; hash.update(chunk); firstChunk() })
      incoming.on('end', () => response.end(`${bytes} ${hash.digest('hex')}`))
    })])
    const chunk = Buffer.alloc(1024 * 1024, 'x')
    const expected = createHash('sha256')
    const reply = new Promise<Reply>((resolve, reject) => {
      const upload = http.request({host: '127.0.0.1', port: routerPort, method: 'POST', agent: false}, incoming => {
        let body = ''
        incoming.on('data', data => { body += data })
        incoming.on('end', () => resolve({status: incoming.statusCode ?? 0, headers: incoming.headers, body}))
      })
      upload.on('error', reject)
      upload.write(chunk)
      expected.update(chunk)
      // The rest is only sent once the backend has the start: a router that buffers the body never answers.
      void backendHasData.then(() => {
        for (let count = 0; count < 15; count++) {
          upload.write(chunk)
          expected.update(chunk)
        }
        upload.end()
      })
    })
    expect(await reply).to.deep.include({status: 200, body: `${16 * chunk.length} ${expected.digest('hex')}`})
  })

  it('streams a chunked response to the client before the backend has ended it', async () => {
    let clientHasData!: () => void
    const clientGotFirst = new Promise<void>(resolve => { clientHasData = resolve })
    router.setBackends([await backend('web.a', (_request, response) => {
      response.write('first ')
      // The end is only written once the client has the start: a router that buffers never delivers it.
      void clientGotFirst.then(() => response.end('last'))
    })])
    const reply = await new Promise<Reply>((resolve, reject) => {
      http.get({host: '127.0.0.1', port: routerPort, agent: false}, incoming => {
        let body = ''
        incoming.on('data', data => { body += data; clientHasData() })
        incoming.on('end', () => resolve({status: incoming.statusCode ?? 0, headers: incoming.headers, body}))
      }).on('error', reject)
    })
    expect(reply).to.deep.include({status: 200, body: 'first last'})
    expect(reply.headers['transfer-encoding']).to.equal('chunked')
  })

  it('keeps its connections to a backend alive between requests', async () => {
    const web = await backend('web.a')
    let connections = 0
    web.server.on('connection', () => { connections++ })
    router.setBackends([web])
    for (let count = 0; count < 3; count++) expect((await get()).body).to.equal('web.a')
    expect(connections).to.equal(1)
  })

  it('cuts the response when the backend dies in the middle of it, and holds no drain', async () => {
    router.setBackends([await backend('web.a', (_request, response) => {
      response.write('partial')
      setImmediate(() => response.socket?.destroy())
    })])
    const outcome = await new Promise<string>(resolve => {
      http.get({host: '127.0.0.1', port: routerPort, agent: false}, incoming => {
        incoming.resume()
        incoming.on('end', () => resolve('complete'))
        incoming.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
      }).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    })
    expect(outcome).to.equal('ECONNRESET')
    expect(logged.at(-1)).to.match(/^router shop-default: web\.a \(port \d+\) cut its response to GET \/$/)
    await router.drain('web.a')
  })

  it('lets go of a request the client abandons, so the drain resolves', async () => {
    const slow = await slowBackend('web.slow')
    router.setBackends([slow])
    const abandoned = http.get({host: '127.0.0.1', port: routerPort, agent: false})
    abandoned.on('error', () => {})
    await slow.arrived
    abandoned.destroy()
    await router.drain('web.slow')
    slow.release()
    expect(logged.at(-1)).to.equal('router shop-default: web.slow left the pool with 1 request(s) in flight')
  })

  it('answers 503 naming the app when no backend is ready', async () => {
    const reply = await get()
    expect(reply).to.deep.include({status: 503, body: 'No web dynos of shop-default are ready.\n'})
    expect(reply.headers['content-type']).to.equal('text/plain; charset=utf-8')
  })

  it('sends no new request to a backend that left the pool and lets its in-flight one finish', async () => {
    const old = await slowBackend('web.old')
    const fresh = await backend('web.new')
    router.setBackends([old])
    const inFlight = get('/slow')
    await old.arrived
    router.setBackends([fresh])
    expect((await get()).body).to.equal('web.new')
    expect((await get()).body).to.equal('web.new')
    old.release()
    expect(await inFlight).to.deep.include({status: 200, body: 'web.old finished'})
    expect(old.seen).to.have.length(1)
    expect(logged.slice(-2)).to.deep.equal([
      `router shop-default: web.new (port ${fresh.port}) joined the pool`,
      'router shop-default: web.old left the pool with 1 request(s) in flight',
    ])
  })

  it('drain resolves only once the in-flight request is done', async () => {
    const old = await slowBackend('web.old')
    router.setBackends([old, await backend('web.new')])
    const inFlight = get('/slow')
    await old.arrived
    let drained = false
    const drain = router.drain('web.old').then(() => { drained = true })
    expect((await get()).body).to.equal('web.new')
    expect((await get()).body).to.equal('web.new')
    expect(drained).to.equal(false)
    old.release()
    await drain
    expect(await inFlight).to.deep.include({status: 200, body: 'web.old finished'})
  })

  it('drain resolves at once for an idle backend, and at its timeout for a stuck one', async () => {
    const stuck = await slowBackend('web.stuck')
    router.setBackends([await backend('web.idle'), stuck])
    await router.drain('web.idle')
    const inFlight = get()
    await stuck.arrived
    await router.drain('web.stuck', 50)
    expect(logged.at(-1)).to.equal('router shop-default: web.stuck still had 1 request(s) in flight after 50 ms of draining')
    stuck.release()
    expect((await inFlight).body).to.equal('web.stuck finished')
  })

  it('tries the next backend once when one refuses the connection, else answers 502', async () => {
    const dead = {id: 'web.dead', port: await deadPort()}
    router.setBackends([dead, await backend('web.b')])
    const reply = await request(routerPort, {method: 'POST', path: '/orders?token=secret'}, 'order=1')
    expect(reply).to.deep.include({status: 200, body: 'web.b'})
    expect(logged.at(-1)).to.equal(`router shop-default: web.dead (port ${dead.port}) failed POST /orders: ECONNREFUSED`)

    router.setBackends([dead, {id: 'web.dead2', port: await deadPort()}])
    const failed = await get()
    expect(failed).to.deep.include({status: 502, body: 'The web dyno web.dead2 of shop-default failed to answer.\n'})

    router.setBackends([dead])
    expect(await get()).to.deep.include({status: 502, body: 'No web dyno of shop-default accepted the connection.\n'})
  })

  describe('upgrade requests', () => {
    it('tunnels the connection to a backend, with the forwarding headers', async () => {
      const echo = await echoBackend('web.a')
      router.setBackends([echo])
      const {socket} = await upgrade(routerPort, {'x-request-id': 'ws-1'})
      socket.write('ping')
      expect(await firstData(socket)).to.equal('ping')
      socket.destroy()
      expect(echo.seen[0]).to.deep.include({
        'upgrade': 'echo', 'x-request-id': 'ws-1', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-port': String(routerPort),
      })
    })

    it('answers 503 without backends and tries the next one when a backend refuses', async () => {
      const {response} = await upgrade(routerPort)
      expect(response?.statusCode).to.equal(503)
      response?.resume()

      router.setBackends([{id: 'web.dead', port: await deadPort()}, await echoBackend('web.b')])
      const {socket} = await upgrade(routerPort)
      socket.write('pong')
      expect(await firstData(socket)).to.equal('pong')
      socket.destroy()
    })

    // Node keeps an upgraded connection half-open after the router's end, with no timeout.
    it('closes the connection after its 503 even when the client keeps it half-open', async () => {
      const socket = net.connect({port: routerPort, host: '127.0.0.1', allowHalfOpen: true})
      socket.resume()
      socket.write('GET / HTTP/1.1\r\nhost: x\r\nconnection: Upgrade\r\nupgrade: echo\r\n\r\n')
      // Our writes after the router's close are reset: the error tells it closed (its end alone does
      // not). Left open, the test times out.
      const poke = setInterval(() => socket.write('x'), 20)
      await new Promise(resolve => socket.once('error', resolve))
      clearInterval(poke)
      socket.destroy()
    })
  })

  it('close() ends in-flight requests and tunnels and stops listening', async () => {
    const slow = await slowBackend('web.slow')
    router.setBackends([await echoBackend('web.echo')])
    const {socket} = await upgrade(routerPort)
    const tunnelClosed = new Promise(resolve => socket.once('close', resolve))
    router.setBackends([slow])
    const inFlight = get().then(() => 'answered', (error: NodeJS.ErrnoException) => error.code)
    await slow.arrived
    await router.close()
    expect(await inFlight).to.equal('ECONNRESET')
    await tunnelClosed
    const refused = await get().then(() => 'answered', (error: NodeJS.ErrnoException) => error.code)
    expect(refused).to.equal('ECONNREFUSED')
    slow.release()
  })
})
