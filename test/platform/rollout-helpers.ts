// The whole local platform for end-to-end rollout tests: API, store and the real runtime started
// in-process on free ports in a temporary state folder; its API over real HTTP; a bounded steady
// load through an app's router that keeps every answer; and `aka` commands pointed at it.
import {cpSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {Agent} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import type {App, Dyno} from '../../src/api/types.js'
import {type RunningPlatform, startPlatform} from '../../src/platform/platform.js'
import {createRuntime} from '../../src/platform/runtime/runtime.js'
import type {Clock} from '../../src/platform/runtime/timing.js'
import {runCommand, type RunResult} from '../helpers/run.js'
import {FAST_TIMING, get} from './runtime/helpers.js'

export const HELLO = fileURLToPath(new URL('../../examples/hello', import.meta.url))
export const CRASH = fileURLToPath(new URL('../../examples/crash', import.meta.url))

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** A copy of an app folder that differs from it (a new release of the same code), changed by `change` when given. */
export function copyApp(source: string, into: string, change?: (dir: string) => void): string {
  cpSync(source, into, {recursive: true})
  change?.(into)
  return into
}

export interface Platform {
  url: string
  token: string
  /** The platform's own log lines (dyno events, deployments), to explain a failure. */
  events: string[]
  call<T>(method: string, path: string, body?: unknown): Promise<T>
  /** Runs an `aka` command in-process against this platform. */
  aka(argv: string[]): Promise<RunResult>
  stop(): Promise<void>
}

/** The real platform in this process, as `aka local:start` runs it, with a shorter stop grace for tests. */
export async function startLocalPlatform(home: string, options: {deadlineMs?: number, clock?: Clock} = {}): Promise<Platform> {
  const events: string[] = []
  const running: RunningPlatform = await startPlatform({
    home,
    port: 0,
    log: line => events.push(line),
    deadlineMs: options.deadlineMs,
    createRuntime: (store, runtimeOptions) => createRuntime(store, {...runtimeOptions, stopGraceMs: 3000, timing: FAST_TIMING, ...(options.clock ? {clock: options.clock} : {})}),
  })
  return platformAt(running.url, running.token, events, () => running.stop())
}

/** A platform's API at `url` (in this process or another). */
export function platformAt(url: string, token: string, events: string[], stop: () => Promise<void>): Platform {
  return {
    url,
    token,
    events,
    stop,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {authorization: `Bearer ${token}`},
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
      return JSON.parse(text) as T
    },
    aka(argv: string[]) {
      return runCommand(argv, {env: {AKKERIS_API_HOST: url, AKKERIS_AUTH_HOST: 'x', API_TOKEN: token}})
    },
  }
}

/** Creates the app with a web type of `quantity` (health-checked on /health), its config, and a first release of `dir`. */
export async function deployApp(platform: Platform, name: string, quantity: number, config: Record<string, string>, dir: string): Promise<string> {
  const app = (await platform.call<App>('POST', '/apps', {name})).name
  await platform.call('PATCH', `/apps/${app}/config-vars`, config)
  await platform.call('POST', `/apps/${app}/formation`, {type: 'web', quantity, healthcheck: '/health'})
  await build(platform, app, dir)
  return app
}

