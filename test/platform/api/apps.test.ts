import {expect} from 'chai'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {App} from '../../../src/api/types.js'
import {startTestPlatform, type TestPlatform, expectError as expectPlatformError} from './harness.js'

describe('local platform API: apps', () => {
  let platform: TestPlatform

  beforeEach(async () => {
    platform = await startTestPlatform()
  })

  afterEach(async () => {
    await platform.close()
  })

  const expectError = (method: string, path: string, body: unknown, status: number, message: string) => expectPlatformError(platform, method, path, body, status, message)

  it('creates an app in space default and org local, and tells the runtime', async () => {
    const reply = await platform.request('POST', '/apps', {name: 'Hello'})
    expect(reply.status).to.equal(201)
    expect(reply.contentType).to.equal('application/json')
    const app = reply.json<App>()
    expect(app).to.include({name: 'hello-default', simple_name: 'hello', key: 'hello-default', maintenance: false, web_url: '', image: '', released_at: null, deployment: null})
    expect(app.organization.name).to.equal('local')
    expect(app.space).to.include({name: 'default'})
    expect(app.formation).to.deep.equal([])
    expect(platform.runtime.calls).to.deep.equal([`changed ${app.id}`])
  })

  it('creates spaces and orgs on first use', async () => {
    const app = (await platform.request('POST', '/apps', {name: 'api', space: 'Staging', org: 'shop'})).json<App>()
    expect(app.key).to.equal('api-staging')
    expect(app.space.name).to.equal('staging')
    expect(app.organization.name).to.equal('shop')
    const second = (await platform.request('POST', '/apps', {name: 'web', space: 'staging', org: 'shop'})).json<App>()
    expect(second.space.id).to.equal(app.space.id)
    expect(second.organization.id).to.equal(app.organization.id)
  })

  it('refuses bad names, spaces, orgs and duplicates with upstream texts', async () => {
    const invalidName = 'The application name was invalid or missing, it cannot contain dashes or other special characters.'
    await expectError('POST', '/apps', {}, 422, invalidName)
    await expectError('POST', '/apps', {name: 'my-app'}, 422, invalidName)
    await expectError('POST', '/apps', {name: 42}, 422, invalidName)
    await expectError('POST', '/apps', {name: 'ok', space: 'no spaces'}, 422, 'The application space field was invalid, it must be lower case alpha numeric only.')
    await expectError('POST', '/apps', {name: 'ok', org: 'a-b'}, 422, 'The application org field was invalid, it must be lower case alpha numeric only.')
    await expectError('POST', '/apps', {name: 'abcdefghijklmnopq', space: 'default'}, 422, 'The application name was too long, the app space and name must be less than 24 characters.')
    expect((await platform.request('POST', '/apps', {name: 'abcdefghijklmnop'})).status).to.equal(201)
    await expectError('POST', '/apps', {name: 'ABCDEFGHIJKLMNOP'}, 409, 'The requested application already exists.')
    expect(platform.runtime.calls).to.have.length(1)
  })

  it('lists apps and shows one by key or id, with its formation, web_url and latest deployment', async () => {
    const created = (await platform.request('POST', '/apps', {name: 'shop'})).json<App>()
    await platform.request('POST', '/apps/shop-default/formation', {type: 'web', quantity: 2})
    platform.platform.store.recordDeployment({id: '0123456789', appId: created.id, type: 'web', state: 'failed', reason: 'web.0123456789-abcde crashed', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:05.000Z'})
    const list = (await platform.request('GET', '/apps')).json<App[]>()
    expect(list.map(app => app.name)).to.deep.equal(['shop-default'])
    for (const key of ['shop-default', created.id]) {
      const app = (await platform.request('GET', `/apps/${key}`)).json<App>()
      expect(app.web_url).to.equal('http://127.0.0.1:7001')
      expect(app.formation?.map(formation => [formation.type, formation.quantity, formation.app])).to.deep.equal([['web', 2, {id: created.id, name: 'shop-default'}]])
      expect(app.deployment).to.deep.equal({
        id: '0123456789', type: 'web', state: 'failed', reason: 'web.0123456789-abcde crashed', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:05.000Z', release: null,
      })
    }
  })

  it("shows a type's failed deployment even when another type deployed after it", async () => {
    const created = (await platform.request('POST', '/apps', {name: 'shop'})).json<App>()
    await platform.request('POST', '/apps/shop-default/formation', {type: 'web', quantity: 1})
    await platform.request('POST', '/apps/shop-default/formation', {type: 'worker', quantity: 1, command: 'node worker.js'})
    const {store} = platform.platform
    store.recordDeployment({id: 'aaaaaaaaaa', appId: created.id, type: 'web', state: 'failed', reason: 'web.aaaaaaaaaa-abcde crashed', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:05.000Z'})
    store.recordDeployment({id: 'bbbbbbbbbb', appId: created.id, type: 'worker', state: 'succeeded', reason: null, created_at: '2026-01-01T00:00:01.000Z', updated_at: '2026-01-01T00:00:09.000Z'})
    expect((await platform.request('GET', '/apps/shop-default')).json<App>().deployment).to.include({id: 'aaaaaaaaaa', type: 'web', state: 'failed'})
    store.recordDeployment({id: 'cccccccccc', appId: created.id, type: 'web', state: 'succeeded', reason: null, created_at: '2026-01-01T00:00:02.000Z', updated_at: '2026-01-01T00:00:03.000Z'})
    expect((await platform.request('GET', '/apps/shop-default')).json<App>().deployment).to.include({id: 'cccccccccc', type: 'web', state: 'succeeded'})
  })

  it('answers an unknown app with 404 and upstream text, case-sensitively', async () => {
    await platform.request('POST', '/apps', {name: 'probeapp'})
    await expectError('GET', '/apps/PROBEAPP-default', undefined, 404, 'The specified application PROBEAPP-default does not exist.')
    await expectError('DELETE', '/apps/nope-default', undefined, 404, 'The specified application nope-default does not exist.')
    await expectError('GET', `/apps/${'x'.repeat(15_000)}`, undefined, 404, `The specified application ${'x'.repeat(64)}… does not exist.`)
  })

  it('answers every route of an unknown app with 404 and the same text', async () => {
    const routes: [string, string][] = [
      ['GET', ''], ['DELETE', ''], ['GET', '/formation'], ['POST', '/formation'], ['PATCH', '/formation'], ['GET', '/formation/web'],
      ['PATCH', '/formation/web'], ['DELETE', '/formation/web'], ['GET', '/dynos'], ['DELETE', '/dynos'], ['GET', '/dynos/web.a-b'],
      ['DELETE', '/dynos/web'], ['POST', '/dynos/web.a-b/actions/stop'], ['POST', '/dynos/web.a-b/actions/attach'], ['GET', '/releases'],
      ['POST', '/builds'], ['GET', '/config-vars'], ['PATCH', '/config-vars'], ['GET', '/logs'],
    ]
    for (const [method, suffix] of routes) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : {}
      await expectError(method, `/apps/nope-default${suffix}`, body, 404, 'The specified application nope-default does not exist.')
    }
    expect(platform.runtime.calls).to.deep.equal([])
  })

  it('deletes an app: stops its dynos, removes its rows and slugs', async () => {
    const app = (await platform.request('POST', '/apps', {name: 'gone'})).json<App>()
    const source = join(platform.home, 'source')
    mkdirSync(source)
    writeFileSync(join(source, 'Procfile'), 'web: node web.js\n')
    await platform.request('POST', '/apps/gone-default/builds', {url: pathToFileURL(source).href})
    await platform.request('PATCH', '/apps/gone-default/config-vars', {A: 'b'})
    const slugDir = platform.platform.store.latestRelease(app.id)?.slugDir as string
    expect(existsSync(slugDir)).to.equal(true)
    const reply = await platform.request('DELETE', '/apps/gone-default')
    expect(reply.status).to.equal(200)
    expect(reply.json()).to.deep.equal({id: app.id, name: 'gone-default', org: 'local', result: 'successful'})
    expect(platform.runtime.calls).to.include(`removeApp ${app.id}`)
    expect(existsSync(slugDir)).to.equal(false)
    expect(platform.platform.store.desired(app.id)).to.equal(undefined)
    expect(platform.platform.store.config(app.id)).to.deep.equal({})
    expect((await platform.request('GET', '/apps/gone-default')).status).to.equal(404)
    expect((await platform.request('POST', '/apps', {name: 'gone'})).status).to.equal(201)
  })
})
