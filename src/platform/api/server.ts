// The platform's HTTP API: node:http with limits, a loopback Host check, a route table of anchored
// patterns, token auth, request log.
import {timingSafeEqual} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES} from 'node:http'
import type {Duplex} from 'node:stream'

import {type ApiFeature, FEATURES_HEADER} from '../../api/features.js'
import {bodyTooLarge, HttpError, LINGER_BYTES, linger, MAX_BODY_BYTES, sendEmpty, sendError} from './http.js'
import {accountRoutes} from './routes/account.js'
import {appRoutes} from './routes/apps.js'
import {buildRoutes} from './routes/builds.js'
import {configVarRoutes} from './routes/config-vars.js'
import type {Context, Route} from './routes/context.js'
import {dynoRoutes} from './routes/dynos.js'
import {formationRoutes} from './routes/formations.js'
import {logRoutes} from './routes/logs.js'
import {logSessionRoutes} from './routes/log-sessions.js'
import {attachUpgrade, oneOffRoutes, refuseUpgrade} from './routes/one-offs.js'
import {releaseHistoryRoutes} from './routes/release-history.js'
import {sizeRoutes} from './routes/sizes.js'
import {storageFault} from '../store/storage-fault.js'

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
function authorized(header: string | undefined, token: string): boolean {
  if (!header) return false
  const given = Buffer.from(header.replace(/^bearer\s+/i, ''))
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * Whether a request is addressed to this API by a loopback name at its own port. A web page whose
 * name a DNS rebinding points at 127.0.0.1 still sends that name, so it is refused whatever it carries.
 */
function loopbackHost(host: string | undefined, port: number | undefined): boolean {
  if (host === undefined || port === undefined) return false
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase())
}

/**
 * Limits for clients that send slowly or too much: headers (node's 16 KiB, stated), the time to send
 * them and the whole request, and how long an idle kept-alive connection stays open. A log stream is a
 * response, which none of these limit.
 */
const SERVER_LIMITS = {
  maxHeaderSize: 16 * 1024,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5000,
  connectionsCheckingInterval: 1000,
} as const

/**
 * Connections the API holds at once; more are closed as they arrive. Every server of the platform
 * has its cap, so that clients holding connections open use up that server, not the descriptors the
 * process needs to start dynos and probe them.
 */
const MAX_CONNECTIONS = 1000

/**
 * Connections whose answer went out before the request's body was read (a 413, an unknown app): node
 * drops the rest of the body and keeps the connection, so that a client still sending gets the answer
 * rather than a reset. The rest has the linger's time and bytes to arrive (`dropRest`), then the
 * connection closes: a body that never ends holds nothing for long.
 */
const answeredEarly = new WeakSet<Duplex>()

/** How long, by default, a client answered early or refused is still read (`linger`, `dropRest`). */
const LINGER_MS = 2000
/** How often the bytes dropped after an early answer are counted: node's parser reads them natively, with no event to count on. */
const DROP_CHECK_MS = 50

function dropRest(req: IncomingMessage, lingerMs: number): void {
  const socket = req.socket
  answeredEarly.add(socket)
  const limit = socket.bytesRead + LINGER_BYTES
  const deadline = Date.now() + lingerMs
  const timer = setInterval(() => {
    if (socket.bytesRead > limit || Date.now() >= deadline) socket.destroy()
  }, DROP_CHECK_MS)
  timer.unref()
  const done = () => {
    clearInterval(timer)
    answeredEarly.delete(socket)
  }
  req.once('end', done)
  socket.once('close', done)
}

/** Refused clients in their lingering close: node cannot parse past a refused request, and says so again on each chunk read. */
const lingering = new WeakSet<Duplex>()

