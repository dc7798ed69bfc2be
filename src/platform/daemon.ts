// The platform as a background process: `aka local:start --detach` starts it, `aka local:stop` ends it.
import {type ChildProcess, spawn} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {isAlive, type LocalPlatformRecord, PID_FILE, readLocalPlatform} from '../config/local.js'

/** A detached platform's log, in its state folder. */
export const LOG_FILE = 'platform.log'

/** What the detached platform tells its parent over IPC: it listens, or why it did not start. */
export type StartReport = {url: string} | {error: string, name: string, code?: string}

/** Errors whose message already says that the platform did not start, and why. */
const SELF_EXPLAINING = new Set(['PlatformRunningError', 'StateFolderError'])

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** How to run main: the built JavaScript, or from sources through tsx (bin/dev.js and tests). */
function entryArguments(): string[] {
  const here = fileURLToPath(import.meta.url)
  if (!here.endsWith('.ts')) return [join(dirname(here), 'main.js')]
  return ['--import', import.meta.resolve('tsx'), join(dirname(here), 'main.ts')]
}

export class DetachError extends Error {
  constructor(message: string, readonly logFile: string, readonly reason: {name?: string, code?: string} = {}) {
    super(message)
    this.name = 'DetachError'
  }
}

function isStartReport(message: unknown): message is StartReport {
  if (typeof message !== 'object' || message === null) return false
  const fields = message as Record<string, unknown>
  return typeof fields.url === 'string' || (typeof fields.error === 'string' && typeof fields.name === 'string')
}

/**
 * The child's own word on its start: its report, or its exit before one. The shared log file is
 * not read, since another platform starting in the same folder writes to it too.
 */
function childReport(child: ChildProcess, timeoutMs: number): Promise<StartReport> {
  return new Promise(resolve => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      resolve({error: `it did not listen within ${timeoutMs / 1000} s`, name: 'Timeout'})
    }, timeoutMs)
    const settle = (report: StartReport) => {
      clearTimeout(timer)
      resolve(report)
    }
    child.on('message', message => {
      if (isStartReport(message)) settle(message)
    })
    child.once('error', error => settle({error: error.message, name: error.name}))
    child.once('exit', (code, signal) => settle({error: `it exited (${signal ?? `code ${code}`}) before it listened`, name: 'Exit'}))
  })
}

/**
 * Spawns the platform detached (its output appended to the log file) and resolves with its record
 * once it reports that it listens; the platform writes its own pid file once it holds the state
 * folder's lock.
 */
export async function startDetached(home: string, options: {port: number, deployTimeoutSeconds?: number}, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<LocalPlatformRecord> {
  const logFile = join(home, LOG_FILE)
  const homeEnv = {...env, AKKERIS_LOCAL_HOME: home}
  const output = openSync(logFile, 'a', 0o600)
  const deployTimeout = options.deployTimeoutSeconds === undefined ? [] : ['--deploy-timeout', String(options.deployTimeoutSeconds)]
  const child = spawn(process.execPath, [...entryArguments(), '--port', String(options.port), ...deployTimeout], {
    cwd: home, detached: true, env: homeEnv, stdio: ['ignore', output, output, 'ipc'],
  })
  closeSync(output)
  try {
    const report = await childReport(child, timeoutMs)
    if ('error' in report) {
      const message = SELF_EXPLAINING.has(report.name) ? report.error : `The local platform did not start: ${report.error}`
      throw new DetachError(message, logFile, {name: report.name, code: report.code})
    }
    const record = readLocalPlatform(homeEnv)
    if (!record || record.pid !== child.pid) throw new DetachError(`The local platform at ${report.url} did not record itself in ${home}`, logFile)
    return record
  } finally {
    if (child.connected) child.disconnect()
    child.unref()
  }
}

/** SIGTERM to the running platform, then waits until it is gone; the pid it stopped, or undefined when none ran. */
export async function stopPlatform(home: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<number | undefined> {
  const pidFile = join(home, PID_FILE)
  const fromFile = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : Number.NaN
  const pid = readLocalPlatform({...env, AKKERIS_LOCAL_HOME: home})?.pid ?? (Number.isInteger(fromFile) && isAlive(fromFile) ? fromFile : undefined)
  if (pid === undefined || !isAlive(pid)) {
    rmSync(pidFile, {force: true})
    return undefined
  }
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + timeoutMs
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`The local platform (pid ${pid}) did not stop within ${timeoutMs / 1000} s`)
    await sleep(100)
  }
  return pid
}
