// The API, one module a resource, over one client.
import {Account} from './account.js'
import {Apps} from './apps.js'
import type {ApiClient} from './client.js'
import {ConfigVars} from './config-vars.js'
import {Dynos} from './dynos.js'
import type {ApiFeature} from './features.js'
import {Formations} from './formations.js'
import {Logs} from './logs.js'
import {Releases} from './releases.js'
import {Sizes} from './sizes.js'

export interface Api {
  account: Account
  apps: Apps
  configVars: ConfigVars
  dynos: Dynos
  formations: Formations
  logs: Logs
  releases: Releases
  sizes: Sizes
  /** Whether the API's latest answer listed this feature (false before any answer). */
  supports(feature: ApiFeature): boolean
}

export function createApi(client: ApiClient): Api {
  return {
    account: new Account(client),
    apps: new Apps(client),
    configVars: new ConfigVars(client),
    dynos: new Dynos(client),
    formations: new Formations(client),
    logs: new Logs(client),
    releases: new Releases(client),
    sizes: new Sizes(client),
    supports: feature => client.features.has(feature),
  }
}
