// An app's log: the last lines, and with `tail` what its dynos print from then on.
import type {ServerResponse} from 'node:http'

import {dynoFilterProblem, type LogFilter, type LogSource, sourceFilterProblem} from '../../../domain/log-line.js'
import {LogDelivery} from '../../runtime/log-delivery.js'
import type {Runtime} from '../../contract.js'
import {HttpError, unprocessable} from '../http.js'
import {type Context, requireApp, type Route} from './context.js'

const MAX_LOG_LINES = 10_000

function logLines(value: string | null): number {
  if (value === null) return 100
  const lines = Number(value)
  if (!Number.isInteger(lines) || lines < 0 || lines > MAX_LOG_LINES) throw unprocessable(`The number of lines must be a whole number from 0 to ${MAX_LOG_LINES}.`)
  return lines
}

/** `dyno` and `source` query parameters, checked with the CLI's rules and texts. */
function logFilter(query: URLSearchParams): LogFilter {
  const filter: LogFilter = {}
  const dyno = query.get('dyno')
  if (dyno !== null) {
    const problem = dynoFilterProblem(dyno)
    if (problem) throw unprocessable(problem)
    filter.dyno = dyno
  }
  const source = query.get('source')
  if (source !== null) {
    const problem = sourceFilterProblem(source)
    if (problem) throw unprocessable(problem)
    filter.source = source as LogSource
  }
  return filter
}

/**
 * Log tails open at once on one platform. Every line an app logs is copied to each of its tails, so
 * hundreds of tails (each a few lines of a script) would take the event loop and the memory of the
 * API and of every dyno's supervision; a person watches a few.
 */
export const MAX_LOG_TAILS = 32
const openTails = new WeakMap<Runtime, number>()

/** Counts a tail until its connection closes; 429 when MAX_LOG_TAILS are open. */
function holdTail(context: Context, res: ServerResponse): void {
  const open = openTails.get(context.runtime) ?? 0
  if (open >= MAX_LOG_TAILS) throw new HttpError(429, `Too many log streams are open (at most ${MAX_LOG_TAILS}); end one, then try again.`)
  openTails.set(context.runtime, open + 1)
  res.once('close', () => openTails.set(context.runtime, (openTails.get(context.runtime) ?? 1) - 1))
}

export const logRoutes: Route[] = [
  {
    method: 'GET', path: '/apps/:app/logs',
    handle(context, {res, params, query}) {
      const app = requireApp(context, params[0])
      const lines = logLines(query.get('lines'))
      const tail = query.get('tail') === 'true'
      const filter = logFilter(query)
      if (tail) holdTail(context, res)
      res.writeHead(200, {'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache'})
      res.flushHeaders()
      const delivery = new LogDelivery(res, reason => context.log(`GET /apps/${app.key}/logs: disconnected a reader that stopped reading: ${reason}`), context.logDelivery)
      const unsubscribe = context.runtime.logs(app.id, {lines, tail, filter}, text => delivery.line(text), () => delivery.end())
      if (!tail) {
        unsubscribe()
        delivery.end()
        return
      }
      res.on('close', () => {
        unsubscribe()
        delivery.close()
      })
    },
  },
]