/** What node refuses before a request reaches a route (headers too large, too slow, not HTTP), answered on one line as the routes answer. */
function refuseClient(error: NodeJS.ErrnoException, socket: Duplex, lingerMs: number): void {
  // Answered already: node's parser fails again on each chunk of the body that is read and dropped.
  if (lingering.has(socket)) return
  if (!socket.writable || error.code === 'ECONNRESET' || answeredEarly.has(socket)) {
    socket.destroy()
    return
  }
  const [status, message]: [number, string] = error.code === 'HPE_HEADER_OVERFLOW'
    ? [431, `The request headers are too large, together they must take at most ${SERVER_LIMITS.maxHeaderSize} bytes.`]
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'The request took too long to arrive.']
      : [400, 'The request is not valid HTTP.']
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(message)}\r\nconnection: close\r\n\r\n${message}`)
  if (status !== 408) {
    lingering.add(socket)
    linger(socket, lingerMs)
  }
}

/** The features of the local platform that a controller lacks, in a header of every answer. */
const LOCAL_FEATURES: ApiFeature[] = ['one-off-dynos', 'schedules']

/** Limits a caller may shorten (tests do, so that a slow client's answer comes in milliseconds). */
export interface ServerTimeouts {
  /** The time a client has to send its request headers (default 10 s). */
  headersTimeoutMs?: number
  /** The time a client has to send its whole request (default 30 s). */
  requestTimeoutMs?: number
  /** How often node looks for requests past those times (default 1 s). */
  checkIntervalMs?: number
  /** How long a client answered before its request was read, or refused an upgrade, is still read before its connection closes (default 2 s). */
  lingerMs?: number
  /** Connections held at once (default 1000). */
  maxConnections?: number
}

export function createApiServer(context: Context, token: string, timeouts: ServerTimeouts = {}): Server {
  const routes = [...appRoutes, ...formationRoutes, ...dynoRoutes, ...oneOffRoutes, ...sizeRoutes, ...buildRoutes, ...configVarRoutes, ...logRoutes, ...releaseHistoryRoutes, ...logSessionRoutes, ...accountRoutes].map(compile)
  const limits = {
    ...SERVER_LIMITS,
    headersTimeout: timeouts.headersTimeoutMs ?? SERVER_LIMITS.headersTimeout,
    requestTimeout: timeouts.requestTimeoutMs ?? SERVER_LIMITS.requestTimeout,
    connectionsCheckingInterval: timeouts.checkIntervalMs ?? SERVER_LIMITS.connectionsCheckingInterval,
  }
  const lingerMs = timeouts.lingerMs ?? LINGER_MS
  const server = createServer(limits, (req, res) => {
    const started = Date.now()
    // What this API does beyond the controller's, for a CLI to know before it sends such a change.
    res.setHeader(FEATURES_HEADER, LOCAL_FEATURES.join(', '))
    res.on('close', () => context.log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`))
    res.on('finish', () => {
      if (!req.complete) dropRest(req, lingerMs)
    })
    const port = req.socket.localPort
    if (!loopbackHost(req.headers.host, port)) {
      sendError(res, new HttpError(403, `The Host header must be 127.0.0.1:${port}, localhost:${port} or [::1]:${port}: this API answers only its own address.`))
      return
    }
    if (!authorized(req.headers.authorization, token)) {
      sendEmpty(res, 401)
      return
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      sendError(res, bodyTooLarge())
      return
    }
    const url = parseUrl(req.url)
    if (!url) {
      sendError(res, new HttpError(400, 'The request target is not a URL path.'))
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
  server.maxConnections = timeouts.maxConnections ?? MAX_CONNECTIONS
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => refuseClient(error, socket, lingerMs))
  // An attached one-off's connection (`aka run`): the same Host and token checks as every request.
  // node's HTTP server no longer tracks an upgraded connection, but its close still waits for it.
  const upgraded = new Set<Duplex>()
  const closeAllConnections = server.closeAllConnections.bind(server)
  server.closeAllConnections = () => {
    closeAllConnections()
    for (const socket of upgraded) socket.destroy()
  }
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket)
    socket.once('close', () => upgraded.delete(socket))
    context.log(`${req.method} ${req.url} upgrade`)
    const port = req.socket.localPort
    if (!loopbackHost(req.headers.host, port)) refuseUpgrade(socket, new HttpError(403, 'The Host header must be this API\'s own address.'), lingerMs)
    else if (authorized(req.headers.authorization, token)) attachUpgrade(context, req, socket, head, lingerMs)
    else refuseUpgrade(socket, new HttpError(401, ''), lingerMs)
  })
  return server
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
  // 507, not 503: the fault needs a person (space, permissions), so nothing should retry it on its
  // own as clients and proxies do with 503, and the platform is not unavailable: reads still work.
  const fault = storageFault(error, context.home)
  if (fault) {
    context.log(`error: ${fault}`)
    sendError(res, new HttpError(507, fault))
    return
  }
  context.log(`error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
  sendError(res, new HttpError(500, 'Internal Server Error'))
}
