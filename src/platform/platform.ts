// Starting and stopping the local platform: state folder, lock, token, database, runtime and API server.
import {createHash, randomBytes} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {userInfo} from 'node:os'
import {join} from 'node:path'

import {type LocalPlatformRecord, PID_FILE, PLATFORM_RECORD, TOKEN_FILE} from '../config/local.js'
import type {GatewayAccount} from '../api/types.js'
import type {PlatformStore, Runtime} from './contract.js'
import {LogSessions} from './api/log-sessions.js'
import {findRoute} from './api/routes/context.js'
import {stableId} from './api/routes/present.js'
import {logRoutes} from './api/routes/logs.js'
import {createApiServer, type ServerTimeouts} from './api/server.js'
import type {DeliveryLimits} from './runtime/log-delivery.js'
import {collectSlugGarbage, RETAINED_RELEASES} from './store/slug-cleanup.js'
import {createPrivate, lockStateFolder, type StateLock} from './store/state-lock.js'
import {guardRuntimeStore, storageFault} from './store/storage-fault.js'
import {Store} from './store/store.js'


/** `platformId`: the state folder's id, which every dyno process carries (see runtime/orphans.ts). */
type RuntimeFactory = (store: PlatformStore, options: {log: (line: string) => void, host: string, platformId: string, deadlineMs?: number}) => Runtime

export interface PlatformOptions {
  /** The state folder (created 0700 when it does not exist; an existing one keeps its mode). */
  home: string
  /** 0 picks a free port. */
  port: number
  host?: string
  createRuntime: RuntimeFactory
  log: (line: string) => void
  /** How long a new dyno of a deployment may take to become ready (the runtime's default when absent). */
  deadlineMs?: number
  /** The API server's timeouts (its defaults when absent). */
  serverTimeouts?: ServerTimeouts
  /** What a log reader's connection may hold back (log-delivery.ts's limits when absent). */
  logDelivery?: DeliveryLimits
}

export interface RunningPlatform {
  url: string
  port: number
  token: string
  home: string
  store: Store
  runtime: Runtime
  /** Stops the server, then the runtime (and its dynos), closes the database, removes platform.json and releases the lock. */
  stop(): Promise<void>
}

const DATABASE_FILE = 'platform.db'
export const SLUGS_DIR = 'slugs'

/** A storage fault while starting: the state folder cannot be written. */
class StateFolderError extends Error {
  constructor(message: string, options: ErrorOptions) {
    super(message, options)
    this.name = 'StateFolderError'
  }
}

/** The platform's token: kept across starts so that clients pointed at it keep working. */
function ensureToken(home: string): string {
  const file = join(home, TOKEN_FILE)
  const existing = existsSync(file) ? readFileSync(file, 'utf8').trim() : ''
  const token = existing || randomBytes(32).toString('hex')
  if (!existing) writeFileSync(file, token + '\n', {mode: 0o600})
  chmodSync(file, 0o600)
  return token
}

/** The database holds config vars (secrets): 0600 whatever the folder's mode; SQLite gives its -wal and -shm files the same mode. */
function openStore(home: string): Store {
  const file = join(home, DATABASE_FILE)
  createPrivate(file)
  chmodSync(file, 0o600)
  return new Store(file)
}

function writePrivate(home: string, name: string, text: string): void {
  const file = join(home, name)
  writeFileSync(`${file}.tmp`, text, {mode: 0o600})
  renameSync(`${file}.tmp`, file)
}

function writeRecord(home: string, record: LocalPlatformRecord): void {
  writePrivate(home, PLATFORM_RECORD, JSON.stringify(record, null, 2) + '\n')
}

/** Removes what this platform wrote about itself; while it holds the lock no other platform can have replaced them. */
function removeRecords(home: string): void {
  for (const name of [PLATFORM_RECORD, PID_FILE]) rmSync(join(home, name), {force: true})
}

/** Runs one step of the start; a storage fault becomes a StateFolderError with the one-line message. */
function starting<T>(home: string, step: () => T): T {
  try {
    return step()
  } catch (error) {
    const message = storageFault(error, home, true)
    throw message ? new StateFolderError(message, {cause: error}) : error
  }
}

