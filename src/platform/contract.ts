// The seam between the two halves of the local platform: the API and its store (desired state),
// and the runtime (actual processes, readiness, deployments, routers). Each half depends only on
// this file and on src/api/types.ts.
import type {Duplex} from 'node:stream'

import type {Dyno} from '../api/types.js'
import type {LogFilter} from '../domain/log-line.js'

export interface AppRecord {
  id: string
  /** Bare app name, lower-case alphanumeric. */
  name: string
  space: string
  org: string
  /** `name-space`: how users and URLs name the app. */
  key: string
  created_at: string
  updated_at: string
}

export interface FormationRecord {
  id: string
  type: string
  /** Null: the release's default command for this type (Procfile line, else package.json start). */
  command: string | null
  quantity: number
  size: string
  /** Kept and validated as upstream does; each local web dyno still gets a free port of its own. */
  port: number | null
  healthcheck: string | null
  /** A cron schedule (five fields or `@hourly`): one dyno of the type starts on each tick; null: always running dynos. */
  schedule: string | null
  /** The schedule's IANA time zone; null: UTC. */
  timezone: string | null
  created_at: string
  updated_at: string
}

/** A scheduled run of a type: a one-off dyno of its command, size and the current release. */
interface ScheduledRun {
  /** The dyno's name within its type (`report.3`: `3`). */
  dyno: string
  startedAt: number
  endedAt: number | null
  exitCode: number | null
  signal: string | null
}

/** What the runtime keeps of a scheduled type between its steps and across platform restarts. */
export interface ScheduleRecord {
  /** The last tick decided (run or skipped), or when the runtime first saw the schedule; null: not yet seen. */
  lastTick: number | null
  /** The next tick, as the runtime last computed it; null: none to come, or not yet computed. */
  nextAt: number | null
  /** How many runs it started: the next one's name. */
  runs: number
  lastRun: ScheduledRun | null
}

export interface ReleaseRecord {
  id: string
  version: number
  /** Absolute path of the immutable slug (the deployed directory's copy). */
  slugDir: string
  /** Commands by type from the slug's Procfile, else `{web: <package.json start>}`. */
  defaultCommands: Record<string, string>
  description: string
  created_at: string
}

/** Everything that defines what an app's dynos should be. */
export interface DesiredApp {
  app: AppRecord
  /** No release yet: no dynos run. */
  release: ReleaseRecord | null
  config: Record<string, string>
  formations: FormationRecord[]
  /** Each type's latest rolling restart request (a token that is part of its definition's hash). */
  restarts: Record<string, string>
}

export type DeploymentState = 'in-progress' | 'succeeded' | 'failed'

/**
 * Everything needed to start one dyno of a type under one definition. Kept with its deployment so
 * that after a restart of the platform a failed deployment's type can run its last good definition.
 */
export interface DynoDefinition {
  type: string
  /** The deployment hash the dyno belongs to. */
  hash: string
  /** The formation's command as the API shows it (null: the release's default). */
  formationCommand: string | null
  /** What actually runs through `sh -c`. */
  command: string
  /** The release's slug. */
  cwd: string
  config: Record<string, string>
  size: string
  healthcheck: string | null
  release: {id: string, version: number}
}

/** One rollout of one dyno type toward one definition (release, config, command, port, healthcheck, size). */
export interface DeploymentRecord {
  /** The definition's hash (10 hex chars): the first part of its dynos' names. */
  id: string
  appId: string
  type: string
  state: DeploymentState
  reason: string | null
  created_at: string
  updated_at: string
  /** Written with the deployment's records (absent: left as recorded); reads leave it out. */
  definition?: DynoDefinition
}

/** A dyno process the runtime started, recorded so a restart after `kill -9` can end orphans. */
export interface ProcessRecord {
  appId: string
  /** `type.name` */
  dyno: string
  /** The process group id (the dyno runs as a group leader). */
  pgid: number
  started_at: string
}

/** What the runtime reads and records; implemented by the store (SQLite). */
export interface PlatformStore {
  apps(): AppRecord[]
  desired(appId: string): DesiredApp | undefined
  /** Memory limit of a size in bytes (its `resources.limits.memory`). */
  memoryLimit(size: string): number

  latestDeployment(appId: string, type: string): DeploymentRecord | undefined
  /** Inserts or updates by (appId, type, id). */
  recordDeployment(deployment: DeploymentRecord): void
  /** The definition of the type's most recently succeeded deployment that recorded one. */
  lastSucceededDefinition(appId: string, type: string): DynoDefinition | undefined

  /** Undefined until the runtime first decides a tick of the formation's schedule. */
  scheduleRecord(formationId: string): ScheduleRecord | undefined
  recordScheduleTick(formationId: string, tick: number, nextAt: number | null): void
  /** A run started: it is the last run, and the count goes up. */
  recordScheduledRunStart(formationId: string, dyno: string, startedAt: number): void
  /** A run ended (a later run's start has already replaced it: nothing changes). */
  recordScheduledRunEnd(formationId: string, dyno: string, end: {endedAt: number, exitCode: number | null, signal: string | null}): void

  /** A rolling restart of these types: a new token for each, so the next step rolls them like a deployment. */
  requestRestart(appId: string, types: string[]): void

  recordProcess(process: ProcessRecord): void
  forgetProcess(pgid: number): void
  processes(): ProcessRecord[]

  /** The app's router port, kept across platform restarts. */
  routerPort(appId: string): number | undefined
  setRouterPort(appId: string, port: number): void
}

/** A one-off dyno to run (`POST /apps/{app}/dynos`), already validated. */
export interface OneOffRequest {
  command: string
  size: string
  /** Added to the app's config vars for this dyno only. */
  env: Record<string, string>
  /** Started once its client attaches (`aka run`), else at once with its output in the app's log. */
  attach: boolean
}

export interface LogOptions {
  lines: number
  tail: boolean
  /** Only the lines of this dyno or type, or of this source; `lines` counts the lines that match. */
  filter?: LogFilter
}

/** What the API asks of the runtime. Every method is cheap: work happens in the reconcile step. */
export interface Runtime {
  /** The desired state of this app changed (formation, release, config, app created): take the next steps. */
  changed(appId: string): void
  /** The app's dynos as the API shows them, in type then creation order. */
  dynos(appId: string): Dyno[]
  /** Restart all dynos, one type (rolling), or one dyno (`name` given: replace just that one). */
  restart(appId: string, target?: {type: string, name?: string}): void
  /** Sends a signal to every process of one dyno; false when there is no such dyno. */
  signal(appId: string, type: string, name: string, signal: number): boolean
  /**
   * Last `lines` log lines, then (tail) new ones as they come; returns an unsubscribe function.
   * The last lines are written before it returns (the API ends a non-tail response right after).
   * A tail ends (`end` is called) when the app is removed.
   */
  logs(appId: string, options: LogOptions, write: (line: string) => void, end?: () => void): () => void
  /** Runs a one-off dyno of the app's current release; undefined when it has no release. */
  runOneOff(appId: string, request: OneOffRequest): Dyno | undefined
  /** The client of an attached one-off that waits for it (`run.N`); false when there is none. */
  attach(appId: string, name: string, socket: Duplex, head: Buffer): boolean
  /** The app's router URL, once it has a web dyno type. */
  webUrl(appId: string): string | null
  /** Stops the app's dynos and router (the app is being deleted). */
  removeApp(appId: string): Promise<void>
  /** Stops every dyno and router (platform shutdown). */
  stop(): Promise<void>
}
