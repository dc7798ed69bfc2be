// One app's actual state (its dynos as processes, in memory) and the step that moves it toward
// the desired state in the store. The step is idempotent and cheap: it runs on every process exit,
// readiness change, API change and timer tick, and only ever takes the next safe action.
import type {Dyno} from '../api/types.js'
import type {DeploymentRecord, PlatformStore} from './contract.js'
import {dynoId, dynoName, dynoSpec, type DynoSpec} from './deployment.js'
import {dynoEnv, DynoProcess, freePort, type ProcessExit} from './dyno-process.js'
import {Prober} from './health.js'
import {label, type LiveDyno, presentDyno} from './live-dyno.js'
import type {LogBook} from './logs.js'
import {planType, type ObservedDyno} from './reconcile.js'

export interface SupervisorContext {
  /** The app's key (`name-space`), as dynos name their app. */
  appKey: string
  store: PlatformStore
  logs: LogBook
  log: (line: string) => void
  host: string
  deadlineMs: number
  stopGraceMs: number
  /** Ports handed to running web dynos, shared by all apps. */
  ports: Set<number>
  /** Asks for a step of this app soon (coalesced). */
  wake: () => void
  /** The app's ready web dynos changed. */
  pool: (backends: {id: string, port: number}[]) => void
  /** Takes a web dyno out of the router's pool; resolves when its requests in flight are done. */
  drain: (id: string) => Promise<void>
}

/** What one type's step works toward: the desired definition's hash, and its spec unless it cannot run. */
interface TypeTarget {
  type: string
  hash: string
  spec?: DynoSpec
  /** Why the definition cannot run (no command for the type). */
  unrunnable?: string
}

/** One start of a dyno's process. */
interface Run {
  pgid?: number
  abandoned: boolean
}

export const BACKOFF_START_MS = 1000
export const BACKOFF_MAX_MS = 5 * 60_000
/** A dyno up this long has its back-off forgotten (as the kubelet does). */
const BACKOFF_RESET_MS = 10 * 60_000
/** An exit this early with the shell's "cannot run" codes is a start failure, not a crash. */
const START_FAILURE_WINDOW_MS = 1000

export class AppSupervisor {
  private readonly dynoList: LiveDyno[] = []
  private readonly restartTokens = new Map<string, string>()
  private lastPool = ''

  constructor(readonly appId: string, private readonly ctx: SupervisorContext) {}

  get empty(): boolean {
    return this.dynoList.length === 0
  }

  /** One reconcile pass: compare the store's desired state with the dynos, act, and return. */
  step(now = Date.now()): void {
    const desired = this.ctx.store.desired(this.appId)
    const wanted = new Set<string>()
    for (const formation of desired?.formations ?? []) {
      if (!desired) break
      const spec = dynoSpec(desired, formation, this.restartTokens.get(formation.type))
      if (!('missing' in spec)) {
        wanted.add(formation.type)
        this.stepType({type: spec.type, hash: spec.hash, spec}, formation.quantity, now)
      } else if (spec.hash !== undefined && formation.quantity > 0) {
        // A release without a command for a running type is a deployment of it that fails: its old dynos stay.
        wanted.add(formation.type)
        this.stepType({type: formation.type, hash: spec.hash, unrunnable: spec.missing}, formation.quantity, now)
      }
    }
    for (const dyno of this.dynoList) {
      if (!wanted.has(dyno.spec.type)) void this.stop(dyno)
    }
    for (const dyno of this.dynoList) {
      if ((dyno.phase === 'crashed' || dyno.phase === 'start-failure') && dyno.retryAt <= now) {
        dyno.restarts++
        this.start(dyno)
      }
    }
    this.updatePool()
  }

