// Is a formation change done? A pure look at one poll of the formation, the dynos and (on the
// local platform) the latest deployment, after the controller reference §7: no server says
// "rollout finished", so the client compares what is asked for with what runs.
import type {DeploymentStatus, Dyno, Formation} from '../api/types.js'
import {PROBE_GRACE_MS} from './dyno-state.js'

export interface RolloutTarget {
  type: string
  /**
   * `type.name` of the dynos that ran before a redeploy: each must be gone. Whole names are
   * compared, not only the deployment hash, because a restart may keep the hash and still
   * replace every dyno. Empty when only counts and readiness matter (scaling, ps:wait).
   */
  replacing: ReadonlySet<string>
}

export interface RolloutSnapshot {
  formations: Formation[]
  dynos: Dyno[]
  /** The app's latest deployment, where the platform reports one (the local platform; real Akkeris does not). */
  deployment?: DeploymentStatus | null
}

export interface RolloutCheck {
  app: string
  targets: RolloutTarget[]
  /** The id of the deployment seen before the change: its outcome says nothing about this change. */
  previousDeployment?: string | null
  now: number
}

export interface TypeProgress {
  type: string
  quantity: number
  /** Dynos that are new (when replacing), running and ready. */
  ready: number
  /** Every dyno of the type, whatever its state. */
  total: number
  /** Dynos from before a redeploy still present. */
  old: number
  /** The platform reports a deployment of this type in progress. */
  deploying: boolean
  done: boolean
  /** A scheduled type: its dynos are runs that come and go on its ticks, nothing to wait for. */
  scheduled?: boolean
}

export type Verdict =
  | {kind: 'done', progress: TypeProgress[]}
  | {kind: 'waiting', progress: TypeProgress[]}
  | {kind: 'failed', reason: string, progress: TypeProgress[]}
  | {kind: 'unknown-types', types: string[], known: string[]}

const CRASHED_STATES = new Set(['app-crashed', 'start-failure'])

function concerns(deployment: DeploymentStatus, type: string): boolean {
  return deployment.type === undefined || deployment.type === type
}

/**
 * Whether a dyno is one the change must replace. A dyno of the deployment the platform made after
 * the change is new even under an old name: a change back to what already runs (say, undoing a
 * failed command) deploys nothing, and its dynos are the right ones.
 */
function isOld(target: RolloutTarget, current: DeploymentStatus | undefined): (dyno: Dyno) => boolean {
  return dyno => target.replacing.has(`${dyno.type}.${dyno.name}`)
    && !(current && (dyno.deployment === current.id || dyno.name.startsWith(`${current.id}-`)))
}

function progressOf(target: RolloutTarget, formation: Formation, dynos: Dyno[], current: DeploymentStatus | undefined): TypeProgress {
  const ofType = dynos.filter(dyno => dyno.type === target.type)
  if (formation.schedule) return {type: target.type, quantity: formation.quantity, ready: 0, total: ofType.length, old: 0, deploying: false, done: true, scheduled: true}
  const old = isOld(target, current)
  const fresh = ofType.filter(dyno => !old(dyno))
  const ready = fresh.filter(dyno => dyno.state === 'running' && dyno.ready).length
  const deploying = current !== undefined && (current.state === 'pending' || current.state === 'in-progress')
  const {quantity} = formation
  return {
    type: target.type, quantity, ready, total: ofType.length, old: ofType.length - fresh.length, deploying,
    done: !deploying && fresh.length === ofType.length && ofType.length === quantity && ready === quantity,
  }
}

/** The first dyno among the new ones that will not come up by itself. */
function failedDyno(target: RolloutTarget, current: DeploymentStatus | undefined, dynos: Dyno[], app: string, now: number): string | undefined {
  const old = isOld(target, current)
  for (const dyno of dynos) {
    if (dyno.type !== target.type || old(dyno)) continue
    const ref = `${dyno.type}.${dyno.name}`
    const info = dyno.additional_info ? ` (${dyno.additional_info})` : ''
    if (CRASHED_STATES.has(dyno.state)) return `Dyno ${ref} on ${app} is ${dyno.state}${info}`
    const age = now - Date.parse(dyno.created_at)
    if (dyno.state === 'probe-failure' && age > PROBE_GRACE_MS) {
      return `Dyno ${ref} on ${app} has failed its health check for ${Math.round(age / 1000)} s (probe-failure)${info}`
    }
  }
  return undefined
}

export function checkRollout(snapshot: RolloutSnapshot, check: RolloutCheck): Verdict {
  const known = snapshot.formations.map(formation => formation.type)
  const unknown = check.targets.map(target => target.type).filter(type => !known.includes(type))
  if (unknown.length > 0) return {kind: 'unknown-types', types: unknown, known}

  const deployment = snapshot.deployment && snapshot.deployment.id !== check.previousDeployment ? snapshot.deployment : undefined
  const currentOf = (type: string) => deployment && concerns(deployment, type) ? deployment : undefined
  const progress = check.targets.map(target => {
    const formation = snapshot.formations.find(candidate => candidate.type === target.type) as Formation
    return progressOf(target, formation, snapshot.dynos, currentOf(target.type))
  })

  const failedDeploymentOf = deployment?.state === 'failed' ? check.targets.find(target => concerns(deployment, target.type)) : undefined
  if (deployment && failedDeploymentOf) {
    const what = deployment.type ?? check.targets.map(target => target.type).join(', ')
    return {kind: 'failed', reason: `The deployment of ${what} on ${check.app} failed: ${deployment.reason ?? 'no reason given'}`, progress}
  }
  for (const target of check.targets) {
    // A scheduled run that fails is that run's failure, told by `aka ps`: no rollout waits for it.
    if (progress.find(type => type.type === target.type)?.scheduled) continue
    const reason = failedDyno(target, currentOf(target.type), snapshot.dynos, check.app, check.now)
    if (reason) return {kind: 'failed', reason, progress}
  }
  return {kind: progress.every(type => type.done) ? 'done' : 'waiting', progress}
}

/** `web 2/3 ready (1 old), worker 1/1`: one status line, the same on a screen and in a log. */
export function describeProgress(progress: TypeProgress[]): string {
  return progress.map(type => {
    if (type.scheduled) return `${type.type} (scheduled)`
    if (type.done) return `${type.type} ${type.quantity}/${type.quantity}`
    const notes: string[] = []
    if (type.old > 0) notes.push(`${type.old} old`)
    const extra = type.total - type.old - type.quantity
    if (extra > 0) notes.push(`${extra} extra`)
    if (type.deploying) notes.push('deploying')
    const shown = Math.min(type.ready, type.quantity)
    return `${type.type} ${shown}/${type.quantity} ready${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`
  }).join(', ')
}
