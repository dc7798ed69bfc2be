import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {Runtime} from '../../../src/platform/contract.js'
import {createRuntime} from '../../../src/platform/runtime.js'
import {Store} from '../../../src/platform/store.js'
import {FIXTURE_APP, get, HOST, isAlive, settled, waitFor} from './helpers.js'

const CHILD = fileURLToPath(new URL('../fixtures/platform-child.ts', import.meta.url))

describe('runtime: after kill -9 of the platform', function () {
  this.timeout(90_000)
  let dir: string
  let store: Store
  let child: ChildProcess | undefined
  let runtime: Runtime | undefined
  let orphans: number[] = []

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aka-orphans-'))
    store = new Store(join(dir, 'platform.db'))
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
    const platform = spawn(process.execPath, ['--import', 'tsx', CHILD, join(dir, 'platform.db')], {stdio: ['ignore', 'ignore', 'pipe']})
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
    expect(orphans.filter(isAlive), stderr.join('')).to.have.length(orphans.length)

    const events: string[] = []
    runtime = createRuntime(store, {log: line => events.push(line), host: HOST, stopGraceMs: 3000})
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
})
