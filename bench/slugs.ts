// Builds of a folder with a 100 MiB node_modules (issue 9): disk the state folder gains with the first
// deploy, with redeploys of the unchanged folder, and with a redeploy after one file changed; the
// time of each build; the platform's RSS and the API's slowest answer while it builds. It starts its
// own detached platform in a temporary state folder with the built CLI and stops it at the end.
// Usage: npm run build && node --import tsx bench/slugs.ts [files] [MiB]
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, cpus, totalmem, tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {pathToFileURL} from 'node:url'

import {PlatformApi, processUsage, sleep, startDetachedPlatform, stopPlatform} from './platform-tools.js'

const FILES = Number(process.argv[2] ?? 5000)
const MIB = Number(process.argv[3] ?? 100)
const APP = 'bench-default'
const UNCHANGED_REDEPLOYS = 3

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2)

/** Bytes the folder takes on disk (`du`, which counts a hard-linked file once). */
const diskUsage = (dir: string) => Number(execFileSync('du', ['-s', '-B1', dir], {encoding: 'utf8'}).split('\t')[0])

/** A deterministic generator (mulberry32), so every run deploys the same folder. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

/**
 * A node_modules of `files` files in packages of 20 files (package.json, index.js, lib/, lib/util/,
 * some with dist/), sizes spread log-uniformly from 200 B to 2 MiB, then scaled to `total` bytes.
 */
function generateApp(dir: string, files: number, total: number): {files: number, folders: number} {
  const next = random(9)
  const sizes = Array.from({length: files}, () => Math.exp(Math.log(200) + next() * (Math.log(2 * 2 ** 20) - Math.log(200))))
  const scale = total / sizes.reduce((sum, size) => sum + size, 0)
  const folders = new Set<string>()
  const pool = Buffer.alloc(4 * 2 ** 20)
  for (let i = 0; i < pool.length; i += 4) pool.writeUInt32LE(Math.floor(next() * 2 ** 32), i)
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'Procfile'), 'worker: node worker.js\n')
  writeFileSync(join(dir, 'worker.js'), 'setInterval(() => {}, 1000)\n')
  sizes.forEach((size, index) => {
    const pkg = `node_modules/pkg${Math.floor(index / 20)}`
    const slot = index % 20
    const folder = slot < 2 ? pkg : slot < 10 ? `${pkg}/lib` : slot < 16 ? `${pkg}/lib/util` : (index / 20) % 2 < 1 ? `${pkg}/dist` : `${pkg}/lib`
    const name = slot === 0 ? 'package.json' : slot === 1 ? 'index.js' : `file${slot}.js`
    mkdirSync(join(dir, folder), {recursive: true})
    folders.add(folder)
    const length = Math.min(pool.length, Math.max(1, Math.round(size * scale)))
    const offset = Math.floor(next() * (pool.length - length))
    writeFileSync(join(dir, folder, name), pool.subarray(offset, offset + length))
  })
  return {files, folders: folders.size}
}

interface Deploy {
  ms: number
  added: number
  /** The API's slowest answer to GET /apps, polled every 20 ms during the build. */
  slowestApiMs: number
  rssMaxMiB: number
}

async function deploy(api: PlatformApi, source: string, state: string, pid: number): Promise<Deploy> {
  const before = diskUsage(state)
  let building = true
  let slowestApiMs = 0
  let rssMaxMiB = processUsage(pid).rssMiB
  const watch = (async () => {
    while (building) {
      const sent = performance.now()
      await api.get('/apps')
      slowestApiMs = Math.max(slowestApiMs, performance.now() - sent)
      rssMaxMiB = Math.max(rssMaxMiB, processUsage(pid).rssMiB)
      await sleep(20)
    }
  })()
  const began = performance.now()
  await api.call('POST', `/apps/${APP}/builds`, {url: pathToFileURL(source).href})
  const ms = performance.now() - began
  building = false
  await watch
  return {ms, added: diskUsage(state) - before, slowestApiMs, rssMaxMiB}
}

function report(label: string, result: Deploy, folderBytes: number): void {
  const percent = (100 * result.added / folderBytes).toFixed(3)
  console.log(`${label.padEnd(28)} ${(result.ms / 1000).toFixed(2).padStart(6)} s  ${mib(result.added).padStart(8)} MiB (${percent} % of the folder)  API max ${result.slowestApiMs.toFixed(0)} ms  RSS max ${result.rssMaxMiB.toFixed(0)} MiB`)
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'aka-bench-slugs-'))
  const home = join(root, 'home')
  const state = join(root, 'local')
  const source = join(root, 'app')
  mkdirSync(home)
  const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: home, AKKERIS_LOCAL_HOME: state, NO_COLOR: '1'}
  let pid: number | undefined
  try {
    const shape = generateApp(source, FILES, MIB * 2 ** 20)
    const folderBytes = diskUsage(source)
    const platform = await startDetachedPlatform(env)
    pid = platform.pid
    const {api} = platform
    console.log(`date ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cpus (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`)
    console.log(`folder: ${shape.files} files in ${shape.folders} folders of node_modules, ${mib(folderBytes)} MiB on disk (du)`)
    await api.call('POST', '/apps', {name: 'bench'})
    const idleRss = processUsage(pid).rssMiB
    console.log(`platform RSS before the builds ${idleRss.toFixed(0)} MiB\n`)
    report('first deploy', await deploy(api, source, state, pid), folderBytes)
    for (let round = 1; round <= UNCHANGED_REDEPLOYS; round++) report(`redeploy, unchanged (${round})`, await deploy(api, source, state, pid), folderBytes)
    writeFileSync(join(source, 'node_modules', 'pkg0', 'index.js'), 'module.exports = 2\n')
    report('redeploy, one file changed', await deploy(api, source, state, pid), folderBytes)
  } finally {
    await stopPlatform(env, pid)
    rmSync(root, {recursive: true, force: true})
  }
}

await main()
