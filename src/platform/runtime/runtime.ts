// The runtime half of the local platform, put together: one supervisor per app (its dynos), the
// routers, the log book, the scheduler that calls every app's reconcile step on events and on a
// timer, the memory sampler, and the orphan checks. Implements the Runtime of contract.ts.
import type {LogOptions, PlatformStore, Runtime} from '../contract.js'
import {oneOffSpec} from './deployment.js'
import {dynoEnv, DynoProcess, freePort} from './dyno-process.js'
import {probeOnce} from './health.js'
import {LogBook} from './logs.js'
import {procAvailable} from './proc.js'
import {MemorySampler} from './memory-sampler.js'
import {dynoMark, endOrphans, endRecordedGroups, sweepOrphans} from './orphans.js'
import {Routers} from './routers.js'
import {Scheduler} from './scheduler.js'
import {type Clock, DEFAULT_TIMING, type RuntimeTiming, systemClock} from './timing.js'
import {AppSupervisor, type DynoServices} from './supervisor.js'

export interface RuntimeOptions {
  /** The platform's own log (dyno events, deployments, router pool changes), one line at a time. */
  log: (line: string) => void
  /** Where routers listen and dyno ports are probed: 127.0.0.1. */
  host: string
  /** This state folder's id, the mark every dyno process carries: processes with it that no dyno here runs are ended. */
  platformId: string
  /** How long a new dyno of a deployment may take to become ready (default 60 s). */
  deadlineMs?: number
  /** Between SIGTERM and SIGKILL when a dyno stops (default 10 s). */
  stopGraceMs?: number
  /** Every other duration (probe timing, back-off, ticks); tests shorten them. */
  timing?: Partial<RuntimeTiming>
  clock?: Clock
}

