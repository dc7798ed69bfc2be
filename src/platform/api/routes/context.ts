// What every route handler gets: the store, the runtime, and its request.
import type {IncomingMessage, ServerResponse} from 'node:http'

import type {GatewayAccount} from '../../../api/types.js'
import type {AppRecord, Runtime} from '../../contract.js'
import type {DeliveryLimits} from '../../runtime/log-delivery.js'
import {notFound} from '../http.js'
import type {LogSessions} from '../log-sessions.js'
import type {Store} from '../../store/store.js'

export interface Context {
  store: Store
  runtime: Runtime
  /** Where slugs are kept. */
  slugsDir: string
  /** The state folder, named in the answer to a storage fault. */
  home: string
  log: (line: string) => void
  /** Whom the token belongs to: the user who runs the platform. */
  account: GatewayAccount
  logSessions: LogSessions
  /** What a log reader's connection may hold back (log-delivery.ts's limits when absent). */
  logDelivery?: DeliveryLimits
}

export interface Request {
  req: IncomingMessage
  res: ServerResponse
  /** The pattern's captures, in order, as sent (case kept). */
  params: string[]
  query: URLSearchParams
}

export interface Route {
  method: string
  /** `:name` marks one path segment. */
  path: string
  handle: (context: Context, request: Request) => Promise<void> | void
}

/** The route with this method and path pattern, for a handler that serves another's answer. */
export function findRoute(routes: Route[], method: string, path: string): Route {
  const route = routes.find(entry => entry.method === method && entry.path === path)
  if (!route) throw new Error(`no route ${method} ${path}`)
  return route
}

/** The app a route names by key or id; 404 with upstream's text when there is none. */
export function requireApp(context: Context, key: string): AppRecord {
  const app = context.store.findApp(key)
  // No app key is longer than 24 characters: a longer one is not echoed whole.
  if (!app) throw notFound(`The specified application ${key.length > 64 ? `${key.slice(0, 64)}…` : key} does not exist.`)
  return app
}
