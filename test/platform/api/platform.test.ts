import {expect} from 'chai'
import {existsSync, readFileSync, rmSync, statSync} from 'node:fs'
import {connect} from 'node:net'
import {join} from 'node:path'

import {startTestPlatform, tempHome, type TestPlatform} from './harness.js'

describe('local platform: start, token, restart', () => {
  let platform: TestPlatform

  beforeEach(async () => {
    platform = await startTestPlatform()
  })

  afterEach(async () => {
    await platform.close()
  })

  it('makes a 0700 state folder, a 0600 random token and platform.json', () => {
    expect(statSync(platform.home).mode & 0o777).to.equal(0o700)
    expect(statSync(join(platform.home, 'token')).mode & 0o777).to.equal(0o600)
    expect(readFileSync(join(platform.home, 'token'), 'utf8').trim()).to.match(/^[0-9a-f]{64}$/)
    const record = JSON.parse(readFileSync(join(platform.home, 'platform.json'), 'utf8')) as {pid: number, url: string, port: number}
    expect(record).to.include({pid: process.pid, url: platform.platform.url, port: platform.platform.port})
    expect(record.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('accepts the token with and without Bearer', async () => {
    const {token} = platform.platform
    expect((await platform.request('GET', '/apps', undefined, {authorization: `Bearer ${token}`})).status).to.equal(200)
    expect((await platform.request('GET', '/apps', undefined, {authorization: `bearer ${token}`})).status).to.equal(200)
    expect((await platform.request('GET', '/apps', undefined, {authorization: token})).status).to.equal(200)
  })

  it('answers anything else with 401 and an empty body', async () => {
    for (const authorization of ['', 'Bearer nope', `Basic ${platform.platform.token}`, `Bearer ${platform.platform.token}x`]) {
      const reply = await platform.request('GET', '/apps', undefined, {authorization})
      expect(reply.status, authorization).to.equal(401)
      expect(reply.text).to.equal('')
    }
    const reply = await platform.request('POST', '/apps', {name: 'sneaky'}, {authorization: 'Bearer wrong'})
    expect(reply.status).to.equal(401)
    expect((await platform.request('GET', '/apps')).json()).to.deep.equal([])
  })

  it('answers unknown routes and trailing slashes with 404 and an empty body', async () => {
    for (const path of ['/nothing', '/apps/', '/apps/x/dyno/y']) {
      const reply = await platform.request('GET', path)
      expect(reply.status, path).to.equal(404)
      expect(reply.text).to.equal('')
    }
  })

  it('answers a request target that is no path (`//[`) with 401 without the token and 400 with it, and keeps running', async () => {
    const raw = (authorization: string) => new Promise<string>((resolve, reject) => {
      const socket = connect(platform.platform.port, '127.0.0.1', () => socket.write(`GET //[ HTTP/1.1\r\nhost: 127.0.0.1:${platform.platform.port}\r\n${authorization}connection: close\r\n\r\n`))
      let answer = ''
      socket.on('data', chunk => {
        answer += String(chunk)
      })
      socket.on('end', () => resolve(answer.split('\r\n')[0]))
      socket.on('error', reject)
    })
    expect(await raw('')).to.equal('HTTP/1.1 401 Unauthorized')
    expect(await raw(`authorization: ${platform.platform.token}\r\n`)).to.equal('HTTP/1.1 400 Bad Request')
    expect((await platform.request('GET', '/apps')).status).to.equal(200)
  })

  it('answers a body that is not JSON with 400', async () => {
    const reply = await platform.request('POST', '/apps', '{"name":')
    expect([reply.status, reply.text]).to.deep.equal([400, 'The request body is not valid JSON.'])
  })

  it('logs each request', async () => {
    await platform.request('GET', '/apps/nope-default')
    expect(platform.logs.some(line => /^GET \/apps\/nope-default 404 \d+ms$/.test(line))).to.equal(true)
  })

  it('stops the runtime and removes platform.json on stop', async () => {
    await platform.platform.stop()
    expect(platform.runtime.calls).to.include('stop')
    expect(existsSync(join(platform.home, 'platform.json'))).to.equal(false)
  })

  it('refuses to start twice on one state folder', async () => {
    let error: Error | undefined
    await startTestPlatform(platform.home, {keepHome: true}).catch((caught: Error) => {
      error = caught
    })
    expect(error?.message).to.equal(`The local platform already runs at ${platform.platform.url} (pid ${process.pid})`)
  })
})

describe('local platform: the database survives a restart', () => {
  it('keeps apps, formations, config vars, releases, deployments, router ports and the token', async () => {
    const home = tempHome()
    try {
      const first = await startTestPlatform(home, {keepHome: true})
      await first.request('POST', '/apps', {name: 'keep'})
      await first.request('POST', '/apps/keep-default/formation', {type: 'worker', command: 'node worker.js', quantity: 2})
      await first.request('PATCH', '/apps/keep-default/config-vars', {GREETING: 'hi'})
      const appId = first.platform.store.findApp('keep-default')?.id as string
      first.platform.store.recordDeployment({id: 'abcdef0123', appId, type: 'worker', state: 'succeeded', reason: null, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:01.000Z'})
      first.platform.store.setRouterPort(appId, 45678)
      first.platform.store.recordProcess({appId, dyno: 'worker.abcdef0123-xyzab', pgid: 4242, started_at: '2026-01-01T00:00:00.000Z'})
      const token = first.platform.token
      await first.close()

      const second = await startTestPlatform(home, {keepHome: true})
      try {
        expect(second.platform.token).to.equal(token)
        const formations = (await second.request('GET', '/apps/keep-default/formation')).json<{type: string, quantity: number}[]>()
        expect(formations.map(formation => [formation.type, formation.quantity])).to.deep.equal([['web', 0], ['worker', 2]])
        expect((await second.request('GET', '/apps/keep-default/config-vars')).json()).to.deep.equal({GREETING: 'hi'})
        const {store} = second.platform
        expect(store.latestDeployment(appId, 'worker')?.state).to.equal('succeeded')
        expect(store.routerPort(appId)).to.equal(45678)
        expect(store.processes()).to.deep.equal([{appId, dyno: 'worker.abcdef0123-xyzab', pgid: 4242, started_at: '2026-01-01T00:00:00.000Z'}])
        store.forgetProcess(4242)
        expect(store.processes()).to.deep.equal([])
      } finally {
        await second.close()
      }
    } finally {
      rmSync(home, {recursive: true, force: true})
    }
  })
})