export function createRuntime(store: PlatformStore, options: RuntimeOptions): Runtime {
  if (!procAvailable()) {
    throw new Error('the local platform runs on Linux only: it needs /proc to enforce memory limits and to find orphaned dyno processes')
  }
  const {log, host, platformId} = options
  const clock = options.clock ?? systemClock
  const timing: RuntimeTiming = {
    ...DEFAULT_TIMING,
    ...options.timing,
    ...(options.deadlineMs === undefined ? {} : {deadlineMs: options.deadlineMs}),
    ...(options.stopGraceMs === undefined ? {} : {stopGraceMs: options.stopGraceMs}),
  }
  const logs = new LogBook()
  const ports = new Set<number>()
  const supervisors = new Map<string, AppSupervisor>()
  const routers = new Routers(store, host, log)
  const removed = new Set<string>()
  const memory = new MemorySampler(store, log)

  const running = () => new Set([...supervisors.values()].flatMap(app => app.running()))
  let sweepQueued = false
  let cancelSweep: () => void = () => {}
  /** The sweep reading /proc now, if any; an exit meanwhile asks for another after it. */
  let sweeping: Promise<void> | undefined
  let sweepAgain = false
  /**
   * Shortly after a dyno process ends: its escaped children have its mark. One look at every
   * process's environment costs some milliseconds per hundred processes, so the exits of a
   * rollout or a scale-down share one.
   */
  const sweep = (): void => {
    if (sweeping) sweepAgain = true
    if (sweepQueued || sweeping) return
    sweepQueued = true
    cancelSweep = clock.setTimeout(() => {
      sweepQueued = false
      sweeping = sweepOrphans(platformId, running, log)
        .then(() => {}, (error: unknown) => log(`orphan check failed: ${(error as Error).message}`))
        .finally(() => {
          sweeping = undefined
          if (sweepAgain) {
            sweepAgain = false
            sweep()
          }
        })
    }, timing.orphanCheckDelayMs)
  }

  const services: DynoServices = {
    clock, timing, host,
    spawn: spawnOptions => new DynoProcess(spawnOptions),
    probe: probeOnce,
    reservePort: () => freePort(host, ports),
    releasePort: port => ports.delete(port),
    env: (dyno, port) => dynoEnv(dyno.spec.config, dyno.label, port, dyno.spec.release.version, dynoMark(platformId, dyno.id)),
    recordProcess: () => {},
    forgetProcess: pgid => store.forgetProcess(pgid),
    exited: sweep,
  }

  const supervisor = (appId: string): AppSupervisor => {
    let found = supervisors.get(appId)
    if (!found) {
      const key = store.desired(appId)?.app.key ?? appId
      found = new AppSupervisor(appId, {
        appKey: key, store, logs,
        log: line => log(`${key} ${line}`),
        services: {
          ...services,
          recordProcess: (dyno, pgid) => store.recordProcess({appId, dyno, pgid, started_at: new Date(clock.now()).toISOString()}),
        },
        wake: () => scheduler.wake(appId),
        pool: backends => routers.setBackends(appId, backends),
        // A request that outlasts the grace period (a stream) must not hold a rollout up for longer.
        drain: id => routers.drain(appId, id, timing.stopGraceMs),
      })
      supervisors.set(appId, found)
    }
    return found
  }

  const stepApp = (appId: string): void => {
    if (removed.has(appId)) return
    try {
      supervisor(appId).step()
      const desired = store.desired(appId)
      if (desired?.formations.some(formation => formation.type === 'web')) routers.open(appId, desired.app.key, () => removed.has(appId))
      else if (routers.has(appId)) routers.close(appId).catch((error: unknown) => log(`router of app ${appId}: ${(error as Error).message}`))
    } catch (error) {
      log(`reconcile of app ${appId} failed: ${(error as Error).stack ?? error}`)
    }
  }

  let sampledAt = Number.NEGATIVE_INFINITY
  let sampling = false
  const tick = (): void => {
    try {
      // A sample still reading /proc (thousands of processes) is not started again beside itself.
      if (!sampling && clock.now() - sampledAt >= timing.memorySampleMs) {
        sampledAt = clock.now()
        sampling = true
        void memory.sample([...supervisors.values()].flatMap(app => app.groups())).finally(() => {
          sampling = false
        })
      }
      for (const app of store.apps()) scheduler.wake(app.id)
      for (const appId of supervisors.keys()) scheduler.wake(appId)
    } catch (error) {
      log(`runtime tick failed: ${(error as Error).message}`)
    }
  }

  const scheduler = new Scheduler(stepApp, tick, timing.tickMs, clock)
  // Before anything starts: what an earlier run (or a lost database) left behind goes.
  endRecordedGroups(store, log)
  endOrphans(platformId, new Set(), log)
  scheduler.start()

  return {
    changed(appId: string): void {
      scheduler.wake(appId)
    },

    dynos(appId: string) {
      return supervisors.get(appId)?.dynos() ?? []
    },

    restart(appId: string, target?: {type: string, name?: string}): void {
      if (target?.name) supervisor(appId).replace(target.type, target.name)
      else store.requestRestart(appId, target ? [target.type] : (store.desired(appId)?.formations ?? []).map(formation => formation.type))
      scheduler.wake(appId)
    },

    signal(appId: string, type: string, name: string, signal: number): boolean {
      return supervisors.get(appId)?.signal(type, name, signal) ?? false
    },

    logs(appId: string, logOptions: LogOptions, write: (line: string) => void, end?: () => void): () => void {
      return logs.read(appId, logOptions, write, end)
    },

    runOneOff(appId, request) {
      const desired = removed.has(appId) ? undefined : store.desired(appId)
      const spec = desired && oneOffSpec(desired, request)
      return spec && supervisor(appId).runOneOff(spec, request.attach)
    },

    attach(appId, name, socket, head) {
      return supervisors.get(appId)?.attach(name, socket, head) ?? false
    },

    webUrl(appId: string): string | null {
      const port = store.routerPort(appId)
      const hasWeb = store.desired(appId)?.formations.some(formation => formation.type === 'web') ?? false
      return hasWeb && port !== undefined ? `http://${host}:${port}` : null
    },

    async removeApp(appId: string): Promise<void> {
      removed.add(appId)
      const app = supervisors.get(appId)
      supervisors.delete(appId)
      await Promise.all([app?.stopAll(), routers.close(appId)])
      logs.forget(appId)
    },

    async stop(): Promise<void> {
      scheduler.stop()
      // Its own check comes last, below; a later one could take a successor's dynos for orphans.
      sweepQueued = true
      sweepAgain = false
      cancelSweep()
      await sweeping
      // The routers close first, ending their connections and drains: a shutdown waits for no request,
      // only for the dynos' grace period.
      await routers.closeAll()
      await Promise.all([...supervisors.values()].map(app => app.stopAll()))
      endOrphans(platformId, running(), log)
    },
  }
}
