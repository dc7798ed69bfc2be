// One app's dynos, and its reconcile step: observe (the store's desired state and deployment
// history, the runners' state), plan (a pure function), apply (start, stop, restart runners,
// record deployments). The step is idempotent and cheap: it runs on every process exit, readiness
// change, API change and timer tick, and only ever takes the next safe action.
import type {Duplex} from 'node:stream'

import type {Dyno} from '../../api/types.js'
import type {DeploymentRecord, DesiredApp, PlatformStore} from '../contract.js'
import {dynoId, dynoName, type DynoSpec} from './deployment.js'
import {presentDyno} from './live-dyno.js'
import type {LogBook} from './logs.js'
import {ONEOFF_TYPE} from '../../domain/formation-rules.js'
import type {ProcessExit} from './dyno-process.js'
import {AttachSession} from './attach-session.js'
import {DynoRunner, type OneOffHooks, type RunnerContext} from './dyno-runner.js'
import {type Action, planApp, type TypeHistory} from './plan.js'
import {type ScheduleHost, stepSchedules} from './scheduled-types.js'

/** What every dyno runner of the runtime shares; the supervisor adds its app's log and wake. */
export type DynoServices = Omit<RunnerContext, 'changed' | 'log' | 'logLine' | 'event'>

export interface SupervisorContext {
  /** The app's key (`name-space`), as dynos name their app. */
  appKey: string
  store: PlatformStore
  logs: LogBook
  log: (line: string) => void
  services: DynoServices
  /** Asks for a step of this app soon (coalesced). */
  wake: () => void
  /** The app's ready web dynos changed. */
  pool: (backends: {id: string, port: number}[]) => void
  /** Takes a web dyno out of the router's pool; resolves when its requests in flight are done. */
  drain: (id: string) => Promise<void>
}

export class AppSupervisor {
  private readonly runners: DynoRunner[] = []
  private readonly runnerContext: RunnerContext
  private lastPool = ''
  private cancelWake: () => void = () => {}
  private oneOffCount = 0
  /** Attached one-offs waiting for their client: started when it attaches, removed when it does not. */
  private readonly waiting = new Map<string, {runner: DynoRunner, hooks: OneOffHooks, cancel: () => void}>()
  private readonly sessions = new Map<DynoRunner, AttachSession>()
  /** Runs of scheduled types: one-offs of a formation's type. */
  private readonly scheduledRuns = new Set<DynoRunner>()
  private stoppingAll = false
  private readonly scheduleHost: ScheduleHost

  constructor(readonly appId: string, private readonly ctx: SupervisorContext) {
    this.runnerContext = {...ctx.services, log: ctx.log, logLine: (dyno, text) => ctx.logs.write(appId, dyno, text),
      event: (dyno, text) => ctx.logs.write(appId, dyno, text, 'platform'),
      changed: ctx.wake,
    }
    this.scheduleHost = {
      store: ctx.store,
      log: ctx.log,
      event: (type, text) => this.event(type, text),
      running: type => [...this.scheduledRuns].find(runner => runner.spec.type === type)?.label,
      start: (spec, name, ended) => this.startScheduledRun(spec, name, ended),
    }
  }

  /** One reconcile pass: observe, plan, apply, and return. */
  step(): void {
    const {store, services: {clock, timing}} = this.ctx
    const desired = store.desired(this.appId)
    // Scheduled types run no dynos of their own between ticks: they are no deployment's.
    const continuous = desired && {...desired, formations: desired.formations.filter(formation => formation.schedule === null)}
    const history: Record<string, TypeHistory> = {}
    for (const {type} of continuous?.formations ?? []) {
      history[type] = {latest: store.latestDeployment(this.appId, type), lastSucceeded: store.lastSucceededDefinition(this.appId, type)}
    }
    const now = clock.now()
    const plan = planApp({appId: this.appId, desired: continuous, history, dynos: this.runners.map(runner => runner.observe()), now}, timing)
    for (const action of plan.actions) this.apply(action, desired)
    this.stopUnscheduledRuns(desired)
    const tickAt = stepSchedules(desired, now, this.scheduleHost)
    this.updatePool()
    this.cancelWake()
    const wakeAt = Math.min(plan.wakeAt ?? Number.POSITIVE_INFINITY, tickAt ?? Number.POSITIVE_INFINITY)
    this.cancelWake = Number.isFinite(wakeAt) ? clock.setTimeout(this.ctx.wake, Math.max(0, wakeAt - now)) : () => {}
  }

  /** A run of a type that is gone, or no longer scheduled, stops as the type's dynos would. */
  private stopUnscheduledRuns(desired: DesiredApp | undefined): void {
    for (const runner of this.scheduledRuns) {
      const formation = desired?.formations.find(candidate => candidate.type === runner.spec.type)
      if (!formation?.schedule && runner.phase !== 'stopping') {
        this.ctx.log(`${runner.label}: its type is no longer scheduled, stopping it`)
        this.stopOneOff(runner)
      }
    }
  }

