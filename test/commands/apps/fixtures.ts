// App objects named for what they show, shaped as GET /apps/{app} returns them.
import type {App} from '../../../src/api/types.js'
import {formation} from '../../helpers/fixtures.js'

export function app(overrides: Partial<App> & {simple_name: string, space: App['space']}): App {
  const key = `${overrides.simple_name}-${overrides.space.name}`
  return {
    id: `a-${key}`,
    name: key,
    key,
    maintenance: false,
    organization: {id: 'o-local', name: 'local'},
    region: {id: 'r-local', name: 'local'},
    stack: {id: 's-local', name: 'local'},
    released_at: null,
    web_url: null,
    image: null,
    created_at: '2026-11-01T10:00:00Z',
    updated_at: '2026-11-01T10:00:00Z',
    ...overrides,
  }
}

/** Never deployed: no formation, no URL. */
export const newApp = app({simple_name: 'shop', space: {id: 'sp-prod', name: 'prod'}, organization: {id: 'o-acme', name: 'acme'}, formation: []})

/** Deployed on the local platform, with a web type and a worker type scaled to 0. */
export const helloApp = app({
  simple_name: 'hello',
  space: {id: 'sp-default', name: 'default'},
  web_url: 'http://127.0.0.1:5101',
  released_at: '2026-11-02T09:30:00Z',
  formation: [formation({type: 'web'}), formation({type: 'worker', quantity: 0, command: 'node worker.js', port: null})],
})

/** Its last rollout failed: the new dynos crashed. */
export const failedRolloutApp: App = {
  ...helloApp,
  deployment: {id: '3f2a9c1b7e', state: 'failed', reason: 'web.3f2a9c1b7e-k2j4x crashed', created_at: '2026-11-02T09:30:00Z', updated_at: '2026-11-02T09:31:00Z'},
}
