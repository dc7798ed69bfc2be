// The router's view of an app's web dynos: the ready pool it balances across, and the requests in
// flight on every backend, including backends that already left the pool and still finish theirs.
import http from 'node:http'

export interface Backend {
  /** The dyno's `type.name`. */
  id: string
  /** Its port on 127.0.0.1. */
  port: number
}

interface Activity {
  backend: Backend
  inFlight: number
  /** One keep-alive agent per backend, so its idle sockets can be closed when it goes. */
  agent: http.Agent
  /** Drains waiting for in-flight to reach zero. */
  idle: Set<() => void>
}

export interface Lease {
  backend: Backend
  agent: http.Agent
  /** Ends this request's hold on the backend; later calls do nothing. */
  release(): void
}

export class BackendPool {
  private members: Backend[] = []
  private cursor = 0
  private readonly activity = new Map<string, Activity>()

  constructor(private readonly log: (line: string) => void) {}

  replace(backends: Backend[]): void {
    const incoming = new Set(backends.map(backend => backend.id))
    const current = new Set(this.members.map(backend => backend.id))
    for (const backend of backends) {
      if (!current.has(backend.id)) this.log(`${backend.id} (port ${backend.port}) joined the pool`)
      const known = this.activity.get(backend.id)
      if (known) known.backend = backend
    }
    const leaving = this.members.filter(backend => !incoming.has(backend.id))
    this.members = [...backends]
    for (const backend of leaving) this.departed(backend.id)
  }

  /** Removes a backend from the pool now; resolves when its in-flight requests are done or after timeoutMs. */
  drain(id: string, timeoutMs: number): Promise<void> {
    if (this.members.some(backend => backend.id === id)) {
      this.members = this.members.filter(backend => backend.id !== id)
      this.departed(id)
    }
    const activity = this.activity.get(id)
    if (!activity) return Promise.resolve()
    return new Promise(resolve => {
      const done = (): void => {
        clearTimeout(timer)
        activity.idle.delete(done)
        resolve()
      }
      const timer = setTimeout(() => {
        this.log(`${id} still had ${activity.inFlight} request(s) in flight after ${timeoutMs} ms of draining`)
        done()
      }, timeoutMs)
      activity.idle.add(done)
    })
  }

  /** The next backend in turn, skipping `exclude`; undefined when no other backend is ready. */
  next(exclude?: string): Backend | undefined {
    for (let tries = 0; tries < this.members.length; tries++) {
      const backend = this.members[this.cursor++ % this.members.length]
      if (backend.id !== exclude) return backend
    }
    return undefined
  }

  lease(backend: Backend): Lease {
    let activity = this.activity.get(backend.id)
    if (!activity) {
      activity = {backend, inFlight: 0, agent: new http.Agent({keepAlive: true}), idle: new Set()}
      this.activity.set(backend.id, activity)
    }
    const held = activity
    held.inFlight++
    let released = false
    return {
      backend: held.backend,
      agent: held.agent,
      release: () => {
        if (released) return
        released = true
        held.inFlight--
        if (held.inFlight === 0) this.settle(backend.id)
      },
    }
  }

  /** Ends every drain and closes every backend connection (router shutdown). */
  close(): void {
    this.members = []
    for (const [id, activity] of this.activity) {
      this.activity.delete(id)
      activity.agent.destroy()
      for (const done of [...activity.idle]) done()
    }
  }

  private departed(id: string): void {
    const activity = this.activity.get(id)
    const inFlight = activity?.inFlight ?? 0
    this.log(`${id} left the pool${inFlight > 0 ? ` with ${inFlight} request(s) in flight` : ''}`)
    this.settle(id)
  }

  /** A backend outside the pool with nothing in flight is forgotten: its drains resolve, its sockets close. */
  private settle(id: string): void {
    const activity = this.activity.get(id)
    if (!activity || activity.inFlight > 0) return
    if (this.members.some(backend => backend.id === id)) return
    this.activity.delete(id)
    activity.agent.destroy()
    for (const done of [...activity.idle]) done()
  }
}
