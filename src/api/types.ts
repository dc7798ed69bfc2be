// Wire types of the Akkeris Platform Apps API, as the controller really sends them
// (see the controller reference, sections 3 to 6). Shared by the CLI and the local platform.

export interface AppRef {
  id: string
  name: string
}

export interface Formation {
  app?: AppRef
  command: string | null
  created_at: string
  id: string
  quantity: number
  size: string
  type: string
  /** Only web has a port; null for every other type. */
  port: number | null
  /** Only web has a healthcheck; null for every other type. */
  healthcheck: string | null
  updated_at: string
  /** Local platform only: the latest release's command for the type (its Procfile entry), which its dynos run when `command` is null. */
  release_command?: string | null
  /** Local platform only: the cron schedule on whose ticks one dyno of the type starts; null: not scheduled. */
  schedule?: string | null
  /** Local platform only: the schedule's IANA time zone; null: UTC. */
  timezone?: string | null
  /** Local platform only, scheduled types: the last run, if any. */
  last_run?: ScheduledRun | null
  /** Local platform only, scheduled types: when the next run is due; null when paused (quantity 0) or not yet known. */
  next_run_at?: string | null
}

/** One run of a scheduled dyno type. */
export interface ScheduledRun {
  /** `type.N` */
  dyno: string
  started_at: string
  ended_at: string | null
  /** `running`; `succeeded` (exit 0); `failed` (another exit or a signal); `interrupted` (the platform stopped without seeing it end). */
  state: 'running' | 'succeeded' | 'failed' | 'interrupted'
  exit_code: number | null
  signal: string | null
}

/** What DELETE /apps/{app}/formation/{type} answers: the deleted database rows, as stored. */
export interface DeletedFormationRow {
  formation: string
  /** The app's id. */
  app: string
  created: string
  updated: string
  type: string
  command: string | null
  quantity: number
  port: number | null
  size: string
  /** The size's monthly price in cents. */
  price: number
  deleted: boolean
  healthcheck: string | null
  oneoff: boolean
  options: Record<string, unknown>
}

export interface FormationCreate {
  type: string
  command?: string | null
  quantity?: number
  size?: string
  port?: number
  healthcheck?: string | null
  /** Local platform only. */
  schedule?: string
  timezone?: string
}

export interface FormationUpdate {
  command?: string
  quantity?: number
  size?: string
  port?: number
  healthcheck?: string
  removeHealthcheck?: boolean
  'remove-command'?: boolean
  /** Local platform only. */
  schedule?: string
  timezone?: string
  removeSchedule?: boolean
}

export interface FormationBatchItem {
  type: string
  quantity?: number
  size?: string
  command?: string | null
  port?: number
  healthcheck?: string
  removeHealthcheck?: boolean
  'remove-command'?: boolean
}

export type DynoState =
  | 'pending'
  | 'starting'
  | 'running'
  | 'probe-failure'
  | 'app-crashed'
  | 'start-failure'
  | 'stopping'
  | 'stopped'
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'unknown'

interface DynoRelease {
  id: string | null
  version: number | null
}

export interface Dyno {
  attach_url: string
  command: string | null
  created_at: string
  id: string
  /** `<deployment hash>-<5 chars>`; the hash changes with each deployment. */
  name: string
  release: DynoRelease
  app: AppRef
  size: string
  state: DynoState
  ready: boolean
  restarts: number
  type: string
  updated_at: string
  additional_info: string
  /** Local platform only: the deployment this dyno belongs to. */
  deployment?: string
}

/** `POST /apps/{app}/dynos`: a one-off dyno (`aka run`). */
export interface OneOffCreate {
  command: string
  size?: string
  /** Config vars for this dyno only, over the app's. */
  env?: Record<string, string>
  /** Wait for a client at `attach_url` before starting (else it starts at once, its output in the logs). */
  attach: boolean
}

export interface DynoRestartResult {
  status: 'pending' | 'stopping'
  type?: string
  dyno?: string
}

export interface DynoAttachResult {
  stdout: string
  stderr: string
}

interface SizeResources {
  requests: {memory: string, cpu?: string}
  limits: {memory: string, cpu?: string}
}

export interface Size {
  name: string
  resources: SizeResources
  /** Dollars per month. */
  price: number
  description: string
  deprecated: boolean
  type: string | null
  stacks: string[]
}

interface NamedRef {
  id: string
  name: string
}

