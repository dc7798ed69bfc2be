// CPU time (user + sys, from GNU time) of whole `aka` processes beside `node -e 0`: on a machine
// shared with other work, CPU time is disturbed far less than wall time (bench/README.md).
// Usage: node --import tsx bench/startup-cpu.ts ROUNDS BIN... (each BIN an aka bin/run.js, e.g. of
// an older checkout, to compare); same server and environment as bench/startup.ts.
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {LARGE_APP, SMALL_APP, startBenchServer} from './server.js'

const GNU_TIME = '/usr/bin/time'
const rounds = Number(process.argv[2])
const bins = process.argv.slice(3)
if (!Number.isInteger(rounds) || rounds < 1 || bins.length === 0) throw new Error('usage: bench/startup-cpu.ts ROUNDS BIN...')
if (!existsSync(GNU_TIME)) throw new Error('needs GNU time at /usr/bin/time')

const server = await startBenchServer()
const home = mkdtempSync(join(tmpdir(), 'aka-bench-cpu-'))
const env = {PATH: process.env.PATH, SHELL: process.env.SHELL ?? '/bin/sh', HOME: home, AKKERIS_API_HOST: server.url, AKKERIS_AUTH_HOST: server.url, API_TOKEN: 'bench-token'}
// Each bin keeps its code cache in a folder of its own: two builds sharing one would replace each
// other's cache on every run (the cache is for one bundle), and every run would compile.
const cases: [string, string[], string][] = [['node -e 0', ['-e', '0'], join(home, 'cache-node')]]
bins.forEach((bin, index) => {
  const cache = join(home, `cache-${index}`)
  cases.push(
    [`${bin} ps --help`, [bin, 'ps', '--help'], cache],
    [`${bin} ps (10)`, [bin, 'ps', '-a', SMALL_APP], cache],
    [`${bin} ps (1,024)`, [bin, 'ps', '-a', LARGE_APP], cache],
    [`${bin} ps:scale web=3`, [bin, 'ps:scale', 'web=3', '-a', SMALL_APP], cache],
  )
})
const output = join(home, 'time')

function cpuMs(args: string[], cache: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(GNU_TIME, ['-f', '%U %S', '-o', output, process.execPath, ...args], {env: {...env, XDG_CACHE_HOME: cache}, cwd: home, stdio: 'ignore'})
    child.on('error', reject)
    child.on('close', code => {
      if (code !== 0) return reject(new Error(`${args.join(' ')}: exit ${code}`))
      const [user, system] = readFileSync(output, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
      resolve(1000 * (user + system))
    })
  })
}

try {
  // One untimed round fills the caches, as in bench/startup.ts.
  for (const [, args, cache] of cases) await cpuMs(args, cache)
  const samples = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const [name, args, cache] of cases) samples.get(name)!.push(await cpuMs(args, cache))
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
  const node = mean(samples.get('node -e 0')!)
  console.log(`node ${process.version}, ${rounds} rounds, mean CPU time (user + sys)\n`)
  console.log('| process | CPU ms | × node -e 0 |\n|---|---:|---:|')
  for (const [name, values] of samples) console.log(`| \`${name}\` | ${mean(values).toFixed(1)} | ${(mean(values) / node).toFixed(2)} |`)
} finally {
  await server.close()
  rmSync(home, {recursive: true, force: true})
}
