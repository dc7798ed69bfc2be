import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {App, Build, DeploymentStatus} from '../../../src/api/types.js'
import nock from 'nock'

import {apiEnv, blockNetwork} from '../../helpers/api.js'
import {dyno, formation} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'

function build(overrides: Partial<Build> = {}): Build {
  return {
    id: 'b-3',
    app: {id: 'a-shop-default', name: 'shop-default'},
    status: 'succeeded',
    release: {id: 'r-3', version: 3},
    created_at: '2026-11-02T09:30:00Z',
    updated_at: '2026-11-02T09:30:01Z',
    ...overrides,
  }
}

/** GET /apps/{app} as the local platform answers it, reduced to what a wait reads. */
function appWith(deployment: DeploymentStatus | null): Partial<App> {
  return {id: 'a-shop-default', name: 'shop-default', deployment}
}

function deployment(id: string, state: DeploymentStatus['state'], reason: string | null = null): DeploymentStatus {
  return {id, state, reason, created_at: '2026-11-02T09:30:00Z', updated_at: '2026-11-02T09:30:05Z'}
}

const oldWeb = dyno({type: 'web', name: 'aaaaaaaaaa-old11'})
const newWeb = dyno({type: 'web', name: 'bbbbbbbbbb-new22', release: {id: 'r-3', version: 3}})
const web = formation({type: 'web'})

const LOCAL_URL = 'http://127.0.0.1:5999'

/** The local platform, which local:deploy talks to with its own token whatever else is configured. */
function local(): nock.Scope {
  return nock(LOCAL_URL, {reqheaders: {authorization: 'Bearer local-token-1'}})
}