  private stepType(target: TypeTarget, quantity: number, now: number): void {
    const {store} = this.ctx
    const {type, hash, spec} = target
    const dynos = this.dynoList.filter(dyno => dyno.spec.type === type && dyno.phase !== 'stopping')
    const latest = store.latestDeployment(this.appId, type)
    // With no old dyno in memory (a restart of the platform), the last good definition is in the store.
    const settled = latest?.id === hash && latest.state === 'succeeded'
    const recorded = settled || dynos.some(dyno => dyno.spec.hash !== hash) ? undefined : store.lastSucceededDefinition(this.appId, type)
    const fallback = recorded?.hash === hash ? undefined : recorded
    const plan = planType({
      quantity,
      hash,
      deployment: latest,
      dynos: dynos.map(dyno => this.observe(dyno)),
      now,
      deadlineMs: this.ctx.deadlineMs,
      unrunnable: target.unrunnable,
      fallback: fallback !== undefined,
    })
    let current = latest
    for (const change of plan.record) {
      const same = current?.id === change.id ? current : undefined
      const record: DeploymentRecord = {
        ...change,
        appId: this.appId,
        type,
        created_at: same ? same.created_at : new Date(now).toISOString(),
        updated_at: new Date(now).toISOString(),
        ...(change.id === hash && spec ? {definition: spec} : {}),
      }
      store.recordDeployment(record)
      this.ctx.log(`${type} deployment ${change.id}: ${change.state}${change.reason ? ` (${change.reason})` : ''}`)
      if (change.id === hash) current = record
    }
    for (const id of plan.stop) {
      const dyno = this.dynoList.find(candidate => candidate.id === id)
      if (dyno) void this.stop(dyno)
    }
    for (let i = 0; i < plan.start && spec; i++) this.create(spec, now)
    const template = (dynos.find(dyno => dyno.spec.hash !== hash && dyno.ready) ?? dynos.find(dyno => dyno.spec.hash !== hash))?.spec ?? fallback
    if (plan.startOld > 0 && template && !dynos.some(dyno => dyno.spec.hash === template.hash)) {
      this.ctx.log(`${type} runs deployment ${template.hash} again (release v${template.release.version}), the last that succeeded`)
    }
    for (let i = 0; i < plan.startOld && template; i++) this.create(template, now)
  }

  private observe(dyno: LiveDyno): ObservedDyno {
    const failure = dyno.phase === 'crashed' ? `crashed (${dyno.info})`
      : dyno.phase === 'start-failure' ? `failed to start (${dyno.info})` : null
    return {id: dyno.id, label: label(dyno), hash: dyno.spec.hash, createdAt: dyno.createdAt, ready: dyno.ready, failure, replace: dyno.replace}
  }

  private create(spec: DynoSpec, now: number): void {
    let name = dynoName(spec.hash)
    while (this.dynoList.some(dyno => dyno.name === name)) name = dynoName(spec.hash)
    const dyno: LiveDyno = {
      id: dynoId(name), name, spec, createdAt: now, startedAt: now, phase: 'pending', ready: false, everReady: false,
      restarts: 0, crashes: 0, retryAt: 0, info: '', replace: false, port: null,
    }
    this.dynoList.push(dyno)
    this.start(dyno)
  }

  private start(dyno: LiveDyno): void {
    this.launch(dyno).catch(error => {
      this.ctx.log(`${label(dyno)} could not be started: ${(error as Error).message}`)
      if (dyno.phase !== 'stopping' && !dyno.process?.running) this.failedToStart(dyno, {code: null, signal: null, error: error as Error})
    })
  }

  private async launch(dyno: LiveDyno): Promise<void> {
    dyno.phase = 'pending'
    dyno.everReady = false
    dyno.memoryExceeded = undefined
    let port: number | null = null
    if (dyno.spec.type === 'web') {
      port = await freePort(this.ctx.host, this.ctx.ports)
      if (dyno.phase !== 'pending') return
      this.ctx.ports.add(port)
    }
    dyno.port = port
    dyno.startedAt = Date.now()
    dyno.phase = 'up'
    dyno.info = ''
    const name = label(dyno)
    const run: Run = {abandoned: false}
    try {
      dyno.process = new DynoProcess({
        command: dyno.spec.command,
        cwd: dyno.spec.cwd,
        env: dynoEnv(dyno.spec.config, name, port, dyno.spec.release.version),
        record: pgid => {
          run.pgid = pgid
          this.ctx.store.recordProcess({appId: this.appId, dyno: name, pgid, started_at: new Date().toISOString()})
        },
        onLine: text => this.ctx.logs.write(this.appId, name, text),
        onExit: exit => this.exited(dyno, run, exit),
      })
    } catch (error) {
      // The process is killed at its gate; start() reports the error, its exit must not count twice.
      run.abandoned = true
      throw error
    }
    // With "is ready" below, the platform's log tells each dyno's own start-to-ready time.
    this.ctx.log(`${name} started${port === null ? '' : ` on port ${port}`}`)
    dyno.prober = new Prober({host: this.ctx.host, port, healthcheck: dyno.spec.healthcheck}, (ready, problem) => {
      dyno.ready = ready
      if (ready) dyno.everReady = true
      if (problem) dyno.info = problem
      this.ctx.log(`${name} ${ready ? 'is ready' : 'is not ready'}${problem ? `: ${problem}` : ''}`)
      this.ctx.wake()
    })
  }

