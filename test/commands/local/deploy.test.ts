import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {App, Build, DeploymentStatus, Release} from '../../../src/api/types.js'
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

function release(overrides: Partial<Release> = {}): Release {
  return {
    app: {id: 'a-shop-default', name: 'shop-default'}, created_at: '2026-11-02T09:30:00Z', description: 'Deploy of my app', slug: {id: 'b-3'},
    id: 'r-3', status: 'pending', state: 'success', user: {id: 'u', email: ''}, version: 3, current: false,
    process_types: {web: 'node web.js'}, ...overrides,
  }
}

const LOCAL_URL = 'http://127.0.0.1:5999'

/** The local platform, which local:deploy talks to with its own token whatever else is configured. */
function local(): nock.Scope {
  return nock(LOCAL_URL, {reqheaders: {authorization: 'Bearer local-token-1'}})
}

describe('aka local:deploy', () => {
  blockNetwork()
  let root: string
  let appDir: string
  let url: string
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
    url = pathToFileURL(appDir).href
  })

  afterEach(() => rmSync(root, {recursive: true, force: true}))

  /** The requests of a deploy that returns at once: the build, then its release and the formation. */
  function released(overrides: Partial<Release> = {}, formations = [web]) {
    return local().post('/apps/shop-default/builds', {url}).reply(201, build())
      .get('/apps/shop-default/releases/r-3').reply(200, release(overrides))
      .get('/apps/shop-default/formation').reply(200, formations)
  }

  describe('--no-wait', () => {
    it('sends the folder as an absolute file URL and prints the release', async () => {
      released()
      const {stdout, stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--no-wait'], {env})
      expect([exitCode, stderr, stdout]).to.deep.equal([0, '', 'Released v3 of shop-default.\n'])
      expect(url).to.match(/^file:\/\/\/.*\/my%20app$/)
    })

    it('resolves a relative folder against the current one, and takes the current folder by default', async () => {
      released()
      const relativeRun = await runCommand(['local:deploy', relative(process.cwd(), appDir), '-a', 'shop-default', '--no-wait'], {env})
      expect(relativeRun.stdout).to.equal('Released v3 of shop-default.\n')
      const cwd = process.cwd()
      process.chdir(appDir)
      try {
        released()
        const here = await runCommand(['local:deploy', '-a', 'shop-default', '--no-wait'], {env})
        expect(here.stdout).to.equal('Released v3 of shop-default.\n')
      } finally {
        process.chdir(cwd)
      }
    })

    it('shows its progress on a terminal', async () => {
      released()
      const {stderr} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--no-wait'], {env, tty: true})
      expect(stderr).to.equal(`Deploying ${appDir} to ⬢ shop-default... done\n`)
    })

    it('prints the release with --json', async () => {
      released()
      const {stdout} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--no-wait', '--json'], {env})
      expect(JSON.parse(stdout)).to.deep.equal(release())
    })

    it('names each Procfile line the platform ignores', async () => {
      writeFileSync(join(appDir, 'Procfile'), '# types\nweb: node web.js\nBad_Type: nope\n\njust words\nrun: node once.js\n')
      released()
      const {stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--no-wait'], {env})
      expect(exitCode).to.equal(0)
      expect(stderr).to.equal([
        'Warning: Procfile line 3 was ignored (a dyno type is letters and digits only, not "Bad_Type"): Bad_Type: nope',
        'Warning: Procfile line 5 was ignored (not TYPE: COMMAND): just words',
        'Warning: Procfile line 6 was ignored (the type run is reserved for one-off dynos (aka run)): run: node once.js',
        '',
      ].join('\n'))
    })

    it('warns when the release has nothing to run, and when no dyno type runs', async () => {
      released({process_types: {}})
      const empty = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--no-wait'], {env})
      expect(empty.stderr).to.equal('Warning: v3 has nothing to run: no valid Procfile line (and, without a Procfile, no package.json start script).\n')
      released({process_types: {worker: 'node worker.js'}}, [{...web, quantity: 0}, formation({type: 'worker', quantity: 0})])
      const idle = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--no-wait'], {env})
      expect(idle.stderr).to.equal('Warning: No dyno of shop-default runs v3: every dyno type is at 0; `aka ps:scale worker=1 -a shop-default` starts one.\n')
    })

    it('says how a build without a release stands', async () => {
      local().post('/apps/shop-default/builds', {url}).reply(201, build({status: 'pending', release: null}))
      const {stdout} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--no-wait'], {env})
      expect(stdout).to.equal('Build b-3 of shop-default is pending.\n')
    })

    it('exits 1 when the build failed', async () => {
      local().post('/apps/shop-default/builds', {url}).reply(201, build({status: 'failed', release: null}))
      const {stdout, stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--no-wait'], {env})
      expect([exitCode, stdout]).to.deep.equal([1, ''])
      expect(stderr).to.equal(`Error: The deployment of ${appDir} to shop-default failed; see \`aka logs -a shop-default\`\n`)
    })

    it("shows the server's refusal in one line and exits 1", async () => {
      local().post('/apps/nope-default/builds', {url}).reply(404, 'The specified application nope-default does not exist.', {'content-type': 'text/plain'})
      const {stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'nope-default', '--no-wait'], {env})
      expect(exitCode).to.equal(1)
      expect(stderr).to.equal('Error: The specified application nope-default does not exist. (HTTP 404)\n')
    })
  })

  it('refuses a folder that does not exist, or a file, sending nothing', async () => {
    const missing = join(root, 'missing')
    const gone = await runCommand(['local:deploy', missing, '-a', 'shop-default'], {env})
    expect([gone.exitCode, gone.stdout, gone.stderr]).to.deep.equal([2, '', `Error: ${missing} does not exist; give the folder of the app to deploy\n`])
    const file = join(appDir, 'Procfile')
    const notDir = await runCommand(['local:deploy', file, '-a', 'shop-default'], {env})
    expect([notDir.exitCode, notDir.stderr]).to.deep.equal([2, `Error: ${file} is not a directory; give the folder of the app to deploy\n`])
  })

  it('refuses --timeout with --no-wait, sending nothing', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--no-wait', '--timeout', '5'], {env})
    expect([exitCode, stdout]).to.deep.equal([2, ''])
    expect(stderr).to.equal('Error: --timeout needs --wait; see `aka local:deploy --help`\n')
  })

  describe('waits by default', () => {
    function deployThen(after: {dynos: unknown[], deployment: DeploymentStatus}) {
      return local().get('/apps/shop-default/dynos').reply(200, [oldWeb])
        .get('/apps/shop-default').reply(200, appWith(deployment('aaaaaaaaaa', 'succeeded')))
        .post('/apps/shop-default/builds', {url}).reply(201, build())
        .get('/apps/shop-default/releases/r-3').reply(200, release())
        .get('/apps/shop-default/formation').reply(200, [web])
        .get('/apps/shop-default/formation').reply(200, [web])
        .get('/apps/shop-default/dynos').reply(200, after.dynos)
        .get('/apps/shop-default').reply(200, appWith(after.deployment))
    }

    it('until every dyno that ran before is replaced by a running, ready one', async () => {
      deployThen({dynos: [newWeb], deployment: deployment('bbbbbbbbbb', 'succeeded')})
      const {stdout, stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default'], {env})
      expect(exitCode).to.equal(0)
      expect(stdout).to.equal('Released v3 of shop-default.\nshop-default is ready: web 1/1.\n')
      expect(stderr).to.equal('Waiting for shop-default: web 1/1\n')
    })

    it('and with --json prints the release as it stands once running', async () => {
      deployThen({dynos: [newWeb], deployment: deployment('bbbbbbbbbb', 'succeeded')})
        .get('/apps/shop-default/releases/r-3').reply(200, release({status: 'succeeded', current: true}))
      const {stdout, stderr} = await runCommand(['local:deploy', appDir, '-a', 'shop-default', '--json'], {env})
      expect(JSON.parse(stdout)).to.include({status: 'succeeded', current: true, version: 3})
      expect(stderr).to.equal('Waiting for shop-default: web 1/1\nshop-default is ready: web 1/1.\n')
    })

    it('exits 1 with the reason when the new dynos fail', async () => {
      deployThen({dynos: [oldWeb, {...newWeb, state: 'app-crashed', ready: false}], deployment: deployment('bbbbbbbbbb', 'failed', 'web.bbbbbbbbbb-new22 crashed (exited with code 1)')})
      const {stdout, stderr, exitCode} = await runCommand(['local:deploy', appDir, '-a', 'shop-default'], {env})
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('Released v3 of shop-default.\n')
      expect(stderr).to.equal([
        'Waiting for shop-default: web 0/1 ready (1 old)',
        'Error: The deployment of web on shop-default failed: web.bbbbbbbbbb-new22 crashed (exited with code 1); `aka ps -a shop-default` shows the dynos and `aka logs -a shop-default` their output',
        '',
      ].join('\n'))
    })
  })
})
