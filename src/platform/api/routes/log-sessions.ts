// POST /apps/{app}/log-sessions (reference: releases-logs-account §3.1), for aka 3.x's `logs`.
import {isObject, readJson, sendJson, unprocessable} from '../http.js'
import {type Context, requireApp, type Route} from './context.js'

const MAX_SESSION_LINES = 250

/** `lines` as the controller checks it: required in practice, a whole number from 1 to 250. */
function sessionLines(body: unknown): number {
  const lines = isObject(body) ? body.lines : undefined
  if (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 1) throw unprocessable('The specified lines was either not a number or less than 1.')
  if (lines > MAX_SESSION_LINES) throw unprocessable(`The specified lines field was larger than allowed (${MAX_SESSION_LINES} is the maximum).`)
  return lines
}

export const logSessionRoutes: Route[] = [
  {
    method: 'POST', path: '/apps/:app/log-sessions',
    async handle(context: Context, {req, res, params}) {
      const app = requireApp(context, params[0])
      const body = await readJson(req)
      const lines = sessionLines(body)
      const tail = isObject(body) && Boolean(body.tail)
      const now = new Date().toISOString()
      const session = await context.logSessions.create(context, {appId: app.id, appKey: app.key, lines, tail})
      sendJson(res, 201, {id: session.id, created_at: now, updated_at: now, logplex_url: session.url})
    },
  },
]
