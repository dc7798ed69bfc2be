// Shared by the ps command tests: requests nock had no reply for, a clock that never sleeps, small app objects.
import nock from 'nock'

import type {DeploymentStatus} from '../../../src/api/types.js'
import {type Clock, useClock} from '../../../src/cli/wait.js'

/**
 * Every request the command sent that no interceptor expected. With the network blocked such a
 * request fails anyway; recording it lets a refusal test assert that nothing at all was sent.
 */
export function unexpectedRequests(): string[] {
  const seen: string[] = []
  const listener = (request: {method?: string, path?: string}) => {
    seen.push(`${request.method} ${request.path}`)
  }
  beforeEach(() => {
    seen.length = 0
    nock.emitter.on('no match', listener)
  })
  afterEach(() => {
    nock.emitter.removeListener('no match', listener)
  })
  return seen
}

export interface FakeClock extends Clock {
  /** Milliseconds slept so far. */
  slept(): number
}

/** Installs, around each test, a clock whose sleep only moves its own time. */
export function fakeClock(): FakeClock {
  let start = 0
  let now = 0
  const clock: FakeClock = {
    now: () => now,
    sleep: async ms => {
      now += ms
    },
    slept: () => now - start,
  }
  beforeEach(() => {
    start = Date.now()
    now = start
    useClock(clock)
  })
  afterEach(() => useClock(undefined))
  return clock
}

/** `GET /apps/{app}` as the local platform answers it; real Akkeris has no `deployment`. */
export function appInfo(deployment?: Partial<DeploymentStatus>) {
  return {
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    name: 'shop-prod',
    ...(deployment ? {deployment: {id: 'aaaaaaaaaa', state: 'succeeded', reason: null, created_at: '2026-11-26T12:00:00Z', updated_at: '2026-11-26T12:00:00Z', ...deployment}} : {}),
  }
}

export const sizes = ['gp1', 'gp2', 'gp2-prod'].map(name => ({
  stacks: ['us-seattle'], name, resources: {requests: {memory: '256Mi'}, limits: {memory: '512Mi'}},
  price: 20, description: name, deprecated: false, type: null,
}))
