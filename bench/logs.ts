// The platform's memory with readers that stop reading and a dyno that logs as fast as it can
// (issue 9, target: RSS under 64 MiB above idle). Runs the built CLI and platform, as
// bench/platform.ts does, and stops everything at the end. See bench/README.md.
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {connect, type Socket} from 'node:net'
import {availableParallelism, cpus, tmpdir, totalmem} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {percentile, PlatformApi, processUsage, sampleProcess, sleep, startDetachedPlatform, stopPlatform, until} from './platform-tools.js'

const APP = 'flood-default'
const RUN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const TARGET_MIB = 64
const seconds = Number(process.argv[2] ?? 60)
const lineBytes = Number(process.argv[3] ?? 1000)

const fixed = (value: number, digits = 1) => value.toFixed(digits)

/** A dyno that writes numbered lines as fast as its stdout takes them (waiting for 'drain' when full). */
function floodApp(dir: string): void {
  mkdirSync(dir)
  writeFileSync(join(dir, 'Procfile'), 'flood: node flood.js\n')
  writeFileSync(join(dir, 'flood.js'), `const pad = 'x'.repeat(${lineBytes})
let n = 0
function pump() {
  while (process.stdout.write('flood ' + ++n + ' ' + pad + '\\n')) if (n % 64 === 0) return setTimeout(pump)
  process.stdout.once('drain', pump)
}
pump()
`)
}

/** The path a raw reader asks for: the same stream, told apart from the CLI's in the platform's request log. */
const RAW_PATH = `/apps/${APP}/logs?tail=true&lines=0`
const CLI_PATH = `/apps/${APP}/logs?lines=0&tail=true`

/**
 * Two readers that stop reading: `aka logs -t -n 0 -a APP` whose stdout is a pipe nobody reads
 * (`| sleep`), and a raw connection that sends the request and never reads a byte. Neither can
 * see the platform disconnect it (they read nothing), so the platform's request log tells: each
 * one is started again when its request ends there.
 */
class StalledReaders {
  cliRuns = 0
  socketRuns = 0
  private cli?: ChildProcess
  private socket?: Socket
  private seen = 0
  private readonly timer: NodeJS.Timeout

  constructor(private readonly url: string, private readonly token: string, private readonly env: NodeJS.ProcessEnv, private readonly platformLog: string) {
    this.seen = this.requestLog().length
    this.startCli()
    this.startSocket()
    this.timer = setInterval(() => this.restartEnded(), 250)
  }

  private requestLog(): string[] {
    return readFileSync(this.platformLog, 'utf8').split('\n').filter(line => line.includes(` GET ${RAW_PATH} `) || line.includes(` GET ${CLI_PATH} `))
  }

  private restartEnded(): void {
    const ended = this.requestLog().slice(this.seen)
    this.seen += ended.length
    for (const line of ended) {
      if (line.includes(RAW_PATH)) {
        this.socket?.destroy()
        this.startSocket()
      } else {
        this.cli?.kill('SIGKILL')
        this.startCli()
      }
    }
  }

  private startCli(): void {
    this.cliRuns++
    this.cli = spawn(process.execPath, [RUN, 'logs', '-t', '-n', '0', '-a', APP], {env: this.env, stdio: ['ignore', 'pipe', 'ignore']})
  }

  private startSocket(): void {
    this.socketRuns++
    const socket = connect({host: '127.0.0.1', port: Number(new URL(this.url).port)})
    socket.pause()
    socket.on('error', () => {})
    socket.write(`GET ${RAW_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${this.token}\r\n\r\n`)
    this.socket = socket
  }

  stop(): void {
    clearInterval(this.timer)
    this.cli?.kill('SIGKILL')
    this.socket?.destroy()
  }
}

/** The number of the newest `flood N` line the platform has read. */
async function newestFlood(api: PlatformApi, token: string): Promise<number> {
  const response = await fetch(`${api.url}/apps/${APP}/logs?lines=1`, {headers: {authorization: `Bearer ${token}`}})
  return Number(/flood (\d+)/.exec(await response.text())?.[1] ?? 0)
}

interface Window {
  rss: number[]
  cpuPercent: number
  lines: number
  seconds: number
  latencies: number[]
  failedProbes: number
}

