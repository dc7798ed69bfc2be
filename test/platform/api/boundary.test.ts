// What the API stores must be able to run (issue 9, defects 11 and 12, and the API's limits):
// each refusal is a 422 (413, 431, 403) with one line, and changes nothing.
import {expect} from 'chai'
import {request as httpRequest} from 'node:http'
import {connect} from 'node:net'

import type {App, Dyno} from '../../../src/api/types.js'
import {until} from '../rollout-helpers.js'
import {oneRefused} from '../router-helpers.js'
import {startTestPlatform, type TestPlatform, expectError as expectPlatformError} from './harness.js'

const PATH_INVALID = 'The healthcheck specified was invalid, it must be a path of visible ASCII characters without spaces (percent-encode any other, e.g. %20).'
const TYPE_TOO_LONG = 'The type specified was invalid, it must be at most 63 characters long.'
const LIMIT = 127 * 1024

function dyno(app: App, type: string, name: string): Dyno {
  return {
    attach_url: '', command: null, created_at: '2026-01-01T00:00:00Z', id: `id-${name}`, name,
    release: {id: 'r1', version: 1}, app: {id: app.id, name: app.key}, size: 'gp1', state: 'running',
    ready: true, restarts: 0, type, updated_at: '2026-01-01T00:00:00Z', additional_info: '',
  }
}