  private exited(dyno: LiveDyno, run: Run, exit: ProcessExit): void {
    if (run.pgid !== undefined) this.ctx.store.forgetProcess(run.pgid)
    if (dyno.port !== null) this.ctx.ports.delete(dyno.port)
    if (run.abandoned) return
    dyno.prober?.cancel()
    dyno.ready = false
    if (dyno.phase === 'stopping') return
    const uptime = Date.now() - dyno.startedAt
    if (exit.error || ((exit.code === 126 || exit.code === 127) && uptime < START_FAILURE_WINDOW_MS)) {
      this.failedToStart(dyno, exit)
      return
    }
    dyno.phase = 'crashed'
    dyno.info = dyno.memoryExceeded ?? (exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`)
    this.backOff(dyno, uptime)
  }

  private failedToStart(dyno: LiveDyno, exit: ProcessExit): void {
    dyno.phase = 'start-failure'
    dyno.info = exit.error ? exit.error.message : `the command could not run (exit ${exit.code})`
    this.backOff(dyno, 0)
  }

  private backOff(dyno: LiveDyno, uptime: number): void {
    if (uptime >= BACKOFF_RESET_MS) dyno.crashes = 0
    const delay = Math.min(BACKOFF_START_MS * 2 ** dyno.crashes, BACKOFF_MAX_MS)
    dyno.crashes++
    dyno.retryAt = Date.now() + delay
    setTimeout(this.ctx.wake, delay).unref()
    this.ctx.log(`${label(dyno)} ${dyno.phase === 'crashed' ? 'crashed' : 'failed to start'}: ${dyno.info}; restarting in ${Math.round(delay / 1000)} s`)
    this.ctx.wake()
  }

  /** Leaves the pool, then SIGTERM and the grace period; the dyno is gone once its processes are. */
  async stop(dyno: LiveDyno): Promise<void> {
    if (dyno.phase === 'stopping') return
    const wasServing = dyno.ready && dyno.spec.type === 'web'
    dyno.phase = 'stopping'
    dyno.prober?.cancel()
    dyno.ready = false
    const draining = wasServing ? this.ctx.drain(label(dyno)) : Promise.resolve()
    this.updatePool()
    // The next step no longer counts this dyno (the rollout it ends may be complete): take it now, not at the next tick.
    this.ctx.wake()
    await draining
    await dyno.process?.stop(this.ctx.stopGraceMs)
    const index = this.dynoList.indexOf(dyno)
    if (index >= 0) this.dynoList.splice(index, 1)
    this.ctx.log(`${label(dyno)} stopped`)
    this.ctx.wake()
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.dynoList.map(dyno => this.stop(dyno)))
  }

  /** Rolling restart: a new restart token changes the types' hashes, so each rolls like any deployment. */
  restartTypes(types: string[]): void {
    const token = new Date().toISOString()
    for (const type of types) this.restartTokens.set(type, token)
  }

  /** Replaces one dyno: a new one starts, and this one leaves once the new one is ready. */
  replace(type: string, name: string): boolean {
    const dyno = this.find(type, name)
    if (!dyno) return false
    dyno.replace = true
    return true
  }

  /** False when there is no such dyno; a dyno waiting to restart has no process to reach. */
  signal(type: string, name: string, signal: number): boolean {
    const dyno = this.find(type, name)
    if (!dyno) return false
    if (dyno.process?.running) dyno.process.signalGroup(signal)
    return true
  }

  /** Process groups of running dynos, for the memory sampler. */
  groups(): {pgid: number, size: string, kill: (info: string) => void}[] {
    return this.dynoList.flatMap(dyno => dyno.phase === 'up' && dyno.process?.running && dyno.process.pgid !== undefined
      ? [{pgid: dyno.process.pgid, size: dyno.spec.size, kill: (info: string) => {
        dyno.memoryExceeded = info
        this.ctx.log(`${label(dyno)}: ${info}`)
        dyno.process?.signalGroup('SIGKILL')
      }}]
      : [])
  }

  dynos(now = Date.now()): Dyno[] {
    return [...this.dynoList]
      .sort((a, b) => a.spec.type.localeCompare(b.spec.type) || a.createdAt - b.createdAt)
      .map(dyno => presentDyno(dyno, {id: this.appId, name: this.ctx.appKey}, now))
  }

  private find(type: string, name: string): LiveDyno | undefined {
    return this.dynoList.find(dyno => dyno.spec.type === type && dyno.name === name && dyno.phase !== 'stopping')
  }

  private updatePool(): void {
    const backends = this.dynoList
      .filter(dyno => dyno.spec.type === 'web' && dyno.phase === 'up' && dyno.ready && dyno.port !== null)
      .map(dyno => ({id: label(dyno), port: dyno.port as number}))
    const key = JSON.stringify(backends)
    if (key === this.lastPool) return
    this.lastPool = key
    this.ctx.pool(backends)
  }
}
