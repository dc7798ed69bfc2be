// The platform as a background process: `aka local:start --detach` starts it, `aka local:stop` ends it.
import {spawn} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {isAlive, type LocalPlatformRecord, readLocalPlatform, readLocalToken} from '../config/local.js'

const LOG_FILE = 'platform.log'
const PID_FILE = 'platform.pid'

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** How to run main: the built JavaScript, or from sources through tsx (bin/dev.js and tests). */
function entryArguments(): string[] {
  const here = fileURLToPath(import.meta.url)
  if (!here.endsWith('.ts')) return [join(dirname(here), 'main.js')]
  return ['--import', import.meta.resolve('tsx'), join(dirname(here), 'main.ts')]
}

async function answers(record: LocalPlatformRecord, token: string | undefined): Promise<boolean> {
  try {
    const response = await fetch(`${record.url}/apps`, {headers: token ? {authorization: `Bearer ${token}`} : {}, signal: AbortSignal.timeout(2000)})
    await response.arrayBuffer()
    return response.ok
  } catch {
    return false
  }
}

function lastLogLine(file: string): string {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []
  return (lines.at(-1) ?? '').replace(/^\S+Z /, '')
}

export class DetachError extends Error {
  constructor(message: string, readonly logFile: string) {
    super(message)
    this.name = 'DetachError'
  }
}

/**
 * Spawns the platform detached (its output appended to the log file, its pid in the pid file) and
 * resolves once `GET /apps` answers with the token.
 */
export async function startDetached(home: string, options: {port: number, deployTimeoutSeconds?: number}, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<LocalPlatformRecord> {
  const logFile = join(home, LOG_FILE)
  const homeEnv = {...env, AKKERIS_LOCAL_HOME: home}
  const output = openSync(logFile, 'a', 0o600)
  const deployTimeout = options.deployTimeoutSeconds === undefined ? [] : ['--deploy-timeout', String(options.deployTimeoutSeconds)]
  const child = spawn(process.execPath, [...entryArguments(), '--port', String(options.port), ...deployTimeout], {
    cwd: home, detached: true, env: homeEnv, stdio: ['ignore', output, output],
  })
  closeSync(output)
  let exitCode: number | null = null
  child.on('exit', code => {
    exitCode = code ?? 1
  })
  writeFileSync(join(home, PID_FILE), `${child.pid}\n`, {mode: 0o600})
  try {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (exitCode !== null) throw new DetachError(`The local platform did not start: ${lastLogLine(logFile)}`, logFile)
      const record = readLocalPlatform(homeEnv)
      if (record && record.pid === child.pid && await answers(record, readLocalToken(homeEnv))) return record
      await sleep(100)
    }
    child.kill('SIGTERM')
    throw new DetachError(`The local platform did not answer within ${timeoutMs / 1000} s`, logFile)
  } catch (error) {
    rmSync(join(home, PID_FILE), {force: true})
    throw error
  } finally {
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
  rmSync(pidFile, {force: true})
  return pid
}
