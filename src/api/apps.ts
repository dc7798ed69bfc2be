import {apiPath, type ApiClient} from './client.js'
import type {App, AppCreate} from './types.js'

export class Apps {
  constructor(private readonly client: ApiClient) {}

  list(): Promise<App[]> {
    return this.client.get('/apps')
  }

  get(app: string): Promise<App> {
    return this.client.get(apiPath('apps', app))
  }

  create(app: AppCreate): Promise<App> {
    return this.client.post('/apps', app)
  }

  destroy(app: string): Promise<App> {
    return this.client.delete(apiPath('apps', app))
  }
}
