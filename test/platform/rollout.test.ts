// Rolling deployments end to end (issue 5): the real platform in this process, examples/hello's
// web dynos as real processes, and a steady load through the app's router while its definition
// changes. A good deployment replaces the old one without a failed request; a bad one never takes
// traffic from it.
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {App} from '../../src/api/types.js'
import {readLocalPlatform} from '../../src/config/local.js'
import type {ProcessRecord} from '../../src/platform/contract.js'
import {Store} from '../../src/platform/store/store.js'
import {platformMain} from '../helpers/built.js'
import {runCommand} from '../helpers/run.js'
import {
  answersAfter, build, copyApp, CRASH, deployApp, failedKeepingOld, HELLO, isAlive, type Load, type Platform,
  platformAt, processesOf, startLocalPlatform, steadyLoad, tempDir, until, webSettled,
} from './rollout-helpers.js'

/** Answers with its DYNO and GREETING; /health fails while HEALTHY_FILE names a missing file. */
const GATED_APP = fileURLToPath(new URL('fixtures/app', import.meta.url))

/** A hello web whose /health never passes: its dynos never become ready. */
const NEVER_HEALTHY = `import {createServer} from 'node:http'
createServer((request, response) => {
  response.writeHead(request.url === '/health' ? 503 : 200)
  response.end()
}).listen(Number(process.env.PORT), '127.0.0.1')
`

describe('rolling deployments through the router', function () {
  this.timeout(180_000)
  let home: string
  let work: string
  let platform: Platform | undefined
  let load: Load | undefined

  beforeEach(() => {
    home = tempDir('aka-rollout-')
    work = tempDir('aka-rollout-apps-')
  })

  afterEach(async () => {
    await load?.stop()
    load = undefined
    await platform?.stop()
    platform = undefined
    rmSync(home, {recursive: true, force: true})
    rmSync(work, {recursive: true, force: true})
  })

  async function helloAt(quantity: number, options: {deadlineMs?: number} = {}) {
    platform = await startLocalPlatform(home, options)
    const app = await deployApp(platform, 'roll', quantity, {GREETING: 'one'}, HELLO)
    const first = await webSettled(platform, app, quantity)
    const {web_url: url} = await platform.call<{web_url: string}>('GET', `/apps/${app}`)
    load = steadyLoad(url)
    // The router answers before the changes start: every later answer is part of the test.
    await answersAfter(load, first.at, 10)
    return {platform, app, first, load}
  }

  it('rolls web=3 to a config var change, a new release and a command change without a failed request', async () => {
    const {platform, app, first, load} = await helloAt(3)
    const second = copyApp(HELLO, join(work, 'hello-2'), dir => writeFileSync(join(dir, 'CHANGES'), 'release 2\n'))
    const changes: [string, () => Promise<unknown>, {greeting: string, release: number}][] = [
      // A config change is a release (v2) of the same build.
      ['a config var change', () => platform.call('PATCH', `/apps/${app}/config-vars`, {GREETING: 'two'}), {greeting: 'two', release: 2}],
      ['a new release', () => build(platform, app, second), {greeting: 'two', release: 3}],
      ['a command change', () => platform.call('PATCH', `/apps/${app}/formation/web`, {command: 'node web.js'}), {greeting: 'two', release: 3}],
    ]
    let previous = first
    for (const [what, change, expected] of changes) {
      await change()
      const next = await webSettled(platform, app, 3, previous.deployment)
      expect(next.deployment, what).to.not.equal(previous.deployment)
      const after = await answersAfter(load, next.at)
      const strays = after.filter(answer => !answer.dyno.startsWith(`web.${next.deployment}-`) || answer.greeting !== expected.greeting || answer.release !== expected.release)
      expect(strays, `answers after ${what} not from its deployment ${next.deployment}`).to.deep.equal([])
      expect(new Set(after.map(answer => answer.dyno)), what).to.deep.equal(new Set(next.dynos.map(dyno => `web.${dyno.name}`)))
      previous = next
    }
    await load.stop()
    expect(load.failures).to.deep.equal([])
  })

  for (const [what, release, reasonPattern] of [
    ['exits at start', () => CRASH, /^web\.[0-9a-f]{10}-[a-z0-9]{5} crashed \(exited with code 1\)$/],
    ['never becomes healthy', (dir: string) => copyApp(HELLO, join(dir, 'sick'), app => writeFileSync(join(app, 'web.js'), NEVER_HEALTHY)),
      /^web\.[0-9a-f]{10}-[a-z0-9]{5} was not ready within 2 s: health check \/health answered 503$/],
  ] as const) {
    it(`fails a release whose web ${what}: the old dynos keep serving, aka ps warns, aka ps:wait exits 1`, async () => {
      const {platform, app, first, load} = await helloAt(3, {deadlineMs: 2000})
      await build(platform, app, release(work))
      const failed = await failedKeepingOld(platform, app, first)
      expect(failed.reason).to.match(reasonPattern)
      const after = await answersAfter(load, failed.at)
      expect(after.filter(answer => !answer.dyno.startsWith(`web.${first.deployment}-`) || answer.release !== 1)).to.deep.equal([])
      await load.stop()
      expect(load.failures).to.deep.equal([])

      const ps = await platform.aka(['ps', '-a', app])
      expect([ps.exitCode, ps.stderr]).to.deep.equal([0, ''])
      expect(ps.stdout.split('\n').slice(-3)).to.deep.equal([
        `⚠  The deployment of v2 to web failed: ${failed.reason}. The dynos of v1 keep serving.`,
        `   \`aka logs -s platform -a ${app}\` shows what happened; \`aka releases:rollback -a ${app}\` goes back to the last release that succeeded.`,
        '',
      ])
      for (const dyno of first.dynos) expect(ps.stdout).to.match(new RegExp(`^web\\.${dyno.name} +running +yes +0 +v1 `, 'm'))
      const wait = await platform.aka(['ps:wait', '-a', app])
      expect(wait.exitCode).to.equal(1)
      expect(wait.stderr.split('\n').slice(-2)).to.deep.equal([
        `Error: The deployment of web on ${app} failed: ${failed.reason}; \`aka ps -a ${app}\` shows the dynos and \`aka logs -a ${app}\` their output`,
        '',
      ])
    })
  }

  it('ends at the second of two changes in quick succession', async () => {
    const {platform, app, first, load} = await helloAt(3)
    await platform.call('PATCH', `/apps/${app}/config-vars`, {GREETING: 'two'})
    const superseded = await until('the first change rolling', async () => {
      const current = await platform.call<{deployment: {id: string, state: string} | null}>('GET', `/apps/${app}`)
      return current.deployment?.id !== first.deployment && current.deployment?.state === 'in-progress' && current.deployment.id
    }, platform.events)
    await platform.call('PATCH', `/apps/${app}/config-vars`, {GREETING: 'three'})
    const final = await webSettled(platform, app, 3, superseded)
    expect(final.deployment).to.not.equal(first.deployment)
    const after = await answersAfter(load, final.at)
    expect(after.filter(answer => !answer.dyno.startsWith(`web.${final.deployment}-`) || answer.greeting !== 'three')).to.deep.equal([])
    await load.stop()
    expect(load.failures).to.deep.equal([])
    const config = await platform.call<Record<string, string>>('GET', `/apps/${app}/config-vars`)
    expect(config).to.deep.equal({GREETING: 'three'})
  })
})