/** Before any build can run: interrupted builds' copies, and slugs no release keeps (a failure here never prevents a start). */
async function removeUnusedSlugs(slugsDir: string, store: Store, log: (line: string) => void): Promise<void> {
  try {
    const removed = await collectSlugGarbage(slugsDir, store.slugDirsInUse(RETAINED_RELEASES))
    if (removed.length > 0) log(`removed ${removed.length} unused or partial slugs: ${removed.slice(0, 5).join(', ')}${removed.length > 5 ? ', ...' : ''}`)
  } catch (error) {
    log(`could not remove unused slugs: ${(error as Error).message}`)
  }
}

/** The one account of a local platform: the user running it, since its token was made. */
function localAccount(home: string, startedAt: string): GatewayAccount {
  let name: string
  try {
    name = userInfo().username
  } catch {
    name = process.env.USER || 'local'
  }
  const created = statSync(join(home, TOKEN_FILE)).mtime.toISOString()
  return {
    allow_tracking: false, beta: false, created_at: created, email: '', id: stableId(`account ${name}`), last_login: startedAt,
    name, sms_number: null, suspended_at: null, delinquent_at: null, two_factor_authentication: false, updated_at: created, verified: true,
  }
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const {home, log} = options
  const host = options.host ?? '127.0.0.1'
  // Only a folder this creates is made 0700: an existing one (a shared folder, say) keeps its mode.
  starting(home, () => mkdirSync(home, {recursive: true, mode: 0o700}))
  const lock: StateLock = starting(home, () => lockStateFolder(home))
  let store: Store | undefined
  let runtime: Runtime | undefined
  let server: ReturnType<typeof createApiServer> | undefined
  try {
    const token = starting(home, () => {
      writePrivate(home, PID_FILE, `${process.pid}\n`)
      mkdirSync(join(home, SLUGS_DIR), {recursive: true, mode: 0o700})
      return ensureToken(home)
    })
    const opened = starting(home, () => openStore(home))
    store = opened
    // The folder's real path: a lost or deleted database still leaves the same id, so the next start finds every dyno process.
    const platformId = createHash('sha256').update(realpathSync(home)).digest('hex').slice(0, 16)
    await removeUnusedSlugs(join(home, SLUGS_DIR), opened, log)
    runtime = options.createRuntime(guardRuntimeStore(opened, home, log), {log, host, platformId, ...(options.deadlineMs === undefined ? {} : {deadlineMs: options.deadlineMs})})
    const logSessions = new LogSessions(home, host, findRoute(logRoutes, 'GET', '/apps/:app/logs'))
    const account = starting(home, () => localAccount(home, new Date().toISOString()))
    const api = createApiServer({store: opened, runtime, slugsDir: join(home, SLUGS_DIR), home, log, account, logSessions, logDelivery: options.logDelivery}, token, options.serverTimeouts)
    server = api
    await new Promise<void>((resolve, reject) => {
      api.once('error', reject)
      api.listen(options.port, host, () => {
        api.off('error', reject)
        // A later error (an accept that fails) is the server's, not the end of the platform.
        api.on('error', error => log(`API server error: ${error.message}`))
        resolve()
      })
    })
    const {port} = api.address() as AddressInfo
    const url = `http://${host}:${port}`
    starting(home, () => writeRecord(home, {pid: process.pid, port, url, started_at: new Date().toISOString()}))
    return running({url, port, token, home, store: opened, runtime, server: api, lock, log, logSessions})
  } catch (error) {
    if (server?.listening) await new Promise(resolve => server?.close(resolve))
    await runtime?.stop()
    closeQuietly(store, log)
    removeRecords(home)
    lock.release()
    throw error
  }
}

function closeQuietly(store: Store | undefined, log: (line: string) => void): void {
  try {
    store?.close()
  } catch (error) {
    // The last checkpoint of a full disk: the WAL keeps what it could not write back, for the next start.
    log(`closing the database: ${(error as Error).message}`)
  }
}

interface Parts extends Omit<RunningPlatform, 'stop'> {
  server: ReturnType<typeof createApiServer>
  lock: StateLock
  log: (line: string) => void
  logSessions: LogSessions
}

function running(parts: Parts): RunningPlatform {
  const {server, lock, log, logSessions, ...platform} = parts
  let stopping: Promise<void> | undefined
  return {
    ...platform,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>(resolve => server.close(() => resolve()))
        // Log streams never end on their own.
        server.closeAllConnections()
        await Promise.all([closed, logSessions.close()])
        await platform.runtime.stop()
        closeQuietly(platform.store, log)
        removeRecords(platform.home)
        lock.release()
      })()
      return stopping
    },
  }
}
