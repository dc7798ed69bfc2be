// Where one aka run spends its time: runs it under `node --cpu-prof` against the benchmark server and
// charges each sample to the package whose code caused it (the innermost frame outside Node's own
// internals), then lists the hottest functions. Needs `npm run build` first.
// Usage: node --import tsx bench/profile.ts [aka arguments]   (default: ps -a bench-small)
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {runNode} from './measure.js'
import {SMALL_APP, startBenchServer} from './server.js'

interface ProfileNode {
  id: number
  callFrame: {functionName: string, url: string, lineNumber: number}
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const VM_STATES = new Set(['(garbage collector)', '(idle)', '(program)'])

/** The package a script belongs to; undefined for Node's internals and the compile cache's wrapper. */
function owner(url: string): string | undefined {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (dependency) return dependency[1]
  if (url.includes('compile-cache') || url.endsWith('/dist/boot.cjs')) return undefined
  if (url.includes('/dist/')) return `aka ${url.replace(/.*\/dist\//, '')}`
  if (url.includes('/bin/')) return 'aka bin'
  return undefined
}

function summarise(profile: CpuProfile): {byOwner: [string, number][], byFunction: [string, number][], total: number} {
  const nodes = new Map(profile.nodes.map(node => [node.id, node]))
  const parents = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id)
  const byOwner = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0
    total += micros
    const frame = nodes.get(id)!.callFrame
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros)
    let charged = VM_STATES.has(frame.functionName) ? frame.functionName : undefined
    for (let current: number | undefined = id; !charged && current !== undefined; current = parents.get(current)) {
      charged = owner(nodes.get(current)!.callFrame.url)
    }
    charged ??= 'node start-up and internals'
    byOwner.set(charged, (byOwner.get(charged) ?? 0) + micros)
  })
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1])
  return {byOwner: sorted(byOwner), byFunction: sorted(byFunction), total}
}

const args = process.argv.length > 2 ? process.argv.slice(2) : ['ps', '-a', SMALL_APP]
const aka = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const server = await startBenchServer()
const home = mkdtempSync(join(tmpdir(), 'aka-profile-home-'))
const profiles = mkdtempSync(join(tmpdir(), 'aka-profile-'))
const env = {PATH: process.env.PATH, SHELL: process.env.SHELL ?? '/bin/sh', HOME: home, AKKERIS_API_HOST: server.url, AKKERIS_AUTH_HOST: server.url, API_TOKEN: 'bench-token'}
try {
  // The first run fills the compile cache, as for the benchmark.
  await runNode([aka, ...args], {env, cwd: home})
  const run = await runNode(['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', profiles, aka, ...args], {env, cwd: home})
  if (run.code !== 0) throw new Error(`aka ${args.join(' ')} exited ${run.code}: ${run.stderr.trim()}`)
  const file = readdirSync(profiles).find(name => name.endsWith('.cpuprofile'))
  if (!file) throw new Error('node wrote no profile')
  const {byOwner, byFunction, total} = summarise(JSON.parse(readFileSync(join(profiles, file), 'utf8')) as CpuProfile)
  const ms = (micros: number) => (micros / 1000).toFixed(1).padStart(7)
  console.log(`aka ${args.join(' ')}: ${run.ms.toFixed(0)} ms wall (profiled, so slower than the benchmark), ${ms(total).trim()} ms sampled\n`)
  console.log('by package (the code that caused the work, module loading included):')
  for (const [name, micros] of byOwner.slice(0, 20)) console.log(`${ms(micros)} ms ${(100 * micros / total).toFixed(0).padStart(3)} %  ${name}`)
  console.log('\nhottest functions (self time):')
  for (const [name, micros] of byFunction.slice(0, 15)) console.log(`${ms(micros)} ms  ${name}`)
} finally {
  await server.close()
  rmSync(home, {recursive: true, force: true})
  rmSync(profiles, {recursive: true, force: true})
}
