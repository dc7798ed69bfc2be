// Each app with a web dyno type has one router, on a port kept across restarts of the platform
// (the store's), fed with the app's ready web dynos.
import type {PlatformStore} from '../contract.js'
import {AppRouter} from '../router/router.js'

type Backend = {id: string, port: number}

interface AppRouting {
  router?: AppRouter
  opening?: Promise<void>
  backends: Backend[]
}

export class Routers {
  private readonly routing = new Map<string, AppRouting>()
  private closed = false

  constructor(private readonly store: PlatformStore, private readonly host: string, private readonly log: (line: string) => void) {}

  /** The app's ready web dynos, now or once its router listens. */
  setBackends(appId: string, backends: Backend[]): void {
    const entry = this.entry(appId)
    entry.backends = backends
    entry.router?.setBackends(backends)
  }

  /** Takes a web dyno out of the pool; resolves when its requests are done, after `timeoutMs` at most. */
  drain(appId: string, id: string, timeoutMs: number): Promise<void> {
    return this.routing.get(appId)?.router?.drain(id, timeoutMs) ?? Promise.resolve()
  }

  has(appId: string): boolean {
    return this.routing.get(appId)?.router !== undefined
  }

  /** Opens the app's router unless it is open or opening; failures are logged, never thrown. */
  open(appId: string, key: string, gone: () => boolean): void {
    const entry = this.entry(appId)
    if (entry.router || entry.opening || this.closed) return
    entry.opening = this.listen(entry, appId, key, gone)
      .catch((error: unknown) => this.log(`${key} router: ${(error as Error).message}`))
      .finally(() => {
        entry.opening = undefined
      })
  }

  async close(appId: string): Promise<void> {
    const entry = this.routing.get(appId)
    this.routing.delete(appId)
    await entry?.opening
    await entry?.router?.close()
  }

  async closeAll(): Promise<void> {
    this.closed = true
    await Promise.all([...this.routing.keys()].map(appId => this.close(appId)))
  }

  private async listen(entry: AppRouting, appId: string, key: string, gone: () => boolean): Promise<void> {
    const kept = this.store.routerPort(appId)
    let router = new AppRouter({app: key, port: kept ?? 0, host: this.host, log: this.log})
    let port: number
    try {
      port = await router.listen()
    } catch (error) {
      this.log(`${key} router: port ${kept} is taken (${(error as Error).message}); using another`)
      router = new AppRouter({app: key, port: 0, host: this.host, log: this.log})
      port = await router.listen()
    }
    if (this.closed || gone()) {
      await router.close()
      return
    }
    this.store.setRouterPort(appId, port)
    entry.router = router
    router.setBackends(entry.backends)
    this.log(`${key} router listening on http://${this.host}:${port}`)
  }

  private entry(appId: string): AppRouting {
    let entry = this.routing.get(appId)
    if (!entry) {
      entry = {backends: []}
      this.routing.set(appId, entry)
    }
    return entry
  }
}
