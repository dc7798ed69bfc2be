// Stored data that cannot run never prevents a start (issue 9, defects 1 and 11): a database written
// by an older version holds a healthcheck http.request refuses, a config value with NUL and a command
// beyond the argument limit. The platform, in its own process, starts, stays up and serves; each bad
// definition's deployment fails with the rule's reason (never the value); a good app runs.
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'

import type {App, Dyno} from '../../src/api/types.js'
import {readLocalPlatform} from '../../src/config/local.js'
import {Store} from '../../src/platform/store/store.js'
import {runCommand} from '../helpers/run.js'
import {tempDir, until} from './rollout-helpers.js'
import {FIXTURE_APP} from './runtime/helpers.js'
import {platformMain} from '../helpers/built.js'

const SECRET = 'hunter2'

interface AppState {
  deployment: {type: string, state: string, reason: string | null} | null
}

describe('a platform whose database holds definitions that cannot run', function () {
  this.timeout(120_000)
  let home: string
  let child: ChildProcess | undefined
  const output: string[] = []

  beforeEach(() => {
    home = tempDir('aka-bad-store-')
    output.length = 0
  })

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(resolve => child?.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    child = undefined
    rmSync(home, {recursive: true, force: true})
  })

  /** Apps as an older version could have stored them, each with a first release of the fixture app. */
  function writeOldDatabase(): void {
    const store = new Store(join(home, 'platform.db'))
    const app = (name: string) => {
      const record = store.createApp(name, 'default', 'local')
      store.insertRelease(record.id, {id: randomUUID(), slugDir: FIXTURE_APP, description: 'old', defaultCommands: {web: 'node web.js', worker: 'node worker.js'}}, 'file:///old')
      return record.id
    }
    const web = (appId: string, healthcheck: string | null) => store.insertFormation(appId, {type: 'web', command: null, quantity: 1, size: 'gp1', port: 9000, healthcheck})
    const worker = (appId: string, command: string | null) => store.insertFormation(appId, {type: 'worker', command, quantity: 1, size: 'gp1', port: null, healthcheck: null})
    web(app('badpath'), '/health check')
    const nul = app('nulconfig')
    worker(nul, null)
    store.patchConfig(nul, {DB_PASSWORD: `${SECRET}\0`})
    worker(app('hugecommand'), `node worker.js ${'x'.repeat(130 * 1024)}`)
    worker(app('good'), null)
    store.close()
  }

  it('starts, stays up, fails only the bad deployments with their reason, and runs the good app', async () => {
    writeOldDatabase()
    child = spawn(process.execPath, [platformMain, '--port', '0'], {env: {...process.env, AKKERIS_LOCAL_HOME: home}, stdio: ['ignore', 'ignore', 'pipe']})
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    const exit = new Promise<string>(resolve => child?.once('exit', (code, signal) => resolve(`the platform exited (${code ?? signal})`)))
    const record = await until('the platform listening', async () => readLocalPlatform({AKKERIS_LOCAL_HOME: home}), output)
    const token = readFileSync(join(home, 'token'), 'utf8').trim()
    const get = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${record.url}${path}`, {headers: {authorization: `Bearer ${token}`}})
      expect(response.status, path).to.equal(200)
      return await response.json() as T
    }
    const failed = async (app: string) => {
      const state = await get<AppState>(`/apps/${app}-default`)
      return state.deployment?.state === 'failed' && state.deployment
    }
    // Started is enough for the good worker (it counts as running after 3 s up): its process runs.
    const settled = until('every bad deployment failed and the good worker started', async () => {
      const bad = await Promise.all(['badpath', 'nulconfig', 'hugecommand'].map(failed))
      const good = await get<Dyno[]>('/apps/good-default/dynos')
      return bad.every(Boolean) && good.some(dyno => dyno.type === 'worker' && ['starting', 'running'].includes(dyno.state)) && bad
    }, output)
    const result = await Promise.race([settled, exit])
    expect(result, output.join('')).to.be.an('array')
    const [badPath, nulConfig, hugeCommand] = result as {type: string, reason: string}[]
    expect(badPath).to.include({type: 'web', reason: 'it cannot run: The healthcheck specified was invalid, it must be a path of visible ASCII characters without spaces (percent-encode any other, e.g. %20).'})
    expect(nulConfig.reason).to.equal('it cannot run: The value of the config var DB_PASSWORD is invalid, it cannot contain a NUL character.')
    expect(hugeCommand.reason).to.equal('it cannot run: The command specified was invalid, it must be at most 130048 bytes long.')

    // Still up a while later (the old probe crashed it within 0.1 s of the web dyno's start), and the value never shown.
    await new Promise(resolve => setTimeout(resolve, 1000))
    expect(child.exitCode, output.join('')).to.equal(null)
    expect((await get<App[]>('/apps')).map(app => app.name).sort()).to.deep.equal(['badpath-default', 'good-default', 'hugecommand-default', 'nulconfig-default'])
    // The same values sent now are refused before they are stored: by the CLI (exit 2) and by the API (422).
    const aka = await runCommand(['ps:update', 'web', '-h', '/health check', '-a', 'good-default'], {env: {AKKERIS_API_HOST: record.url, AKKERIS_AUTH_HOST: 'x', API_TOKEN: token}})
    expect([aka.exitCode, aka.stderr]).to.deep.equal([2, 'Error: The healthcheck specified was invalid, it must be a path of visible ASCII characters without spaces (percent-encode any other, e.g. %20).\n'])
    const patch = await fetch(`${record.url}/apps/good-default/formation/web`, {method: 'PATCH', headers: {authorization: `Bearer ${token}`}, body: JSON.stringify({healthcheck: '/health check'})})
    expect(patch.status).to.equal(422)
    const shown = JSON.stringify(await Promise.all(['badpath', 'nulconfig', 'hugecommand', 'good'].map(app => get(`/apps/${app}-default/dynos`))))
    expect(shown + output.join('')).not.to.include(SECRET)
  })
})