/** RSS each second, CPU, lines read from the dyno, and GET /apps/APP every 200 ms (the API's responsiveness). */
async function sampleWindow(api: PlatformApi, token: string, pid: number, windowSeconds: number): Promise<Window> {
  const firstLine = await newestFlood(api, token)
  const began = performance.now()
  const startUsage = processUsage(pid)
  const rss: number[] = []
  const latencies: number[] = []
  let failedProbes = 0
  const probing = (async () => {
    while (performance.now() - began < windowSeconds * 1000) {
      const sent = performance.now()
      try {
        await api.app(APP)
        latencies.push(performance.now() - sent)
      } catch {
        failedProbes++
      }
      await sleep(200)
    }
  })()
  for (let i = 0; i < windowSeconds; i++) {
    await sleep(1000)
    rss.push(processUsage(pid).rssMiB)
  }
  await probing
  const seconds = (performance.now() - began) / 1000
  const cpuPercent = 100 * (processUsage(pid).cpuSeconds - startUsage.cpuSeconds) / seconds
  return {rss, cpuPercent, lines: await newestFlood(api, token) - firstLine, seconds, latencies: latencies.sort((a, b) => a - b), failedProbes}
}

function report(title: string, window: Window): void {
  const {rss, latencies} = window
  console.log(`${title}:`)
  console.log(`  platform RSS mean ${fixed(rss.reduce((sum, value) => sum + value, 0) / rss.length)} MiB, max ${fixed(Math.max(...rss))} MiB; CPU ${fixed(window.cpuPercent)} % of one core`)
  console.log(`  RSS each second (MiB): ${rss.map(value => fixed(value, 0)).join(' ')}`)
  console.log(`  lines read from the dyno: ${window.lines} (${fixed(window.lines / window.seconds, 0)} a second, ${fixed(window.lines * (lineBytes + 12) / window.seconds / 2 ** 20, 2)} MiB a second)`)
  console.log(`  GET /apps/${APP} meanwhile: ${latencies.length} answered, p50 ${fixed(percentile(latencies, 0.5), 2)} ms, p99 ${fixed(percentile(latencies, 0.99), 2)} ms, max ${fixed(latencies.at(-1) ?? 0, 2)} ms, ${window.failedProbes} failed`)
}

async function measure(api: PlatformApi, token: string, pid: number, env: NodeJS.ProcessEnv, platformLog: string): Promise<void> {
  const idle = await sampleProcess(pid, 10)
  console.log(`idle (app deployed, flood=0), 10 s: RSS mean ${fixed(idle.rssMean)} MiB, max ${fixed(idle.rssMax)} MiB; CPU ${fixed(idle.cpuPercent)} % of one core`)
  await api.call('PATCH', `/apps/${APP}/formation`, [{type: 'flood', quantity: 1}])
  await until('the first flood line', async () => await newestFlood(api, token) > 0)
  report(`flood dyno (${lineBytes + 12}-byte lines), no reader, 20 s`, await sampleWindow(api, token, pid, 20))
  const readers = new StalledReaders(api.url, token, env, platformLog)
  const stalled = await sampleWindow(api, token, pid, seconds)
  readers.stop()
  report(`flood dyno and two stalled readers, ${seconds} s`, stalled)
  const disconnections = readFileSync(platformLog, 'utf8').split('\n').filter(line => line.includes('disconnected a reader that stopped reading'))
  console.log(`  readers started: \`aka logs -t\` ${readers.cliRuns}, raw connections ${readers.socketRuns}; the platform disconnected ${disconnections.length}: ${[...new Set(disconnections.map(line => line.replace(/^.*: it read nothing/, 'it read nothing').replace(/\d+ characters/, 'N characters')))].join('; ')}`)
  const dynos = await api.dynos(APP)
  console.log(`  flood dyno at the end: ${dynos.map(dyno => `${dyno.type}.${dyno.name} ${dyno.state}, restarts ${dyno.restarts}`).join(', ')}`)
  const above = Math.max(...stalled.rss) - idle.rssMean
  console.log(`target: max RSS ${fixed(above)} MiB above idle, under ${TARGET_MIB} MiB: ${above < TARGET_MIB ? 'holds' : 'does NOT hold'}`)
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'aka-bench-logs-'))
  const home = join(root, 'home')
  mkdirSync(home)
  // Only what aka needs (no NODE_EXTRA_CA_CERTS): the CLI finds the local platform by itself.
  const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: home, AKKERIS_LOCAL_HOME: join(root, 'local'), NO_COLOR: '1'}
  let pid: number | undefined
  try {
    const platform = await startDetachedPlatform(env)
    pid = platform.pid
    const {api, token} = platform
    console.log(`date ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cpus (${cpus()[0]?.model}), ${fixed(totalmem() / 2 ** 30)} GiB memory`)
    floodApp(join(root, 'app'))
    await api.call('POST', '/apps', {name: 'flood'})
    await api.call('POST', `/apps/${APP}/builds`, {url: pathToFileURL(join(root, 'app')).href})
    await measure(api, token, pid, env, join(root, 'local', 'platform.log'))
  } finally {
    await stopPlatform(env, pid)
    rmSync(root, {recursive: true, force: true})
  }
}

await main()
