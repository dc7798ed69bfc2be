// Every duration the runtime waits for, and the clock it reads them on: options of the runtime, so
// that tests run the deployment policy on a fake clock and the end-to-end tests on short timings.
import {PROBE_TIMING, type ProbeTiming} from './health.js'

export interface Clock {
  now(): number
  /** Calls `callback` after `ms`; returns the cancel. Never keeps the process alive on its own. */
  setTimeout(callback: () => void, ms: number): () => void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms)
    timer.unref()
    return () => clearTimeout(timer)
  },
}

export interface RuntimeTiming {
  /** How long a new dyno of a deployment may take to become ready. */
  deadlineMs: number
  /** Between SIGTERM and SIGKILL when a dyno stops. */
  stopGraceMs: number
  /** Between timer-driven reconcile passes. */
  tickMs: number
  /** Between memory samples (each a look at every process of the machine), at the first tick past it. */
  memorySampleMs: number
  probe: ProbeTiming
  /** The first crash restart's delay; each further crash doubles it, up to `backoffMaxMs`. */
  backoffStartMs: number
  backoffMaxMs: number
  /** A dyno up this long has its back-off forgotten (as the kubelet does). */
  backoffResetMs: number
  /** An exit this early with the shell's "cannot run" codes is a start failure, not a crash. */
  startFailureWindowMs: number
  /** A web dyno not ready after this long shows as probe-failure rather than starting. */
  startingWindowMs: number
  /** After a dyno process exits, the look for processes it left behind waits this long for other exits to share it. */
  orphanCheckDelayMs: number
  /** An attached one-off (`aka run`) whose client does not attach within this long is removed. */
  attachTimeoutMs: number
}

export const DEFAULT_TIMING: RuntimeTiming = {
  deadlineMs: 60_000,
  stopGraceMs: 10_000,
  tickMs: 1000,
  memorySampleMs: 1000,
  probe: PROBE_TIMING,
  backoffStartMs: 1000,
  backoffMaxMs: 5 * 60_000,
  backoffResetMs: 10 * 60_000,
  startFailureWindowMs: 1000,
  startingWindowMs: 2000,
  orphanCheckDelayMs: 500,
  attachTimeoutMs: 30_000,
}

/** The delay before the restart that follows `crashes` consecutive crashes (1 for the first). */
export function backoffDelay(crashes: number, timing: Pick<RuntimeTiming, 'backoffStartMs' | 'backoffMaxMs'>): number {
  return Math.min(timing.backoffStartMs * 2 ** Math.max(0, crashes - 1), timing.backoffMaxMs)
}