export interface DeploymentStatus {
  id: string
  /** The dyno type it deploys; absent means the whole app. */
  type?: string
  state: 'pending' | 'in-progress' | 'succeeded' | 'failed'
  reason: string | null
  created_at: string
  updated_at: string
  /** The release it deploys, where the platform knows it. */
  release?: {id: string, version: number} | null
}

export interface App {
  id: string
  name: string
  simple_name: string
  key: string
  maintenance: boolean
  organization: NamedRef
  space: NamedRef & {compliance?: string[] | string}
  region: NamedRef
  stack: NamedRef
  formation?: Formation[]
  released_at: string | null
  web_url: string | null
  image: string | null
  created_at: string
  updated_at: string
  /** Local platform only: the latest deployment and how it went. */
  deployment?: DeploymentStatus | null
  // The controller always sends the fields below (aka 3.x reads some of them); a gateway or an
  // older controller may not, so the CLI treats them as optional.
  /** Equal to created_at on the controller. */
  archived_at?: string
  buildpack_provided_description?: string
  build_stack?: NamedRef
  description?: string
  /** The auto-build's repository and branch; null without one. */
  git_url?: string | null
  git_branch?: string | null
  /** Comma-separated, `""` when none: not an array. */
  labels?: string
  owner?: {id: string, email: string}
  preview?: {id: string} | null
  repo_size?: number
  slug_size?: number
}

/** An app as the controller (and the local platform) always sends it. */
export type ControllerApp = App & Required<Pick<App,
  'archived_at' | 'buildpack_provided_description' | 'build_stack' | 'description' | 'git_url' | 'git_branch' | 'labels' | 'owner' | 'preview' | 'repo_size' | 'slug_size'>>

/** DELETE /apps/{app}: the controller's answer. */
export interface AppDestroyed {
  id: string
  name: string
  org?: string
  result: string
}

export interface AppCreate {
  name: string
  space?: string
  org?: string
}

/** How one dyno type's deployment of a release went (local platform only). */
export interface ReleaseDeployment {
  type: string
  /** `superseded`: a newer release replaced it before it finished. */
  state: 'in-progress' | 'succeeded' | 'failed' | 'superseded'
  reason: string | null
}

export interface Release {
  app: AppRef
  created_at: string
  description: string
  /** The build the release runs: `slug.id` is the build's id. */
  slug: {id: string}
  id: string
  /** `pending` while its deployment runs; `unknown` when a newer release replaced it first. */
  status: 'queued' | 'pending' | 'succeeded' | 'failed' | 'unknown'
  state?: string
  user: {id: string, email: string}
  version: number
  /** The release that serves: the newest whose deployment succeeded. */
  current: boolean
  /** Local platform only: each dyno type's deployment of this release. */
  deployments?: ReleaseDeployment[]
  /** Local platform only: the command the release gives each type (Procfile, else package.json start). */
  process_types?: Record<string, string>
}

export interface ReleaseStatuses {
  state: string
  release: Release
  statuses: {id: string, state: string, name: string, context: string, description: string, target_url: string | null, image_url: string | null, created_at: string, updated_at: string}[]
}

export interface BuildCreate {
  /** `file:///absolute/dir` on the local platform. */
  url: string
}

interface BuildSource {
  checksum: string
  /** Always empty, as the controller sends it. */
  url: string
  version: string
  commit: string
  author: string | null
  repo: string | null
  message: string | null
}

export interface Build {
  id: string
  app: AppRef
  status: 'pending' | 'succeeded' | 'failed'
  release: {id: string, version: number} | null
  created_at: string
  updated_at: string
  /** On builds read back (`GET /apps/{app}/builds`): what aka 3.x's `releases` reads. */
  source_blob?: BuildSource
  slug?: {id: string}
}

export type ConfigVars = Record<string, string>
export type ConfigVarsPatch = Record<string, string | null>

export interface Account {
  id?: string
  name?: string
  email?: string
  [key: string]: unknown
}

/** GET /account as the Akkeris gateway answers it. */
export interface GatewayAccount extends Account {
  allow_tracking: boolean
  beta: boolean
  created_at: string
  email: string
  id: string
  last_login: string
  name: string
  sms_number: string | null
  suspended_at: string | null
  delinquent_at: string | null
  two_factor_authentication: boolean
  updated_at: string
  verified: boolean
}

export interface Authorization {
  id: string
  token: string
  description?: string
  [key: string]: unknown
}
