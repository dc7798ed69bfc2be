import type {ApiClient} from './client.js'
import type {Size} from './types.js'

export class Sizes {
  constructor(private readonly client: ApiClient) {}

  list(): Promise<Size[]> {
    return this.client.get('/sizes')
  }
}
