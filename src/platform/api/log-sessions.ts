// Log sessions as aka 3.x reads them: POST /apps/{app}/log-sessions answers a one-time, unguessable,
// expiring https URL that streams the app's lines to whoever GETs it first, without credentials.
// The stream itself is the platform's logs route (GET /apps/{app}/logs), called with this request.
import {randomBytes} from 'node:crypto'
import {type IncomingMessage, ServerResponse} from 'node:http'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'

import {HttpError, sendError} from './http.js'
import {loadTlsMaterial} from './local-ca.js'
import type {LogOptions} from '../contract.js'
import type {Context, Route} from './routes/context.js'

/** How long a session's URL may wait for its GET (as Akkeris's logtail). */
export const SESSION_TTL_MS = 5 * 60 * 1000
/** Sessions waiting for their GET at most; the oldest go first. */
export const MAX_PENDING_SESSIONS = 1000
/**
 * Its URLs need no credentials: a client that never finishes its TLS handshake or its request is
 * dropped (node's defaults are 2 minutes and 1), and the connections held at once are capped.
 */
const SESSION_LIMITS = {handshakeTimeout: 10_000, headersTimeout: 10_000, requestTimeout: 30_000} as const
const SESSION_MAX_CONNECTIONS = 100

interface Session extends LogOptions {
  appId: string
  appKey: string
  expiresAt: number
}

/**
 * Relabels the logs route's lines (`TIME type.name: text`) as Akkeris's log sessions write them,
 * `TIME app-space app[type.name]: text`, which aka 3.x colours and filters with -d, -s and -q; the
 * platform's lines (`TIME platform[type.name]: text`) keep their source: `TIME app-space platform[type.name]: text`.
 */
class LogSessionResponse extends ServerResponse {
  appKey = ''

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined
    const relabelled = text === undefined ? chunk : text.replace(/^(\S+Z) (platform\[[^\]\s]+\]|\S+): /gm,
      (_line, time: string, source: string) => `${time} ${this.appKey} ${source.startsWith('platform[') ? source : `app[${source}]`}: `)
    return (super.write as (...args: unknown[]) => boolean)(relabelled, ...rest)
  }
}

interface Listening {
  server: Server<typeof IncomingMessage, typeof LogSessionResponse>
  origin: string
}

export class LogSessions {
  private readonly sessions = new Map<string, Session>()
  private server?: Promise<Listening>

  constructor(
    private readonly home: string,
    private readonly host: string,
    private readonly logsRoute: Route,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session's URL; the TLS server (and its certificate) is made on the first one. */
  async create(context: Context, session: Omit<Session, 'expiresAt'>): Promise<{id: string, url: string}> {
    const {origin} = await this.listen(context)
    this.prune()
    const id = randomBytes(32).toString('base64url')
    this.sessions.set(id, {...session, expiresAt: this.now() + SESSION_TTL_MS})
    return {id, url: `${origin}/log-sessions/${id}`}
  }

  /** The session for an id, removed so that its URL works once; undefined when unknown or expired. */
  take(id: string): Session | undefined {
    const session = this.sessions.get(id)
    this.sessions.delete(id)
    return session && session.expiresAt > this.now() ? session : undefined
  }

  get pending(): number {
    return this.sessions.size
  }

  async close(): Promise<void> {
    const started = this.server
    this.server = undefined
    if (!started) return
    const {server} = await started
    const closed = new Promise<void>(resolve => server.close(() => resolve()))
    // A tailing session never ends on its own.
    server.closeAllConnections()
    await closed
  }

  private prune(): void {
    const now = this.now()
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id)
    // Map keeps insertion order: the first keys are the oldest sessions.
    for (const id of this.sessions.keys()) {
      if (this.sessions.size < MAX_PENDING_SESSIONS) break
      this.sessions.delete(id)
    }
  }

  private listen(context: Context): Promise<Listening> {
    if (this.server) return this.server
    const listening = (async () => {
      const tls = await loadTlsMaterial(this.home)
      const server = createServer({cert: tls.cert, key: tls.key, ServerResponse: LogSessionResponse, ...SESSION_LIMITS}, (req, res) => {
        this.serve(context, req, res as LogSessionResponse)
      })
      server.maxConnections = SESSION_MAX_CONNECTIONS
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, this.host, () => {
          server.off('error', reject)
          server.on('error', error => context.log(`log sessions server error: ${error.message}`))
          resolve()
        })
      })
      return {server, origin: `https://${this.host}:${(server.address() as AddressInfo).port}`}
    })()
    // A failed start (e.g. an unwritable state folder) is tried again by the next session.
    listening.catch(() => {
      if (this.server === listening) this.server = undefined
    })
    this.server = listening
    return listening
  }

  private serve(context: Context, req: IncomingMessage, res: LogSessionResponse): void {
    const match = /^\/log-sessions\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')
    const session = req.method === 'GET' && match ? this.take(match[1]) : undefined
    if (!session) {
      // aka 3.x prints any body it gets: say why there is nothing to read.
      sendError(res, new HttpError(404, 'This log session does not exist, was used already or has expired: ask for a new one.\n'))
      return
    }
    res.appKey = session.appKey
    const query = new URLSearchParams({lines: String(session.lines), tail: String(session.tail)})
    Promise.resolve()
      .then(() => this.logsRoute.handle(context, {req, res, params: [session.appId], query}))
      .catch((error: unknown) => {
        if (res.headersSent) res.destroy()
        else sendError(res, error instanceof HttpError ? error : new HttpError(500, 'Internal Server Error'))
      })
  }
}
