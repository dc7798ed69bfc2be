// How a dyno's API state reads to a person (the old aka mapping), with no I/O.
import type {Dyno} from '../api/types.js'

export type StateKind = 'up' | 'pending' | 'crashed' | 'unhealthy'

export interface DisplayState {
  label: string
  kind: StateKind
  /** Why, for a dyno that is not well. */
  note?: string
}

/** `probe-failure` reads as starting for this long after the dyno was created, then as unhealthy. */
export const PROBE_GRACE_MS = 90_000

export function displayState(dyno: Dyno, now: number): DisplayState {
  // The platform's own reason (`memory quota exceeded (280 MB used, limit 256 MB)`) says more than any fixed sentence.
  const reason = dyno.additional_info?.trim() || undefined
  switch (dyno.state) {
    case 'start-failure':
      return {label: 'crashed', kind: 'crashed', note: reason ?? 'Application failed to start. Check your startup or entrypoint command.'}
    case 'app-crashed':
      return {label: 'crashed', kind: 'crashed', note: reason ?? 'This application unexpectedly crashed. Check its logs for more information.'}
    case 'probe-failure':
      return now - Date.parse(dyno.created_at) > PROBE_GRACE_MS
        ? {label: 'unhealthy', kind: 'unhealthy', note: reason ?? "This application is taking unusually long to start, ensure it's listening to $PORT."}
        : {label: 'starting', kind: 'pending'}
    case 'waiting':
      return {label: 'starting', kind: 'pending'}
    case 'stopping':
    case 'stopped':
    case 'pending':
    case 'starting':
      return {label: dyno.state, kind: 'pending'}
    default:
      return {label: String(dyno.state).toLowerCase(), kind: 'up'}
  }
}

/** Compact age: `45s`, `12m`, `3h 5m`, `4d 2h`; `unknown` for the API's zero time. */
export function age(since: string, now: number): string {
  if (since.startsWith('0001-01-01')) return 'unknown'
  const at = Date.parse(since)
  if (Number.isNaN(at)) return 'unknown'
  const seconds = Math.max(0, Math.floor((now - at) / 1000))
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours}h ${minutes % 60}m`
  return `${Math.floor(hours / 24)}d ${hours % 24}h`
}
