// Readiness of one dyno: web dynos by HTTP GET of the healthcheck path (2xx/3xx) or else a TCP
// connect to their port; other types by staying up long enough. Probes keep running after the
// first success, so a web dyno that stops answering leaves the router's pool.
import {request} from 'node:http'
import {connect} from 'node:net'

export interface ProbeTarget {
  host: string
  /** Null for dynos without a port (not web): ready once up for `upMs`. */
  port: number | null
  healthcheck: string | null
}

export interface ProbeTiming {
  /** Between probes until the first success. */
  startingIntervalMs: number
  /** Between probes once ready. */
  readyIntervalMs: number
  /** Consecutive failures that make a ready dyno not ready. */
  failureThreshold: number
  timeoutMs: number
  /** How long a dyno without a port must stay up. */
  upMs: number
}

export const PROBE_TIMING: ProbeTiming = {startingIntervalMs: 100, readyIntervalMs: 2000, failureThreshold: 3, timeoutMs: 2000, upMs: 3000}

export function probeOnce(target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  if (target.port === null) return Promise.resolve(true)
  return target.healthcheck ? httpProbe(target.host, target.port, target.healthcheck, timeoutMs) : tcpProbe(target.host, target.port, timeoutMs)
}

function httpProbe(host: string, port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise(resolve => {
    const req = request({host, port, path: path.startsWith('/') ? path : `/${path}`, method: 'GET', timeout: timeoutMs, agent: false}, res => {
      res.resume()
      const status = res.statusCode ?? 0
      resolve(status >= 200 && status < 400)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
    req.end()
  })
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({host, port, timeout: timeoutMs})
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.once('connect', () => done(true))
    socket.once('timeout', () => done(false))
    socket.once('error', () => done(false))
  })
}

/**
 * Probes a target until cancelled, reporting each change of readiness. A probe that cannot even be
 * made (a stored path `http.request` refuses) is a failed probe whose reason is reported once: it
 * never rejects, so it cannot end the platform.
 */
export class Prober {
  private ready = false
  private failures = 0
  private timer: NodeJS.Timeout | undefined
  private cancelled = false
  private problem: string | undefined

  constructor(private readonly target: ProbeTarget, private readonly onChange: (ready: boolean, problem?: string) => void, private readonly timing: ProbeTiming = PROBE_TIMING) {
    this.schedule(target.port === null ? timing.upMs : timing.startingIntervalMs)
  }

  cancel(): void {
    this.cancelled = true
    clearTimeout(this.timer)
  }

  private schedule(delayMs: number): void {
    if (this.cancelled) return
    this.timer = setTimeout(() => void this.probe(), delayMs)
    this.timer.unref()
  }

  private async probe(): Promise<void> {
    let ok = false
    let problem: string | undefined
    try {
      ok = await probeOnce(this.target, this.timing.timeoutMs)
    } catch (error) {
      problem = `the health check cannot be made: ${(error as Error).message}`
    }
    if (this.cancelled) return
    if (this.target.port === null) {
      this.set(true)
      return
    }
    this.failures = ok ? 0 : this.failures + 1
    if (ok) this.set(true)
    else if (!this.ready || this.failures >= this.timing.failureThreshold) this.set(false, problem)
    this.schedule(this.ready ? this.timing.readyIntervalMs : this.timing.startingIntervalMs)
  }

  private set(ready: boolean, problem?: string): void {
    const newProblem = problem !== undefined && problem !== this.problem
    this.problem = problem
    if (ready === this.ready && !newProblem) return
    this.ready = ready
    this.onChange(ready, problem)
  }
}
