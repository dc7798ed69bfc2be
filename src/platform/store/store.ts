// The platform's desired state in SQLite (better-sqlite3, WAL): apps, formations, releases, config vars,
// and what the runtime records (deployments, processes, router ports). Implements PlatformStore.
import Database from 'better-sqlite3'
import {randomUUID} from 'node:crypto'

import type {AppRecord, DeploymentRecord, DesiredApp, DynoDefinition, FormationRecord, PlatformStore, ProcessRecord, ReleaseRecord, ScheduleRecord} from '../contract.js'
import {memoryLimitBytes} from './sizes.js'
import {MIGRATIONS} from './store-schema.js'

export interface NamedRow {
  id: string
  name: string
}

/** A release as stored: its build (shared by the releases that reuse it) and its config vars. */
export interface StoredRelease extends ReleaseRecord {
  buildId: string | null
  /** The config vars it was released with; null for a release recorded before they were kept. */
  config: Record<string, string> | null
}

export interface BuildRow {
  id: string
  app_id: string
  release_id: string
  url: string
  created_at: string
}

/** A deployment row with the release its recorded definition names (null when it recorded none). */
export interface DeploymentHistoryRow extends Omit<DeploymentRecord, 'appId' | 'definition'> {
  releaseId: string | null
}

export type FormationFields = Pick<FormationRecord, 'type' | 'command' | 'quantity' | 'size' | 'port' | 'healthcheck'> & Partial<Pick<FormationRecord, 'schedule' | 'timezone'>>
export type FormationChanges = Partial<Omit<FormationRecord, 'id' | 'type' | 'created_at' | 'updated_at'>>

interface ScheduleRow {
  last_tick: number | null
  next_at: number | null
  runs: number
  dyno: string | null
  started_at: number | null
  ended_at: number | null
  exit_code: number | null
  signal: string | null
}

interface ReleaseRow {
  id: string
  version: number
  slug_dir: string
  default_commands: string
  description: string
  created_at: string
  build_id: string | null
  config: string | null
}

interface DeploymentRow {
  app_id: string
  type: string
  id: string
  state: DeploymentRecord['state']
  reason: string | null
  created_at: string
  updated_at: string
}

const now = (): string => new Date().toISOString()

function toRelease(row: ReleaseRow): StoredRelease {
  return {
    id: row.id,
    version: row.version,
    slugDir: row.slug_dir,
    defaultCommands: JSON.parse(row.default_commands) as Record<string, string>,
    description: row.description,
    created_at: row.created_at,
    buildId: row.build_id,
    config: row.config === null ? null : JSON.parse(row.config) as Record<string, string>,
  }
}

function toDeployment(row: DeploymentRow): DeploymentRecord {
  return {id: row.id, appId: row.app_id, type: row.type, state: row.state, reason: row.reason, created_at: row.created_at, updated_at: row.updated_at}
}

const FORMATION_COLUMNS = 'id, type, command, quantity, size, port, healthcheck, schedule, timezone, created_at, updated_at'

export class Store implements PlatformStore {
  private readonly db: Database.Database
  private readonly statements = new Map<string, Database.Statement>()

  constructor(file: string) {
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 5000')
    this.migrate()
  }

  close(): void {
    this.db.close()
  }

  /** Runs `work` in one transaction: all its writes or none. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)()
  }

  private migrate(): void {
    const applied = this.db.pragma('user_version', {simple: true}) as number
    for (let index = applied; index < MIGRATIONS.length; index++) {
      this.transaction(() => {
        this.db.exec(MIGRATIONS[index])
        this.db.pragma(`user_version = ${index + 1}`)
      })
    }
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text)
    if (!statement) {
      statement = this.db.prepare(text)
      this.statements.set(text, statement)
    }
    return statement
  }

  // Apps, orgs and spaces

  apps(): AppRecord[] {
    return this.sql('SELECT * FROM apps ORDER BY created_at, rowid').all() as AppRecord[]
  }

  /** By key (`name-space`) or id. */
  findApp(keyOrId: string): AppRecord | undefined {
    return this.sql('SELECT * FROM apps WHERE key = ? OR id = ?').get(keyOrId, keyOrId) as AppRecord | undefined
  }

