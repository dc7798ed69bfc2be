// Start-up benchmark (issues 6 and 14): whole `aka` processes beside `node -e 0`, against a local
// server started here, round-robin over several runs; prints medians, ratios and which targets hold
// on the Node that runs it (`process.execPath`). Measures the built CLI: run `npm run build` first.
// Usage: npm run bench [-- --runs N]; another Node: /path/to/node --import tsx bench/startup.ts
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {cpus, loadavg, tmpdir, totalmem} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {cleanupMeasure, median, rssMethod, runNode, type Sample} from './measure.js'
import {LARGE_APP, SMALL_APP, startBenchServer} from './server.js'

interface Case {
  name: string
  args: string[]
  /** Runs with an empty cache folder, as the first run on a machine. */
  firstRun?: boolean
  /** Why a run's output is not what the command should print, if it is not. */
  check(sample: Sample): string | undefined
}

interface Target {
  label: string
  value(stats: Map<string, Stats>): number | undefined
  max: number
}

interface Stats {
  ms: number
  minMs: number
  rssKb?: number
}

const root = fileURLToPath(new URL('..', import.meta.url))
const aka = join(root, 'bin', 'run.js')

const runsFlag = process.argv.indexOf('--runs')
const runs = runsFlag === -1 ? 15 : Number(process.argv[runsFlag + 1])
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of runs')
if (!existsSync(join(root, 'dist', 'aka.cjs'))) {
  throw new Error('dist/ is missing: run `npm run build` first (the benchmark measures the built CLI)')
}
const hasScale = existsSync(join(root, 'dist', 'commands', 'ps', 'scale.js'))

const exitedZero = (sample: Sample) => (sample.code === 0 ? undefined : `exit ${sample.code}: ${sample.stderr.trim()}`)
const dynoLines = (sample: Sample) => sample.stdout.split('\n').filter(line => /^(web|worker\d*)\.\S+ {2}/.test(line)).length
const psCheck = (dynos: number) => (sample: Sample) => exitedZero(sample)
  ?? (dynoLines(sample) === dynos ? undefined : `printed ${dynoLines(sample)} dyno rows, not ${dynos}`)

const cases: Case[] = [
  {name: 'node -e 0', args: ['-e', '0'], check: exitedZero},
  {name: 'aka --version', args: [aka, '--version'], check: sample => exitedZero(sample) ?? (sample.stdout.startsWith('aka/') ? undefined : 'no version')},
  {name: 'aka ps --help', args: [aka, 'ps', '--help'], check: sample => exitedZero(sample) ?? (sample.stdout.includes('USAGE') ? undefined : 'no usage')},
  {name: 'aka ps (10 dynos)', args: [aka, 'ps', '-a', SMALL_APP], check: psCheck(10)},
  {name: 'aka ps (1,024 dynos)', args: [aka, 'ps', '-a', LARGE_APP], check: psCheck(1024)},
  {name: 'aka ps (10), first run', args: [aka, 'ps', '-a', SMALL_APP], check: psCheck(10), firstRun: true},
]
if (hasScale) cases.push({name: 'aka ps:scale web=3', args: [aka, 'ps:scale', 'web=3', '-a', SMALL_APP], check: exitedZero})

const ratioTo = (name: string, base: string, field: 'ms' | 'rssKb') => (stats: Map<string, Stats>) => {
  const value = stats.get(name)?.[field]
  const against = stats.get(base)?.[field]
  return value === undefined || against === undefined ? undefined : value / against
}

const targets: Target[] = [
  {label: 'aka --version ≤ 1.6 × node', value: ratioTo('aka --version', 'node -e 0', 'ms'), max: 1.6},
  {label: 'aka ps --help ≤ 3.0 × node', value: ratioTo('aka ps --help', 'node -e 0', 'ms'), max: 3.0},
  {label: 'aka ps (10) ≤ 4.0 × node', value: ratioTo('aka ps (10 dynos)', 'node -e 0', 'ms'), max: 4.0},
  {label: 'aka ps (1,024) ≤ 2.0 × ps (10)', value: ratioTo('aka ps (1,024 dynos)', 'aka ps (10 dynos)', 'ms'), max: 2.0},
  {label: 'peak RSS ps (1,024) ≤ 1.5 × ps (10)', value: ratioTo('aka ps (1,024 dynos)', 'aka ps (10 dynos)', 'rssKb'), max: 1.5},
  {label: 'aka ps:scale web=3 ≤ 3.6 × node', value: ratioTo('aka ps:scale web=3', 'node -e 0', 'ms'), max: 3.6},
  {label: 'aka ps (10), first run (no cache) ≤ 8 × node', value: ratioTo('aka ps (10), first run', 'node -e 0', 'ms'), max: 8},
]

