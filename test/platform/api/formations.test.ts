import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {App, Formation} from '../../../src/api/types.js'
import {startTestPlatform, type TestPlatform, expectError as expectPlatformError} from './harness.js'

const PORT_INVALID = 'The specified port is invalid, it must be a number between 1024 and 65535.'
const QUANTITY_INVALID = 'The number of instances must be between 0 and 32.'
const TYPE_INVALID = 'The type specified was invalid, it cannot contain spaces or special characters (lower case alpha numeric only)'
const COMMAND_MISSING = 'A run command must be specified for any type outside of a web process.'

describe('local platform API: formations', () => {
  let platform: TestPlatform
  let app: App
  const path = '/apps/shop-default/formation'

  beforeEach(async () => {
    platform = await startTestPlatform()
    app = (await platform.request('POST', '/apps', {name: 'shop'})).json<App>()
    platform.runtime.calls.length = 0
  })

  afterEach(async () => {
    await platform.close()
  })

  const expectError = (method: string, path: string, body: unknown, status: number, message: string) => expectPlatformError(platform, method, path, body, status, message)

  async function types(): Promise<[string, number, string | null][]> {
    return (await platform.request('GET', path)).json<Formation[]>().map(formation => [formation.type, formation.quantity, formation.command])
  }

  describe('POST', () => {
    it('creates web with upstream defaults and answers 201 with a consistent app object', async () => {
      const reply = await platform.request('POST', path, {size: 'gp2', quantity: 1, type: 'web', port: 9000})
      expect(reply.status).to.equal(201)
      const formation = reply.json<Formation>()
      expect(formation).to.include({command: null, quantity: 1, port: 9000, size: 'gp2', type: 'web', healthcheck: null})
      expect(formation.app).to.deep.equal({id: app.id, name: 'shop-default'})
      expect(formation.id).to.be.a('string')
      expect(platform.runtime.calls).to.deep.equal([`changed ${app.id}`])
      const defaults = (await platform.request('POST', path, {type: ' Worker ', command: 'node worker.js'})).json<Formation>()
      expect(defaults).to.include({type: 'worker', size: 'gp1', quantity: 1, port: null, healthcheck: null, command: 'node worker.js'})
    })

    it('gives web the default port 9000 and keeps a quantity of 0', async () => {
      const formation = (await platform.request('POST', path, {type: 'web', quantity: 0})).json<Formation>()
      expect(formation).to.include({port: 9000, quantity: 0})
    })

    it('creates web with quantity 0 when another type comes first', async () => {
      await platform.request('POST', path, {type: 'worker', command: 'node worker.js', quantity: 2})
      expect(await types()).to.deep.equal([['web', 0, null], ['worker', 2, 'node worker.js']])
    })

    it('validates in upstream order with upstream texts', async () => {
      await expectError('POST', path, {size: 'gp2', quantity: 1, type: 'web', port: -2}, 422, PORT_INVALID)
      await expectError('POST', path, {size: 'gp2', quantity: 1, type: 'web', port: 0.5}, 422, PORT_INVALID)
      await expectError('POST', path, {type: 'web', port: '9000'}, 422, PORT_INVALID)
      await expectError('POST', path, {size: 'gp2', quantity: -1, type: 'web'}, 422, QUANTITY_INVALID)
      await expectError('POST', path, {size: 'gp2', quantity: 1000, type: 'web'}, 422, QUANTITY_INVALID)
      await expectError('POST', path, {type: 'web', quantity: '2'}, 422, QUANTITY_INVALID)
      await expectError('POST', path, {type: 'web', quantity: 33}, 422, QUANTITY_INVALID)
      await expectError('POST', path, {size: 'foobar', quantity: 1, type: 'web'}, 422, 'The payload size was not recognized.')
      await expectError('POST', path, {size: 'foobar', type: 'what da heck.'}, 422, 'The payload size was not recognized.')
      await expectError('POST', path, {size: 'gp2', quantity: 1, type: 'what da heck.'}, 422, TYPE_INVALID)
      await expectError('POST', path, {size: 'gp2', quantity: 1, type: 'worker', command: 'node worker.js', port: 9000}, 422, 'A port was specified for a non-web based application, the port should not be set.')
      await expectError('POST', path, {type: 'worker', command: 'node worker.js', healthcheck: '/'}, 422, 'A healthcheck was specified for a non-web based application, the path should not be set.')
      await expectError('POST', path, {type: 'worker', command: 'node worker.js', removeHealthcheck: true}, 422, 'Cannot remove healthcheck on non web based dyno.')
      await expectError('POST', path, {type: 'worker', quantity: 1}, 422, COMMAND_MISSING)
      await expectError('POST', path, {type: 'worker', command: ''}, 422, COMMAND_MISSING)
      expect(platform.runtime.calls).to.deep.equal([])
      expect(await types()).to.deep.equal([])
    })

    it('answers a missing type with 422 (upstream: 500)', async () => {
      await expectError('POST', path, {quantity: 1}, 422, TYPE_INVALID)
      await expectError('POST', path, {type: 5}, 422, TYPE_INVALID)
    })

    it('answers 409 for a type that exists, 404 for an unknown app, 400 for bad JSON', async () => {
      await platform.request('POST', path, {type: 'web'})
      await expectError('POST', path, {type: 'web'}, 409, 'The process of type web already exists.')
      await expectError('POST', '/apps/nope-default/formation', {type: 'web'}, 404, 'The specified application nope-default does not exist.')
      const reply = await platform.request('POST', path, 'not json')
      expect(reply.status).to.equal(400)
    })
  })

  describe('GET', () => {
    it('lists in creation order and shows one by type or id', async () => {
      expect((await platform.request('GET', path)).json()).to.deep.equal([])
      const worker = (await platform.request('POST', path, {type: 'worker', command: 'node worker.js'})).json<Formation>()
      expect((await platform.request('GET', `${path}/worker`)).json()).to.deep.equal(worker)
      expect((await platform.request('GET', `${path}/${worker.id}`)).json()).to.deep.equal(worker)
      await expectError('GET', `${path}/clock`, undefined, 404, 'The specified formation clock was not found.')
    })
  })

  describe('PATCH one type', () => {
    beforeEach(async () => {
      await platform.request('POST', path, {type: 'web', quantity: 1, healthcheck: '/health', command: 'npm start'})
      await platform.request('POST', path, {type: 'worker', command: 'node worker.js'})
      platform.runtime.calls.length = 0
    })

    it('scales a worker without a command (upstream requires one)', async () => {
      const reply = await platform.request('PATCH', `${path}/worker`, {quantity: 3})
      expect(reply.status).to.equal(200)
      expect(reply.json<Formation>()).to.include({type: 'worker', quantity: 3, command: 'node worker.js'})
      expect(reply.json<Formation>().app).to.deep.equal({id: app.id, name: 'shop-default'})
      expect(platform.runtime.calls).to.deep.equal([`changed ${app.id}`])
    })

    it('changes size, port, command and healthcheck; null leaves a field alone', async () => {
      const formation = (await platform.request('PATCH', `${path}/web`, {size: 'gp3', port: 8282, command: 'node web.js', healthcheck: '/ready', quantity: 2})).json<Formation>()
      expect(formation).to.include({size: 'gp3', port: 8282, command: 'node web.js', healthcheck: '/ready', quantity: 2})
      const unchanged = (await platform.request('PATCH', `${path}/web`, {port: null, command: null})).json<Formation>()
      expect(unchanged).to.include({port: 8282, command: 'node web.js'})
    })

    it('removes the healthcheck and the command of web, and shows the result', async () => {
      const formation = (await platform.request('PATCH', `${path}/web`, {removeHealthcheck: true, 'remove-command': true})).json<Formation>()
      expect(formation).to.include({healthcheck: null, command: null})
      expect((await platform.request('GET', `${path}/web`)).json<Formation>()).to.include({healthcheck: null, command: null})
    })

    it('validates with upstream texts, and the type of the URL is not lower-cased', async () => {
      await expectError('PATCH', `${path}/Web`, {quantity: 1}, 422, TYPE_INVALID)
      await expectError('PATCH', `${path}/worker`, {quantity: 33}, 422, QUANTITY_INVALID)
      await expectError('PATCH', `${path}/worker`, {size: 'gp9'}, 422, 'The payload size was not recognized.')
      await expectError('PATCH', `${path}/worker`, {port: 9000}, 422, 'A port was specified for a non-web based application, the port should not be set.')
      await expectError('PATCH', `${path}/worker`, {healthcheck: '/'}, 422, 'A healthcheck was specified for a non-web based application, the path should not be set.')
      await expectError('PATCH', `${path}/worker`, {removeHealthcheck: true}, 422, 'Cannot remove healthcheck on non web based dyno.')
      await expectError('PATCH', `${path}/web`, {port: 80}, 422, PORT_INVALID)
      expect(platform.runtime.calls).to.deep.equal([])
    })

    it('answers an unknown type with 404 and changes nothing (upstream: 409 or creates web)', async () => {
      await expectError('PATCH', `${path}/clock`, {quantity: 1}, 404, 'The specified formation clock was not found.')
      expect(await types()).to.deep.equal([['web', 1, 'npm start'], ['worker', 1, 'node worker.js']])
    })

    it('ignores a body that is not an object, as upstream', async () => {
      const reply = await platform.request('PATCH', `${path}/web`, [{port: 8282}])
      expect(reply.status).to.equal(200)
      expect(reply.json<Formation>()).to.include({port: 9000})
    })
  })

  describe('PATCH several types', () => {
    beforeEach(async () => {
      await platform.request('POST', path, {type: 'web'})
      await platform.request('POST', path, {type: 'worker', command: 'node worker.js'})
      platform.runtime.calls.length = 0
    })

    it('applies every change and answers the formations', async () => {
      const reply = await platform.request('PATCH', path, [{port: 8282, quantity: 2, type: 'web', size: 'gp1', healthcheck: '/'}, {type: 'worker', quantity: 4}])
      expect(reply.status).to.equal(200)
      expect(reply.json<Formation[]>().map(formation => [formation.type, formation.quantity, formation.port, formation.healthcheck])).to.deep.equal([['web', 2, 8282, '/'], ['worker', 4, null, null]])
      expect(platform.runtime.calls).to.deep.equal([`changed ${app.id}`])
      const removed = (await platform.request('PATCH', path, [{type: 'web', removeHealthcheck: true}])).json<Formation[]>()
      expect(removed[0].healthcheck).to.equal(null)
    })

    it('validates every item before changing anything', async () => {
      await expectError('PATCH', path, {type: 'web', quantity: 2}, 422, 'The payload was not an array of formation changes.')
      await expectError('PATCH', path, [{type: 'web', quantity: 2}, {quantity: 2}], 422, 'The type specified was invalid, it cannot contain spaces or special characters (alpha numeric only)')
      await expectError('PATCH', path, [{type: 'web', quantity: 2}, {type: 'worker', quantity: 40}], 422, QUANTITY_INVALID)
      await expectError('PATCH', path, [{type: 'web', quantity: 2}, {type: 'clock', quantity: 1}], 404, 'The specified formation clock was not found.')
      expect(await types()).to.deep.equal([['web', 1, null], ['worker', 1, 'node worker.js']])
      expect(platform.runtime.calls).to.deep.equal([])
    })
  })

  describe('DELETE', () => {
    it('deletes a type (web too) and answers its deleted row as upstream does', async () => {
      const worker = (await platform.request('POST', path, {type: 'worker', command: 'node worker.js', size: 'gp2'})).json<Formation>()
      const reply = await platform.request('DELETE', `${path}/worker`)
      expect(reply.status).to.equal(200)
      expect(reply.json()).to.deep.equal([{
        formation: worker.id, app: app.id, created: worker.created_at, updated: worker.updated_at, type: 'worker', command: 'node worker.js',
        quantity: 1, port: null, size: 'gp2', price: 2000, deleted: true, healthcheck: null, oneoff: false, options: {},
      }])
      expect(await types()).to.deep.equal([['web', 0, null]])
      expect((await platform.request('DELETE', `${path}/web`)).status).to.equal(200)
      expect(await types()).to.deep.equal([])
      expect(platform.runtime.calls).to.deep.equal([`changed ${app.id}`, `changed ${app.id}`, `changed ${app.id}`])
    })

    it('answers an unknown type with 404 (upstream: 200 [])', async () => {
      await expectError('DELETE', `${path}/foobar`, undefined, 404, 'The specified formation foobar was not found.')
    })
  })

  describe('types from a release', () => {
    it('scales a Procfile type that has no command of its own, and names the release\'s command for it', async () => {
      const source = join(platform.home, 'procfile-app')
      mkdirSync(source)
      writeFileSync(join(source, 'Procfile'), 'web: node web.js\nclock: node clock.js\n')
      await platform.request('POST', '/apps/shop-default/builds', {url: pathToFileURL(source).href})
      const formation = (await platform.request('PATCH', `${path}/clock`, {quantity: 1})).json<Formation>()
      expect(formation).to.include({type: 'clock', quantity: 1, command: null, release_command: 'node clock.js'})
      const batch = (await platform.request('PATCH', path, [{type: 'clock', quantity: 2}])).json<Formation[]>()
      expect(batch[0]).to.include({quantity: 2, command: null, release_command: 'node clock.js'})
      // A type the release has no command for (created with its own) names none.
      const own = (await platform.request('POST', path, {type: 'cron', quantity: 0, command: 'node cron.js'})).json<Formation>()
      expect(own).to.include({command: 'node cron.js', release_command: null})
    })
  })
})
