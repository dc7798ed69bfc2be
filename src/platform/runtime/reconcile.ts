// The deployer's one step for one dyno type, as a pure function of desired and actual state
// (Kubernetes' rolling update: surge 1, none unavailable). It never waits: it says what to
// start and stop now, and the next call, on the next event or tick, takes the next step.
import type {DeploymentState} from '../contract.js'

export interface ObservedDyno {
  id: string
  /** `type.name`, for failure reasons. */
  label: string
  hash: string
  createdAt: number
  ready: boolean
  /** Why this dyno will not become ready on its own (crashed, failed to start); null while it may. */
  failure: string | null
  /** Asked to be replaced (restart of one dyno): leaves once a replacement is ready. */
  replace: boolean
  /** Why its health check fails, while it does: said when it misses the deadline. */
  probeFailure?: string
}

export interface TypeState {
  quantity: number
  /** The desired definition's hash. */
  hash: string
  /** The type's latest recorded deployment. */
  deployment: {id: string, state: DeploymentState} | undefined
  /** The type's dynos that are not stopping, oldest first. */
  dynos: ObservedDyno[]
  now: number
  deadlineMs: number
  /** Why the desired definition cannot run at all (no command for the type): its deployment fails at once. */
  unrunnable?: string
  /**
   * A definition that last succeeded (recorded, not the desired one) can be started when no old
   * dyno is left to keep, as after a restart of the platform that follows a failed deployment.
   */
  fallback?: boolean
}

interface DeploymentChange {
  id: string
  state: DeploymentState
  reason: string | null
}

export interface TypePlan {
  /** New dynos of the desired definition to start. */
  start: number
  /** Dynos to start with the definition of the kept old ones (a failed deployment holds them). */
  startOld: number
  /** Dynos to drain and stop. */
  stop: string[]
  /** Deployment records to write, in order. */
  record: DeploymentChange[]
}

export function planType(state: TypeState): TypePlan {
  const plan: TypePlan = {start: 0, startOld: 0, stop: [], record: []}
  const {quantity, hash} = state
  let deployment = state.deployment
  if (deployment?.id !== hash) {
    if (deployment?.state === 'in-progress') plan.record.push(supersede(deployment.id, hash, state))
    deployment = {id: hash, state: 'in-progress'}
    plan.record.push({id: hash, state: 'in-progress', reason: null})
  }

  const old = state.dynos.filter(dyno => dyno.hash !== hash)
  const incoming = state.dynos.filter(dyno => dyno.hash === hash && !dyno.replace)
  const replacing = state.dynos.filter(dyno => dyno.hash === hash && dyno.replace)

  if (quantity === 0) {
    plan.stop.push(...state.dynos.map(dyno => dyno.id))
    if (deployment.state === 'in-progress') plan.record.push({id: hash, state: 'succeeded', reason: null})
    return plan
  }

  if (deployment.state === 'in-progress') {
    const reason = state.unrunnable ?? failureOf(incoming, state)
    if (reason) {
      plan.record.push({id: hash, state: 'failed', reason})
      deployment = {id: hash, state: 'failed'}
    }
  }

  if (deployment.state === 'failed' && (old.length > 0 || state.fallback)) {
    // The old definition keeps serving (or, with none left, runs again): the new dynos go, the old ones are kept at the quantity.
    plan.stop.push(...incoming.map(dyno => dyno.id), ...replacing.map(dyno => dyno.id))
    const kept = old.filter(dyno => !dyno.replace)
    plan.stop.push(...old.filter(dyno => dyno.replace).map(dyno => dyno.id))
    if (kept.length > quantity) plan.stop.push(...newestFirst(kept).slice(0, kept.length - quantity).map(dyno => dyno.id))
    plan.startOld = Math.max(0, quantity - kept.length)
    return plan
  }
  // Nothing of a definition without a command can start.
  if (state.unrunnable) return plan

  rollTowards(plan, quantity, incoming, [...old, ...replacing])
  if (deployment.state === 'in-progress' && old.length === 0 && replacing.length === 0 &&
      incoming.length === quantity && incoming.every(dyno => dyno.ready)) {
    plan.record.push({id: hash, state: 'succeeded', reason: null})
  }
  return plan
}

/**
 * The end of a deployment a newer one replaces: succeeded when its dynos, and only they, all run ready
 * at the quantity (its success was due, the step to record it had not come yet: it must stay the
 * definition a later failed deployment falls back to), else failed as superseded.
 */
function supersede(id: string, by: string, state: TypeState): DeploymentChange {
  const {dynos, quantity} = state
  const done = quantity > 0 && dynos.length === quantity && dynos.every(dyno => dyno.hash === id && dyno.ready && !dyno.replace)
  return done ? {id, state: 'succeeded', reason: null} : {id, state: 'failed', reason: `superseded by deployment ${by}`}
}

function rollTowards(plan: TypePlan, quantity: number, incoming: ObservedDyno[], outgoing: ObservedDyno[]): void {
  if (incoming.length > quantity) plan.stop.push(...newestFirst(incoming).slice(0, incoming.length - quantity).map(dyno => dyno.id))
  const keptIncoming = Math.min(incoming.length, quantity)
  const readyIncoming = oldestFirst(incoming).slice(0, quantity).filter(dyno => dyno.ready).length
  // Outgoing dynos that serve nothing need no replacement first.
  const serving = outgoing.filter(dyno => dyno.ready)
  plan.stop.push(...outgoing.filter(dyno => !dyno.ready).map(dyno => dyno.id))
  // None unavailable: an outgoing dyno leaves only while the ready ones still reach the quantity.
  const surplus = Math.max(0, Math.min(serving.length, readyIncoming + serving.length - quantity))
  plan.stop.push(...oldestFirst(serving).slice(0, surplus).map(dyno => dyno.id))
  // Surge 1: at most one dyno above the quantity at any time, counting those that stay.
  plan.start = Math.max(0, Math.min(quantity - keptIncoming, quantity + 1 - keptIncoming - (serving.length - surplus)))
}

function failureOf(incoming: ObservedDyno[], state: TypeState): string | null {
  for (const dyno of incoming) {
    if (dyno.failure) return `${dyno.label} ${dyno.failure}`
    if (!dyno.ready && state.now - dyno.createdAt > state.deadlineMs) {
      const within = `${dyno.label} was not ready within ${Math.round(state.deadlineMs / 1000)} s`
      return dyno.probeFailure ? `${within}: ${dyno.probeFailure}` : within
    }
  }
  return null
}

const oldestFirst = (dynos: ObservedDyno[]) => [...dynos].sort((a, b) => a.createdAt - b.createdAt)
const newestFirst = (dynos: ObservedDyno[]) => oldestFirst(dynos).reverse()
