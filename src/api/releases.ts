import {apiPath, type ApiClient} from './client.js'
import {ApiError} from '../errors.js'
import type {Build, BuildCreate, Release} from './types.js'

export class Releases {
  constructor(private readonly client: ApiClient) {}

  /** Oldest first, as the controller orders them. */
  list(app: string): Promise<Release[]> {
    return this.client.get(apiPath('apps', app, 'releases'))
  }

  /** By id (the controller knows no other key; the local platform also takes `vN`). */
  get(app: string, id: string): Promise<Release> {
    return this.client.get(apiPath('apps', app, 'releases', id))
  }

  /** A new release of an earlier one's build (and, on the local platform, its config vars), as aka 3.x sends it. */
  rollback(app: string, to: Release): Promise<Release | undefined> {
    return this.client.post(apiPath('apps', app, 'releases'), {release: to.id, description: to.description})
  }

  /** Deploys a build; on the local platform the url is `file:///absolute/dir`. */
  build(app: string, build: BuildCreate): Promise<Build> {
    return this.client.post(apiPath('apps', app, 'builds'), build)
  }

  /**
   * The app's builds, where they say who made a release. Extra information beside the releases: a
   * list that cannot be read gives an empty one rather than an error.
   */
  async builds(app: string): Promise<Build[]> {
    try {
      return await this.client.get(apiPath('apps', app, 'builds'))
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'http') return []
      throw error
    }
  }
}
