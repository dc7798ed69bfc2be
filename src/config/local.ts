// Where the local platform keeps its state, and how the CLI finds a running one.
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

/** What a running local platform records in its state folder (`platform.json`). */
export interface LocalPlatformRecord {
  pid: number
  port: number
  url: string
  started_at: string
}

export const PLATFORM_RECORD = 'platform.json'
export const TOKEN_FILE = 'token'
/** The pid of the platform that holds the state folder's lock, written as soon as it holds it. */
export const PID_FILE = 'platform.pid'

export function akkerisHome(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME || homedir(), '.akkeris')
}

export function localHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.AKKERIS_LOCAL_HOME || join(akkerisHome(env), 'local')
}

/** Alive, and not a zombie: a killed platform whose parent never reaps it (an init that does not wait) is gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}

/** The record of a local platform whose process is alive, or undefined. */
export function readLocalPlatform(env: NodeJS.ProcessEnv = process.env): LocalPlatformRecord | undefined {
  const file = join(localHome(env), PLATFORM_RECORD)
  if (!existsSync(file)) return undefined
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as LocalPlatformRecord
    return isAlive(record.pid) ? record : undefined
  } catch {
    return undefined
  }
}

export function readLocalToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = join(localHome(env), TOKEN_FILE)
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined
}
