// One dyno as the API shows it, from what its runner knows.
import type {AppRef, Dyno, DynoState} from '../../api/types.js'
import type {DynoSpec} from './deployment.js'
import {isoSeconds} from './logs.js'
import type {DynoPhase} from './plan.js'

/** What the API needs of a dyno (implemented by DynoRunner). */
export interface LiveDyno {
  readonly id: string
  readonly name: string
  readonly spec: DynoSpec
  readonly createdAt: number
  readonly startedAt: number
  readonly phase: DynoPhase
  readonly ready: boolean
  readonly everReady: boolean
  readonly restarts: number
  /** Why it crashed or failed to start, or what failed in its plumbing; empty when nothing. */
  readonly info: string
}

export function label(dyno: Pick<LiveDyno, 'spec' | 'name'>): string {
  return `${dyno.spec.type}.${dyno.name}`
}

/** `startingWindowMs`: a web dyno not ready after this long shows as probe-failure rather than starting. */
export function presentDyno(dyno: LiveDyno, app: AppRef, now: number, startingWindowMs: number): Dyno {
  return {
    attach_url: '',
    command: dyno.spec.formationCommand,
    created_at: isoSeconds(dyno.createdAt),
    id: dyno.id,
    name: dyno.name,
    release: dyno.spec.release,
    app,
    size: dyno.spec.size,
    state: apiState(dyno, now, startingWindowMs),
    ready: dyno.ready,
    restarts: dyno.restarts,
    type: dyno.spec.type,
    updated_at: isoSeconds(dyno.startedAt),
    additional_info: dyno.info,
    deployment: dyno.spec.hash,
  }
}

function apiState(dyno: LiveDyno, now: number, startingWindowMs: number): DynoState {
  switch (dyno.phase) {
    case 'pending': return 'pending'
    case 'crashed': return 'app-crashed'
    case 'start-failure': return 'start-failure'
    case 'stopping': return 'stopping'
    case 'up':
      if (dyno.ready || dyno.everReady) return 'running'
      if (dyno.spec.type === 'web' && now - dyno.startedAt > startingWindowMs) return 'probe-failure'
      return 'starting'
  }
}
