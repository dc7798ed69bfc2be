// The platform's HTTP API: node:http, a route table of anchored patterns, token auth, request log.
import {timingSafeEqual} from 'node:crypto'
import {createServer, type Server, type ServerResponse} from 'node:http'

import {HttpError, sendEmpty, sendError} from './http.js'
import {accountRoutes} from './routes/account.js'
import {appRoutes} from './routes/apps.js'
import type {Context, Route} from './routes/context.js'
import {dynoRoutes} from './routes/dynos.js'
import {formationRoutes} from './routes/formations.js'
import {logSessionRoutes} from './routes/log-sessions.js'
import {releaseRoutes} from './routes/releases.js'

interface CompiledRoute extends Route {
  pattern: RegExp
}

// Upstream's path segments: letters, digits, dash, underscore and dot.
const SEGMENT = '([A-Za-z0-9_.-]+)'

function compile(route: Route): CompiledRoute {
  const source = route.path.split('/').map(part => (part.startsWith(':') ? SEGMENT : part)).join('/')
  return {...route, pattern: new RegExp(`^${source}$`, 'i')}
}

/** `Bearer <token>` or the raw token, compared in constant time. */
export function authorized(header: string | undefined, token: string): boolean {
  if (!header) return false
  const given = Buffer.from(header.replace(/^bearer\s+/i, ''))
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export function createApiServer(context: Context, token: string): Server {
  const routes = [...appRoutes, ...formationRoutes, ...dynoRoutes, ...releaseRoutes, ...logSessionRoutes, ...accountRoutes].map(compile)
  return createServer((req, res) => {
    const started = Date.now()
    res.on('close', () => context.log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`))
    if (!authorized(req.headers.authorization, token)) {
      sendEmpty(res, 401)
      return
    }
    const url = parseUrl(req.url)
    if (!url) {
      sendEmpty(res, 400)
      return
    }
    for (const route of routes) {
      if (route.method !== req.method) continue
      const match = route.pattern.exec(url.pathname)
      if (!match) continue
      Promise.resolve()
        .then(() => route.handle(context, {req, res, params: match.slice(1), query: url.searchParams}))
        .catch((error: unknown) => fail(context, res, error))
      return
    }
    sendEmpty(res, 404)
  })
}

/** The request's path and query; undefined for a target that is no URL path (`//[`). */
function parseUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost')
  } catch {
    return undefined
  }
}

function fail(context: Context, res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  if (error instanceof HttpError) {
    sendError(res, error)
    return
  }
  context.log(`error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
  sendError(res, new HttpError(500, 'Internal Server Error'))
}
