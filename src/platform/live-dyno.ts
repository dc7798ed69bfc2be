// One dyno as the supervisor keeps it in memory, and as the API shows it.
import type {AppRef, Dyno, DynoState} from '../api/types.js'
import type {DynoSpec} from './deployment.js'
import type {DynoProcess} from './dyno-process.js'
import type {Prober} from './health.js'
import {isoSeconds} from './logs.js'

export type Phase = 'pending' | 'up' | 'crashed' | 'start-failure' | 'stopping'

export interface LiveDyno {
  id: string
  name: string
  spec: DynoSpec
  createdAt: number
  startedAt: number
  phase: Phase
  ready: boolean
  everReady: boolean
  restarts: number
  /** Consecutive crashes, for the back-off. */
  crashes: number
  retryAt: number
  info: string
  replace: boolean
  port: number | null
  process?: DynoProcess
  prober?: Prober
  memoryExceeded?: string
}

/** A web dyno not ready after this long shows as probe-failure rather than starting. */
const STARTING_WINDOW_MS = 2000

export function label(dyno: LiveDyno): string {
  return `${dyno.spec.type}.${dyno.name}`
}

export function presentDyno(dyno: LiveDyno, app: AppRef, now: number): Dyno {
  return {
    attach_url: '',
    command: dyno.spec.formationCommand,
    created_at: isoSeconds(dyno.createdAt),
    id: dyno.id,
    name: dyno.name,
    release: dyno.spec.release,
    app,
    size: dyno.spec.size,
    state: apiState(dyno, now),
    ready: dyno.ready,
    restarts: dyno.restarts,
    type: dyno.spec.type,
    updated_at: isoSeconds(dyno.startedAt),
    additional_info: dyno.info,
    deployment: dyno.spec.hash,
  }
}

function apiState(dyno: LiveDyno, now: number): DynoState {
  switch (dyno.phase) {
    case 'pending': return 'pending'
    case 'crashed': return 'app-crashed'
    case 'start-failure': return 'start-failure'
    case 'stopping': return 'stopping'
    case 'up':
      if (dyno.ready || dyno.everReady) return 'running'
      if (dyno.spec.type === 'web' && now - dyno.startedAt > STARTING_WINDOW_MS) return 'probe-failure'
      return 'starting'
  }
}
