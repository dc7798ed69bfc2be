// HTTP plumbing shared by the routes: errors as plain-text messages, JSON replies, JSON bodies.
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Duplex} from 'node:stream'

/** A failure with the status and message the controller would send. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
    this.name = 'HttpError'
  }
}

export const notFound = (message: string): HttpError => new HttpError(404, message)
export const unprocessable = (message: string): HttpError => new HttpError(422, message)

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text)})
  res.end(text)
}

/**
 * The error body is the bare message, as upstream sends it, but with an honest content type, and on
 * one line whatever it quotes (a path from a build URL may hold a newline): control characters are escaped.
 */
export function sendError(res: ServerResponse, error: HttpError): void {
  // eslint-disable-next-line no-control-regex -- control characters are what this replaces
  const text = error.message.replaceAll(/[\u0000-\u001F\u007F]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
  res.writeHead(error.status, {'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text)})
  res.end(text)
}

/** Status with no body: 401 and unknown routes, as upstream. */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, {'content-length': 0})
  res.end()
}

/** Far more than any formation, config or build request needs; the API reads no more. */
export const MAX_BODY_BYTES = 1024 * 1024

export const bodyTooLarge = (): HttpError => new HttpError(413, `The request body is too large, it must be at most ${MAX_BODY_BYTES} bytes.`)

/**
 * The request body parsed as JSON whatever its content type (upstream does the same); 400 when it is
 * not JSON, without the parser's text, which quotes the body (a config value, say) and may span lines.
 * A body past the limit is a 413 at once; the rest of it is read and dropped, not refused with a
 * reset connection, so that a client still sending gets the answer (node's request timeout bounds it).
 */
export function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk)
        return
      }
      req.off('data', onData).off('end', onEnd)
      chunks.length = 0
      reject(bodyTooLarge())
    }
    const onEnd = () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown)
      } catch {
        reject(new HttpError(400, 'The request body is not valid JSON.'))
      }
    }
    req.on('data', onData).on('end', onEnd).on('error', reject)
  })
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** How many bytes a refused client, or one answered before its body arrived, is still read. */
export const LINGER_BYTES = 4 * 1024 * 1024

/**
 * A lingering close (as nginx's), after an answer that ends the connection: what the client still
 * sends is read and dropped for `lingerMs` or LINGER_BYTES at most, then the connection closes.
 * Closed with unread bytes it would be reset, and a client still sending would get the reset instead
 * of the answer; never closed (node sets no timeout on a refused or upgraded one), it would hold one
 * of the platform's descriptors for as long as the client keeps its side open.
 */
export function linger(socket: Duplex, lingerMs: number): void {
  let dropped = 0
  const timer = setTimeout(() => socket.destroy(), lingerMs)
  timer.unref()
  socket.once('close', () => clearTimeout(timer))
  socket.on('data', (chunk: Buffer) => {
    dropped += chunk.length
    if (dropped > LINGER_BYTES) socket.destroy()
  })
  socket.resume()
}
