// The local platform under load (issues 4 and 5): scaling to 16 web dynos with `aka ps:scale --wait`,
// the platform's memory and CPU with 32 idle dynos, GET dynos requests per second, and rolling
// deployments of web=4 against the sum of their dynos' own start-to-ready times, with failed
// requests through the router. It starts its own detached platform in a temporary state folder
// with the built CLI and stops everything at the end.
// Usage: npm run build && node --import tsx bench/platform.ts [rounds]
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {availableParallelism, cpus, totalmem, tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {
  aka, median, percentile, PlatformApi, processUsage, readyCount, routerLoad, sampleProcess, settled, sleep, startDetachedPlatform, stopPlatform, until,
} from './platform-tools.js'

const HELLO = fileURLToPath(new URL('../examples/hello', import.meta.url))
const APP = 'bench-default'
const ROUNDS = Number(process.argv[2] ?? 3)
const IDLE_SECONDS = 10
const DYNOS_REQUESTS = 3000
const DYNOS_CONCURRENCY = 8
const ROUTER_LOOPS = 4

const fixed = (value: number, digits = 2) => value.toFixed(digits)

async function scale(api: PlatformApi, quantities: Record<string, number>): Promise<void> {
  await api.call('PATCH', `/apps/${APP}/formation`, Object.entries(quantities).map(([type, quantity]) => ({type, quantity})))
  await until(`formation ${JSON.stringify(quantities)}`, async () => settled(await api.dynos(APP), quantities))
}

/** (i) `aka ps:scale web=16 --wait` from web=0: the command's own time, and when the platform had all 16 ready. */
async function scaleTo16(api: PlatformApi, env: NodeJS.ProcessEnv): Promise<void> {
  console.log('\n(i) aka ps:scale web=16 --wait, from web=0 (worker=0)')
  console.log('round  command exit s  all 16 ready s (50 ms polls)')
  for (let round = 1; round <= ROUNDS; round++) {
    await scale(api, {web: 0, worker: 0})
    const began = performance.now()
    const command = aka(['ps:scale', 'web=16', '--wait', '-a', APP], env)
    const ready = until('16 web ready', async () => readyCount(await api.dynos(APP), 'web') === 16 && performance.now())
    const [run, readyAt] = await Promise.all([command, ready])
    if (run.code !== 0) throw new Error(`aka ps:scale exited ${run.code}: ${run.stderr}`)
    console.log(`${round}      ${fixed(run.ms / 1000)}           ${fixed((readyAt - began) / 1000)}`)
  }
}

/** (ii) and (iii): the platform process with 16 web and 16 worker dynos, idle, then answering GET dynos. */
async function idleAndDynosList(api: PlatformApi, pid: number): Promise<void> {
  await scale(api, {web: 16, worker: 16})
  await sleep(2000)
  const idle = await sampleProcess(pid, IDLE_SECONDS)
  console.log(`\n(ii) platform process (pid ${pid}) with 16 web + 16 worker dynos, idle, sampled each second for ${IDLE_SECONDS} s`)
  console.log(`RSS mean ${fixed(idle.rssMean, 1)} MiB, max ${fixed(idle.rssMax, 1)} MiB; CPU ${fixed(idle.cpuPercent, 1)} % of one core`)

  const path = `/apps/${APP}/dynos`
  for (let i = 0; i < 200; i++) await api.get(path)
  const latencies: number[] = []
  let issued = 0
  let failed = 0
  let bytes = 0
  const cpuBefore = processUsage(pid).cpuSeconds
  const began = performance.now()
  const deadline = began + 60_000
  await Promise.all(Array.from({length: DYNOS_CONCURRENCY}, async () => {
    while (issued < DYNOS_REQUESTS && performance.now() < deadline) {
      issued++
      const sent = performance.now()
      const answer = await api.get(path)
      if (answer.status === 200) latencies.push(performance.now() - sent)
      else failed++
      bytes = answer.bytes
    }
  }))
  const seconds = (performance.now() - began) / 1000
  const cpu = 100 * (processUsage(pid).cpuSeconds - cpuBefore) / seconds
  latencies.sort((a, b) => a - b)
  console.log(`\n(iii) GET ${path} with 32 dynos (${bytes} bytes): ${DYNOS_REQUESTS} requests, concurrency ${DYNOS_CONCURRENCY}, keep-alive`)
  console.log(`${Math.round(latencies.length / seconds)} req/s, p50 ${fixed(percentile(latencies, 0.5))} ms, p99 ${fixed(percentile(latencies, 0.99))} ms, failed ${failed}; platform CPU ${fixed(cpu, 0)} % of one core`)
}

/**
 * The deployment's own timeline from the platform's log (ISO times to the millisecond): when it
 * began and succeeded, and each of its dynos' start and ready lines.
 */
function timeline(logFile: string, deployment: string): {deploymentMs: number, dynoSum: number, dynos: number} {
  const at = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')))
  const lines = readFileSync(logFile, 'utf8').split('\n').filter(line => line.includes(deployment))
  const began = lines.find(line => line.endsWith(`web deployment ${deployment}: in-progress`))
  const ended = lines.find(line => line.endsWith(`web deployment ${deployment}: succeeded`))
  if (!began || !ended) throw new Error(`no deployment ${deployment} in the platform's log`)
  const starts = new Map<string, number>()
  let dynoSum = 0
  for (const line of lines) {
    const dyno = new RegExp(`(web\\.${deployment}-[a-z0-9]{5}) (started|is ready)`).exec(line)
    if (dyno?.[2] === 'started') starts.set(dyno[1], at(line))
    if (dyno?.[2] === 'is ready') dynoSum += at(line) - (starts.get(dyno[1]) ?? Number.NaN)
  }
  return {deploymentMs: at(ended) - at(began), dynoSum, dynos: starts.size}
}

/** (iv) Rolling deployments of web=4 (config var changes) under a steady load through the router. */
async function rollouts(api: PlatformApi, logFile: string): Promise<void> {
  await scale(api, {web: 4, worker: 0})
  const {web_url: url} = await api.app(APP)
  if (!url) throw new Error('no web_url')
  const load = routerLoad(url, ROUTER_LOOPS, 240_000, 5_000_000)
  console.log(`\n(iv) rolling deployment of web=4 (a config var change), ${ROUTER_LOOPS} keep-alive request loops through the router`)
  console.log('round  seen by a client s  deployment s  sum of its dynos\' start-to-ready s  ratio  failed requests')
  const ratios: number[] = []
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const previous = (await api.app(APP)).deployment?.id
      const failedBefore = load.failures.length
      const began = performance.now()
      await api.call('PATCH', `/apps/${APP}/config-vars`, {GREETING: `round ${round} at ${Date.now()}`})
      const done = await until('the rollout', async () => {
        const [app, dynos] = await Promise.all([api.app(APP), api.dynos(APP)])
        const deployment = app.deployment
        if (!deployment || deployment.id === previous) return false
        if (deployment.state === 'failed') throw new Error(`the deployment failed: ${deployment.reason}`)
        return deployment.state === 'succeeded' && readyCount(dynos.filter(dyno => dyno.deployment === deployment.id), 'web') === 4 && {now: performance.now(), deployment}
      }, 120_000, 20)
      // The log line may trail the API by a moment.
      await sleep(200)
      const {deploymentMs, dynoSum, dynos} = timeline(logFile, done.deployment.id)
      // The old dynos' processes end after they left the pool; the next round starts without them.
      await until('the old web dynos gone', async () => settled(await api.dynos(APP), {web: 4}))
      ratios.push(deploymentMs / dynoSum)
      console.log(`${round}      ${fixed((done.now - began) / 1000)}               ${fixed(deploymentMs / 1000)}          ${fixed(dynoSum / 1000)} (${dynos} dynos)                       ${fixed(deploymentMs / dynoSum)}   ${load.failures.length - failedBefore}`)
    }
  } finally {
    await load.stop()
  }
  console.log(`median ratio ${fixed(median(ratios))}; ${load.answered} requests answered through the router during the rounds, ${load.failures.length} failed${load.failures.length ? `: ${[...new Set(load.failures)].join(', ')}` : ''}`)
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'aka-bench-platform-'))
  const home = join(root, 'home')
  mkdirSync(home)
  // Only what aka needs: no config, no netrc, so the CLI finds the local platform by itself.
  const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: home, AKKERIS_LOCAL_HOME: join(root, 'local'), NO_COLOR: '1'}
  let pid: number | undefined
  try {
    const platform = await startDetachedPlatform(env)
    pid = platform.pid
    const {api} = platform
    console.log(`date ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cpus (${cpus()[0]?.model}), ${fixed(totalmem() / 2 ** 30, 1)} GiB memory`)
    await api.call('POST', '/apps', {name: 'bench'})
    await api.call('POST', `/apps/${APP}/builds`, {url: pathToFileURL(HELLO).href})
    await until('the first web dyno', async () => settled(await api.dynos(APP), {web: 1}))
    await scaleTo16(api, env)
    await idleAndDynosList(api, pid)
    await rollouts(api, join(root, 'local', 'platform.log'))
  } finally {
    await stopPlatform(env, pid)
    rmSync(root, {recursive: true, force: true})
  }
}

await main()
