// An app's one stable local URL: forwards each HTTP request to the app's ready web dynos in turn,
// streaming bodies both ways, and tunnels upgrade requests (websockets). The runtime tells it which
// dynos are ready (setBackends) and drains a dyno before stopping it, so a rollout drops no request.
//
// Logging: only pool changes and errors. One line per request would flood the platform's log under
// any real load; the dynos log their own requests.
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import type {Duplex} from 'node:stream'

import {requestHeaders, responseHeaders} from './router-headers.js'
import {type Backend, BackendPool} from './router-pool.js'
import {tunnel} from './router-tunnel.js'

export type {Backend} from './router-pool.js'

export interface AppRouterOptions {
  /** The app's key (`name-space`), named in the router's own answers. */
  app: string
  /** 0: any free port. */
  port: number
  host: string
  log?: (line: string) => void
  /** How long a client has to close its side once the router ended a tunnel or refused an upgrade (default 2 s). */
  lingerMs?: number
  /** Connections held at once, tunnels too (default 1000). */
  maxConnections?: number
}

const DEFAULT_DRAIN_TIMEOUT_MS = 30_000
const DEFAULT_LINGER_MS = 2000
/** Connections one app's router holds at once (tunnels too); more are closed as they arrive, and the other apps' routers and the API go on. */
const ROUTER_MAX_CONNECTIONS = 1000

export class AppRouter {
  private readonly server: http.Server
  private readonly pool: BackendPool
  private readonly tunnelSockets = new Set<Duplex>()
  private readonly log: (line: string) => void
  private port = 0

  constructor(private readonly options: AppRouterOptions) {
    const log = options.log
    this.log = log ? (line: string) => log(`router ${options.app}: ${line}`) : () => {}
    this.pool = new BackendPool(this.log)
    this.server = http.createServer((request, response) => this.forward(request, response))
    this.server.maxConnections = options.maxConnections ?? ROUTER_MAX_CONNECTIONS
    this.server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => tunnel({
      app: options.app, routerPort: this.port, pool: this.pool, sockets: this.tunnelSockets, log: this.log, lingerMs: options.lingerMs ?? DEFAULT_LINGER_MS,
    }, request, socket, head))
  }

  /** Resolves with the bound port; rejects when it cannot bind (a kept port now taken, for one). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error): void => reject(error)
      this.server.once('error', failed)
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', failed)
        this.server.on('error', error => this.log(`server error: ${error.message}`))
        this.port = (this.server.address() as AddressInfo).port
        resolve(this.port)
      })
    })
  }

  /** Replaces the ready pool. Backends that leave it get no new request and finish the ones in flight. */
  setBackends(backends: Backend[]): void {
    this.pool.replace(backends)
  }

  /**
   * Takes a backend out of the pool now; resolves once its in-flight HTTP requests are done, or after
   * timeoutMs. Tunnelled upgrade connections are not waited for: they are long-lived by nature and
   * would always run into the timeout. They stay open until one end closes them, which the dyno does
   * when it is stopped.
   */
  drain(id: string, timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> {
    return this.pool.drain(id, timeoutMs)
  }

  /** Stops listening and ends every connection: clients, backends and tunnels. */
  close(): Promise<void> {
    return new Promise(resolve => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
      for (const socket of this.tunnelSockets) socket.destroy()
      this.pool.close()
    })
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse, failed?: Backend): void {
    const backend = this.pool.next(failed?.id)
    if (!backend) {
      if (failed) this.answer(response, 502, `No web dyno of ${this.options.app} accepted the connection.\n`)
      else this.answer(response, 503, `No web dynos of ${this.options.app} are ready.\n`)
      return
    }
    const lease = this.pool.lease(backend)
    const upstream = http.request({
      host: '127.0.0.1',
      port: backend.port,
      method: request.method,
      path: request.url,
      headers: requestHeaders(request, this.port),
      agent: lease.agent,
    })
    const hasBody = request.headers['transfer-encoding'] !== undefined
      || (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0')
    let bodyStarted = false
    let answered = false
    // Logged without the query string, which may carry secrets.
    const described = `${request.method} ${(request.url ?? '/').split('?')[0]}`

    // A body is read from the client only once the backend's connection is up: a refused connection
    // has then consumed nothing, and the request can go to the next backend whole.
    const sendBody = (): void => {
      bodyStarted = true
      request.pipe(upstream)
    }
    if (hasBody) {
      upstream.once('socket', socket => {
        if (socket.connecting) socket.once('connect', sendBody)
        else sendBody()
      })
    } else upstream.end()

    const clientGone = (): void => {
      lease.release()
      if (!response.writableFinished) upstream.destroy()
    }
    response.once('close', clientGone)
    request.once('error', () => upstream.destroy())

    upstream.once('response', backendResponse => {
      answered = true
      try {
        response.writeHead(backendResponse.statusCode ?? 502, backendResponse.statusMessage, responseHeaders(backendResponse))
      } catch (error) {
        // A status or header Node cannot send (HTTP/1.1 099, a bad header value): the dyno's fault, not the router's.
        this.log(`${backend.id} (port ${backend.port}) sent an answer that cannot be forwarded: ${(error as Error).message}`)
        backendResponse.destroy()
        if (!response.headersSent) response.writeHead(502, {'content-type': 'text/plain'}).end(`The web dyno ${backend.id} sent an invalid response.\n`)
        return
      }
      backendResponse.pipe(response)
      backendResponse.once('close', () => {
        if (backendResponse.complete || response.destroyed) return
        this.log(`${backend.id} (port ${backend.port}) cut its response to ${described}`)
        response.destroy()
      })
    })

    upstream.on('error', (error: NodeJS.ErrnoException) => {
      request.unpipe(upstream)
      // Once the backend has answered, the end of its response decides what the client sees.
      if (answered || response.destroyed) return
      response.off('close', clientGone)
      lease.release()
      // A refused connection, or a reused keep-alive socket the backend had closed meanwhile: nothing
      // reached the backend's application, so the request may go to the next backend, once.
      const retryable = !answered && !bodyStarted
        && (error.code === 'ECONNREFUSED' || (upstream.reusedSocket && error.code === 'ECONNRESET'))
      this.log(`${backend.id} (port ${backend.port}) failed ${described}: ${error.code ?? error.message}`)
      if (retryable && !failed) this.forward(request, response, backend)
      else this.answer(response, 502, `The web dyno ${backend.id} of ${this.options.app} failed to answer.\n`)
    })
  }

  private answer(response: http.ServerResponse, status: number, body: string): void {
    response.writeHead(status, {'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body)})
    response.end(body)
  }
}