describe('a platform killed with SIGKILL mid-rollout, then started again', function () {
  this.timeout(180_000)
  let home: string
  let child: ChildProcess | undefined
  let store: Store | undefined
  let platform: Platform | undefined
  let recorded: ProcessRecord[] = []

  beforeEach(() => {
    home = tempDir('aka-rollout-kill-')
    recorded = []
  })

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(resolve => child?.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    }
    child = undefined
    await platform?.stop()
    platform = undefined
    // Whatever a failed test left of the killed platform's dynos.
    for (const pgid of [...recorded, ...store?.processes() ?? []].map(record => record.pgid).filter(isAlive)) process.kill(-pgid, 'SIGKILL')
    store?.close()
    store = undefined
    rmSync(home, {recursive: true, force: true})
  })

  it('converges to the desired definition, leaves no orphan of the old run, and the router serves', async () => {
    const output: string[] = []
    child = spawn(process.execPath, [platformMain, '--port', '0'], {env: {...process.env, AKKERIS_LOCAL_HOME: home}, stdio: ['ignore', 'ignore', 'pipe']})
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    const record = await until('the platform in its own process', async () => readLocalPlatform({AKKERIS_LOCAL_HOME: home}), output)
    expect(record.pid).to.equal(child.pid)
    const first = platformAt(record.url, readFileSync(join(home, 'token'), 'utf8').trim(), output, async () => {})
    const app = (await first.call<App>('POST', '/apps', {name: 'phoenix'})).name
    await first.call('PATCH', `/apps/${app}/config-vars`, {GREETING: 'old'})
    await first.call('POST', `/apps/${app}/formation`, {type: 'web', quantity: 2, command: 'node web.js', healthcheck: '/health'})
    await build(first, app, GATED_APP)
    const old = await webSettled(first, app, 2)
    const {web_url: url} = await first.call<App>('GET', `/apps/${app}`)

    const healthy = join(home, 'healthy')
    await first.call('PATCH', `/apps/${app}/config-vars`, {GREETING: 'new', HEALTHY_FILE: healthy})
    store = new Store(join(home, 'platform.db'))
    const opened = store
    const rolling = await until('a new dyno of the rollout started', async () => {
      const deployment = opened.latestDeployment(old.dynos[0].app.id, 'web')
      return deployment?.id !== old.deployment && deployment?.state === 'in-progress' &&
        opened.processes().some(process => process.dyno.startsWith(`web.${deployment.id}-`)) && deployment.id
    }, output)
    recorded = opened.processes()
    const exited = new Promise(resolve => child?.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    expect(recorded.filter(process => isAlive(process.pgid)), 'the dynos outlive their platform').to.have.length(recorded.length)
    expect(processesOf(recorded.map(process => process.dyno))).to.have.length.of.at.least(recorded.length)

    writeFileSync(healthy, '')
    platform = await startLocalPlatform(home)
    const final = await webSettled(platform, app, 2, old.deployment)
    expect(final.deployment).to.equal(rolling)
    // Nothing of the old run runs any more; a killed group may linger as a zombie until init reaps it.
    expect(processesOf(recorded.map(process => process.dyno))).to.deep.equal([])
    await until('the old run\'s process groups reaped', async () => recorded.every(process => !isAlive(process.pgid)), platform.events)
    const webs = recorded.filter(process => process.dyno.startsWith('web.'))
    for (const web of webs) expect(platform.events).to.include(`killed orphan ${web.dyno} (process group ${web.pgid}) of an earlier run`)

    const current = await platform.call<App>('GET', `/apps/${app}`)
    expect(current.web_url).to.equal(url)
    const answers = await until('answers through the router', async () => {
      const replies = await Promise.all([1, 2, 3, 4].map(() => fetch(`${url}/`).then(response => response.json() as Promise<{dyno: string, greeting: string}>).catch(() => undefined)))
      return replies.every(Boolean) && replies as {dyno: string, greeting: string}[]
    }, platform.events)
    for (const answer of answers) {
      expect(answer.greeting).to.equal('new')
      expect(answer.dyno.startsWith(`web.${final.deployment}-`)).to.equal(true)
    }
  })
})

