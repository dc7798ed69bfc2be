import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {App, Build, Release, ReleaseStatuses} from '../../../src/api/types.js'
import type {DeploymentRecord} from '../../../src/platform/contract.js'
import {runCommand} from '../../helpers/run.js'
import {startTestPlatform, type TestPlatform, expectError as expectPlatformError} from './harness.js'

describe('local platform API: release history, rollback and the scale refusal', () => {
  let platform: TestPlatform
  let app: App

  beforeEach(async () => {
    platform = await startTestPlatform()
    app = (await platform.request('POST', '/apps', {name: 'shop'})).json<App>()
  })

  afterEach(async () => {
    await platform.close()
  })

  const expectError = (method: string, path: string, body: unknown, status: number, message: string) => expectPlatformError(platform, method, path, body, status, message)

  function deploy(name: string, files: Record<string, string>) {
    const dir = join(platform.home, 'sources', name)
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), {recursive: true})
      writeFileSync(join(dir, file), text)
    }
    return platform.request('POST', '/apps/shop-default/builds', {url: pathToFileURL(dir).href})
  }

  const releases = async () => (await platform.request('GET', '/apps/shop-default/releases')).json<Release[]>()
  const summary = async () => (await releases()).map(release => [`v${release.version}`, release.status, release.current, release.description])

  /** What the runtime records when it deploys the latest release to a type. */
  function recordDeployment(type: string, id: string, state: DeploymentRecord['state'], reason: string | null = null, runnable = true): void {
    const {store} = platform.platform
    const release = store.latestRelease(app.id)
    if (!release) throw new Error('no release')
    const at = new Date().toISOString()
    const definition = {
      type, hash: id, formationCommand: null, command: 'node web.js', cwd: release.slugDir, config: store.config(app.id), size: 'gp1', healthcheck: null,
      release: {id: release.id, version: release.version},
    }
    store.recordDeployment({id, appId: app.id, type, state, reason, created_at: at, updated_at: at, ...(runnable ? {definition} : {})})
  }

  it('gives every deploy, config change and rollback a version, a description and the status of its deployment', async () => {
    await deploy('hello', {Procfile: 'web: node web.js\n'})
    recordDeployment('web', 'aaaaaaaaa1', 'succeeded')
    await platform.request('PATCH', '/apps/shop-default/config-vars', {GREETING: 'hi', MODE: 'x'})
    recordDeployment('web', 'aaaaaaaaa2', 'failed', 'web.aaaaaaaaa2-abcde crashed (exit code 1)')
    // The same values again change nothing, so they make no release.
    await platform.request('PATCH', '/apps/shop-default/config-vars', {GREETING: 'hi'})
    expect(await summary()).to.deep.equal([
      ['v1', 'succeeded', true, 'Deploy of hello'],
      ['v2', 'failed', false, 'Set GREETING, MODE'],
    ])
    const [v1, v2] = await releases()
    expect(v2.deployments).to.deep.equal([{type: 'web', state: 'failed', reason: 'web.aaaaaaaaa2-abcde crashed (exit code 1)'}])
    expect(v2.slug).to.deep.equal(v1.slug)
    expect(v1.process_types).to.deep.equal({web: 'node web.js'})

    platform.runtime.calls.length = 0
    const reply = await platform.request('POST', '/apps/shop-default/releases', {release: v1.id, description: v1.description})
    expect(reply.status).to.equal(201)
    expect(reply.json<Release>()).to.include({version: 3, description: 'Rollback to v1', status: 'pending', current: false})
    expect(platform.runtime.calls).to.deep.equal([`changed ${app.id}`])
    // A rollback brings back the config vars the release ran with.
    expect((await platform.request('GET', '/apps/shop-default/config-vars')).json()).to.deep.equal({})
    expect(platform.platform.store.desired(app.id)?.release?.slugDir).to.equal(platform.platform.store.releases(app.id)[0].slugDir)
    recordDeployment('web', 'aaaaaaaaa3', 'succeeded')
    await platform.request('PATCH', '/apps/shop-default/config-vars', {MODE: null, DEBUG: '1'})
    expect(await summary()).to.deep.equal([
      ['v1', 'succeeded', false, 'Deploy of hello'],
      ['v2', 'failed', false, 'Set GREETING, MODE'],
      ['v3', 'succeeded', true, 'Rollback to v1'],
      ['v4', 'pending', false, 'Set DEBUG'],
    ])
  })

  it('says a release was replaced before its deployment finished, and a type not yet deployed is deploying', async () => {
    await deploy('one', {Procfile: 'web: node web.js\nworker: node worker.js\n'})
    recordDeployment('web', 'bbbbbbbbb1', 'in-progress')
    await platform.request('PATCH', '/apps/shop-default/config-vars', {A: '1'})
    // The runtime's later records of a deployment leave its definition (and release) as first recorded.
    recordDeployment('web', 'bbbbbbbbb1', 'failed', 'superseded by deployment bbbbbbbbb2', false)
    recordDeployment('web', 'bbbbbbbbb2', 'succeeded')
    await platform.request('PATCH', '/apps/shop-default/formation/worker', {quantity: 1})
    const [v1, v2] = await releases()
    expect([v1.status, v1.deployments]).to.deep.equal(['unknown', [{type: 'web', state: 'superseded', reason: 'superseded by deployment bbbbbbbbb2'}]])
    expect([v2.status, v2.deployments]).to.deep.equal(['pending', [{type: 'web', state: 'succeeded', reason: null}, {type: 'worker', state: 'in-progress', reason: null}]])
  })

  it('lets aka local:deploy warn about ignored Procfile lines and a release with nothing to run', async () => {
    // local:deploy finds the platform by its state folder, as a user's does.
    const env = {AKKERIS_LOCAL_HOME: platform.home}
    const dir = join(platform.home, 'sources', 'nothing')
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, 'Procfile'), 'Web_Server: node web.js\n')
    const {stdout, stderr, exitCode} = await runCommand(['local:deploy', dir, '-a', 'shop-default', '--no-wait'], {env})
    expect([exitCode, stdout]).to.deep.equal([0, 'Released v1 of shop-default.\n'])
    expect(stderr).to.equal([
      'Warning: Procfile line 1 was ignored (a dyno type is letters and digits only, not "Web_Server"): Web_Server: node web.js',
      'Warning: v1 has nothing to run: no valid Procfile line (and, without a Procfile, no package.json start script).',
      '',
    ].join('\n'))
  })

  it('finds a release by id, vN or N, with its statuses', async () => {
    await deploy('hello', {Procfile: 'web: node web.js\n'})
    const [v1] = await releases()
    for (const ref of [v1.id, 'v1', '1']) {
      const reply = await platform.request('GET', `/apps/shop-default/releases/${ref}`)
      expect([reply.status, reply.json<Release>().id]).to.deep.equal([200, v1.id])
    }
    const statuses = (await platform.request('GET', `/apps/shop-default/releases/${v1.id}/statuses`)).json<ReleaseStatuses>()
    expect([statuses.state, statuses.release.id, statuses.statuses]).to.deep.equal(['success', v1.id, []])
    await expectError('GET', '/apps/shop-default/releases/v9', undefined, 404, 'The specified release v9 was not found.')
    await expectError('GET', '/apps/nope-default/releases/v1', undefined, 404, 'The specified application nope-default does not exist.')
  })

  it('answers a rollback request that is wrong with the controller\'s errors, and changes nothing', async () => {
    await deploy('hello', {Procfile: 'web: node web.js\n'})
    const [v1] = await releases()
    platform.runtime.calls.length = 0
    await expectError('POST', '/apps/shop-default/releases', {}, 422, 'The specified "slug" (or) "release" field was not provided.')
    await expectError('POST', '/apps/shop-default/releases', {release: v1.id, slug: v1.slug.id}, 422,
      'The specified request may only contain either a "slug" field for the build to deploy or the "release" field for the release to roll back to, not both.')
    await expectError('POST', '/apps/shop-default/releases', {release: '6c7f2a3e-0000-4000-8000-000000000000'}, 404,
      'The specified release 6c7f2a3e-0000-4000-8000-000000000000 was not found.')
    await expectError('POST', '/apps/shop-default/releases', {release: 3}, 404, 'The specified release 3 was not found.')
    expect((await releases()).length).to.equal(1)
    expect(platform.runtime.calls).to.deep.equal([])
  })

  it('releases a build again by its slug id with the current config vars', async () => {
    await deploy('hello', {Procfile: 'web: node web.js\n'})
    const [v1] = await releases()
    await platform.request('PATCH', '/apps/shop-default/config-vars', {A: '1'})
    const reply = await platform.request('POST', '/apps/shop-default/releases', {slug: v1.slug.id})
    expect([reply.status, reply.json<Release>().description, reply.json<Release>().slug.id]).to.deep.equal([201, 'Deploy of hello', v1.slug.id])
    expect(platform.platform.store.latestRelease(app.id)?.config).to.deep.equal({A: '1'})
  })

  it('lists builds as the controller does, each with its release', async () => {
    await deploy('hello', {Procfile: 'web: node web.js\n'})
    const [v1] = await releases()
    const builds = (await platform.request('GET', '/apps/shop-default/builds')).json<Build[]>()
    expect(builds.length).to.equal(1)
    expect(builds[0]).to.include({id: v1.slug.id, status: 'succeeded'})
    expect(builds[0].release).to.deep.equal({id: v1.id, version: 1})
    expect(builds[0].source_blob).to.include({url: '', commit: '', author: null})
    expect((await platform.request('GET', `/apps/shop-default/builds/${v1.slug.id}`)).json<Build>().id).to.equal(v1.slug.id)
    expect((await platform.request('GET', `/slugs/${v1.slug.id}`)).json<Build>().id).to.equal(v1.slug.id)
    await expectError('GET', '/apps/shop-default/builds/nope', undefined, 404, 'The specified build nope was not found.')
  })

  it('answers what aka 3.1.26 sends for releases, releases:info and releases:rollback as the controller does', async () => {
    await deploy('hello', {Procfile: 'web: node web.js\n'})
    recordDeployment('web', 'ccccccccc1', 'succeeded')
    await deploy('hello2', {Procfile: 'web: node web.js\n'})
    // `releases`: both lists in parallel; each release's build is found by slug.id, so no GET /slugs/{id} is needed.
    const [list, builds] = await Promise.all([releases(), platform.request('GET', '/apps/shop-default/builds').then(reply => reply.json<Build[]>())])
    expect(list.map(release => release.version)).to.deep.equal([1, 2])
    for (const release of list) {
      expect(Number.isInteger(release.version)).to.equal(true)
      expect(builds.filter(entry => entry.id === release.slug.id)).to.have.length(1)
      expect(Object.keys(release)).to.include.members(['app', 'created_at', 'description', 'slug', 'id', 'status', 'state', 'user', 'version', 'current'])
    }
    for (const entry of builds) expect(entry.source_blob).to.be.an('object')
    // `releases:info` (latest: the last element), then its statuses.
    const latest = list.at(-1) as Release
    const one = await platform.request('GET', `/apps/shop-default/releases/${latest.id}`)
    expect(one.json<Release>().id).to.equal(latest.id)
    const statuses = (await platform.request('GET', `/apps/shop-default/releases/${latest.id}/statuses`)).json<ReleaseStatuses>()
    expect(statuses.statuses).to.deep.equal([])
    // `releases:rollback` (previous: the element before the last), with the body the old CLI sends.
    const previous = list.at(-2) as Release
    const rollback = await platform.request('POST', '/apps/shop-default/releases', {release: previous.id, description: previous.description})
    expect(rollback.status).to.equal(201)
    expect((await releases()).at(-1)).to.include({version: 3, description: 'Rollback to v1'})
  })

  describe('no split truth: dynos of a type the latest release cannot run', () => {
    const refusal = 'The dyno type web cannot run: release v1 has no command for it (no Procfile line, and the formation has none); deploy a folder whose Procfile has a web line, or give web a command.'

    beforeEach(async () => {
      await deploy('worker-only', {Procfile: 'worker: node worker.js\n'})
      platform.runtime.calls.length = 0
    })

    it('refuses them on PATCH of one type and of the formation, and changes nothing', async () => {
      await expectError('PATCH', '/apps/shop-default/formation/web', {quantity: 1}, 422, refusal)
      await expectError('PATCH', '/apps/shop-default/formation', [{type: 'worker', quantity: 1}, {type: 'web', quantity: 2}], 422, refusal)
      const formation = platform.platform.store.formations(app.id).map(entry => [entry.type, entry.quantity])
      expect(formation).to.deep.equal([['web', 0], ['worker', 0]])
      expect(platform.runtime.calls).to.deep.equal([])
    })

    it('make aka ps:scale exit 2 before it sends the change, with the platform\'s meaning', async () => {
      const env = {AKKERIS_API_HOST: platform.platform.url, AKKERIS_AUTH_HOST: 'auth.invalid', API_TOKEN: platform.platform.token}
      const {stdout, stderr, exitCode} = await runCommand(['ps:scale', 'web=1', '-a', 'shop-default'], {env})
      expect([exitCode, stdout]).to.deep.equal([2, ''])
      expect(stderr).to.equal('Error: The dyno type web cannot run: release v1 has no command for it (no Procfile line, and the formation has none); ' +
        'deploy a folder whose Procfile has a web line, or give web a command with `aka ps:update web -c COMMAND`\n')
      expect(platform.platform.store.formations(app.id).map(entry => entry.quantity)).to.deep.equal([0, 0])
    })

    it('accepts them with a command, or for a type the release runs', async () => {
      expect((await platform.request('PATCH', '/apps/shop-default/formation/worker', {quantity: 1})).status).to.equal(200)
      expect((await platform.request('PATCH', '/apps/shop-default/formation/web', {quantity: 1, command: 'node web.js'})).status).to.equal(200)
    })

    it('refuses a rollback to a release without a command for a type that runs dynos', async () => {
      await platform.request('PATCH', '/apps/shop-default/formation/web', {quantity: 1, command: 'node web.js'})
      await deploy('clock-too', {Procfile: 'worker: node worker.js\nclock: node clock.js\n'})
      expect((await platform.request('PATCH', '/apps/shop-default/formation/clock', {quantity: 1})).status).to.equal(200)
      platform.runtime.calls.length = 0
      await expectError('POST', '/apps/shop-default/releases', {release: 'v1'}, 422,
        'v1 has no command for clock, which runs dynos: scale clock to 0 first, or give the type a command.')
      expect(platform.runtime.calls).to.deep.equal([])
      await platform.request('PATCH', '/apps/shop-default/formation/clock', {quantity: 0})
      // web keeps the formation's own command, so v1 can run it.
      expect((await platform.request('POST', '/apps/shop-default/releases', {release: 'v1'})).status).to.equal(201)
    })
  })
})
