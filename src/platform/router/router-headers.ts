// What the router adds to and removes from the headers it forwards.
import {randomUUID} from 'node:crypto'
import type http from 'node:http'

// Hop-by-hop headers describe one connection, not the message (RFC 9110 section 7.6.1): the router
// speaks its own connections on each side. A request's Transfer-Encoding is kept on purpose: Node
// then chunk-encodes the forwarded body, whatever the method.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'expect']

function withoutHopByHop(headers: http.IncomingHttpHeaders, extra: string[]): http.OutgoingHttpHeaders {
  const named = String(headers.connection ?? '').toLowerCase().split(',').map(name => name.trim())
  const dropped = new Set([...HOP_BY_HOP, ...extra, ...named])
  const kept: http.OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !dropped.has(name)) kept[name] = value
  }
  return kept
}

/** The X-Forwarded-* and X-Request-Id values for a request that reached the router on routerPort. */
function forwardingHeaders(request: http.IncomingMessage, routerPort: number): Record<string, string> {
  const client = request.socket.remoteAddress ?? ''
  const earlier = request.headers['x-forwarded-for']
  const requestId = request.headers['x-request-id']
  return {
    'x-forwarded-for': earlier ? `${earlier}, ${client}` : client,
    'x-forwarded-proto': 'http',
    'x-forwarded-port': String(routerPort),
    'x-request-id': typeof requestId === 'string' && requestId !== '' ? requestId : randomUUID(),
  }
}

export function requestHeaders(request: http.IncomingMessage, routerPort: number): http.OutgoingHttpHeaders {
  return {...withoutHopByHop(request.headers, []), ...forwardingHeaders(request, routerPort)}
}

export function responseHeaders(response: http.IncomingMessage): http.OutgoingHttpHeaders {
  return withoutHopByHop(response.headers, ['transfer-encoding'])
}

/** The request line and headers of an upgrade request, as raw bytes for the backend's socket. */
export function upgradeHead(request: http.IncomingMessage, routerPort: number): string {
  const forwarding = forwardingHeaders(request, routerPort)
  const lines = [`${request.method} ${request.url} HTTP/1.1`]
  const raw = request.rawHeaders
  for (let index = 0; index < raw.length; index += 2) {
    if (!(raw[index].toLowerCase() in forwarding)) lines.push(`${raw[index]}: ${raw[index + 1]}`)
  }
  for (const [name, value] of Object.entries(forwarding)) lines.push(`${name}: ${value}`)
  return `${lines.join('\r\n')}\r\n\r\n`
}

/** A complete plain-text response for a raw socket (an upgrade the router cannot tunnel). */
export function rawTextResponse(status: number, reason: string, body: string): string {
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n')
}
