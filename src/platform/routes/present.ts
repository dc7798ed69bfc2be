// Store records as the wire objects of src/api/types.ts, with one consistent `app` object {id, name: key}.
import {createHash} from 'node:crypto'

import type {App, AppRef, Formation} from '../../api/types.js'
import type {AppRecord, FormationRecord, Runtime} from '../contract.js'
import {deploymentRelease} from '../releasing.js'
import type {Store} from '../store.js'

/** A UUID-shaped id derived from a name, for the things one machine has exactly one of (region, stack). */
export function stableId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

const LOCAL = {id: stableId('local'), name: 'local'}

export function appRef(app: AppRecord): AppRef {
  return {id: app.id, name: app.key}
}

export function presentFormation(app: AppRecord, formation: FormationRecord): Formation {
  const web = formation.type === 'web'
  return {
    app: appRef(app),
    command: formation.command,
    created_at: formation.created_at,
    id: formation.id,
    quantity: formation.quantity,
    size: formation.size,
    type: formation.type,
    port: web ? formation.port : null,
    healthcheck: web ? formation.healthcheck : null,
    updated_at: formation.updated_at,
  }
}

export function presentApp(store: Store, runtime: Runtime, app: AppRecord): App {
  const deployment = store.appDeployment(app.id)
  return {
    id: app.id,
    name: app.key,
    simple_name: app.name,
    key: app.key,
    maintenance: false,
    organization: store.org(app.org),
    space: {...store.space(app.space), compliance: []},
    region: LOCAL,
    stack: LOCAL,
    formation: store.formations(app.id).map(formation => presentFormation(app, formation)),
    released_at: store.latestRelease(app.id)?.created_at ?? null,
    web_url: runtime.webUrl(app.id),
    image: null,
    created_at: app.created_at,
    updated_at: app.updated_at,
    deployment: deployment
      ? {id: deployment.id, type: deployment.type, state: deployment.state, reason: deployment.reason, created_at: deployment.created_at, updated_at: deployment.updated_at,
        release: deploymentRelease(store, app.id, deployment)}
      : null,
  }
}
