import type {ApiClient} from './client.js'
import type {Account as AccountInfo} from './types.js'

export class Account {
  constructor(private readonly client: ApiClient) {}

  get(): Promise<AccountInfo> {
    return this.client.get('/account')
  }
}
