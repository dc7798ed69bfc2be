import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {App, Build, Formation, Release, Size} from '../../../src/api/types.js'
import {startTestPlatform, type TestPlatform, expectError as expectPlatformError} from './harness.js'

describe('local platform API: sizes, builds, releases, config vars, logs', () => {
  let platform: TestPlatform
  let app: App

  beforeEach(async () => {
    platform = await startTestPlatform()
    app = (await platform.request('POST', '/apps', {name: 'shop'})).json<App>()
    platform.runtime.calls.length = 0
  })

  afterEach(async () => {
    await platform.close()
  })

  const expectError = (method: string, path: string, body: unknown, status: number, message: string) => expectPlatformError(platform, method, path, body, status, message)

  function source(name: string, files: Record<string, string>): string {
    const dir = join(platform.home, 'sources', name)
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), {recursive: true})
      writeFileSync(join(dir, file), text)
    }
    return dir
  }

  const build = (dir: string) => platform.request('POST', '/apps/shop-default/builds', {url: pathToFileURL(dir).href})
  const formations = async () => (await platform.request('GET', '/apps/shop-default/formation')).json<Formation[]>()
    .map(formation => [formation.type, formation.quantity, formation.command])

  it('lists the sizes with the reference memory limits and prices', async () => {
    const sizes = (await platform.request('GET', '/sizes')).json<Size[]>()
    expect(sizes.map(size => [size.name, size.resources.requests.memory, size.resources.limits.memory, size.price])).to.deep.equal([
      ['gp1', '256Mi', '256Mi', 10], ['gp1-prod', '256Mi', '256Mi', 15],
      ['gp2', '256Mi', '512Mi', 20], ['gp2-prod', '512Mi', '512Mi', 25],
      ['gp3', '768Mi', '1024Mi', 30], ['gp3-prod', '1024Mi', '1024Mi', 35],
      ['gp4', '1024Mi', '1536Mi', 40], ['gp4-prod', '1536Mi', '1536Mi', 45],
      ['mp1', '1536Mi', '2048Mi', 50], ['mp1-prod', '2048Mi', '2048Mi', 55],
      ['mp2', '3072Mi', '4096Mi', 55], ['mp2-prod', '4096Mi', '4096Mi', 55],
    ])
    expect(platform.platform.store.memoryLimit('gp2')).to.equal(512 * 1024 * 1024)
  })

  it('deploys a directory: an immutable copy without .git, web 1 and other Procfile types 0', async () => {
    const dir = source('procfile', {
      Procfile: '# types\nweb: node web.js\nworker:   node worker.js --verbose\nBad_Type: nope\n',
      'web.js': 'web', '.git/HEAD': 'ref', 'node_modules/dep/index.js': 'dep',
    })
    const reply = await build(dir)
    expect(reply.status).to.equal(201)
    const result = reply.json<Build>()
    expect(result).to.include({status: 'succeeded'})
    expect(result.app).to.deep.equal({id: app.id, name: 'shop-default'})
    expect(result.release?.version).to.equal(1)
    const release = platform.platform.store.latestRelease(app.id)
    expect(release?.defaultCommands).to.deep.equal({web: 'node web.js', worker: 'node worker.js --verbose'})
    const slug = release?.slugDir as string
    expect(readFileSync(join(slug, 'web.js'), 'utf8')).to.equal('web')
    expect(readFileSync(join(slug, 'node_modules/dep/index.js'), 'utf8')).to.equal('dep')
    expect(existsSync(join(slug, '.git'))).to.equal(false)
    writeFileSync(join(dir, 'web.js'), 'changed')
    expect(readFileSync(join(slug, 'web.js'), 'utf8')).to.equal('web')
    expect(await formations()).to.deep.equal([['web', 1, null], ['worker', 0, null]])
    expect(platform.runtime.calls).to.deep.equal([`changed ${app.id}`])
  })

  it('takes the package.json start script when there is no Procfile, and numbers releases', async () => {
    await build(source('npm', {'package.json': JSON.stringify({scripts: {start: 'node server.js'}})}))
    expect(platform.platform.store.latestRelease(app.id)?.defaultCommands).to.deep.equal({web: 'node server.js'})
    await platform.request('PATCH', '/apps/shop-default/formation/web', {quantity: 3})
    const second = (await build(source('two', {Procfile: 'web: node two.js\nclock: node clock.js\n'}))).json<Build>()
    expect(second.release?.version).to.equal(2)
    expect(await formations()).to.deep.equal([['web', 3, null], ['clock', 0, null]])
    const releases = (await platform.request('GET', '/apps/shop-default/releases')).json<Release[]>()
    // The stub runtime deploys nothing: v1 was replaced before any deployment of it, v2 is still to deploy.
    expect(releases.map(release => [release.version, release.current, release.status, release.app.name])).to.deep.equal([[1, false, 'unknown', 'shop-default'], [2, false, 'pending', 'shop-default']])
    expect(releases[1].id).to.equal(second.release?.id)
  })

  it('creates web with quantity 0 when the slug has no web command', async () => {
    await build(source('worker-only', {Procfile: 'worker: node worker.js\n'}))
    expect(await formations()).to.deep.equal([['web', 0, null], ['worker', 0, null]])
  })

  it('refuses a URL that is not a local directory', async () => {
    const notUrl = 'The build url must be a file:// URL of a directory on this machine, such as file:///home/me/app.'
    await expectError('POST', '/apps/shop-default/builds', {}, 422, notUrl)
    await expectError('POST', '/apps/shop-default/builds', {url: 'https://example.com/app.tgz'}, 422, notUrl)
    const missing = join(platform.home, 'missing')
    await expectError('POST', '/apps/shop-default/builds', {url: pathToFileURL(missing).href}, 422, `The directory ${missing} does not exist.`)
    await expectError('POST', '/apps/nope-default/builds', {url: 'file:///'}, 404, 'The specified application nope-default does not exist.')
    expect((await platform.request('GET', '/apps/shop-default/releases')).json()).to.deep.equal([])
    expect(platform.runtime.calls).to.deep.equal([])
  })

  it('sets and removes config vars', async () => {
    expect((await platform.request('GET', '/apps/shop-default/config-vars')).json()).to.deep.equal({})
    let reply = await platform.request('PATCH', '/apps/shop-default/config-vars', {GREETING: 'hello', MODE: 'x'})
    expect([reply.status, reply.json()]).to.deep.equal([200, {GREETING: 'hello', MODE: 'x'}])
    reply = await platform.request('PATCH', '/apps/shop-default/config-vars', {GREETING: 'hi', MODE: null})
    expect(reply.json()).to.deep.equal({GREETING: 'hi'})
    expect((await platform.request('GET', '/apps/shop-default/config-vars')).json()).to.deep.equal({GREETING: 'hi'})
    expect(platform.runtime.calls).to.deep.equal([`changed ${app.id}`, `changed ${app.id}`])
  })

  it('refuses config vars that are not strings or have bad names', async () => {
    await expectError('PATCH', '/apps/shop-default/config-vars', ['A'], 422, 'The payload was not an object of config vars.')
    await expectError('PATCH', '/apps/shop-default/config-vars', {OK: 'x', 'BAD-NAME': 'x'}, 422, 'The config var name BAD-NAME is invalid, it may contain only letters, digits and underscores.')
    await expectError('PATCH', '/apps/shop-default/config-vars', {NUMBER: 5}, 422, 'The value of the config var NUMBER must be a string, or null to remove it.')
    expect(platform.platform.store.config(app.id)).to.deep.equal({})
    expect(platform.runtime.calls).to.deep.equal([])
  })

  it('answers the last log lines as text/plain', async () => {
    for (const line of ['one', 'two', 'three']) platform.runtime.emit(`2026-01-01T00:00:00Z web.abc-12345 ${line}`)
    const reply = await platform.request('GET', '/apps/shop-default/logs?lines=2&tail=false')
    expect(reply.status).to.equal(200)
    expect(reply.contentType).to.equal('text/plain; charset=utf-8')
    expect(reply.text).to.equal('2026-01-01T00:00:00Z web.abc-12345 two\n2026-01-01T00:00:00Z web.abc-12345 three\n')
    await expectError('GET', '/apps/shop-default/logs?lines=many', undefined, 422, 'The number of lines must be a whole number from 0 to 10000.')
  })

  it('passes the dyno and source filters on, and refuses a bad one in one line', async () => {
    expect((await platform.request('GET', '/apps/shop-default/logs?lines=2&dyno=web.abc-12345&source=platform')).status).to.equal(200)
    expect(platform.runtime.logFilter).to.deep.equal({dyno: 'web.abc-12345', source: 'platform'})
    expect((await platform.request('GET', '/apps/shop-default/logs?lines=2')).status).to.equal(200)
    expect(platform.runtime.logFilter).to.deep.equal({})
    for (const dyno of ['', 'Web', 'web.', 'web.a.b', 'web abc', 'x'.repeat(64)]) {
      await expectError('GET', `/apps/shop-default/logs?dyno=${encodeURIComponent(dyno)}`, undefined, 422, 'The dyno filter must be a dyno type such as web, or one dyno such as web.abc12-3def4.')
    }
    for (const source of ['', 'router', 'APP']) {
      await expectError('GET', `/apps/shop-default/logs?source=${source}`, undefined, 422, 'The source filter must be app or platform.')
    }
  })

  it('streams new log lines until the client goes away', async () => {
    platform.runtime.emit('old')
    const controller = new AbortController()
    const response = await fetch(`${platform.platform.url}/apps/shop-default/logs?lines=1&tail=true`, {
      headers: {authorization: platform.platform.token}, signal: controller.signal,
    })
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let text = ''
    const readUntil = async (expected: string) => {
      while (!text.includes(expected)) text += decoder.decode((await reader.read()).value)
    }
    await readUntil('old\n')
    platform.runtime.emit('new')
    await readUntil('new\n')
    expect(text).to.equal('old\nnew\n')
    expect(platform.runtime.followerCount).to.equal(1)
    controller.abort()
    await reader.cancel().catch(() => undefined)
    for (let wait = 0; platform.runtime.followerCount > 0 && wait < 100; wait++) await new Promise(resolve => setTimeout(resolve, 20))
    expect(platform.runtime.followerCount).to.equal(0)
  })
})
