// What every route handler gets: the store, the runtime, and its request.
import type {IncomingMessage, ServerResponse} from 'node:http'

import type {AppRecord, Runtime} from '../contract.js'
import {notFound} from '../http.js'
import type {Store} from '../store.js'

export interface Context {
  store: Store
  runtime: Runtime
  /** Where slugs are kept. */
  slugsDir: string
  /** The state folder, named in the answer to a storage fault. */
  home: string
  log: (line: string) => void
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

/** The app a route names by key or id; 404 with upstream's text when there is none. */
export function requireApp(context: Context, key: string): AppRecord {
  const app = context.store.findApp(key)
  if (!app) throw notFound(`The specified application ${key} does not exist.`)
  return app
}