  private recordRunEnd(runner: DynoRunner, record: () => void): void {
    try {
      record()
    } catch (error) {
      // A store that cannot write (a full disk) loses this record, not the platform.
      this.ctx.log(`${runner.label}: could not record its end: ${(error as Error).message}`)
    }
  }

  private startScheduledRun(spec: DynoSpec, name: string, ended: Parameters<ScheduleHost['start']>[2]): void {
    const {clock} = this.ctx.services
    const hooks: OneOffHooks = {
      ended: exit => {
        this.scheduledRuns.delete(runner)
        if (!this.stoppingAll) this.recordRunEnd(runner, () => ended({endedAt: clock.now(), exitCode: exit.error ? 127 : exit.code, signal: exit.signal}))
        this.oneOffEnded(runner, exit)
      },
    }
    const runner = new DynoRunner(dynoId(`${this.appId}/${spec.type}.${name}/${clock.now()}`), name, spec, this.runnerContext, hooks)
    this.runners.push(runner)
    this.scheduledRuns.add(runner)
    runner.start()
  }

  private apply(action: Action, desired: DesiredApp | undefined): void {
    switch (action.kind) {
      case 'record': {
        const {deployment} = action
        this.ctx.store.recordDeployment(deployment)
        this.ctx.log(`${deployment.type} deployment ${deployment.id}: ${deployment.state}${deployment.reason ? ` (${deployment.reason})` : ''}`)
        this.deploymentEvent(deployment, desired)
        break
      }
      case 'start': {
        const {definition} = action
        if (action.again) {
          this.ctx.log(`${definition.type} runs deployment ${definition.hash} again (release v${definition.release.version}), the last that succeeded`)
          this.event(definition.type, `Starting release v${definition.release.version} again, the last that deployed successfully`)
        }
        this.create(definition)
        break
      }
      case 'stop': {
        const runner = this.runners.find(candidate => candidate.id === action.dyno)
        if (runner) this.stop(runner).catch((error: unknown) => this.ctx.log(`${runner.label} stop failed: ${(error as Error).message}`))
        break
      }
      case 'restart':
        this.runners.find(candidate => candidate.id === action.dyno)?.restart()
        break
    }
  }

  /** A deployment's start and end in the app's log stream, as `platform[type]`; a rollback says so. */
  private deploymentEvent(deployment: DeploymentRecord, desired: DesiredApp | undefined): void {
    // A type scaled to 0 deploys nothing a person would want told.
    if (desired?.formations.find(formation => formation.type === deployment.type)?.quantity === 0) return
    const {definition} = deployment
    const superseded = deployment.reason?.startsWith('superseded by') === true
    const release = definition
      ? (desired?.release?.id === definition.release.id ? desired.release : {version: definition.release.version, description: ''})
      : (superseded ? undefined : desired?.release ?? undefined)
    const rollback = release?.description.startsWith('Rollback to') === true
    const what = !release ? `Deployment ${deployment.id}`
      : rollback ? `${release.description} (release v${release.version})`
        : `Deployment of release v${release.version}${release.description ? ` (${release.description})` : ''}`
    const text = deployment.state === 'in-progress' ? `${what} started`
      : deployment.state === 'succeeded' ? `${what} succeeded`
        : `${what} failed: ${deployment.reason ?? 'no reason recorded'}`
    this.event(deployment.type, text)
  }

  private event(dyno: string, text: string): void {
    this.ctx.logs.write(this.appId, dyno, text, 'platform')
  }

  private create(spec: DynoSpec): void {
    let name = dynoName(spec.hash)
    while (this.runners.some(runner => runner.name === name)) name = dynoName(spec.hash)
    const runner = new DynoRunner(dynoId(name), name, spec, this.runnerContext)
    this.runners.push(runner)
    runner.start()
  }

  /** Drains, stops, and forgets the dyno once its processes are gone. Never rejects. */
  private async stop(runner: DynoRunner): Promise<void> {
    const stopped = runner.stop(() => this.ctx.drain(runner.label))
    this.updatePool()
    await stopped
    const index = this.runners.indexOf(runner)
    if (index >= 0) this.runners.splice(index, 1)
    this.ctx.wake()
  }

  async stopAll(): Promise<void> {
    // Runs the platform ends are interrupted, not failed: their end is not recorded, as after a kill -9.
    this.stoppingAll = true
    this.cancelWake()
    for (const {cancel} of this.waiting.values()) cancel()
    this.waiting.clear()
    await Promise.all(this.runners.map(runner => this.stop(runner)))
  }

  /** Replaces one dyno: a new one starts, and this one leaves once the new one is ready. */
  replace(type: string, name: string): boolean {
    const runner = this.find(type, name)
    if (runner?.oneoff) this.stopOneOff(runner)
    else if (runner) runner.replace = true
    return runner !== undefined
  }

