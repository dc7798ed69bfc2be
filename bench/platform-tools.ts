// What bench/platform.ts measures with: whole `aka` processes, the platform's API, /proc of the
// platform process, and keep-alive request loops. Loopback only; every loop is bounded.
import {execFileSync, spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import http from 'node:http'
import {performance} from 'node:perf_hooks'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {App, Dyno} from '../src/api/types.js'
import {readLocalPlatform} from '../src/config/local.js'

const RUN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export interface AkaRun {
  code: number | null
  stdout: string
  stderr: string
  ms: number
}

/** `aka ...args` as a user runs it (the built bin/run.js), with only the given environment. */
export function aka(args: string[], env: NodeJS.ProcessEnv): Promise<AkaRun> {
  const began = performance.now()
  const child = spawn(process.execPath, [RUN, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => stdout += chunk.toString())
  child.stderr.on('data', (chunk: Buffer) => stderr += chunk.toString())
  return new Promise(resolve => child.once('close', code => resolve({code, stdout, stderr, ms: performance.now() - began})))
}

/** `aka local:start --detach --port 0` with `env` (its AKKERIS_LOCAL_HOME the state folder): the platform's pid and its API. */
export async function startDetachedPlatform(env: NodeJS.ProcessEnv): Promise<{pid: number, url: string, token: string, api: PlatformApi}> {
  const started = await aka(['local:start', '--detach', '--port', '0'], env)
  if (started.code !== 0) throw new Error(`local:start failed: ${started.stderr}`)
  const record = readLocalPlatform(env)
  if (!record) throw new Error('no platform.json')
  const token = readFileSync(join(String(env.AKKERIS_LOCAL_HOME), 'token'), 'utf8').trim()
  return {pid: record.pid, url: record.url, token, api: new PlatformApi(record.url, token)}
}

/** `aka local:stop`, then SIGKILL to the platform's pid in case the stop failed: a bench never leaves one behind. */
export async function stopPlatform(env: NodeJS.ProcessEnv, pid: number | undefined): Promise<void> {
  const stopped = await aka(['local:stop'], env)
  if (stopped.code !== 0) console.error(`local:stop: ${stopped.stderr}`)
  if (pid === undefined) return
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // stopped
  }
}

export class PlatformApi {
  readonly agent = new http.Agent({keepAlive: true, maxSockets: 16})

  constructor(readonly url: string, private readonly token: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {method, headers: {authorization: `Bearer ${this.token}`}, body: body === undefined ? undefined : JSON.stringify(body)})
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
    return JSON.parse(text) as T
  }

  dynos(app: string): Promise<Dyno[]> {
    return this.call<Dyno[]>('GET', `/apps/${app}/dynos`)
  }

  app(app: string): Promise<App> {
    return this.call<App>('GET', `/apps/${app}`)
  }

  /** One GET over the keep-alive agent: status and body size. */
  get(path: string): Promise<{status: number, bytes: number}> {
    return new Promise((resolve, reject) => {
      http.get(`${this.url}${path}`, {agent: this.agent, headers: {authorization: `Bearer ${this.token}`}}, response => {
        let bytes = 0
        response.on('data', (chunk: Buffer) => bytes += chunk.length)
        response.on('end', () => resolve({status: response.statusCode ?? 0, bytes}))
      }).on('error', reject)
    })
  }
}

/** Polls until `probe` returns something, at most `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000, everyMs = 50): Promise<T> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    const value = await probe()
    if (value) return value
    await sleep(everyMs)
  }
  throw new Error(`timed out waiting for ${what}`)
}

export const readyCount = (dynos: Dyno[], type: string) => dynos.filter(dyno => dyno.type === type && dyno.state === 'running' && dyno.ready).length

/** Every dyno of each type running and ready, exactly as many as asked, nothing else. */
export function settled(dynos: Dyno[], quantities: Record<string, number>): boolean {
  return Object.entries(quantities).every(([type, quantity]) => dynos.filter(dyno => dyno.type === type).length === quantity && readyCount(dynos, type) === quantity)
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim())

/** CPU seconds (user + system) the process has used so far, and its resident set in MiB. */
export function processUsage(pid: number): {cpuSeconds: number, rssMiB: number} {
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  return {cpuSeconds, rssMiB: rssKb / 1024}
}

export interface ProcessSamples {
  rssMean: number
  rssMax: number
  /** Percent of one core over the whole window. */
  cpuPercent: number
}

/** Samples the process every second for `seconds` seconds. */
export async function sampleProcess(pid: number, seconds: number): Promise<ProcessSamples> {
  const start = processUsage(pid)
  const began = performance.now()
  const rss: number[] = []
  for (let i = 0; i < seconds; i++) {
    await sleep(1000)
    rss.push(processUsage(pid).rssMiB)
  }
  const cpu = processUsage(pid).cpuSeconds - start.cpuSeconds
  return {rssMean: rss.reduce((sum, value) => sum + value, 0) / rss.length, rssMax: Math.max(...rss), cpuPercent: 100 * cpu / ((performance.now() - began) / 1000)}
}

export function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Requests through a router until stopped (or a bound): answers and failures counted. */
export interface RouterLoad {
  readonly answered: number
  readonly failures: string[]
  stop(): Promise<void>
}

export function routerLoad(url: string, loops: number, maxMs: number, maxRequests: number): RouterLoad {
  const agent = new http.Agent({keepAlive: true, maxSockets: loops})
  const failures: string[] = []
  let answered = 0
  let running = true
  const deadline = performance.now() + maxMs
  const one = () => new Promise<void>(resolve => {
    http.get(`${url}/`, {agent}, response => {
      response.resume()
      response.on('end', () => {
        if (response.statusCode === 200) answered++
        else failures.push(`HTTP ${response.statusCode}`)
        resolve()
      })
    }).on('error', error => {
      failures.push(error.message)
      resolve()
    })
  })
  const loop = async () => {
    while (running && performance.now() < deadline && answered + failures.length < maxRequests) await one()
  }
  const done = Promise.all(Array.from({length: loops}, loop))
  return {
    get answered() {
      return answered
    },
    failures,
    async stop() {
      running = false
      await done
      agent.destroy()
    },
  }
}
