// Starting and stopping the local platform: state folder, token, database, runtime and API server.
import {randomBytes} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {userInfo} from 'node:os'
import {join} from 'node:path'

import {type LocalPlatformRecord, PLATFORM_RECORD, readLocalPlatform, TOKEN_FILE} from '../config/local.js'
import type {GatewayAccount} from '../api/types.js'
import type {PlatformStore, Runtime} from './contract.js'
import {LogSessions} from './log-sessions.js'
import {findRoute} from './routes/context.js'
import {stableId} from './routes/present.js'
import {releaseRoutes} from './routes/releases.js'
import {createApiServer} from './server.js'
import {Store} from './store.js'

export type RuntimeFactory = (store: PlatformStore, options: {log: (line: string) => void, host: string, deadlineMs?: number}) => Runtime

export interface PlatformOptions {
  /** The state folder (created 0700). */
  home: string
  /** 0 picks a free port. */
  port: number
  host?: string
  createRuntime: RuntimeFactory
  log: (line: string) => void
  /** How long a new dyno of a deployment may take to become ready (the runtime's default when absent). */
  deadlineMs?: number
}

export interface RunningPlatform {
  url: string
  port: number
  token: string
  home: string
  store: Store
  runtime: Runtime
  /** Stops the server, then the runtime (and its dynos), closes the database and removes platform.json. */
  stop(): Promise<void>
}

export const DATABASE_FILE = 'platform.db'
export const SLUGS_DIR = 'slugs'

/** The platform's token: kept across starts so that clients pointed at it keep working. */
function ensureToken(home: string): string {
  const file = join(home, TOKEN_FILE)
  const existing = existsSync(file) ? readFileSync(file, 'utf8').trim() : ''
  const token = existing || randomBytes(32).toString('hex')
  if (!existing) writeFileSync(file, token + '\n', {mode: 0o600})
  chmodSync(file, 0o600)
  return token
}

function writeRecord(home: string, record: LocalPlatformRecord): void {
  const file = join(home, PLATFORM_RECORD)
  writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 2) + '\n', {mode: 0o600})
  renameSync(`${file}.tmp`, file)
}

function removeRecord(home: string): void {
  const file = join(home, PLATFORM_RECORD)
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as LocalPlatformRecord
    if (record.pid === process.pid) rmSync(file, {force: true})
  } catch {
    // no record, or not ours to remove
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

export class PlatformRunningError extends Error {
  constructor(readonly record: LocalPlatformRecord) {
    super(`The local platform already runs at ${record.url} (pid ${record.pid})`)
    this.name = 'PlatformRunningError'
  }
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const {home, log} = options
  const host = options.host ?? '127.0.0.1'
  mkdirSync(home, {recursive: true, mode: 0o700})
  chmodSync(home, 0o700)
  const running = readLocalPlatform({AKKERIS_LOCAL_HOME: home})
  if (running) throw new PlatformRunningError(running)
  const token = ensureToken(home)
  const slugsDir = join(home, SLUGS_DIR)
  mkdirSync(slugsDir, {recursive: true, mode: 0o700})
  const store = new Store(join(home, DATABASE_FILE))
  const runtime = options.createRuntime(store, {log, host, ...(options.deadlineMs === undefined ? {} : {deadlineMs: options.deadlineMs})})
  const logSessions = new LogSessions(home, host, findRoute(releaseRoutes, 'GET', '/apps/:app/logs'))
  const account = localAccount(home, new Date().toISOString())
  const server = createApiServer({store, runtime, slugsDir, log, account, logSessions}, token)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port, host, () => resolve())
    })
  } catch (error) {
    await runtime.stop()
    store.close()
    throw error
  }
  const {port} = server.address() as AddressInfo
  const url = `http://${host}:${port}`
  writeRecord(home, {pid: process.pid, port, url, started_at: new Date().toISOString()})
  let stopping: Promise<void> | undefined
  return {
    url, port, token, home, store, runtime,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>(resolve => server.close(() => resolve()))
        // Log streams never end on their own.
        server.closeAllConnections()
        await Promise.all([closed, logSessions.close()])
        await runtime.stop()
        store.close()
        removeRecord(home)
      })()
      return stopping
    },
  }
}
