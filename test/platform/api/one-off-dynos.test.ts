// POST /apps/{app}/dynos (aka run): what the route refuses before the runtime sees it, and the
// reserved run type (the runtime's side is test/platform/one-off.test.ts).
import {expect} from 'chai'
import {connect} from 'node:net'

import {expectError, startTestPlatform, type TestPlatform} from './harness.js'

describe('local platform API: one-off dynos (POST /apps/{app}/dynos)', () => {
  let platform: TestPlatform
  const path = '/apps/shop-default/dynos'

  beforeEach(async () => {
    // A refused upgrade's connection is closed 100 ms after its answer, not 2 s.
    platform = await startTestPlatform(undefined, {serverTimeouts: {lingerMs: 100}})
    await platform.request('POST', '/apps', {name: 'shop'})
    platform.runtime.calls.length = 0
  })

  afterEach(async () => {
    await platform.close()
  })

  const refuse = (body: unknown, message: string) => expectError(platform, 'POST', path, body, 422, message)

  it('refuses a bad command, size, attach or env with one line each, and runs nothing', async () => {
    await refuse({}, 'The command specified was invalid, it must be a non-empty string.')
    await refuse({command: '  '}, 'The command specified was invalid, it must be a non-empty string.')
    await refuse({command: 'a\0b'}, 'The command specified was invalid, it cannot contain a NUL character.')
    await refuse({command: 'ls', size: 'huge'}, 'The payload size was not recognized.')
    await refuse({command: 'ls', attach: 'yes'}, 'The attach field must be true or false.')
    await refuse({command: 'ls', env: ['A=1']}, 'The env field must be an object of config var names and string values.')
    await refuse({command: 'ls', env: {'1A': 'x'}}, 'The config var name 1A is invalid, it may contain only letters, digits and underscores.')
    await refuse({command: 'ls', env: {A: 1}}, 'The value of the config var A must be a string.')
    expect(platform.runtime.calls).to.deep.equal([])
  })

  it('refuses an app without a release: it has nothing to run', async () => {
    await refuse({command: 'ls'}, 'The application shop-default has no release yet, so it has nothing to run: deploy it first.')
    expect(platform.runtime.calls).to.have.length(1)
    expect(platform.runtime.calls[0]).to.match(/^runOneOff \S+ ls$/)
  })

  it('keeps the run type for one-off dynos: no formation may take it', async () => {
    await expectError(platform, 'POST', '/apps/shop-default/formation', {type: 'run', command: 'node once.js'}, 422, 'The type run is reserved for one-off dynos (aka run); choose another name.')
  })

  it('answers an upgrade to anything but an attach URL with 404, and without the token with 401', async () => {
    const {request} = await import('node:http')
    const status = (target: string, headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
      const sent = request(`${platform.platform.url}${target}`, {method: 'POST', headers: {connection: 'Upgrade', upgrade: 'aka-attach', ...headers}})
      sent.on('response', response => {
        response.resume()
        resolve(response.statusCode ?? 0)
      })
      sent.on('upgrade', (_response, socket) => {
        socket.destroy()
        resolve(101)
      })
      sent.on('error', reject)
      sent.end()
    })
    const auth = {authorization: `Bearer ${platform.platform.token}`}
    expect(await status('/apps/shop-default/dynos/run.1/attach', {})).to.equal(401)
    expect(await status('/apps/shop-default/dynos/run.1/attach', auth)).to.equal(404)
    expect(await status('/apps/shop-default/formation', auth)).to.equal(404)
  })

  // Node's HTTP server keeps an upgraded connection half-open, with no timeout: a refused client that
  // never closed would hold its connection (a descriptor of the platform) for good.
  it('closes a refused upgrade\'s connection even when the client never closes it', async () => {
    const {port} = platform.platform
    const socket = connect({port, host: '127.0.0.1', allowHalfOpen: true})
    socket.resume()
    socket.write(`POST /apps/shop-default/dynos/run.1/attach HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: Upgrade\r\nupgrade: aka-attach\r\n\r\n`)
    // Our writes after the platform's close are reset by it: the error tells it closed (its end alone
    // does not). Left open, the test times out.
    const poke = setInterval(() => socket.write('x'), 20)
    await new Promise(resolve => socket.once('error', resolve))
    clearInterval(poke)
    socket.destroy()
  })
})
