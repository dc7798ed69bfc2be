import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {Runtime} from '../../../src/platform/contract.js'
import {createRuntime} from '../../../src/platform/runtime/runtime.js'
import {Store} from '../../../src/platform/store/store.js'
import {FAST_TIMING, FIXTURE_APP, get, HOST, isAlive, settled, startPlatform, type TestPlatform, waitFor} from './helpers.js'

const CHILD = fileURLToPath(new URL('../fixtures/platform-child.ts', import.meta.url))

describe('runtime: after kill -9 of the platform', function () {
  this.timeout(90_000)
  let dir: string
  let store: Store
  let child: ChildProcess | undefined
  let runtime: Runtime | undefined
  let orphans: number[] = []
  let platformId: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aka-orphans-'))
    store = new Store(join(dir, 'platform.db'))
    platformId = randomUUID()
  })

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(resolve => child?.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    }
    await runtime?.stop()
    // Whatever a failed test left of the killed platform's dynos.
    const left = [...orphans, ...store.processes().map(record => record.pgid)]
    for (const pgid of left.filter(isAlive)) process.kill(-pgid, 'SIGKILL')
    store.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('kills the old run\'s dynos, finishes the rollout it was in, and serves on the same URL', async () => {
    const app = store.createApp('orphan', 'default', 'local')
    store.patchConfig(app.id, {GREETING: 'old'})
    store.insertFormation(app.id, {type: 'web', command: null, quantity: 2, size: 'gp1', port: 9000, healthcheck: '/health'})
    store.insertFormation(app.id, {type: 'worker', command: null, quantity: 1, size: 'gp1', port: null, healthcheck: null})
    store.insertRelease(app.id, {id: randomUUID(), slugDir: FIXTURE_APP, description: 'fixture', defaultCommands: {web: 'node web.js', worker: 'node worker.js'}}, `file://${FIXTURE_APP}`)

    const stderr: string[] = []
    const platform = spawn(process.execPath, ['--import', 'tsx', CHILD, join(dir, 'platform.db'), platformId], {stdio: ['ignore', 'ignore', 'pipe']})
    child = platform
    platform.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
    const first = await waitFor('the first deployment to succeed', () => {
      const deployment = store.latestDeployment(app.id, 'web')
      return deployment?.state === 'succeeded' && store.routerPort(app.id) !== undefined && deployment
    }, 30_000)
    const routerPort = store.routerPort(app.id)

    const healthy = join(dir, 'healthy')
    store.patchConfig(app.id, {GREETING: 'new', HEALTHY_FILE: healthy})
    await waitFor('a rollout under way', () => {
      const deployment = store.latestDeployment(app.id, 'web')
      return deployment?.id !== first.id && deployment?.state === 'in-progress' &&
        store.processes().some(record => record.dyno.startsWith(`web.${deployment.id}-`))
    }, 30_000)
    const recorded = store.processes()
    orphans = recorded.map(record => record.pgid)
    platform.kill('SIGKILL')
    await new Promise(resolve => platform.once('exit', resolve))
    child = undefined
    // Every web dyno was running when the platform died (a worker may already have been stopping).
    const webGroups = recorded.filter(record => record.dyno.startsWith('web.')).map(record => record.pgid)
    expect(webGroups.filter(isAlive), stderr.join('')).to.have.length(webGroups.length)

    const events: string[] = []
    runtime = createRuntime(store, {log: line => events.push(line), host: HOST, platformId, stopGraceMs: 3000, timing: FAST_TIMING})
    // The web dynos were all running; a worker may have been stopping (its group already ending) when the platform died.
    const webs = recorded.filter(record => record.dyno.startsWith('web.'))
    expect(webs).to.have.length(3)
    for (const web of webs) expect(events).to.include(`killed orphan ${web.dyno} (process group ${web.pgid}) of an earlier run`)
    await waitFor('no orphan left', () => orphans.every(pgid => !isAlive(pgid)))
    expect(store.processes().map(record => record.pgid).filter(pgid => orphans.includes(pgid))).to.deep.equal([])

    writeFileSync(healthy, '')
    const web = await waitFor('the web formation back', () => {
      const dynos = settled(runtime?.dynos(app.id).filter(dyno => dyno.type === 'web') ?? [], 2)
      const deployment = store.latestDeployment(app.id, 'web')
      return dynos && deployment?.state === 'succeeded' && dynos.every(dyno => dyno.deployment === deployment.id) && dynos
    }, 30_000)
    expect(web[0].deployment).to.not.equal(first.id)
    await waitFor('the worker back', () => settled(runtime?.dynos(app.id).filter(dyno => dyno.type === 'worker') ?? [], 1))
    expect(runtime.webUrl(app.id)).to.equal(`http://127.0.0.1:${routerPort}`)
    const answer = await waitFor('an answer on the same URL', async () => {
      const reply = await get(`http://127.0.0.1:${routerPort}/`).catch(() => undefined)
      return reply?.status === 200 && reply
    })
    expect(JSON.parse(answer.body)).to.include({greeting: 'new'})
  })

  it('ends the dynos of a run whose database was deleted, found by their mark', async () => {
    const app = store.createApp('lost', 'default', 'local')
    store.insertFormation(app.id, {type: 'web', command: null, quantity: 1, size: 'gp1', port: 9000, healthcheck: null})
    store.insertFormation(app.id, {type: 'worker', command: null, quantity: 1, size: 'gp1', port: null, healthcheck: null})
    store.insertRelease(app.id, {id: randomUUID(), slugDir: FIXTURE_APP, description: 'fixture', defaultCommands: {web: 'node web.js', worker: 'node worker.js'}}, `file://${FIXTURE_APP}`)
    const platform = spawn(process.execPath, ['--import', 'tsx', CHILD, join(dir, 'platform.db'), platformId], {stdio: 'ignore'})
    child = platform
    const groups = await waitFor('a web and a worker dyno', () => {
      const records = store.processes()
      return records.length === 2 && records.every(record => isAlive(record.pgid)) && records.map(record => record.pgid)
    }, 30_000)
    orphans = groups
    platform.kill('SIGKILL')
    await new Promise(resolve => platform.once('exit', resolve))
    child = undefined

    store.close()
    for (const file of ['platform.db', 'platform.db-wal', 'platform.db-shm']) rmSync(join(dir, file), {force: true})
    store = new Store(join(dir, 'platform.db'))
    const events: string[] = []
    runtime = createRuntime(store, {log: line => events.push(line), host: HOST, platformId, stopGraceMs: 3000, timing: FAST_TIMING})
    await waitFor('the old run\'s dynos ended', () => groups.every(pgid => !isAlive(pgid)))
    expect(events.filter(line => line.startsWith('killed orphan process'))).to.have.length.of.at.least(2)
  })
})

