// Requests per second and latency through an app's router against the same backend directly, and
// against the floor of any node:http proxy (a bare request + pipe) to show what the router's own work costs.
// Separate processes, as on the platform: a tiny backend (a dyno), the router, the floor proxy, this load loop.
// Usage: node --import tsx bench/router.ts [requests per round] [concurrency]
import {type ChildProcess, fork} from 'node:child_process'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {availableParallelism} from 'node:os'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

import {AppRouter} from '../src/platform/router/router.js'

const ROUNDS = 3
/** A run never takes longer than this, whatever the machine. */
const DEADLINE_MS = 120_000

interface Round {
  requestsPerSecond: number
  p50: number
  p99: number
  failed: number
}

function reportPort(port: number): void {
  process.send?.({port})
}

async function backendRole(): Promise<void> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, {'content-type': 'text/plain'})
    response.end('ok\n')
  })
  server.listen(0, '127.0.0.1', () => reportPort((server.address() as AddressInfo).port))
}

/** The least a node:http proxy does: no headers added, no pool, no error handling. */
async function floorRole(backendPort: number): Promise<void> {
  const agent = new http.Agent({keepAlive: true})
  const server = http.createServer((request, response) => {
    const options = {host: '127.0.0.1', port: backendPort, method: request.method, path: request.url, headers: request.headers, agent}
    request.pipe(http.request(options, backendResponse => {
      response.writeHead(backendResponse.statusCode ?? 502, backendResponse.headers)
      backendResponse.pipe(response)
    }))
  })
  server.listen(0, '127.0.0.1', () => reportPort((server.address() as AddressInfo).port))
}

async function routerRole(backendPort: number): Promise<void> {
  const router = new AppRouter({app: 'bench-default', port: 0, host: '127.0.0.1', log: line => process.stderr.write(`${line}\n`)})
  const port = await router.listen()
  router.setBackends([{id: 'web.1', port: backendPort}])
  reportPort(port)
}

function start(role: string, ...args: string[]): Promise<{child: ChildProcess, port: number}> {
  const child = fork(fileURLToPath(import.meta.url), [role, ...args], {execArgv: process.execArgv})
  return new Promise((resolve, reject) => {
    child.once('message', message => resolve({child, port: (message as {port: number}).port}))
    child.once('exit', code => reject(new Error(`${role} exited with ${code}`)))
  })
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]
}

/** `total` GET requests, at most `concurrency` at a time, over keep-alive connections. */
async function load(port: number, total: number, concurrency: number, deadline: number): Promise<Round> {
  const agent = new http.Agent({keepAlive: true, maxSockets: concurrency})
  const latencies: number[] = []
  let issued = 0
  let failed = 0
  const one = (): Promise<void> => new Promise(resolve => {
    const began = performance.now()
    http.get({host: '127.0.0.1', port, path: '/', agent}, response => {
      response.resume()
      response.on('end', () => {
        if (response.statusCode === 200) latencies.push(performance.now() - began)
        else failed++
        resolve()
      })
    }).on('error', () => {
      failed++
      resolve()
    })
  })
  const worker = async (): Promise<void> => {
    while (issued < total && performance.now() < deadline) {
      issued++
      await one()
    }
  }
  const began = performance.now()
  await Promise.all(Array.from({length: concurrency}, worker))
  const seconds = (performance.now() - began) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return {requestsPerSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), failed}
}

function median(rounds: Round[], key: keyof Round): number {
  const values = rounds.map(round => round[key]).sort((a, b) => a - b)
  return values[Math.floor(values.length / 2)]
}

async function main(total: number, concurrency: number): Promise<void> {
  const deadline = performance.now() + DEADLINE_MS
  const backend = await start('backend')
  const router = await start('router', String(backend.port))
  const floor = await start('floor', String(backend.port))
  try {
    const targets = {direct: backend.port, router: router.port, floor: floor.port}
    const rounds: Record<keyof typeof targets, Round[]> = {direct: [], router: [], floor: []}
    const names = ['direct', 'router', 'floor'] as const
    for (const name of names) await load(targets[name], Math.min(total, 2000), concurrency, deadline)
    // Alternating rounds, so that a neighbour's load on the machine hits every target alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names) rounds[name].push(await load(targets[name], total, concurrency, deadline))
    }
    const summary = (name: keyof typeof targets) => ({
      requestsPerSecond: Math.round(median(rounds[name], 'requestsPerSecond')),
      p50: Number(median(rounds[name], 'p50').toFixed(2)),
      p99: Number(median(rounds[name], 'p99').toFixed(2)),
      failed: rounds[name].reduce((sum, one) => sum + one.failed, 0),
    })
    const direct = summary('direct')
    const routed = summary('router')
    const floored = summary('floor')
    console.log(`date ${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} cpus`)
    console.log(`${ROUNDS} rounds of ${total} GET requests, concurrency ${concurrency}, keep-alive; medians of the rounds`)
    console.log('target  req/s   p50 ms  p99 ms  failed')
    for (const [name, row] of [['direct', direct], ['router', routed], ['floor', floored]] as const) {
      console.log(`${name.padEnd(6)}  ${String(row.requestsPerSecond).padEnd(6)}  ${String(row.p50).padEnd(6)}  ${String(row.p99).padEnd(6)}  ${row.failed}`)
    }
    console.log(`router/direct: req/s ${(routed.requestsPerSecond / direct.requestsPerSecond).toFixed(2)}, p99 ${(routed.p99 / direct.p99).toFixed(2)}`)
    console.log(`router/floor: req/s ${(routed.requestsPerSecond / floored.requestsPerSecond).toFixed(2)}, p99 ${(routed.p99 / floored.p99).toFixed(2)}`)
    if (performance.now() > deadline) console.log('(stopped at the deadline: fewer requests than asked)')
  } finally {
    for (const {child} of [router, floor, backend]) child.kill()
  }
}

const [first, second] = process.argv.slice(2)
if (first === 'backend') await backendRole()
else if (first === 'floor') await floorRole(Number(second))
else if (first === 'router') await routerRole(Number(second))
else await main(Number(first ?? 20_000), Number(second ?? 32))