describe('aka local:start --deploy-timeout', function () {
  this.timeout(120_000)
  let home: string
  let work: string
  const env = () => ({AKKERIS_LOCAL_HOME: home})

  beforeEach(() => {
    home = tempDir('aka-deadline-')
    work = tempDir('aka-deadline-apps-')
  })

  afterEach(async () => {
    const record = readLocalPlatform(env())
    if (record) {
      await runCommand(['local:stop'], {env: env()})
      if (isAlive(record.pid)) process.kill(-record.pid, 'SIGKILL')
    }
    rmSync(home, {recursive: true, force: true})
    rmSync(work, {recursive: true, force: true})
  })

  it('fails a deployment whose new dyno is not ready within that many seconds', async () => {
    const started = await runCommand(['local:start', '--detach', '--port', '0', '--deploy-timeout', '5'], {env: env()})
    expect(started.exitCode, started.stderr).to.equal(0)
    const record = readLocalPlatform(env())
    expect(started.stdout).to.equal(`${record?.url}\n`)
    const platform = platformAt(record?.url ?? '', readFileSync(join(home, 'token'), 'utf8').trim(), [], async () => {})
    const sick = copyApp(HELLO, join(work, 'sick'), app => writeFileSync(join(app, 'web.js'), NEVER_HEALTHY))
    const app = await deployApp(platform, 'slow', 1, {}, sick)
    const failed = await until('the deployment to fail', async () => {
      const {deployment} = await platform.call<App>('GET', `/apps/${app}`)
      return deployment?.state === 'failed' && deployment
    })
    expect(failed.reason).to.match(/^web\.[0-9a-f]{10}-[a-z0-9]{5} was not ready within 5 s: .+$/)
  })

  it('refuses a deadline under 5 s (a worker is ready after 3 s up) before starting anything', async () => {
    const refused = await runCommand(['local:start', '--detach', '--port', '0', '--deploy-timeout', '4'], {env: env()})
    expect([refused.exitCode, refused.stdout]).to.deep.equal([2, ''])
    expect(refused.stderr).to.include('Expected an integer greater than or equal to 5 but received: 4')
    expect(readLocalPlatform(env())).to.equal(undefined)
  })
})
