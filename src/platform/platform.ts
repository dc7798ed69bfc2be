// Starting and stopping the local platform: state folder, token, database, runtime and API server.
import {createHash, randomBytes} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {type LocalPlatformRecord, PLATFORM_RECORD, readLocalPlatform, TOKEN_FILE} from '../config/local.js'
import type {PlatformStore, Runtime} from './contract.js'
import {createApiServer} from './server.js'
import {collectSlugGarbage, RETAINED_RELEASES} from './slug-cleanup.js'
import {Store} from './store.js'

/** `platformId`: the state folder's id, which every dyno process carries (see runtime/orphans.ts). */
type RuntimeFactory = (store: PlatformStore, options: {log: (line: string) => void, host: string, platformId: string, deadlineMs?: number}) => Runtime

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

const DATABASE_FILE = 'platform.db'
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

class PlatformRunningError extends Error {
  constructor(readonly record: LocalPlatformRecord) {
    super(`The local platform already runs at ${record.url} (pid ${record.pid})`)
    this.name = 'PlatformRunningError'
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
  // The folder's real path: a lost or deleted database still leaves the same id, so the next start finds every dyno process.
  const platformId = createHash('sha256').update(realpathSync(home)).digest('hex').slice(0, 16)
  await removeUnusedSlugs(slugsDir, store, log)
  const runtime = options.createRuntime(store, {log, host, platformId, ...(options.deadlineMs === undefined ? {} : {deadlineMs: options.deadlineMs})})
  const server = createApiServer({store, runtime, slugsDir, log}, token)
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
        await closed
        await runtime.stop()
        store.close()
        removeRecord(home)
      })()
      return stopping
    },
  }
}
