// One platform per state folder. The lock is SQLite's exclusive lock (a POSIX record lock) on
// `platform.lock`, held by an open transaction for the platform's whole life: the kernel releases
// it when the process ends, however it ends (kill -9 included), so there is no stale lock to detect
// and no window between checking and taking it.
import Database from 'better-sqlite3'
import {closeSync, openSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {isAlive, PID_FILE, readLocalPlatform} from '../../config/local.js'

const LOCK_FILE = 'platform.lock'

/** Who holds a state folder: its pid once written, its URL once it listens. */
interface LockHolder {
  pid?: number
  url?: string
}

class PlatformRunningError extends Error {
  constructor(readonly home: string, readonly holder: LockHolder) {
    super(holder.url ? `The local platform already runs at ${holder.url} (pid ${holder.pid})`
      : holder.pid ? `Another local platform (pid ${holder.pid}) is starting in ${home}`
        : `Another process holds the lock of the state folder ${home} (${LOCK_FILE})`)
    this.name = 'PlatformRunningError'
  }
}

export interface StateLock {
  /** Ends the lock's transaction and closes it: the next start may take the folder. */
  release(): void
}

/**
 * Takes the state folder's lock or throws PlatformRunningError naming the holder. Nothing else
 * in this process may open the lock file: closing any descriptor of a file drops every POSIX lock
 * the process holds on it (SQLite itself keeps track of its own connections).
 */
export function lockStateFolder(home: string): StateLock {
  const file = join(home, LOCK_FILE)
  // Created 0600 like everything else in the folder; an existing one is never opened outside SQLite.
  createPrivate(file)
  const db = new Database(file, {timeout: 0})
  try {
    // The transaction writes nothing: no journal file beside the lock.
    db.pragma('journal_mode = MEMORY')
    db.exec('BEGIN EXCLUSIVE')
  } catch (error) {
    db.close()
    if ((error as {code?: string}).code === 'SQLITE_BUSY') throw new PlatformRunningError(home, lockHolder(home))
    throw error
  }
  return {
    release: () => db.close(),
  }
}

/** Creates an empty file with mode 0600 unless it exists (as another start may just have made it). */
export function createPrivate(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}

function lockHolder(home: string): LockHolder {
  const record = readLocalPlatform({AKKERIS_LOCAL_HOME: home})
  if (record) return {pid: record.pid, url: record.url}
  try {
    const pid = Number(readFileSync(join(home, PID_FILE), 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? {pid} : {}
  } catch {
    return {}
  }
}