/** Pids of the processes whose command line is exactly `argv`. */
function processesRunning(argv: string[]): number[] {
  const wanted = argv.join('\0') + '\0'
  return readdirSync('/proc').filter(name => /^\d+$/.test(name)).flatMap(name => {
    try {
      return readFileSync(`/proc/${name}/cmdline`, 'latin1') === wanted ? [Number(name)] : []
    } catch {
      return []
    }
  })
}

describe('runtime: a dyno\'s child that leaves its process group (setsid)', function () {
  this.timeout(60_000)
  let platform: TestPlatform
  let sleep: string[]

  beforeEach(() => {
    // A duration no other process uses: the escaped child is found by its command line.
    sleep = ['sleep', `${300 + Math.floor(Math.random() * 600)}.${Date.now() % 1000}`]
  })

  afterEach(async () => {
    await platform.close()
    for (const pid of processesRunning(sleep)) process.kill(pid, 'SIGKILL')
  })

  async function escaped(): Promise<number> {
    platform = startPlatform()
    platform.formation('worker', {quantity: 1, command: `setsid ${sleep.join(' ')} & exec node worker.js`})
    platform.release()
    await waitFor('the worker running', () => settled(platform.dynos('worker'), 1))
    const [pid] = await waitFor('the escaped child', () => processesRunning(sleep).length === 1 && processesRunning(sleep))
    return pid
  }

  it('is ended when its dyno is scaled away', async () => {
    const pid = await escaped()
    platform.formation('worker', {quantity: 0})
    await waitFor('no worker', () => platform.dynos('worker').length === 0)
    await waitFor('the escaped child ended', () => !isProcessAlive(pid))
  })

  it('is ended when the platform stops', async () => {
    const pid = await escaped()
    await platform.close()
    expect(isProcessAlive(pid)).to.equal(false)
  })

  it('lives while its dyno runs', async () => {
    const pid = await escaped()
    // A few dyno exits elsewhere (a crashing web type) each look for orphans.
    platform.formation('web', {quantity: 1, command: 'exit 3'})
    await waitFor('a crash of the web dyno', () => platform.dynos('web')[0]?.restarts >= 1)
    expect(isProcessAlive(pid)).to.equal(true)
  })
})

/** Alive and not a zombie (a killed orphan waits for whoever adopted it to reap it). */
function isProcessAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}
