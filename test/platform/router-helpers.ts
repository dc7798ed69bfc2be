// Real servers on 127.0.0.1 for the router's tests: backends that answer, hold, echo or are gone.
import http from 'node:http'
import {type AddressInfo, connect, type Socket} from 'node:net'
import type {Duplex} from 'node:stream'

import type {Backend} from '../../src/platform/router/router.js'

export interface TestBackend extends Backend {
  server: http.Server
  /** Headers of every request it received, in order. */
  seen: http.IncomingHttpHeaders[]
}

export interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

const servers: http.Server[] = []

/** A backend on a free port; by default it answers its id. */
export async function backend(id: string, handle?: (request: http.IncomingMessage, response: http.ServerResponse) => void): Promise<TestBackend> {
  const seen: http.IncomingHttpHeaders[] = []
  const server = http.createServer((request, response) => {
    seen.push(request.headers)
    if (handle) handle(request, response)
    else response.end(id)
  })
  servers.push(server)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {id, port: (server.address() as AddressInfo).port, server, seen}
}

/** A port nothing listens on: a dyno that died between health checks. */
export async function deadPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise(resolve => server.close(resolve))
  return port
}

export function request(port: number, options: http.RequestOptions, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request({host: '127.0.0.1', port, agent: false, ...options}, incoming => {
      const chunks: Buffer[] = []
      incoming.on('data', chunk => chunks.push(chunk))
      incoming.on('end', () => resolve({status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString()}))
    })
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

/** A backend that holds every request until `release()` is called. */
export async function slowBackend(id: string): Promise<TestBackend & {arrived: Promise<void>, release: () => void}> {
  let arrived!: () => void
  let release!: () => void
  const arrivedPromise = new Promise<void>(resolve => { arrived = resolve })
  const released = new Promise<void>(resolve => { release = resolve })
  const slow = await backend(id, (_request, response) => {
    arrived()
    void released.then(() => response.end(`${id} finished`))
  })
  return {...slow, arrived: arrivedPromise, release}
}

/** Sends an upgrade request: the tunnel's socket, or the response when the router refused it. */
export function upgrade(port: number, headers: http.OutgoingHttpHeaders = {}): Promise<{socket: Duplex, response?: http.IncomingMessage}> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request({
      host: '127.0.0.1', port, agent: false, headers: {connection: 'Upgrade', upgrade: 'echo', ...headers},
    })
    outgoing.on('upgrade', (_response, socket) => resolve({socket}))
    outgoing.on('response', response => resolve({socket: response.socket, response}))
    outgoing.on('error', reject)
    outgoing.end()
  })
}

/** A backend that accepts upgrades and echoes what the tunnel sends. */
export async function echoBackend(id: string): Promise<TestBackend> {
  const echo = await backend(id)
  echo.server.on('upgrade', (incoming: http.IncomingMessage, socket: Socket) => {
    echo.seen.push(incoming.headers)
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n')
    socket.pipe(socket)
  })
  return echo
}

export const firstData = (socket: Duplex): Promise<string> => new Promise(resolve => socket.once('data', data => resolve(String(data))))

export async function closeBackends(): Promise<void> {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
}

/**
 * Opens COUNT idle connections to PORT and resolves once the server has closed one of them (a
 * server with no cap on its connections never does: the test times out); the rest stay open.
 */
export async function oneRefused(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = []
  await new Promise<void>(resolve => {
    for (let index = 0; index < count; index++) {
      const socket = connect(port, '127.0.0.1')
      socket.on('error', () => {})
      socket.once('close', () => resolve())
      sockets.push(socket)
    }
  })
  return sockets
}
