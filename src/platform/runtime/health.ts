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
