import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {App, Dyno} from '../../../src/api/types.js'
import {startTestPlatform, type TestPlatform, expectError as expectPlatformError} from './harness.js'

function dyno(app: App, type: string, name: string): Dyno {
  return {
    attach_url: '', command: null, created_at: '2026-01-01T00:00:00Z', id: `id-${name}`, name,
    release: {id: 'r1', version: 1}, app: {id: app.id, name: app.key}, size: 'gp1', state: 'running',
    ready: true, restarts: 0, type, updated_at: '2026-01-01T00:00:00Z', additional_info: '',
  }
}

describe('local platform API: dynos', () => {
  let platform: TestPlatform
  let app: App
  let web: Dyno
  let worker: Dyno
  const path = '/apps/shop-default/dynos'

  beforeEach(async () => {
    platform = await startTestPlatform()
    app = (await platform.request('POST', '/apps', {name: 'shop'})).json<App>()
    await platform.request('POST', '/apps/shop-default/formation', {type: 'worker', command: 'node worker.js'})
    web = dyno(app, 'web', '6df6bc55c4-ldt45')
    worker = dyno(app, 'worker', '5555555555-zzzzz')
    platform.runtime.dynoLists.set(app.id, [web, worker])
    platform.runtime.calls.length = 0
  })

  afterEach(async () => {
    await platform.close()
  })

  async function release(): Promise<void> {
    const source = join(platform.home, 'source')
    mkdirSync(source, {recursive: true})
    writeFileSync(join(source, 'Procfile'), 'web: node web.js\n')
    await platform.request('POST', '/apps/shop-default/builds', {url: pathToFileURL(source).href})
    platform.runtime.calls.length = 0
  }

  const expectError = (method: string, path: string, body: unknown, status: number, message: string) => expectPlatformError(platform, method, path, body, status, message)

  it('lists what the runtime runs', async () => {
    expect((await platform.request('GET', path)).json()).to.deep.equal([web, worker])
    await expectError('GET', '/apps/nope-default/dynos', undefined, 404, 'The specified application nope-default does not exist.')
  })

  it('shows one dyno by type.name, name or id once the app has a release', async () => {
    await expectError('GET', `${path}/web.${web.name}`, undefined, 404, 'The specified dyno was not found.')
    await release()
    for (const ref of [`web.${web.name}`, web.name, web.id]) {
      expect((await platform.request('GET', `${path}/${ref}`)).json(), ref).to.deep.equal(web)
    }
    await expectError('GET', `${path}/web.nothere-xxxxx`, undefined, 404, 'The specified dyno was not found.')
  })

  it('restarts all dynos, one type or one dyno', async () => {
    let reply = await platform.request('DELETE', path)
    expect([reply.status, reply.json()]).to.deep.equal([202, {status: 'pending'}])
    reply = await platform.request('DELETE', `${path}/web`)
    expect([reply.status, reply.json()]).to.deep.equal([202, {status: 'pending', type: 'web'}])
    reply = await platform.request('DELETE', `${path}/worker.${worker.name}`)
    expect([reply.status, reply.json()]).to.deep.equal([202, {status: 'pending', type: 'worker', dyno: worker.name}])
    expect(platform.runtime.calls).to.deep.equal([`restart ${app.id}`, `restart ${app.id} web`, `restart ${app.id} worker ${worker.name}`])
  })

  it('answers an unknown dyno type with 404 and restarts nothing', async () => {
    await expectError('DELETE', `${path}/foobar`, undefined, 404, 'The dyno type foobar was not found.')
    await expectError('DELETE', `${path}/foobar.abc-def`, undefined, 404, 'The dyno type foobar was not found.')
    expect(platform.runtime.calls).to.deep.equal([])
  })

  it('stops one dyno', async () => {
    const reply = await platform.request('POST', `${path}/web.${web.name}/actions/stop`)
    expect([reply.status, reply.json()]).to.deep.equal([200, {status: 'pending', type: 'web', dyno: web.name}])
    await expectError('POST', `${path}/${web.name}/actions/stop`, undefined, 404, 'The specified dyno id was not found.')
    await expectError('POST', `${path}/clock.${web.name}/actions/stop`, undefined, 404, 'The dyno type clock was not found.')
    expect(platform.runtime.calls).to.deep.equal([`restart ${app.id} web ${web.name}`])
  })

  describe('attach', () => {
    const attach = (ref: string) => `${path}/${ref}/actions/attach`

    it('sends the signal of `sh -c kill -N -1` to the dyno', async () => {
      await release()
      const reply = await platform.request('POST', attach(`worker.${worker.name}`), {command: ['sh', '-c', 'kill -15 -1'], stdin: ''})
      expect([reply.status, reply.json()]).to.deep.equal([200, {stdout: '', stderr: ''}])
      expect(platform.runtime.calls).to.deep.equal([`signal ${app.id} worker.${worker.name} 15`])
    })

    it('accepts signal 0, the harmless existence check', async () => {
      await release()
      const reply = await platform.request('POST', attach(`worker.${worker.name}`), {command: ['sh', '-c', 'kill -0 -1'], stdin: ''})
      expect([reply.status, reply.json()]).to.deep.equal([200, {stdout: '', stderr: ''}])
      expect(platform.runtime.calls).to.deep.equal([`signal ${app.id} worker.${worker.name} 0`])
    })

    it('allows nothing else', async () => {
      await release()
      const ref = attach(`web.${web.name}`)
      await expectError('POST', ref, {command: ['ssh', '-1', '-1']}, 403, 'This operation is not allowed.')
      await expectError('POST', ref, {command: ['sh', '-c', 'kill -9 -1; rm -rf /']}, 403, 'This operation is not allowed.')
      await expectError('POST', ref, {command: 'sh -c kill -9 -1'}, 403, 'This operation is not allowed.')
      await expectError('POST', ref, {alias: 'java_heap_dump', command: ['sh', '-c', 'kill -1 -1']}, 400, 'Please specify either an alias OR a command')
      await expectError('POST', ref, {alias: 'rm_everything'}, 403, 'Invalid command alias')
      await expectError('POST', ref, {alias: 'java_heap_dump'}, 403, 'This operation is not allowed.')
      await expectError('POST', ref, {}, 400, 'Please specify either an alias OR a command')
      await expectError('POST', ref, {command: ['sh', '-c', 'kill -999 -1']}, 422, 'The signal 999 is not one this machine knows.')
      expect(platform.runtime.calls).to.deep.equal([])
    })

    it('answers an unknown dyno or an app without a release with 404', async () => {
      const kill = {command: ['sh', '-c', 'kill -1 -1']}
      await expectError('POST', attach(`web.${web.name}`), kill, 404, 'The specified dyno was not found.')
      await release()
      await expectError('POST', attach('does-not-exist'), kill, 404, 'The specified dyno was not found.')
      await expectError('POST', attach('web.does-not-exist'), kill, 404, 'The specified dyno was not found.')
      const reply = await platform.request('POST', attach(`web.${web.name}`), '{bad')
      expect(reply.status).to.equal(400)
      expect(platform.runtime.calls).to.deep.equal([])
    })
  })
})
