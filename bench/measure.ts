// Runs one whole process and reports its wall time and, when asked, its peak resident memory.
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface Sample {
  ms: number
  /** Peak resident set size in KiB. */
  rssKb?: number
  code: number | null
  stdout: string
  stderr: string
}

const GNU_TIME = '/usr/bin/time'

// GNU time reads the child's peak RSS from wait4(): nothing is added to the measured process.
// Without it, a preloaded module asks the process itself (process.resourceUsage().maxRSS) at exit.
const SELF_REPORT = 'data:text/javascript,import {writeFileSync} from "node:fs";'
  + 'process.on("exit", () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)))'

export const rssMethod = existsSync(GNU_TIME)
  ? `${GNU_TIME} -f %M (the child's ru_maxrss from wait4)`
  : 'process.resourceUsage().maxRSS reported by the child at exit (--import preload)'

const scratch = mkdtempSync(join(tmpdir(), 'aka-bench-rss-'))
let counter = 0

export function cleanupMeasure(): void {
  rmSync(scratch, {recursive: true, force: true})
}

/**
 * Spawns `node ...args` and resolves when it has exited and closed its streams. Time runs from just
 * before the spawn to the exit event. `rss` wraps the run to read peak memory: such runs are not timed
 * against unwrapped ones, so callers keep the two kinds of sample apart.
 */
export function runNode(args: string[], options: {env: NodeJS.ProcessEnv, cwd: string, rss?: boolean}): Promise<Sample> {
  let file: string | undefined
  let command = process.execPath
  let argv = args
  const env = {...options.env}
  if (options.rss) {
    file = join(scratch, `rss-${counter++}`)
    if (existsSync(GNU_TIME)) {
      command = GNU_TIME
      argv = ['-f', '%M', '-o', file, process.execPath, ...args]
    } else {
      env.BENCH_RSS_FILE = file
      argv = ['--import', SELF_REPORT, ...args]
    }
  }
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    const started = process.hrtime.bigint()
    let ended = started
    const child = spawn(command, argv, {env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe']})
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', reject)
    child.on('exit', () => {
      ended = process.hrtime.bigint()
    })
    child.on('close', code => {
      const sample: Sample = {
        ms: Number(ended - started) / 1e6,
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }
      if (file) {
        const kb = Number(readFileSync(file, 'utf8').trim().split('\n').pop())
        if (Number.isFinite(kb)) sample.rssKb = kb
      }
      resolve(sample)
    })
  })
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