  /** Creates the app, and its org and space on first use. */
  createApp(name: string, space: string, org: string): AppRecord {
    return this.transaction(() => {
      const created = now()
      this.sql('INSERT OR IGNORE INTO orgs (id, name, created_at) VALUES (?, ?, ?)').run(randomUUID(), org, created)
      this.sql('INSERT OR IGNORE INTO spaces (id, name, created_at) VALUES (?, ?, ?)').run(randomUUID(), space, created)
      const app: AppRecord = {id: randomUUID(), name, space, org, key: `${name}-${space}`, created_at: created, updated_at: created}
      this.sql('INSERT INTO apps (id, name, space, org, key, created_at, updated_at) VALUES (@id, @name, @space, @org, @key, @created_at, @updated_at)').run(app)
      return app
    })
  }

  org(name: string): NamedRow {
    return this.sql('SELECT id, name FROM orgs WHERE name = ?').get(name) as NamedRow
  }

  space(name: string): NamedRow {
    return this.sql('SELECT id, name FROM spaces WHERE name = ?').get(name) as NamedRow
  }

  touchApp(appId: string): void {
    this.sql('UPDATE apps SET updated_at = ? WHERE id = ?').run(now(), appId)
  }

  /** Deletes the app and everything it owns; returns its releases (whose slugs the caller removes). */
  deleteApp(appId: string): ReleaseRecord[] {
    return this.transaction(() => {
      const releases = this.releases(appId)
      this.sql('DELETE FROM apps WHERE id = ?').run(appId)
      return releases
    })
  }

  // Formations

  formations(appId: string): FormationRecord[] {
    return this.sql(`SELECT ${FORMATION_COLUMNS} FROM formations WHERE app_id = ? ORDER BY created_at, rowid`).all(appId) as FormationRecord[]
  }

  /** By type or id. */
  formation(appId: string, typeOrId: string): FormationRecord | undefined {
    return this.sql(`SELECT ${FORMATION_COLUMNS} FROM formations WHERE app_id = ? AND (type = ? OR id = ?)`).get(appId, typeOrId, typeOrId) as FormationRecord | undefined
  }

  insertFormation(appId: string, fields: FormationFields): FormationRecord {
    const created = now()
    const record: FormationRecord = {id: randomUUID(), schedule: null, timezone: null, ...fields, created_at: created, updated_at: created}
    this.sql(`INSERT INTO formations (app_id, ${FORMATION_COLUMNS})
      VALUES (@appId, @id, @type, @command, @quantity, @size, @port, @healthcheck, @schedule, @timezone, @created_at, @updated_at)`)
      .run({appId, ...record})
    return record
  }

  /**
   * A new schedule, time zone, or a paused schedule resumed starts over from the runtime's next step:
   * ticks before it are not missed runs.
   */
  updateFormation(formation: FormationRecord, changes: FormationChanges): FormationRecord {
    const updated: FormationRecord = {...formation, ...changes, updated_at: now()}
    const restarted = updated.schedule !== formation.schedule || updated.timezone !== formation.timezone || (formation.quantity === 0 && updated.quantity > 0)
    return this.transaction(() => {
      this.sql(`UPDATE formations SET command = @command, quantity = @quantity, size = @size, port = @port, healthcheck = @healthcheck,
        schedule = @schedule, timezone = @timezone, updated_at = @updated_at WHERE id = @id`).run(updated)
      if (restarted) this.sql('UPDATE schedule_runs SET last_tick = NULL, next_at = NULL WHERE formation_id = ?').run(formation.id)
      return updated
    })
  }

  deleteFormation(formationId: string): void {
    this.sql('DELETE FROM formations WHERE id = ?').run(formationId)
  }

  // Releases, builds and config vars