describe('local platform API: values that cannot run are refused', () => {
  let platform: TestPlatform
  let app: App
  const formation = '/apps/shop-default/formation'
  const config = '/apps/shop-default/config-vars'

  beforeEach(async () => {
    platform = await startTestPlatform()
    app = (await platform.request('POST', '/apps', {name: 'shop'})).json<App>()
    await platform.request('POST', formation, {type: 'web', healthcheck: '/health'})
    await platform.request('POST', formation, {type: 'worker', command: 'node worker.js'})
    platform.runtime.calls.length = 0
  })

  afterEach(async () => {
    await platform.close()
  })

  const expectError = (method: string, path: string, body: unknown, status: number, message: string) => expectPlatformError(platform, method, path, body, status, message)

  async function unchanged(): Promise<void> {
    const formations = (await platform.request('GET', formation)).json<{type: string, command: string | null, healthcheck: string | null}[]>()
    expect(formations.map(entry => [entry.type, entry.command, entry.healthcheck])).to.deep.equal([['web', null, '/health'], ['worker', 'node worker.js', null]])
    expect((await platform.request('GET', config)).json()).to.deep.equal({})
    expect(platform.runtime.calls).to.deep.equal([])
  }

  it('refuses a healthcheck http.request cannot send, on create, update and batch update (defect 1)', async () => {
    await platform.request('DELETE', `${formation}/web`)
    platform.runtime.calls.length = 0
    for (const path of ['/health check', '/health\tcheck', '/health\0', '/?a=b c', '/h\u0100', '/caf\u00e9', '/a\r\nX-Injected: 1']) {
      await expectError('POST', formation, {type: 'web', healthcheck: path}, 422, PATH_INVALID)
    }
    await expectError('POST', formation, {type: 'web', healthcheck: 'health'}, 422, 'The healthcheck specified was invalid, it must be a path such as /health.')
    await platform.request('POST', formation, {type: 'web', healthcheck: '/health'})
    platform.runtime.calls.length = 0
    await expectError('PATCH', `${formation}/web`, {healthcheck: '/health check'}, 422, PATH_INVALID)
    await expectError('PATCH', formation, [{type: 'web', healthcheck: '/?a=b c'}], 422, PATH_INVALID)
    await expectError('PATCH', `${formation}/web`, {healthcheck: `/${'a'.repeat(1024)}`}, 422, 'The healthcheck specified was invalid, it must be at most 1024 characters long.')
    expect((await platform.request('PATCH', `${formation}/web`, {healthcheck: `/${'a'.repeat(1016)}?b=%20`})).status).to.equal(200)
  })

  it('refuses a command with NUL or beyond the argument limit (defect 11)', async () => {
    await expectError('PATCH', `${formation}/worker`, {command: 'node\0worker.js'}, 422, 'The command specified was invalid, it cannot contain a NUL character.')
    await expectError('POST', formation, {type: 'clock', command: 'x'.repeat(LIMIT + 1)}, 422, `The command specified was invalid, it must be at most ${LIMIT} bytes long.`)
    await expectError('PATCH', formation, [{type: 'worker', command: '\u00e9'.repeat(LIMIT / 2 + 1)}], 422, `The command specified was invalid, it must be at most ${LIMIT} bytes long.`)
    await unchanged()
    expect((await platform.request('PATCH', `${formation}/worker`, {command: 'x'.repeat(LIMIT)})).status).to.equal(200)
  })

  it('refuses a type of more than 63 characters without echoing it (defect 11)', async () => {
    const long = 'w'.repeat(10_000)
    await expectError('POST', formation, {type: long, command: 'node w.js'}, 422, TYPE_TOO_LONG)
    await expectError('PATCH', `${formation}/${long}`, {quantity: 1}, 422, TYPE_TOO_LONG)
    await expectError('PATCH', formation, [{type: long, quantity: 1}], 422, TYPE_TOO_LONG)
    // Found by the fuzz test: an array bound as several SQL parameters was a 500.
    await expectError('PATCH', formation, [{type: ['web', 'x'], quantity: 1}], 422, 'The type specified was invalid, it cannot contain spaces or special characters (lower case alpha numeric only)')
    await unchanged()
    expect((await platform.request('POST', formation, {type: 'w'.repeat(63), command: 'node w.js'})).status).to.equal(201)
  })

  it('refuses a config value with NUL without echoing it, and values beyond the environment limits (defect 11)', async () => {
    const reply = await platform.request('PATCH', config, {DB_PASSWORD: 'hunter2\0'})
    expect([reply.status, reply.text]).to.deep.equal([422, 'The value of the config var DB_PASSWORD is invalid, it cannot contain a NUL character.'])
    await expectError('PATCH', config, {BIG: 'x'.repeat(LIMIT)}, 422, `The config var BIG is too large, its name and value must take at most ${LIMIT} bytes together.`)
    await expectError('PATCH', config, {'BAD\nNAME': 'x'}, 422, 'The config var name BAD\\nNAME is invalid, it may contain only letters, digits and underscores.')
    await unchanged()
    const fill = (from: number) => Object.fromEntries(Array.from({length: 2}, (_, index) => [`V${from + index}`, 'x'.repeat(120 * 1024)]))
    expect((await platform.request('PATCH', config, fill(0))).status).to.equal(200)
    expect((await platform.request('PATCH', config, fill(2))).status).to.equal(200)
    await expectError('PATCH', config, fill(4), 422, 'The config vars are too large, together they must take at most 524288 bytes.')
    expect(Object.keys((await platform.request('GET', config)).json<object>())).to.deep.equal(['V0', 'V1', 'V2', 'V3'])
    expect((await platform.request('PATCH', config, {...fill(4), V0: null, V1: null})).status, 'removals count').to.equal(200)
  })

  describe('one dyno is targeted, or none (defect 12)', () => {
    let web: Dyno

    beforeEach(() => {
      web = dyno(app, 'web', '6df6bc55c4-ldt45')
      platform.runtime.dynoLists.set(app.id, [web, dyno(app, 'web', '6df6bc55c4-x9k2p'), {...dyno(app, 'worker', '5555555555-zzzzz'), state: 'stopping'}])
    })

    it('does not replace every web dyno for `web.`, nor restart the type, nor answer 202 for a dyno that does not run', async () => {
      const dynos = '/apps/shop-default/dynos'
      await expectError('POST', `${dynos}/web./actions/stop`, undefined, 404, 'The specified dyno was not found.')
      await expectError('DELETE', `${dynos}/web.`, undefined, 404, 'The specified dyno was not found.')
      await expectError('DELETE', `${dynos}/web.nosuch`, undefined, 404, 'The specified dyno was not found.')
      await expectError('POST', `${dynos}/web.nosuch/actions/stop`, undefined, 404, 'The specified dyno was not found.')
      await expectError('DELETE', `${dynos}/worker.5555555555-zzzzz`, undefined, 404, 'The specified dyno was not found.')
      await expectError('DELETE', `${dynos}/.${web.name}`, undefined, 404, 'The dyno type  was not found.')
      expect(platform.runtime.calls).to.deep.equal([])
      expect((await platform.request('DELETE', `${dynos}/web.${web.name}`)).status).to.equal(202)
      expect(platform.runtime.calls).to.deep.equal([`restart ${app.id} web ${web.name}`])
    })
  })
})

