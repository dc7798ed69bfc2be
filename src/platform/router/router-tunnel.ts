// Upgrade requests (websockets and the like): the router writes the request to a backend's socket
// and then pipes raw bytes both ways, so whatever protocol follows needs no support here.
import type http from 'node:http'
import net from 'node:net'
import type {Duplex} from 'node:stream'

import type {Backend, BackendPool} from './router-pool.js'
import {rawTextResponse, upgradeHead} from './router-headers.js'

export interface TunnelContext {
  app: string
  routerPort: number
  pool: BackendPool
  /** Every open tunnel socket, both ends, so that closing the router can end them. */
  sockets: Set<Duplex>
  log: (line: string) => void
  /** How long a client has to close once the router ended its side; node sets no timeout once upgraded. */
  lingerMs: number
}

/** Ends the client's connection, and closes it if the client keeps it half-open (which would hold it for good). */
function endClient(client: Duplex, lingerMs: number, data?: string): void {
  const timer = setTimeout(() => client.destroy(), lingerMs)
  timer.unref()
  client.once('close', () => clearTimeout(timer))
  client.end(data)
}

export function tunnel(context: TunnelContext, request: http.IncomingMessage, client: Duplex, head: Buffer, failed?: Backend): void {
  const {pool, sockets, log} = context
  if (!failed) {
    // Tracked from the start: even a socket only told 503 may be held open by its client.
    sockets.add(client)
    client.once('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
  }
  const backend = pool.next(failed?.id)
  if (!backend) {
    const [status, reason, body] = failed
      ? [502, 'Bad Gateway', `No web dyno of ${context.app} accepted the connection.\n`]
      : [503, 'Service Unavailable', `No web dynos of ${context.app} are ready.\n`]
    endClient(client, context.lingerMs, rawTextResponse(status, reason, body))
    return
  }
  const upstream = net.connect(backend.port, '127.0.0.1')
  sockets.add(upstream)
  let connected = false
  upstream.once('connect', () => {
    connected = true
    upstream.write(upgradeHead(request, context.routerPort))
    if (head.length > 0) upstream.write(head)
    upstream.pipe(client)
    client.pipe(upstream)
  })
  upstream.on('error', error => {
    if (connected || client.destroyed) {
      client.destroy()
      return
    }
    log(`${backend.id} (port ${backend.port}) refused an upgrade: ${error.message}`)
    if (failed) endClient(client, context.lingerMs, rawTextResponse(502, 'Bad Gateway', `No web dyno of ${context.app} accepted the connection.\n`))
    else tunnel(context, request, client, head, backend)
  })
  upstream.once('close', () => {
    sockets.delete(upstream)
    if (connected) endClient(client, context.lingerMs)
  })
  client.once('close', () => upstream.destroy())
}
