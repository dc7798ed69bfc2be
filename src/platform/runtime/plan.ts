// The supervisor's decisions for one app as one pure function: from the desired state (store),
// the deployment history (store), the observed dynos (memory) and the time, to the actions that
// take the next safe step. Nothing here waits or reads a clock; the next call takes the next step.
import type {DeploymentRecord, DesiredApp, DynoDefinition} from '../contract.js'
import {dynoSpec} from './deployment.js'
import {planType, type ObservedDyno} from './reconcile.js'
import {backoffDelay, type RuntimeTiming} from './timing.js'

export type DynoPhase = 'pending' | 'up' | 'crashed' | 'start-failure' | 'stopping'

/** One dyno as the plan sees it. */
export interface DynoObservation {
  id: string
  /** `type.name` */
  label: string
  definition: DynoDefinition
  createdAt: number
  phase: DynoPhase
  ready: boolean
  /** What went wrong with it: why it crashed or failed to start, or why its probe fails; null when nothing. */
  reason: string | null
  /** Why its last health check failed, while it fails (a deadline's failure tells it); null when it passed or none ran. */
  probeFailure: string | null
  /** Consecutive crashes (crashed and start-failure), for the back-off. */
  crashes: number
  /** When its last process ended. */
  exitedAt: number
  /** Asked to be replaced (restart of one dyno). */
  replace: boolean
  /** A dyno that runs once (`aka run`, a scheduled run): no deployment's, never counted, stopped or restarted here. */
  runsOnce: boolean
}

/** What the store knows of one dyno type's deployments. */
export interface TypeHistory {
  latest?: DeploymentRecord
  /** The definition of the type's last succeeded deployment. */
  lastSucceeded?: DynoDefinition
}

export interface AppState {
  appId: string
  desired: DesiredApp | undefined
  history: Record<string, TypeHistory>
  dynos: DynoObservation[]
  now: number
}

export type Action =
  /** Write this deployment record (insert or update). */
  | {kind: 'record', deployment: DeploymentRecord}
  /** Start a new dyno of this definition; `again`: a recorded definition that last succeeded runs again. */
  | {kind: 'start', definition: DynoDefinition, again: boolean}
  /** Drain and stop this dyno. */
  | {kind: 'stop', dyno: string}
  /** Start this crashed dyno's process again (its back-off is over). */
  | {kind: 'restart', dyno: string}

export interface AppPlan {
  actions: Action[]
  /** When the next step is due without any event (a back-off ends). */
  wakeAt?: number
}

export type PlanTiming = Pick<RuntimeTiming, 'deadlineMs' | 'backoffStartMs' | 'backoffMaxMs'>

export function planApp(state: AppState, timing: PlanTiming): AppPlan {
  const actions: Action[] = []
  // Dynos that run once (`aka run`, a scheduled run) are no deployment's: the plan neither counts, stops nor restarts them.
  state = {...state, dynos: state.dynos.filter(dyno => !dyno.runsOnce)}
  const live = state.dynos.filter(dyno => dyno.phase !== 'stopping')
  const wanted = new Set<string>()
  const desired = state.desired
  for (const formation of desired?.formations ?? []) {
    if (!desired) break
    const spec = dynoSpec(desired, formation, desired.restarts[formation.type])
    if (!('missing' in spec)) {
      wanted.add(formation.type)
      actions.push(...planTypeActions(state, timing, {type: spec.type, hash: spec.hash, spec}, formation.quantity))
    } else if (spec.hash !== undefined && formation.quantity > 0) {
      // A release without a command for a running type is a deployment of it that fails: its old dynos stay.
      wanted.add(formation.type)
      actions.push(...planTypeActions(state, timing, {type: formation.type, hash: spec.hash, unrunnable: spec.missing}, formation.quantity))
    }
  }
  for (const dyno of live) {
    if (!wanted.has(dyno.definition.type)) actions.push({kind: 'stop', dyno: dyno.id})
  }
  const stopped = new Set(actions.flatMap(action => action.kind === 'stop' ? [action.dyno] : []))
  let wakeAt: number | undefined
  for (const dyno of live) {
    if ((dyno.phase !== 'crashed' && dyno.phase !== 'start-failure') || stopped.has(dyno.id)) continue
    const retryAt = dyno.exitedAt + backoffDelay(dyno.crashes, timing)
    if (retryAt <= state.now) actions.push({kind: 'restart', dyno: dyno.id})
    else wakeAt = Math.min(wakeAt ?? retryAt, retryAt)
  }
  return wakeAt === undefined ? {actions} : {actions, wakeAt}
}

/** What one type's step works toward: the desired definition's hash, and its spec unless it cannot run. */
interface TypeTarget {
  type: string
  hash: string
  spec?: DynoDefinition
  /** Why the definition cannot run (no command for the type). */
  unrunnable?: string
}

function planTypeActions(state: AppState, timing: PlanTiming, target: TypeTarget, quantity: number): Action[] {
  const {type, hash, spec} = target
  const dynos = state.dynos.filter(dyno => dyno.definition.type === type && dyno.phase !== 'stopping')
  const {latest, lastSucceeded} = state.history[type] ?? {}
  // With no old dyno in memory (a restart of the platform), the last good definition is in the store.
  const settled = latest?.id === hash && latest.state === 'succeeded'
  const recorded = settled || dynos.some(dyno => dyno.definition.hash !== hash) ? undefined : lastSucceeded
  const fallback = recorded?.hash === hash ? undefined : recorded
  const plan = planType({
    quantity,
    hash,
    deployment: latest,
    dynos: dynos.map(observed),
    now: state.now,
    deadlineMs: timing.deadlineMs,
    unrunnable: target.unrunnable,
    fallback: fallback !== undefined,
  })
  const actions: Action[] = []
  const at = new Date(state.now).toISOString()
  let current = latest
  for (const change of plan.record) {
    const same = current?.id === change.id ? current : undefined
    const deployment: DeploymentRecord = {
      ...change,
      appId: state.appId,
      type,
      created_at: same ? same.created_at : at,
      updated_at: at,
      ...(change.id === hash && spec ? {definition: spec} : {}),
    }
    actions.push({kind: 'record', deployment})
    current = deployment
  }
  actions.push(...plan.stop.map(dyno => ({kind: 'stop' as const, dyno})))
  for (let i = 0; i < plan.start && spec; i++) actions.push({kind: 'start', definition: spec, again: false})
  const old = dynos.filter(dyno => dyno.definition.hash !== hash)
  const template = (old.find(dyno => dyno.ready) ?? old[0])?.definition ?? fallback
  const again = template !== undefined && !dynos.some(dyno => dyno.definition.hash === template.hash)
  for (let i = 0; i < plan.startOld && template; i++) actions.push({kind: 'start', definition: template, again: again && i === 0})
  return actions
}

function observed(dyno: DynoObservation): ObservedDyno {
  const failure = dyno.phase === 'crashed' ? `crashed (${dyno.reason})`
    : dyno.phase === 'start-failure' ? `failed to start (${dyno.reason})`
      : dyno.reason
  return {
    id: dyno.id, label: dyno.label, hash: dyno.definition.hash, createdAt: dyno.createdAt, ready: dyno.ready, failure, replace: dyno.replace,
    ...(dyno.probeFailure ? {probeFailure: dyno.probeFailure} : {}),
  }
}
