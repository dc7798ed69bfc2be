// Releases and builds shaped as the controller sends them (reference releases-logs-account §1.1, §2.1),
// with the local platform's extra fields where a test needs them.
import type {Build, Release} from '../../../src/api/types.js'

const APP = {id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'shop-prod'}
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString()

export function release(version: number, overrides: Partial<Release> = {}): Release {
  return {
    app: APP,
    created_at: hoursAgo(10 - version),
    description: `Deploy of v${version}`,
    slug: {id: `b0000000-0000-4000-8000-00000000000${version}`},
    id: `ae000000-0000-4000-8000-00000000000${version}`,
    status: 'succeeded',
    state: 'success',
    user: {id: '09eac4cd-0000-4000-8000-000000000000', email: ''},
    version,
    current: false,
    ...overrides,
  }
}

export function build(version: number, source: Partial<NonNullable<Build['source_blob']>> = {}): Build {
  return {
    id: `b0000000-0000-4000-8000-00000000000${version}`,
    app: APP,
    status: 'succeeded',
    release: null,
    created_at: hoursAgo(10 - version),
    updated_at: hoursAgo(10 - version),
    source_blob: {checksum: '', url: '', version: '', commit: '', author: null, repo: null, message: null, ...source},
  }
}

/** v1 served, v2 failed on web: v1 is current. Made at each call, so the ages are what a table shows. */
export const history = (): Release[] => [
  release(1, {current: true}),
  release(2, {status: 'failed', description: 'Set GREETING', deployments: [{type: 'web', state: 'failed', reason: 'web.abc-12345 crashed (exit code 1)'}]}),
]
