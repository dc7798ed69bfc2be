// A real store in a temporary folder, one app released from the runtime's fixture app, and the
// runtime under test; plus a bounded poll and HTTP through the app's router.
import {randomUUID} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {type Agent, request} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {Dyno} from '../../../src/api/types.js'
import type {FormationRecord, Runtime} from '../../../src/platform/contract.js'
import {liveMember} from '../../../src/platform/runtime/proc.js'
import {createRuntime, type RuntimeOptions} from '../../../src/platform/runtime/runtime.js'
import type {ProbeTiming} from '../../../src/platform/runtime/health.js'
import {type Clock, type RuntimeTiming, systemClock} from '../../../src/platform/runtime/timing.js'
import {type FormationChanges, Store} from '../../../src/platform/store/store.js'

export const FIXTURE_APP = fileURLToPath(new URL('../fixtures/app', import.meta.url))
export const HOST = '127.0.0.1'

export interface TestPlatform {
  dir: string
  store: Store
  runtime: Runtime
  appId: string
  /** The platform's own log lines. */
  events: string[]
  formation(type: string, changes: FormationChanges & {command?: string | null}): FormationRecord
  config(patch: Record<string, string | null>): void
  /** A new release of the fixture app; `defaultCommands` stand for its Procfile (default: web and worker). */
  release(defaultCommands?: Record<string, string>): void
  dynos(type?: string): Dyno[]
  /** Stops the runtime, as a platform stop does, and starts a new one on the same store. */
  restart(): Promise<void>
  close(): Promise<void>
}

/**
 * Short timings for tests on real processes: the policy is the same, its waits are shorter (a
 * worker is ready after 300 ms up, probes every 20 ms, back-off from 100 ms).
 */
export const FAST_PROBE: ProbeTiming = {startingIntervalMs: 20, readyIntervalMs: 200, failureThreshold: 3, timeoutMs: 1000, upMs: 300}

/** The system clock moved forward by `offset` ms: the runtime sees a later time (a schedule's tick), its timers stay real. */
export function movableClock(): Clock & {offset: number} {
  const clock = {offset: 0, now: () => Date.now() + clock.offset, setTimeout: systemClock.setTimeout}
  return clock
}

export const FAST_TIMING: Partial<RuntimeTiming> = {
  tickMs: 100,
  probe: FAST_PROBE,
  backoffStartMs: 100,
  startFailureWindowMs: 500,
  startingWindowMs: 300,
  orphanCheckDelayMs: 50,
}

export function startPlatform(options: Partial<RuntimeOptions> = {}): TestPlatform {
  const dir = mkdtempSync(join(tmpdir(), 'aka-runtime-'))
  const store = new Store(join(dir, 'platform.db'))
  const app = store.createApp('probe', 'default', 'local')
  const events: string[] = []
  const runtimeOptions: RuntimeOptions = {
    log: line => events.push(line), host: HOST, platformId: randomUUID(), stopGraceMs: 3000, ...options,
    timing: {...FAST_TIMING, ...options.timing},
  }
  let closed = false
  const platform: TestPlatform = {
    dir, store, runtime: createRuntime(store, runtimeOptions), appId: app.id, events,
    formation(type, changes) {
      const existing = store.formation(app.id, type)
      const record = existing
        ? store.updateFormation(existing, changes)
        : store.insertFormation(app.id, {type, command: null, quantity: 1, size: 'gp1', port: type === 'web' ? 9000 : null, healthcheck: null, ...changes})
      platform.runtime.changed(app.id)
      return record
    },
    config(patch) {
      store.patchConfig(app.id, patch)
      platform.runtime.changed(app.id)
    },
    release(defaultCommands = {web: 'node web.js', worker: 'node worker.js'}) {
      store.insertRelease(app.id, {id: randomUUID(), slugDir: FIXTURE_APP, description: 'fixture', defaultCommands}, `file://${FIXTURE_APP}`)
      platform.runtime.changed(app.id)
    },
    dynos(type) {
      return platform.runtime.dynos(app.id).filter(dyno => !type || dyno.type === type)
    },
    async restart() {
      await platform.runtime.stop()
      platform.runtime = createRuntime(store, runtimeOptions)
    },
    async close() {
      if (closed) return
      closed = true
      await platform.runtime.stop()
      const left = store.processes()
      store.close()
      rmSync(dir, {recursive: true, force: true})
      if (left.length > 0) throw new Error(`processes left running: ${left.map(process => process.dyno).join(', ')}`)
    },
  }
  return platform
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>

/** Polls `probe` until it returns something truthy; fails naming `what` and the last value seen. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 15_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  while (Date.now() < deadline) {
    last = await probe()
    if (last) return last as Truthy<T>
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(last)}`)
}

/** Every dyno of the type running and ready, exactly `quantity` of them, and nothing else of it. */
export function settled(dynos: Dyno[], quantity: number): Dyno[] | false {
  return dynos.length === quantity && dynos.every(dyno => dyno.state === 'running' && dyno.ready) && dynos
}

export interface Answer {
  status: number
  body: string
}

/** One GET, on a fresh connection unless an agent (keep-alive) is given. */
export function get(url: string, agent: Agent | false = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {agent}, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Whether the process group has a member that is not a zombie (init may reap those late). */
export function isAlive(pgid: number): boolean {
  return liveMember(pgid) !== undefined
}