  /**
   * A one-off dyno (`run.N`) of this spec: started now, or, attached, once its client attaches
   * (its first output must not be lost). It never joins a deployment and never restarts.
   */
  runOneOff(spec: DynoSpec, attached: boolean): Dyno {
    const {clock, timing} = this.ctx.services
    const name = String(++this.oneOffCount)
    const hooks: OneOffHooks = {ended: exit => this.oneOffEnded(runner, exit)}
    const runner = new DynoRunner(dynoId(`${this.appId}/${ONEOFF_TYPE}.${name}/${clock.now()}`), name, spec, this.runnerContext, hooks)
    this.runners.push(runner)
    if (attached) {
      const cancel = clock.setTimeout(() => {
        if (!this.waiting.delete(name)) return
        this.ctx.log(`${runner.label} removed: no client attached within ${timing.attachTimeoutMs} ms`)
        this.stopOneOff(runner)
      }, timing.attachTimeoutMs)
      this.waiting.set(name, {runner, hooks, cancel})
    } else {
      runner.start()
    }
    return presentDyno(runner, {id: this.appId, name: this.ctx.appKey}, clock.now(), timing.startingWindowMs)
  }

  /** The client of a waiting attached one-off: the dyno starts with its stdin, stdout and stderr on `socket`. */
  attach(name: string, socket: Duplex, head: Buffer): boolean {
    const waiting = this.waiting.get(name)
    if (!waiting) return false
    this.waiting.delete(name)
    waiting.cancel()
    const {runner, hooks} = waiting
    const session = new AttachSession(socket, {
      signal: signal => runner.signal(signal),
      abandoned: () => {
        this.ctx.log(`${runner.label}: its client left, stopping it`)
        this.stopOneOff(runner)
      },
    }, head)
    hooks.attach = io => session.wire(io)
    this.sessions.set(runner, session)
    runner.start()
    return true
  }

  private stopOneOff(runner: DynoRunner): void {
    const waiting = this.waiting.get(runner.name)
    if (waiting?.runner === runner) {
      waiting.cancel()
      this.waiting.delete(runner.name)
    }
    this.stop(runner).catch((error: unknown) => this.ctx.log(`${runner.label} stop failed: ${(error as Error).message}`))
  }

  private oneOffEnded(runner: DynoRunner, exit: ProcessExit): void {
    const how = exit.error ? `could not start: ${exit.error.message}` : exit.signal ? `was killed by ${exit.signal}` : `exited with status ${exit.code}`
    this.ctx.log(`${runner.label} ${how}`)
    // A command the shell could not even start ends like one it cannot find.
    this.sessions.get(runner)?.end({code: exit.error ? 127 : exit.code, signal: exit.signal}, exit.error ? `${runner.label} could not start: ${exit.error.message}` : undefined)
    this.sessions.delete(runner)
    const index = this.runners.indexOf(runner)
    if (index >= 0) this.runners.splice(index, 1)
    this.ctx.wake()
  }

  /** False when there is no such dyno; a dyno waiting to restart has no process to reach. */
  signal(type: string, name: string, signal: number): boolean {
    const runner = this.find(type, name)
    runner?.signal(signal)
    return runner !== undefined
  }

  /** Process groups of running dynos, for the memory sampler. */
  groups(): {pgid: number, size: string, kill: (info: string) => void}[] {
    return this.runners.flatMap(runner => {
      const {pgid} = runner
      // By the time the sample is read the dyno may have restarted: only its same group is killed.
      const kill = (info: string) => {
        if (runner.pgid === pgid) runner.exceededMemory(info)
      }
      return runner.phase === 'up' && pgid !== undefined ? [{pgid, size: runner.spec.size, kill}] : []
    })
  }

  /** Ids of the dynos with a process running: the processes that carry them are the platform's. */
  running(): string[] {
    return this.runners.flatMap(runner => runner.pgid === undefined ? [] : [runner.id])
  }

  dynos(): Dyno[] {
    const now = this.ctx.services.clock.now()
    return [...this.runners]
      .sort((a, b) => a.spec.type.localeCompare(b.spec.type) || a.createdAt - b.createdAt)
      .map(runner => presentDyno(runner, {id: this.appId, name: this.ctx.appKey}, now, this.ctx.services.timing.startingWindowMs))
  }

  private find(type: string, name: string): DynoRunner | undefined {
    return this.runners.find(runner => runner.spec.type === type && runner.name === name && runner.phase !== 'stopping')
  }

  private updatePool(): void {
    const backends = this.runners
      .filter(runner => runner.spec.type === 'web' && runner.phase === 'up' && runner.ready && runner.port !== null)
      .map(runner => ({id: runner.label, port: runner.port as number}))
    const key = JSON.stringify(backends)
    if (key === this.lastPool) return
    this.lastPool = key
    this.ctx.pool(backends)
  }
}
