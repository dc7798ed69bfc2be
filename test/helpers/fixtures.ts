// Small API objects named for what they show, shaped exactly as the controller sends them.
import type {App, Dyno, Formation, Size} from '../../src/api/types.js'

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z')

export function formation(overrides: Partial<Formation> & {type: string}): Formation {
  return {
    app: {id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'shop'},
    command: null,
    created_at: '2026-11-01T10:00:00Z',
    id: `f-${overrides.type}`,
    quantity: 1,
    size: 'gp1',
    port: overrides.type === 'web' ? 9000 : null,
    healthcheck: null,
    updated_at: '2026-11-01T10:00:00Z',
    ...overrides,
  }
}

/** "Five minutes ago" as the running test sees it: taken when it first asks, the same for the whole test. */
let fiveMinutesAgo: string | undefined

/** Before each test (test/support/root-hooks.ts): its "five minutes ago" is taken afresh. */
export function forgetFiveMinutesAgo(): void {
  fiveMinutesAgo = undefined
}

/** Ages read when a test uses them (a reply, a spread), so a long suite never turns 5m into 6m. */
function ageFiveMinutes(fixture: Dyno, overrides: Partial<Dyno>): Dyno {
  for (const key of ['created_at', 'updated_at'] as const) {
    if (!(key in overrides)) Object.defineProperty(fixture, key, {get: () => (fiveMinutesAgo ??= minutesAgo(5)), enumerable: true, configurable: true})
  }
  return fixture
}

export function dyno(overrides: Partial<Dyno> & {type: string, name: string}): Dyno {
  return ageFiveMinutes({
    attach_url: '',
    command: null,
    created_at: minutesAgo(5),
    id: `id-${overrides.name}`,
    release: {id: 'r-7', version: 7},
    app: {name: 'shop-prod', id: 'a1b2c3d4-0000-4000-8000-000000000001'},
    size: 'gp1',
    state: 'running',
    ready: true,
    restarts: 0,
    updated_at: minutesAgo(5),
    additional_info: '',
    ...overrides,
  }, overrides)
}

export const webWithHealthcheck = formation({type: 'web', quantity: 2, size: 'gp2', command: 'npm start', healthcheck: '/health'})
export const worker = formation({type: 'worker', quantity: 1, command: 'node worker.js', port: null})

export const runningWeb = [dyno({type: 'web', name: '6df6bc55c4-ldt45'}), dyno({type: 'web', name: '6df6bc55c4-x9k2p'})]
export const crashedWorker = dyno({type: 'worker', name: '5555555555-zzzzz', state: 'app-crashed', ready: false, restarts: 1234})

export const gp1: Size = {
  stacks: ['us-seattle'], name: 'gp1', resources: {requests: {memory: '256Mi'}, limits: {memory: '256Mi'}},
  price: 10, description: 'General purpose 1', deprecated: false, type: null,
}

/** GET /apps/shop-prod as a real Akkeris answers it: no `deployment` field. */
export const shopApp: App = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  name: 'shop-prod',
  simple_name: 'shop',
  key: 'shop-prod',
  maintenance: false,
  organization: {id: 'o-acme', name: 'acme'},
  space: {id: 'sp-prod', name: 'prod', compliance: []},
  region: {id: 'r-us', name: 'us-seattle'},
  stack: {id: 's-ds1', name: 'ds1'},
  released_at: '2026-11-01T10:00:00Z',
  web_url: 'https://shop-prod.example.io/',
  image: null,
  created_at: '2026-11-01T10:00:00Z',
  updated_at: '2026-11-01T10:00:00Z',
}