  releases(appId: string): StoredRelease[] {
    return (this.sql('SELECT * FROM releases WHERE app_id = ? ORDER BY version').all(appId) as ReleaseRow[]).map(toRelease)
  }

  latestRelease(appId: string): StoredRelease | undefined {
    const row = this.sql('SELECT * FROM releases WHERE app_id = ? ORDER BY version DESC LIMIT 1').get(appId) as ReleaseRow | undefined
    return row && toRelease(row)
  }

  /** Records a release of the current config vars with the next version number, and the build that made it. */
  insertRelease(appId: string, release: Omit<ReleaseRecord, 'version' | 'created_at'>, buildUrl: string): {release: StoredRelease, buildId: string} {
    const buildId = randomUUID()
    const record = this.addRelease(appId, {...release, buildId, config: this.config(appId)})
    this.sql('INSERT INTO builds (id, app_id, release_id, url, created_at) VALUES (?, ?, ?, ?, ?)').run(buildId, appId, record.id, buildUrl, record.created_at)
    return {release: record, buildId}
  }

  /**
   * The slug folders the store still needs: each app's last `keep` releases', and the recorded
   * definitions' (each type's latest deployment, and its latest succeeded one, which a failed
   * deployment falls back to). Slugs of running dynos are the runtime's to add.
   */
  slugDirsInUse(keep: number): string[] {
    const rows = this.sql(`
      SELECT slug_dir AS dir FROM (SELECT slug_dir, ROW_NUMBER() OVER (PARTITION BY app_id ORDER BY version DESC) AS rank FROM releases) WHERE rank <= @keep
      UNION SELECT json_extract(definition, '$.cwd') FROM (SELECT definition,
        ROW_NUMBER() OVER (PARTITION BY app_id, type ORDER BY created_at DESC, updated_at DESC) AS rank FROM deployments) WHERE rank = 1 AND definition IS NOT NULL
      UNION SELECT json_extract(definition, '$.cwd') FROM (SELECT definition, ROW_NUMBER() OVER (PARTITION BY app_id, type ORDER BY updated_at DESC) AS rank
        FROM deployments WHERE state = 'succeeded' AND definition IS NOT NULL) WHERE rank = 1`).all({keep}) as {dir: string | null}[]
    return rows.flatMap(row => (typeof row.dir === 'string' ? [row.dir] : []))
  }

  /**
   * A release of an earlier release's build with these config vars (a config change, a rollback),
   * which become the app's config vars in the same transaction: the latest release and the config
   * vars the dynos get never disagree.
   */
  insertDerivedRelease(appId: string, from: StoredRelease, config: Record<string, string>, description: string): StoredRelease {
    return this.transaction(() => {
      this.sql('DELETE FROM config_vars WHERE app_id = ?').run(appId)
      for (const [key, value] of Object.entries(config)) this.sql('INSERT INTO config_vars (app_id, key, value) VALUES (?, ?, ?)').run(appId, key, value)
      return this.addRelease(appId, {id: randomUUID(), slugDir: from.slugDir, defaultCommands: from.defaultCommands, description, buildId: from.buildId, config})
    })
  }