export function build(platform: Platform, app: string, dir: string): Promise<unknown> {
  return platform.call('POST', `/apps/${app}/builds`, {url: pathToFileURL(dir).href})
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** Polls `probe` until it returns something; fails naming `what`, the last value seen and the platform's last events. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, events: string[] = [], timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined | false
  while (Date.now() < deadline) {
    last = await probe()
    if (last) return last
    await sleep(100)
  }
  throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(last)}\n${events.slice(-30).join('\n')}`)
}

export interface Settled {
  /** The deployment the web dynos belong to, as GET /apps reports it. */
  deployment: string
  dynos: Dyno[]
  /** When the answer was read: requests started later reach only these dynos. */
  at: number
}

/**
 * The web type settled: its latest deployment (not `previous`) succeeded and exactly `quantity`
 * running, ready dynos of it, nothing else. A failed deployment fails the wait at once.
 */
export function webSettled(platform: Platform, app: string, quantity: number, previous?: string): Promise<Settled> {
  return until(`web=${quantity} of a new deployment on ${app}`, async () => {
    const [current, dynos] = await Promise.all([platform.call<App>('GET', `/apps/${app}`), platform.call<Dyno[]>('GET', `/apps/${app}/dynos`)])
    const deployment = current.deployment
    if (!deployment || deployment.id === previous || deployment.type !== 'web') return undefined
    if (deployment.state === 'failed') throw new Error(`the deployment failed: ${deployment.reason}\n${platform.events.slice(-30).join('\n')}`)
    const web = dynos.filter(dyno => dyno.type === 'web')
    const done = deployment.state === 'succeeded' && web.length === quantity &&
      web.every(dyno => dyno.deployment === deployment.id && dyno.state === 'running' && dyno.ready)
    return done && {deployment: deployment.id, dynos: web, at: Date.now()}
  }, platform.events)
}

/** The app's failed deployment once the old dynos are all that run again. */
export function failedKeepingOld(platform: Platform, app: string, old: Settled): Promise<{reason: string, at: number}> {
  return until(`a failed deployment on ${app} with only the old dynos left`, async () => {
    const [current, dynos] = await Promise.all([platform.call<App>('GET', `/apps/${app}`), platform.call<Dyno[]>('GET', `/apps/${app}/dynos`)])
    const deployment = current.deployment
    const web = dynos.filter(dyno => dyno.type === 'web')
    const onlyOld = web.length === old.dynos.length && web.every(dyno => dyno.deployment === old.deployment && dyno.state === 'running' && dyno.ready)
    return deployment?.state === 'failed' && deployment.id !== old.deployment && onlyOld && {reason: deployment.reason ?? '', at: Date.now()}
  }, platform.events)
}

export interface HelloAnswer {
  /** When the request was sent (ordering only, never asserted as a duration). */
  startedAt: number
  greeting: string
  dyno: string
  release: number
}

/** What a steady load saw: every answer, and every failed request with why. */
export interface Load {
  answers: HelloAnswer[]
  failures: string[]
  /** Answers to requests sent after `at`. */
  after(at: number): HelloAnswer[]
  stop(): Promise<void>
}

const LOAD_LOOPS = 4
const LOAD_MAX_REQUESTS = 200_000
const LOAD_MAX_MS = 180_000

/**
 * LOAD_LOOPS loops of keep-alive GETs through the router, one request at a time each, until
 * stopped, or at LOAD_MAX_REQUESTS or LOAD_MAX_MS whatever happens (a stuck test never loads the
 * machine for long).
 */
export function steadyLoad(url: string): Load {
  const agent = new Agent({keepAlive: true, maxSockets: LOAD_LOOPS})
  const answers: HelloAnswer[] = []
  const failures: string[] = []
  const deadline = Date.now() + LOAD_MAX_MS
  let running = true
  const loop = async () => {
    while (running && answers.length + failures.length < LOAD_MAX_REQUESTS && Date.now() < deadline) {
      const startedAt = Date.now()
      try {
        const answer = await get(`${url}/`, agent)
        if (answer.status === 200) answers.push({startedAt, ...(JSON.parse(answer.body) as Omit<HelloAnswer, 'startedAt'>)})
        else failures.push(`${answer.status} ${answer.body}`)
      } catch (error) {
        failures.push((error as Error).message)
      }
    }
  }
  const done = Promise.all(Array.from({length: LOAD_LOOPS}, loop))
  return {
    answers,
    failures,
    after: at => answers.filter(answer => answer.startedAt > at),
    async stop() {
      running = false
      await done
      agent.destroy()
    },
  }
}

/** Waits for `count` answers to requests sent after `at`, and returns them. */
export async function answersAfter(load: Load, at: number, count = 40): Promise<HelloAnswer[]> {
  await until(`${count} answers after the change`, async () => load.after(at).length >= count)
  return load.after(at)
}


/** Processes of this machine whose environment names one of the dynos (`DYNO=type.name`). */
export function processesOf(dynos: string[]): number[] {
  const wanted = new Set(dynos.map(dyno => `DYNO=${dyno}`))
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').some(variable => wanted.has(variable))) found.push(Number(entry))
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found
}

export {isAlive} from './runtime/helpers.js'
