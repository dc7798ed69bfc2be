// A local Akkeris API for the start-up benchmark: generated apps and formations, answers prepared before the
// clock starts, so the timings measure aka and not the server.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {App, Dyno, DynoState, Formation, Release, Size} from '../src/api/types.js'

export const SMALL_APP = 'bench-small'
export const LARGE_APP = 'bench-large'

const CREATED = '2026-11-01T10:00:00Z'
/** A few dynos in every state the renderer colours differently, the rest running. */
const UNUSUAL_STATES: DynoState[] = ['app-crashed', 'probe-failure', 'pending', 'start-failure', 'waiting']

function formation(app: string, type: string, quantity: number): Formation {
  const web = type === 'web'
  return {
    app: {id: `id-${app}`, name: app},
    command: web ? null : `node ${type}.js`,
    created_at: CREATED,
    id: `f-${app}-${type}`,
    quantity,
    size: web ? 'gp2' : 'gp1',
    type,
    port: web ? 9000 : null,
    healthcheck: web ? '/health' : null,
    updated_at: CREATED,
  }
}

/** The app as a real Akkeris sends it (no `deployment`: only the local platform reports one). */
function appRecord(app: string, formations: Formation[]): App {
  const ref = (name: string) => ({id: `id-${name}`, name})
  return {
    id: `id-${app}`,
    name: app,
    simple_name: app.replace(/-.*$/, ''),
    key: app,
    maintenance: false,
    organization: ref('bench'),
    space: ref('default'),
    region: ref('us-seattle'),
    stack: ref('ds1'),
    formation: formations,
    released_at: CREATED,
    web_url: `https://${app}.example.io/`,
    image: null,
    created_at: CREATED,
    updated_at: CREATED,
  }
}

function dynos(app: string, formations: Formation[], now: number): Dyno[] {
  const list: Dyno[] = []
  for (const {type, quantity, size, command} of formations) {
    for (let index = 0; index < quantity; index++) {
      const state = list.length % 8 === 7 ? UNUSUAL_STATES[Math.floor(list.length / 8) % UNUSUAL_STATES.length] : 'running'
      const started = new Date(now - (index + 1) * 97_000).toISOString().replace(/\.\d+Z$/, 'Z')
      list.push({
        attach_url: '',
        command,
        created_at: started,
        id: `d-${type}-${index}`,
        name: `6df6bc55c4-${String(index).padStart(5, '0')}`,
        release: {id: 'r-12', version: 12},
        app: {id: `id-${app}`, name: app},
        size,
        state,
        ready: state === 'running',
        restarts: state === 'app-crashed' ? 1234 : index % 3,
        type,
        updated_at: index === 5 ? '0001-01-01T00:00:00Z' : started,
        additional_info: '',
      })
    }
  }
  return list
}

/** Twelve releases as a real Akkeris lists them: no process types, so `ps:scale` leaves commands to the platform. */
function releases(app: string): Release[] {
  return Array.from({length: 12}, (_, index) => ({
    app: {id: `id-${app}`, name: app},
    created_at: CREATED,
    description: `Deploy ${index + 1}`,
    slug: {id: `b-${index + 1}`},
    id: `r-${index + 1}`,
    status: 'succeeded',
    state: 'succeeded',
    user: {id: 'u-1', email: 'bench@example.io'},
    version: index + 1,
    current: index === 11,
  }))
}

const SIZES: Size[] = ['gp1', 'gp2', 'gp3', 'gp4'].flatMap((name, index) => [name, `${name}-prod`].map(plan => ({
  stacks: ['us-seattle'],
  name: plan,
  resources: {requests: {memory: `${256 * (index + 1)}Mi`}, limits: {memory: `${512 * (index + 1)}Mi`}},
  price: 10 * (index + 1) + (plan.endsWith('-prod') ? 5 : 0),
  description: `General purpose ${index + 1}`,
  deprecated: false,
  type: null,
})))

/** 10 dynos (web 6, worker 4) and 32 types × 32 dynos = 1,024. */
export function benchFormations(): Record<string, Formation[]> {
  const large = Array.from({length: 32}, (_, index) => formation(LARGE_APP, index === 0 ? 'web' : `worker${index}`, 32))
  return {
    [SMALL_APP]: [formation(SMALL_APP, 'web', 6), formation(SMALL_APP, 'worker', 4)],
    [LARGE_APP]: large,
  }
}

export interface BenchServer {
  url: string
  /** Requests the server could not answer from the contract: a benchmark with any is measuring an error path. */
  unexpected: string[]
  /** Method and path of every request, in order. */
  seen: string[]
  close(): Promise<void>
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

export async function startBenchServer(): Promise<BenchServer> {
  const formations = benchFormations()
  const now = Date.now()
  // Bodies are serialised once: each request then costs the server a write, not a JSON.stringify.
  const bodies = new Map<string, string>()
  for (const [app, list] of Object.entries(formations)) {
    bodies.set(`/apps/${app}/formation`, JSON.stringify(list))
    bodies.set(`/apps/${app}/dynos`, JSON.stringify(dynos(app, list, now)))
    bodies.set(`/apps/${app}`, JSON.stringify(appRecord(app, list)))
    bodies.set(`/apps/${app}/releases`, JSON.stringify(releases(app)))
  }
  bodies.set('/sizes', JSON.stringify(SIZES))
  const unexpected: string[] = []
  const seen: string[] = []

  const send = (response: ServerResponse, status: number, body: string) => {
    response.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)})
    response.end(body)
  }

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    const line = `${request.method} ${path}`
    seen.push(line)
    const prepared = bodies.get(path)
    if (request.method === 'GET' && prepared !== undefined) return send(response, 200, prepared)
    const patch = /^\/apps\/([^/]+)\/formation(?:\/([^/]+))?$/.exec(path)
    if (request.method === 'PATCH' && patch && formations[patch[1]]) {
      const [, app, type] = patch
      readBody(request).then(text => {
        const changes = JSON.parse(text) as {type?: string, quantity?: number, size?: string}[] | {quantity?: number, size?: string}
        const items = Array.isArray(changes) ? changes : [{...changes, type}]
        const updated = items.map(item => ({...formations[app].find(entry => entry.type === item.type) ?? formation(app, item.type ?? 'web', 0), ...item}))
        send(response, 200, JSON.stringify(Array.isArray(changes) ? updated : updated[0]))
      }, () => send(response, 400, 'bad body'))
      return
    }
    unexpected.push(line)
    send(response, 404, `The specified route ${path} was not found.`)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    unexpected,
    seen,
    close: () => new Promise<void>((resolve, reject) => server.close(error => (error ? reject(error) : resolve()))),
  }
}
