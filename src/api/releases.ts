import {apiPath, type ApiClient} from './client.js'
import type {Build, BuildCreate, Release} from './types.js'

export class Releases {
  constructor(private readonly client: ApiClient) {}

  list(app: string): Promise<Release[]> {
    return this.client.get(apiPath('apps', app, 'releases'))
  }

  /** Deploys a build; on the local platform the url is `file:///absolute/dir`. */
  build(app: string, build: BuildCreate): Promise<Build> {
    return this.client.post(apiPath('apps', app, 'builds'), build)
  }
}
