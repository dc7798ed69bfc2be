// The runtime half of the local platform: one supervisor per app (its dynos), one router per app
// with a web type, the log book, and the loop that calls every app's reconcile step on events and
// on a timer. Implements the Runtime of contract.ts.
import type {LogOptions, PlatformStore, Runtime} from './contract.js'
import {LogBook} from './logs.js'
import {formatBytes, groupMemory} from './memory.js'
import {groupMembers, hasVariable} from './proc.js'
import {AppRouter} from './router.js'
import {AppSupervisor} from './supervisor.js'

export interface RuntimeOptions {
  /** The platform's own log (dyno events, deployments, router pool changes), one line at a time. */
  log: (line: string) => void
  /** Where routers listen and dyno ports are probed: 127.0.0.1. */
  host: string
  /** How long a new dyno of a deployment may take to become ready (default 60 s). */
  deadlineMs?: number
  /** Between SIGTERM and SIGKILL when a dyno stops (default 10 s). */
  stopGraceMs?: number
  /** Between timer-driven reconcile passes and memory samples (default 1 s). */
  tickMs?: number
}

interface AppRouting {
  router?: AppRouter
  opening?: Promise<void>
  backends: {id: string, port: number}[]
}

export function createRuntime(store: PlatformStore, options: RuntimeOptions): Runtime {
  const log = options.log
  const stopGraceMs = options.stopGraceMs ?? 10_000
  const logs = new LogBook()
  const ports = new Set<number>()
  const supervisors = new Map<string, AppSupervisor>()
  const routing = new Map<string, AppRouting>()
  const removed = new Set<string>()
  const pending = new Set<string>()
  let scheduled = false
  let stopped = false

  killOrphans(store, log)

  const routingOf = (appId: string): AppRouting => {
    let entry = routing.get(appId)
    if (!entry) {
      entry = {backends: []}
      routing.set(appId, entry)
    }
    return entry
  }

  const supervisor = (appId: string): AppSupervisor => {
    let found = supervisors.get(appId)
    if (!found) {
      const key = store.desired(appId)?.app.key ?? appId
      found = new AppSupervisor(appId, {
        appKey: key, store, logs, host: options.host, ports,
        log: line => log(`${key} ${line}`),
        deadlineMs: options.deadlineMs ?? 60_000,
        stopGraceMs,
        wake: () => wake(appId),
        pool: backends => {
          const entry = routingOf(appId)
          entry.backends = backends
          entry.router?.setBackends(backends)
        },
        // A request that outlasts the grace period (a stream) must not hold a rollout up for longer.
        drain: id => routing.get(appId)?.router?.drain(id, stopGraceMs) ?? Promise.resolve(),
      })
      supervisors.set(appId, found)
    }
    return found
  }

  const openRouter = (appId: string, key: string): void => {
    const entry = routingOf(appId)
    if (entry.router || entry.opening) return
    entry.opening = (async () => {
      const kept = store.routerPort(appId)
      let router = new AppRouter({app: key, port: kept ?? 0, host: options.host, log})
      let port: number
      try {
        port = await router.listen()
      } catch (error) {
        log(`${key} router: port ${kept} is taken (${(error as Error).message}); using another`)
        router = new AppRouter({app: key, port: 0, host: options.host, log})
        port = await router.listen()
      }
      if (stopped || removed.has(appId)) {
        await router.close()
        return
      }
      store.setRouterPort(appId, port)
      entry.router = router
      router.setBackends(entry.backends)
      log(`${key} router listening on http://${options.host}:${port}`)
    })().catch(error => log(`${key} router: ${(error as Error).message}`)).finally(() => {
      entry.opening = undefined
    })
  }

  const closeRouter = async (appId: string): Promise<void> => {
    const entry = routing.get(appId)
    routing.delete(appId)
    await entry?.opening
    await entry?.router?.close()
  }

  const stepApp = (appId: string): void => {
    if (stopped || removed.has(appId)) return
    try {
      const app = supervisor(appId)
      app.step()
      const desired = store.desired(appId)
      if (desired?.formations.some(formation => formation.type === 'web')) openRouter(appId, desired.app.key)
      else if (routing.get(appId)?.router) void closeRouter(appId)
    } catch (error) {
      log(`reconcile of app ${appId} failed: ${(error as Error).stack ?? error}`)
    }
  }

  const wake = (appId: string): void => {
    pending.add(appId)
    if (scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      const apps = [...pending]
      pending.clear()
      for (const appId of apps) stepApp(appId)
    })
  }

  const limits = new Map<string, number>()
  const sampleMemory = (): void => {
    const groups = [...supervisors.values()].flatMap(app => app.groups())
    const rss = groupMemory(groups.map(group => group.pgid))
    for (const group of groups) {
      let limit = limits.get(group.size)
      if (limit === undefined) {
        limit = store.memoryLimit(group.size)
        limits.set(group.size, limit)
      }
      const used = rss.get(group.pgid) ?? 0
      if (limit > 0 && used > limit) group.kill(`memory quota exceeded (${formatBytes(used)} used, limit ${formatBytes(limit)})`)
    }
  }

  const tick = (): void => {
    if (stopped) return
    try {
      sampleMemory()
      for (const app of store.apps()) wake(app.id)
      for (const appId of supervisors.keys()) wake(appId)
    } catch (error) {
      log(`runtime tick failed: ${(error as Error).message}`)
    }
  }
  const timer = setInterval(tick, options.tickMs ?? 1000)
  timer.unref()
  setImmediate(tick)

  return {
    changed(appId: string): void {
      wake(appId)
    },

    dynos(appId: string) {
      return supervisors.get(appId)?.dynos() ?? []
    },

    restart(appId: string, target?: {type: string, name?: string}): void {
      const app = supervisor(appId)
      if (target?.name) app.replace(target.type, target.name)
      else app.restartTypes(target ? [target.type] : (store.desired(appId)?.formations ?? []).map(formation => formation.type))
      wake(appId)
    },

    signal(appId: string, type: string, name: string, signal: number): boolean {
      return supervisors.get(appId)?.signal(type, name, signal) ?? false
    },

    logs(appId: string, logOptions: LogOptions, write: (line: string) => void, end?: () => void): () => void {
      return logs.read(appId, logOptions, write, end)
    },

    webUrl(appId: string): string | null {
      const port = store.routerPort(appId)
      const hasWeb = store.desired(appId)?.formations.some(formation => formation.type === 'web') ?? false
      return hasWeb && port !== undefined ? `http://${options.host}:${port}` : null
    },

    async removeApp(appId: string): Promise<void> {
      removed.add(appId)
      const app = supervisors.get(appId)
      supervisors.delete(appId)
      await Promise.all([app?.stopAll(), closeRouter(appId)])
      logs.forget(appId)
    },

    async stop(): Promise<void> {
      stopped = true
      clearInterval(timer)
      // The routers close first, ending their connections and drains: a shutdown waits for no request,
      // only for the dynos' grace period.
      await Promise.all([...routing.keys()].map(appId => closeRouter(appId)))
      const apps = [...supervisors.values()]
      await Promise.all(apps.map(app => app.stopAll()))
    },
  }
}

/**
 * After a `kill -9` of the platform its dynos live on: end every recorded group before anything
 * starts. A group is killed only while one of its processes still carries the dyno's `DYNO`
 * variable, since a recorded group id may since have been reused by something else.
 */
function killOrphans(store: PlatformStore, log: (line: string) => void): void {
  const records = store.processes()
  const members = groupMembers(records.map(record => record.pgid))
  for (const record of records) {
    const ours = (members.get(record.pgid) ?? []).some(pid => hasVariable(pid, `DYNO=${record.dyno}`))
    if (ours) {
      try {
        process.kill(-record.pgid, 'SIGKILL')
        log(`killed orphan ${record.dyno} (process group ${record.pgid}) of an earlier run`)
      } catch (error) {
        log(`could not kill orphan ${record.dyno} (process group ${record.pgid}): ${(error as Error).message}`)
      }
    }
    store.forgetProcess(record.pgid)
  }
}
