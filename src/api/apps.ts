import {apiPath, type ApiClient} from './client.js'
import {ApiError} from '../errors.js'
import type {App, AppCreate, AppDestroyed, DeploymentStatus} from './types.js'

export class Apps {
  constructor(private readonly client: ApiClient) {}

  list(): Promise<App[]> {
    return this.client.get('/apps')
  }

  get(app: string): Promise<App> {
    return this.client.get(apiPath('apps', app))
  }

  /**
   * The app's last deployment, where the API reports one (the local platform does, a real Akkeris
   * does not). Extra information beside a formation and its dynos: an app that cannot be read
   * (a controller whose region is down answers 503 here) gives undefined rather than an error.
   */
  async lastDeployment(app: string): Promise<DeploymentStatus | undefined> {
    try {
      return (await this.get(app)).deployment ?? undefined
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'http') return undefined
      throw error
    }
  }

  create(app: AppCreate): Promise<App> {
    return this.client.post('/apps', app)
  }

  destroy(app: string): Promise<AppDestroyed | undefined> {
    return this.client.delete(apiPath('apps', app))
  }
}
