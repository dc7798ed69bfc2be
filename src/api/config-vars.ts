import {apiPath, type ApiClient} from './client.js'
import type {ConfigVars as ConfigVarMap, ConfigVarsPatch} from './types.js'

export class ConfigVars {
  constructor(private readonly client: ApiClient) {}

  get(app: string): Promise<ConfigVarMap> {
    return this.client.get(apiPath('apps', app, 'config-vars'))
  }

  /** Sets the given keys; a null value removes the key. */
  update(app: string, changes: ConfigVarsPatch): Promise<ConfigVarMap> {
    return this.client.patch(apiPath('apps', app, 'config-vars'), changes)
  }
}