describe('aka local:deploy', () => {
  blockNetwork()
  let root: string
  let appDir: string
  let env: Record<string, string>

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'aka-deploy-'))
    const state = join(root, 'local')
    mkdirSync(state)
    writeFileSync(join(state, 'platform.json'), JSON.stringify({pid: process.pid, port: 5999, url: LOCAL_URL, started_at: '2026-11-26T10:00:00Z'}))
    writeFileSync(join(state, 'token'), 'local-token-1\n')
    // Another Akkeris and its token are configured too: local:deploy ignores both.
    env = {...apiEnv, AKKERIS_LOCAL_HOME: state}
    appDir = join(root, 'my app')
    mkdirSync(appDir)
    writeFileSync(join(appDir, 'Procfile'), 'web: node web.js\n')
  })

  afterEach(() => rmSync(root, {recursive: true, force: true}))

  it('sends the folder as an absolute file URL and prints the release', async () => {
    local().post('/apps/shop-default/builds', {url: pathToFileURL(appDir).href}).reply(201, build())
    const {stdout, stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default'], {env})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('Released v3 of shop-default.\n')
    expect(pathToFileURL(appDir).href).to.match(/^file:\/\/\/.*\/my%20app$/)
  })

  it('resolves a relative folder against the current one', async () => {
    local().post('/apps/shop-default/builds', {url: pathToFileURL(appDir).href}).reply(201, build())
    const {stdout} = await runCommand(['local:deploy', relative(process.cwd(), appDir), '-a', 'shop-default'], {env})
    expect(stdout).to.equal('Released v3 of shop-default.\n')
  })

  it('deploys the current folder when none is given', async () => {
    const cwd = process.cwd()
    process.chdir(appDir)
    try {
      local().post('/apps/shop-default/builds', {url: pathToFileURL(appDir).href}).reply(201, build())
      const {stdout} = await runCommand(['local:deploy', '-a', 'shop-default'], {env})
      expect(stdout).to.equal('Released v3 of shop-default.\n')
    } finally {
      process.chdir(cwd)
    }
  })

  it('shows its progress on a terminal', async () => {
    local().post('/apps/shop-default/builds', {url: pathToFileURL(appDir).href}).reply(201, build())
    const {stderr} = await runCommand(['local:deploy', appDir, '-a', 'shop-default'], {env, tty: true})
    expect(stderr).to.equal(`Deploying ${appDir} to ⬢ shop-default... done\n`)
  })

  it('says how a build without a release stands', async () => {
    local().post('/apps/shop-default/builds', {url: pathToFileURL(appDir).href}).reply(201, build({status: 'pending', release: null}))
    const {stdout} = await runCommand(['local:deploy', appDir, '-a', 'shop-default'], {env})
    expect(stdout).to.equal('Build b-3 of shop-default is pending.\n')
  })

  it('exits 1 when the build failed', async () => {
    local().post('/apps/shop-default/builds', {url: pathToFileURL(appDir).href}).reply(201, build({status: 'failed', release: null}))
    const {stdout, stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default'], {env})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal(`Error: The deployment of ${appDir} to shop-default failed; see \`aka logs -a shop-default\`\n`)
  })

  it('refuses a folder that does not exist, sending nothing', async () => {
    const missing = join(root, 'missing')
    const {stdout, stderr, exitCode} = await runCommand(['local:deploy', missing, '-a', 'shop-default'], {env})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal(`Error: ${missing} does not exist; give the folder of the app to deploy\n`)
  })

  it('refuses a file, sending nothing', async () => {
    const file = join(appDir, 'Procfile')
    const {stderr, exitCode} = await runCommand(['local:deploy', file, '-a', 'shop-default'], {env})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal(`Error: ${file} is not a directory; give the folder of the app to deploy\n`)
  })

  it("shows the server's refusal in one line and exits 1", async () => {
    local().post('/apps/nope-default/builds', {url: pathToFileURL(appDir).href}).reply(404, 'The specified application nope-default does not exist.', {'content-type': 'text/plain'})
    const {stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'nope-default'], {env})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: The specified application nope-default does not exist. (HTTP 404)\n')
  })

  describe('--wait', () => {
    it('waits until every dyno that ran before is replaced by a running, ready one', async () => {
      local().get('/apps/shop-default/dynos').reply(200, [oldWeb])
        .get('/apps/shop-default').reply(200, appWith(deployment('aaaaaaaaaa', 'succeeded')))
        .post('/apps/shop-default/builds', {url: pathToFileURL(appDir).href}).reply(201, build())
        .get('/apps/shop-default/formation').reply(200, [web])
        .get('/apps/shop-default/formation').reply(200, [web])
        .get('/apps/shop-default/dynos').reply(200, [newWeb])
        .get('/apps/shop-default').reply(200, appWith(deployment('bbbbbbbbbb', 'succeeded')))
      const {stdout, stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--wait'], {env})
      expect(exitCode).to.equal(0)
      expect(stdout).to.equal('Released v3 of shop-default.\nshop-default is ready: web 1/1.\n')
      expect(stderr).to.equal('Waiting for shop-default: web 1/1\n')
    })

    it('exits 1 with the reason when the new dynos fail', async () => {
      local().get('/apps/shop-default/dynos').reply(200, [oldWeb])
        .get('/apps/shop-default').reply(200, appWith(deployment('aaaaaaaaaa', 'succeeded')))
        .post('/apps/shop-default/builds', {url: pathToFileURL(appDir).href}).reply(201, build())
        .get('/apps/shop-default/formation').reply(200, [web])
        .get('/apps/shop-default/formation').reply(200, [web])
        .get('/apps/shop-default/dynos').reply(200, [oldWeb, {...newWeb, state: 'app-crashed', ready: false}])
        .get('/apps/shop-default').reply(200, appWith(deployment('bbbbbbbbbb', 'failed', 'web.bbbbbbbbbb-new22 crashed (exited with code 1)')))
      const {stdout, stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--wait'], {env})
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('Released v3 of shop-default.\n')
      expect(stderr).to.equal([
        'Waiting for shop-default: web 0/1 ready (1 old)',
        'Error: The deployment of web on shop-default failed: web.bbbbbbbbbb-new22 crashed (exited with code 1); `aka ps -a shop-default` shows the dynos and `aka logs -a shop-default` their output',
        '',
      ].join('\n'))
    })

    it('refuses --timeout without --wait, sending nothing', async () => {
      const {stdout, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--timeout', '5'], {env})
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
    })
  })
})
