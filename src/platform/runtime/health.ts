// Readiness of one dyno: web dynos by HTTP GET of the healthcheck path (2xx/3xx) or else a TCP
// connect to their port; other types by staying up long enough (the dyno runner schedules the
// probes on its clock, and keeps probing after the first success).
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

/**
 * One probe: undefined when the dyno answered well, else what went wrong in a person's words (the
 * HTTP status, a timeout, nothing listening on its port). Rejects only when the probe cannot be
 * sent at all (a healthcheck path http.request refuses).
 */
export function probeOnce(target: ProbeTarget, timeoutMs: number): Promise<string | undefined> {
  if (target.port === null) return Promise.resolve(undefined)
  return target.healthcheck ? httpProbe(target.host, target.port, target.healthcheck, timeoutMs) : tcpProbe(target.host, target.port, timeoutMs)
}

/** Why a connection to the dyno's port failed. */
function connectFailure(error: NodeJS.ErrnoException, port: number): string {
  return error.code === 'ECONNREFUSED'
    ? `nothing answered on $PORT=${port}; is the app listening on $PORT?`
    : `the connection to $PORT=${port} failed (${error.code ?? error.message})`
}

function httpProbe(host: string, port: number, path: string, timeoutMs: number): Promise<string | undefined> {
  const target = path.startsWith('/') ? path : `/${path}`
  return new Promise(resolve => {
    const req = request({host, port, path: target, method: 'GET', timeout: timeoutMs, agent: false}, res => {
      res.resume()
      const status = res.statusCode ?? 0
      resolve(status >= 200 && status < 400 ? undefined : `health check ${target} answered ${status}`)
    })
    let timedOut = false
    req.on('timeout', () => {
      timedOut = true
      req.destroy()
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve(timedOut ? `health check ${target} did not answer within ${timeoutMs} ms` : connectFailure(error, port)))
    req.end()
  })
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise(resolve => {
    const socket = connect({host, port, timeout: timeoutMs})
    const done = (failure: string | undefined) => {
      socket.destroy()
      resolve(failure)
    }
    socket.once('connect', () => done(undefined))
    socket.once('timeout', () => done(`no connection to $PORT=${port} within ${timeoutMs} ms`))
    socket.once('error', (error: NodeJS.ErrnoException) => done(connectFailure(error, port)))
  })
}
