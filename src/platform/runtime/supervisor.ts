// One app's dynos, and its reconcile step: observe (the store's desired state and deployment
// history, the runners' state), plan (a pure function), apply (start, stop, restart runners,
// record deployments). The step is idempotent and cheap: it runs on every process exit, readiness
// change, API change and timer tick, and only ever takes the next safe action.
import type {Dyno} from '../../api/types.js'
import type {PlatformStore} from '../contract.js'
import {dynoId, dynoName, type DynoSpec} from './deployment.js'
import {presentDyno} from './live-dyno.js'
import type {LogBook} from './logs.js'
import {DynoRunner, type RunnerContext} from './dyno-runner.js'
import {type Action, planApp, type TypeHistory} from './plan.js'

/** What every dyno runner of the runtime shares; the supervisor adds its app's log and wake. */
export type DynoServices = Omit<RunnerContext, 'changed' | 'log' | 'logLine'>

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

  constructor(readonly appId: string, private readonly ctx: SupervisorContext) {
    this.runnerContext = {...ctx.services, log: ctx.log, logLine: (dyno, text) => ctx.logs.write(appId, dyno, text), changed: ctx.wake}
  }

  /** One reconcile pass: observe, plan, apply, and return. */
  step(): void {
    const {store, services: {clock, timing}} = this.ctx
    const desired = store.desired(this.appId)
    const history: Record<string, TypeHistory> = {}
    for (const {type} of desired?.formations ?? []) {
      history[type] = {latest: store.latestDeployment(this.appId, type), lastSucceeded: store.lastSucceededDefinition(this.appId, type)}
    }
    const now = clock.now()
    const plan = planApp({appId: this.appId, desired, history, dynos: this.runners.map(runner => runner.observe()), now}, timing)
    for (const action of plan.actions) this.apply(action)
    this.updatePool()
    this.cancelWake()
    this.cancelWake = plan.wakeAt === undefined ? () => {} : clock.setTimeout(this.ctx.wake, plan.wakeAt - now)
  }

  private apply(action: Action): void {
    switch (action.kind) {
      case 'record': {
        const {deployment} = action
        this.ctx.store.recordDeployment(deployment)
        this.ctx.log(`${deployment.type} deployment ${deployment.id}: ${deployment.state}${deployment.reason ? ` (${deployment.reason})` : ''}`)
        break
      }
      case 'start': {
        const {definition} = action
        if (action.again) this.ctx.log(`${definition.type} runs deployment ${definition.hash} again (release v${definition.release.version}), the last that succeeded`)
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
    this.cancelWake()
    await Promise.all(this.runners.map(runner => this.stop(runner)))
  }

  /** Replaces one dyno: a new one starts, and this one leaves once the new one is ready. */
  replace(type: string, name: string): boolean {
    const runner = this.find(type, name)
    if (runner) runner.replace = true
    return runner !== undefined
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
      return runner.phase === 'up' && pgid !== undefined ? [{pgid, size: runner.spec.size, kill: (info: string) => runner.exceededMemory(info)}] : []
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