describe('local platform API: request limits and the Host header', () => {
  let platform: TestPlatform

  beforeEach(async () => {
    // A quarter of a second for the headers instead of 10 s, half a second for the request instead of 30,
    // looked at every 50 ms instead of every second: the same refusals, without the wait.
    platform = await startTestPlatform(undefined, {serverTimeouts: {headersTimeoutMs: 250, requestTimeoutMs: 500, checkIntervalMs: 50}})
  })

  afterEach(async () => {
    await platform.close()
  })

  /** One raw request; the status line and body of its answer. */
  function raw(head: string, body = ''): Promise<{status: string, body: string}> {
    return new Promise((resolve, reject) => {
      const socket = connect(platform.platform.port, '127.0.0.1', () => socket.end(`${head}\r\n\r\n${body}`))
      let answer = ''
      socket.on('data', chunk => {
        answer += String(chunk)
      })
      socket.on('close', () => resolve({status: answer.split('\r\n')[0], body: answer.split('\r\n\r\n').slice(1).join('\r\n\r\n')}))
      socket.on('error', reject)
    })
  }

  const auth = () => `authorization: ${platform.platform.token}\r\nconnection: close`

  it('answers only a loopback Host at its own port (DNS rebinding)', async () => {
    const {port} = platform.platform
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await raw(`GET /apps HTTP/1.1\r\nhost: ${host}\r\n${auth()}`)).status, host).to.equal('HTTP/1.1 200 OK')
    }
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, `127.0.0.1.nip.io:${port}`]) {
      const answer = await raw(`GET /apps HTTP/1.1\r\nhost: ${host}\r\n${auth()}`)
      expect(answer.status, host).to.equal('HTTP/1.1 403 Forbidden')
      expect(answer.body).to.equal(`The Host header must be 127.0.0.1:${port}, localhost:${port} or [::1]:${port}: this API answers only its own address.`)
    }
    expect((await raw(`GET /apps HTTP/1.0\r\n${auth()}`)).status, 'no Host').to.equal('HTTP/1.1 403 Forbidden')
    expect(platform.logs.some(line => / 403 /.test(line))).to.equal(true)
  })

  it('refuses a body over 1 MiB with 413, by its length or as it arrives', async () => {
    const host = `host: 127.0.0.1:${platform.platform.port}\r\n${auth()}`
    const declared = await raw(`POST /apps HTTP/1.1\r\n${host}\r\ncontent-length: ${1024 * 1024 + 1}`)
    expect(declared).to.deep.equal({status: 'HTTP/1.1 413 Payload Too Large', body: 'The request body is too large, it must be at most 1048576 bytes.'})
    const reply = await platform.request('PATCH', '/apps/x-default/config-vars', `{"A":"${'x'.repeat(1024 * 1024)}"}`)
    expect(reply.status).to.equal(413)
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({host: '127.0.0.1', port: platform.platform.port, method: 'POST', path: '/apps', headers: {authorization: platform.platform.token}}, res => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.write('x'.repeat(1024 * 1024))
      req.end('x')
    })
    expect(streamed, 'chunked').to.equal(413)
    expect((await platform.request('GET', '/apps')).status).to.equal(200)
  })

  it('lets a client still sending a too-large body read its 413, and serves its next request on the connection', async () => {
    await platform.request('POST', '/apps', {name: 'big'})
    const host = `host: 127.0.0.1:${platform.platform.port}\r\nauthorization: ${platform.platform.token}`
    const chunk = 'x'.repeat(64 * 1024)
    /** Sends HEAD and FIRST, waits for the 413, then sends REST and a second request on the same connection: both answers. */
    const exchange = (head: string, first: string, rest: string) => new Promise<string[]>((resolve, reject) => {
      const socket = connect(platform.platform.port, '127.0.0.1', () => socket.write(`${head}\r\n${host}\r\n\r\n${first}`))
      let text = ''
      let sent = false
      socket.on('data', data => {
        text += String(data)
        if (sent || !text.includes('\r\n\r\n')) return
        sent = true
        socket.write(rest)
        socket.write(`GET /apps/big-default HTTP/1.1\r\n${host}\r\nconnection: close\r\n\r\n`)
      })
      socket.on('close', () => resolve(text.match(/HTTP\/1\.1 \d+ [^\r]*/g) ?? []))
      socket.on('error', reject)
    })
    const answers = ['HTTP/1.1 413 Payload Too Large', 'HTTP/1.1 200 OK']
    expect(await exchange(`POST /apps HTTP/1.1\r\ncontent-length: ${32 * chunk.length}`, '', chunk.repeat(32)), 'by its length').to.deep.equal(answers)
    const chunked = `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(17)
    expect(await exchange('PATCH /apps/big-default/config-vars HTTP/1.1\r\ntransfer-encoding: chunked', chunked, `${chunked}0\r\n\r\n`), 'as it arrives').to.deep.equal(answers)
    expect(await exchange(`POST /apps HTTP/1.1\r\ncontent-length: ${1024 ** 3}`, '', chunk), 'a body that never ends: closed at the request timeout, with no second answer').to.deep.equal(answers.slice(0, 1))
  })

  it('closes the connection of a too-large body still arriving after its 413, after a bounded time or number of bytes', async () => {
    // The request timeout (30 s by default, kept here) would otherwise be its only end.
    /** A POST declaring 1 GiB, sent as fast as the connection takes it (FLOOD) or a kilobyte every 20 ms. */
    const tooLarge = (port: number, token: string, flood: boolean) => new Promise<{answers: string[], sent: number}>(resolve => {
      const chunk = Buffer.alloc(flood ? 64 * 1024 : 1024, 'x')
      let text = ''
      let sent = 0
      const pump = () => {
        do sent += chunk.length
        while (socket.write(chunk) && flood)
      }
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /apps HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: ${token}\r\ncontent-length: ${1024 ** 3}\r\n\r\n`)
        pump()
      })
      if (flood) socket.on('drain', pump)
      const trickle = flood ? undefined : setInterval(pump, 20)
      socket.on('data', data => {
        text += String(data)
      })
      // Closed while it still sends, the client sees a reset after the answer.
      socket.on('error', () => {})
      socket.on('close', () => {
        clearInterval(trickle)
        resolve({answers: text.match(/HTTP\/1\.1 \d+ [^\r]*/g) ?? [], sent})
      })
    })
    for (const [what, timeouts, flood] of [['by time', {lingerMs: 100}, false], ['by bytes', {lingerMs: 60_000}, true]] as const) {
      const lingering = await startTestPlatform(undefined, {serverTimeouts: timeouts})
      try {
        const {port, token} = lingering.platform
        const {answers, sent} = await tooLarge(port, token, flood)
        expect(answers, what).to.deep.equal(['HTTP/1.1 413 Payload Too Large'])
        expect(sent, what).to.be.below(1024 ** 3)
        expect((await lingering.request('GET', '/apps')).status, what).to.equal(200)
      } finally {
        await lingering.close()
      }
    }
  })

  it('holds its cap of connections at most, closing more as they arrive, and serves again once they go', async () => {
    // The cap is 1,000; this platform's is 20, the same code without a thousand sockets.
    const capped = await startTestPlatform(undefined, {serverTimeouts: {maxConnections: 20}})
    try {
      const held = await oneRefused(capped.platform.port, 21)
      for (const socket of held) socket.destroy()
      // The API counts a connection gone once it reads its end.
      expect(await until('the API to serve again', () => capped.request('GET', '/apps').then(reply => reply.status, () => undefined), [], 5000)).to.equal(200)
    } finally {
      await capped.close()
    }
  })

  it('refuses headers over 16 KiB with 431', async () => {
    const answer = await raw(`GET /apps HTTP/1.1\r\nhost: 127.0.0.1:${platform.platform.port}\r\nx-big: ${'x'.repeat(17 * 1024)}\r\n${auth()}`)
    expect(answer).to.deep.equal({status: 'HTTP/1.1 431 Request Header Fields Too Large', body: 'The request headers are too large, together they must take at most 16384 bytes.'})
  })

  it('answers 408 and closes a connection that never finishes its headers', async () => {
    const started = Date.now()
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(platform.platform.port, '127.0.0.1', () => socket.write('GET /apps HTTP/1.1\r\nhost: 127.0.0.1\r\n'))
      let text = ''
      socket.on('data', chunk => {
        text += String(chunk)
      })
      socket.on('close', () => resolve(text))
      socket.on('error', reject)
    })
    expect(Date.now() - started, 'answered at the shortened limit, not the default 10 s').to.be.below(9000)
    expect([answer.split('\r\n')[0], answer.split('\r\n\r\n')[1]]).to.deep.equal(['HTTP/1.1 408 Request Timeout', 'The request took too long to arrive.'])
  })

  it('answers a request that is not HTTP with 400 on one line', async () => {
    expect(await raw('NOT HTTP AT ALL')).to.deep.equal({status: 'HTTP/1.1 400 Bad Request', body: 'The request is not valid HTTP.'})
  })
})
