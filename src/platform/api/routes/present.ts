// Store records as the wire objects of src/api/types.ts, with one consistent `app` object {id, name: key}.
import {createHash} from 'node:crypto'

import type {AppRef, ControllerApp, DeletedFormationRow, Formation, ScheduledRun} from '../../../api/types.js'
import type {AppRecord, FormationRecord, Runtime, ScheduleRecord} from '../../contract.js'
import {SIZES} from '../../store/sizes.js'
import {deploymentRelease} from '../releasing.js'
import type {Store} from '../../store/store.js'

/** A UUID-shaped id derived from a name, for the things one machine has exactly one of (region, stack). */
export function stableId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

const LOCAL = {id: stableId('local'), name: 'local'}

export function appRef(app: AppRecord): AppRef {
  return {id: app.id, name: app.key}
}

const isoTime = (at: number): string => new Date(at).toISOString()

function presentRun(type: string, run: NonNullable<ScheduleRecord['lastRun']>, running: boolean): ScheduledRun {
  const state = run.endedAt !== null ? (run.exitCode === 0 ? 'succeeded' : 'failed') : running ? 'running' : 'interrupted'
  return {dyno: `${type}.${run.dyno}`, started_at: isoTime(run.startedAt), ended_at: run.endedAt === null ? null : isoTime(run.endedAt), state, exit_code: run.exitCode, signal: run.signal}
}

/** The app's formations with each scheduled type's last and next run. */
export function presentFormations(store: Store, runtime: Runtime, app: AppRecord, formations = store.formations(app.id)): Formation[] {
  const dynos = formations.some(formation => formation.schedule !== null) ? runtime.dynos(app.id) : []
  const commands = store.latestRelease(app.id)?.defaultCommands ?? {}
  return formations.map(formation => {
    const releaseCommand = commands[formation.type] ?? null
    if (formation.schedule === null) return presentFormation(app, formation, releaseCommand)
    const record = store.scheduleRecord(formation.id)
    const run = record?.lastRun
    const running = run ? dynos.some(dyno => dyno.type === formation.type && dyno.name === run.dyno) : false
    return presentFormation(app, formation, releaseCommand, {
      last_run: run ? presentRun(formation.type, run, running) : null,
      next_run_at: formation.quantity > 0 && record?.nextAt != null ? isoTime(record.nextAt) : null,
    })
  })
}

/** `scheduled`: a scheduled type's last and next run (presentFormations). */
function presentFormation(app: AppRecord, formation: FormationRecord, releaseCommand: string | null, scheduled?: Pick<Formation, 'last_run' | 'next_run_at'>): Formation {
  const web = formation.type === 'web'
  return {
    app: appRef(app),
    command: formation.command,
    created_at: formation.created_at,
    id: formation.id,
    quantity: formation.quantity,
    size: formation.size,
    type: formation.type,
    port: web ? formation.port : null,
    healthcheck: web ? formation.healthcheck : null,
    updated_at: formation.updated_at,
    release_command: releaseCommand,
    schedule: formation.schedule,
    timezone: formation.timezone,
    last_run: scheduled?.last_run ?? null,
    next_run_at: scheduled?.next_run_at ?? null,
  }
}

/**
 * aka 3.1.26's apps:info lays out description, organization.name, region.name, image, web_url and
 * simple_name as strings and crashes on a null one, so those are strings here, `""` when there is none.
 */
/** The database row DELETE /apps/{app}/formation/{type} answers upstream: raw columns, `price` in cents. */
export function presentDeletedFormation(app: AppRecord, formation: FormationRecord): DeletedFormationRow {
  const price = SIZES.find(size => size.name === formation.size)?.price
  return {
    formation: formation.id,
    app: app.id,
    created: formation.created_at,
    updated: formation.updated_at,
    type: formation.type,
    command: formation.command,
    quantity: formation.quantity,
    port: formation.port,
    size: formation.size,
    // Upstream's default when the plan has no price.
    price: price === undefined ? 6000 : price * 100,
    deleted: true,
    healthcheck: formation.healthcheck,
    // One-offs are refused on create, so no formation here is one.
    oneoff: false,
    options: {},
  }
}

export function presentApp(store: Store, runtime: Runtime, app: AppRecord): ControllerApp {
  const deployment = store.appDeployment(app.id)
  return {
    id: app.id,
    name: app.key,
    simple_name: app.name,
    key: app.key,
    maintenance: false,
    organization: store.org(app.org),
    space: {...store.space(app.space), compliance: []},
    region: LOCAL,
    stack: LOCAL,
    formation: presentFormations(store, runtime, app),
    released_at: store.latestRelease(app.id)?.created_at ?? null,
    // The router's URL once the app has a web type; the controller always has a URL.
    web_url: runtime.webUrl(app.id) ?? '',
    // Dynos run a slug of a deployed directory here: there is no container image.
    image: '',
    created_at: app.created_at,
    updated_at: app.updated_at,
    archived_at: app.created_at,
    buildpack_provided_description: 'default',
    build_stack: LOCAL,
    description: '',
    // No auto-builds from a repository locally.
    git_url: null,
    git_branch: null,
    labels: '',
    owner: {id: stableId(app.org), email: ''},
    preview: null,
    repo_size: 0,
    slug_size: 0,
    deployment: deployment
      ? {id: deployment.id, type: deployment.type, state: deployment.state, reason: deployment.reason, created_at: deployment.created_at, updated_at: deployment.updated_at,
        release: deploymentRelease(store, app.id, deployment)}
      : null,
  }
}