  private addRelease(appId: string, release: Omit<StoredRelease, 'version' | 'created_at'>): StoredRelease {
    const {next} = this.sql('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM releases WHERE app_id = ?').get(appId) as {next: number}
    const record: StoredRelease = {...release, version: next, created_at: now()}
    this.sql(`INSERT INTO releases (id, app_id, version, slug_dir, default_commands, description, created_at, build_id, config)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(record.id, appId, record.version, record.slugDir, JSON.stringify(record.defaultCommands),
      record.description, record.created_at, record.buildId, record.config === null ? null : JSON.stringify(record.config))
    return record
  }

  builds(appId: string): BuildRow[] {
    return this.sql('SELECT id, app_id, release_id, url, created_at FROM builds WHERE app_id = ? ORDER BY created_at, rowid').all(appId) as BuildRow[]
  }

  build(id: string): BuildRow | undefined {
    return this.sql('SELECT id, app_id, release_id, url, created_at FROM builds WHERE id = ?').get(id) as BuildRow | undefined
  }

  /** Every deployment the runtime recorded for the app (or only `one`), oldest first, with the release each one ran. */
  deploymentHistory(appId: string, one?: {type: string, id: string}): DeploymentHistoryRow[] {
    return this.sql(`SELECT type, id, state, reason, created_at, updated_at, json_extract(definition, '$.release.id') AS releaseId
      FROM deployments WHERE app_id = @appId AND (@type IS NULL OR (type = @type AND id = @id)) ORDER BY created_at, updated_at`)
      .all({appId, type: one?.type ?? null, id: one?.id ?? null}) as DeploymentHistoryRow[]
  }

  config(appId: string): Record<string, string> {
    const rows = this.sql('SELECT key, value FROM config_vars WHERE app_id = ? ORDER BY key').all(appId) as {key: string, value: string}[]
    return Object.fromEntries(rows.map(row => [row.key, row.value]))
  }

  /** Sets each key; null removes it. */
  patchConfig(appId: string, patch: Record<string, string | null>): Record<string, string> {
    return this.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) this.sql('DELETE FROM config_vars WHERE app_id = ? AND key = ?').run(appId, key)
        else this.sql('INSERT INTO config_vars (app_id, key, value) VALUES (?, ?, ?) ON CONFLICT (app_id, key) DO UPDATE SET value = excluded.value').run(appId, key, value)
      }
      return this.config(appId)
    })
  }

  // What the runtime reads and records (PlatformStore)

  desired(appId: string): DesiredApp | undefined {
    const app = this.findApp(appId)
    if (!app) return undefined
    return {app, release: this.latestRelease(app.id) ?? null, config: this.config(app.id), formations: this.formations(app.id), restarts: this.restarts(app.id)}
  }

  private restarts(appId: string): Record<string, string> {
    const rows = this.sql('SELECT type, token FROM restarts WHERE app_id = ?').all(appId) as {type: string, token: string}[]
    return Object.fromEntries(rows.map(row => [row.type, row.token]))
  }

  scheduleRecord(formationId: string): ScheduleRecord | undefined {
    const row = this.sql('SELECT last_tick, next_at, runs, dyno, started_at, ended_at, exit_code, signal FROM schedule_runs WHERE formation_id = ?').get(formationId) as ScheduleRow | undefined
    if (!row) return undefined
    const lastRun = row.dyno === null || row.started_at === null
      ? null
      : {dyno: row.dyno, startedAt: row.started_at, endedAt: row.ended_at, exitCode: row.exit_code, signal: row.signal}
    return {lastTick: row.last_tick, nextAt: row.next_at, runs: row.runs, lastRun}
  }

  recordScheduleTick(formationId: string, tick: number, nextAt: number | null): void {
    // A deleted formation's late record is dropped, as a deleted app's deployments are.
    this.sql(`INSERT INTO schedule_runs (formation_id, last_tick, next_at) SELECT @formationId, @tick, @nextAt WHERE EXISTS (SELECT 1 FROM formations WHERE id = @formationId)
      ON CONFLICT (formation_id) DO UPDATE SET last_tick = excluded.last_tick, next_at = excluded.next_at`).run({formationId, tick, nextAt})
  }

  recordScheduledRunStart(formationId: string, dyno: string, startedAt: number): void {
    this.sql(`UPDATE schedule_runs SET runs = runs + 1, dyno = ?, started_at = ?, ended_at = NULL, exit_code = NULL, signal = NULL WHERE formation_id = ?`)
      .run(dyno, startedAt, formationId)
  }

  recordScheduledRunEnd(formationId: string, dyno: string, end: {endedAt: number, exitCode: number | null, signal: string | null}): void {
    this.sql('UPDATE schedule_runs SET ended_at = ?, exit_code = ?, signal = ? WHERE formation_id = ? AND dyno = ?')
      .run(end.endedAt, end.exitCode, end.signal, formationId, dyno)
  }

  requestRestart(appId: string, types: string[]): void {
    // A random token: two restarts in the same millisecond are still two restarts.
    this.transaction(() => {
      for (const type of types) {
        this.sql(`INSERT INTO restarts (app_id, type, token, requested_at) SELECT @appId, @type, @token, @at WHERE EXISTS (SELECT 1 FROM apps WHERE id = @appId)
          ON CONFLICT (app_id, type) DO UPDATE SET token = excluded.token, requested_at = excluded.requested_at`).run({appId, type, token: randomUUID(), at: now()})
      }
    })
  }

  memoryLimit(size: string): number {
    return memoryLimitBytes(size)
  }

  latestDeployment(appId: string, type: string): DeploymentRecord | undefined {
    const row = this.sql('SELECT * FROM deployments WHERE app_id = ? AND type = ? ORDER BY created_at DESC, updated_at DESC LIMIT 1').get(appId, type) as DeploymentRow | undefined
    return row && toDeployment(row)
  }

  /**
   * The deployment that says most about the app: of each current continuous dyno type's latest deployment, a
   * failed one first (another type's success must not hide it), then one in progress, then the newest.
   */
  appDeployment(appId: string): DeploymentRecord | undefined {
    const rank = {failed: 0, 'in-progress': 1, succeeded: 2}
    // A scheduled type deploys nothing: a deployment from before its schedule says nothing of it now.
    return this.formations(appId).filter(formation => formation.schedule === null)
      .flatMap(formation => this.latestDeployment(appId, formation.type) ?? [])
      .sort((a, b) => rank[a.state] - rank[b.state] || b.created_at.localeCompare(a.created_at))[0]
  }

  recordDeployment(deployment: DeploymentRecord): void {
    // A deleted app's late records are dropped rather than failing the runtime's step.
    const {definition, ...fields} = deployment
    this.sql(`INSERT INTO deployments (app_id, type, id, state, reason, created_at, updated_at, definition)
      SELECT @appId, @type, @id, @state, @reason, @created_at, @updated_at, @definition WHERE EXISTS (SELECT 1 FROM apps WHERE id = @appId)
      ON CONFLICT (app_id, type, id) DO UPDATE SET state = excluded.state, reason = excluded.reason, created_at = excluded.created_at,
        updated_at = excluded.updated_at, definition = COALESCE(excluded.definition, deployments.definition)`)
      .run({...fields, definition: definition ? JSON.stringify(definition) : null})
  }

  lastSucceededDefinition(appId: string, type: string): DynoDefinition | undefined {
    const row = this.sql(`SELECT definition FROM deployments WHERE app_id = ? AND type = ? AND state = 'succeeded' AND definition IS NOT NULL
      ORDER BY updated_at DESC LIMIT 1`).get(appId, type) as {definition: string} | undefined
    return row && JSON.parse(row.definition) as DynoDefinition
  }

  recordProcess(process: ProcessRecord): void {
    this.sql('INSERT OR REPLACE INTO processes (pgid, app_id, dyno, started_at) VALUES (@pgid, @appId, @dyno, @started_at)').run(process)
  }

  forgetProcess(pgid: number): void {
    this.sql('DELETE FROM processes WHERE pgid = ?').run(pgid)
  }

  processes(): ProcessRecord[] {
    return (this.sql('SELECT pgid, app_id AS appId, dyno, started_at FROM processes ORDER BY started_at').all() as ProcessRecord[])
  }

  routerPort(appId: string): number | undefined {
    const row = this.sql('SELECT port FROM router_ports WHERE app_id = ?').get(appId) as {port: number} | undefined
    return row?.port
  }

  setRouterPort(appId: string, port: number): void {
    this.sql(`INSERT INTO router_ports (app_id, port) SELECT @appId, @port WHERE EXISTS (SELECT 1 FROM apps WHERE id = @appId)
      ON CONFLICT (app_id) DO UPDATE SET port = excluded.port`).run({appId, port})
  }
}