const server = await startBenchServer()
const home = mkdtempSync(join(tmpdir(), 'aka-bench-home-'))
// Only what aka needs: no real config, netrc, NODE_OPTIONS or colour settings leak in. SHELL is
// passed as a login shell would set it (oclif reads it at start-up), and NODE_DISABLE_COMPILE_CACHE
// so that `NODE_DISABLE_COMPILE_CACHE=1 npm run bench` measures aka without its compile cache.
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  SHELL: process.env.SHELL ?? '/bin/sh',
  HOME: home,
  AKKERIS_API_HOST: server.url,
  AKKERIS_AUTH_HOST: server.url,
  API_TOKEN: 'bench-token',
}
if (process.env.NODE_DISABLE_COMPILE_CACHE) env.NODE_DISABLE_COMPILE_CACHE = process.env.NODE_DISABLE_COMPILE_CACHE

// A first run gets a cache folder of its own that is empty (aka writes its cache there as it ends).
let firstRuns = 0
const envFor = (entry: Case): NodeJS.ProcessEnv => entry.firstRun ? {...env, XDG_CACHE_HOME: join(home, `first-run-${firstRuns++}`)} : env

try {
  const times = new Map<string, number[]>(cases.map(entry => [entry.name, []]))
  const memory = new Map<string, number[]>(cases.map(entry => [entry.name, []]))
  const record = (entry: Case, sample: Sample) => {
    const problem = entry.check(sample)
    if (problem) throw new Error(`${entry.name}: ${problem}`)
  }
  // One untimed round warms the file cache and fills the compile cache in the fresh HOME, as a first run would.
  for (const entry of cases) record(entry, await runNode(entry.args, {env: envFor(entry), cwd: home}))
  for (let round = 0; round < runs; round++) {
    // Rotating the starting command spreads any effect of order over every command alike.
    for (let index = 0; index < cases.length; index++) {
      const entry = cases[(index + round) % cases.length]
      const timed = await runNode(entry.args, {env: envFor(entry), cwd: home})
      record(entry, timed)
      times.get(entry.name)!.push(timed.ms)
      const measured = await runNode(entry.args, {env: envFor(entry), cwd: home, rss: true})
      record(entry, measured)
      if (measured.rssKb !== undefined) memory.get(entry.name)!.push(measured.rssKb)
    }
  }
  if (server.unexpected.length > 0) throw new Error(`the server got requests outside the contract: ${[...new Set(server.unexpected)].join(', ')}`)

  const stats = new Map<string, Stats>()
  for (const entry of cases) {
    const samples = times.get(entry.name)!
    const rss = memory.get(entry.name)!
    stats.set(entry.name, {ms: median(samples), minMs: Math.min(...samples), rssKb: rss.length > 0 ? median(rss) : undefined})
  }
  const node = stats.get('node -e 0')!.ms
  const load = loadavg().map(value => value.toFixed(1)).join(' ')
  console.log(`${new Date().toISOString().slice(0, 10)} · node ${process.version} · ${cpus().length} CPUs (${cpus()[0]?.model.trim()}) · ${(totalmem() / 2 ** 30).toFixed(1)} GiB · ${runs} runs each, round-robin · load average ${load}`)
  console.log(`peak RSS: ${rssMethod}; compile cache ${env.NODE_DISABLE_COMPILE_CACHE ? 'off' : 'on'}\n`)
  console.log('| command | median ms | min ms | × node -e 0 | peak RSS MiB |')
  console.log('|---|---:|---:|---:|---:|')
  for (const entry of cases) {
    const {ms, minMs, rssKb} = stats.get(entry.name)!
    console.log(`| \`${entry.name}\` | ${ms.toFixed(1)} | ${minMs.toFixed(1)} | ${(ms / node).toFixed(2)} | ${rssKb === undefined ? '-' : (rssKb / 1024).toFixed(1)} |`)
  }
  console.log('')
  const verdicts = targets.map(target => {
    const value = target.value(stats)
    const verdict = value === undefined ? 'not measured' : value <= target.max ? 'holds' : 'MISSED'
    console.log(`- ${target.label}: ${value === undefined ? '-' : value.toFixed(2)} → ${verdict}`)
    return {label: target.label, verdict}
  })
  const held = verdicts.filter(entry => entry.verdict === 'holds').length
  const missed = verdicts.filter(entry => entry.verdict !== 'holds').map(entry => `${entry.label} (${entry.verdict})`)
  const all = missed.length === 0 ? `every target holds (${held} of ${verdicts.length})` : `${held} of ${verdicts.length} targets hold; not held: ${missed.join('; ')}`
  console.log(`\nOn node ${process.version}: ${all}`)
} finally {
  await server.close()
  rmSync(home, {recursive: true, force: true})
  cleanupMeasure()
}
