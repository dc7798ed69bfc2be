import {apiPath, type ApiClient} from './client.js'
import type {DeletedFormationRow, Formation, FormationBatchItem, FormationCreate, FormationUpdate} from './types.js'

export class Formations {
  constructor(private readonly client: ApiClient) {}

  list(app: string): Promise<Formation[]> {
    return this.client.get(apiPath('apps', app, 'formation'))
  }

  get(app: string, type: string): Promise<Formation> {
    return this.client.get(apiPath('apps', app, 'formation', type))
  }

  create(app: string, formation: FormationCreate): Promise<Formation> {
    return this.client.post(apiPath('apps', app, 'formation'), formation)
  }

  update(app: string, type: string, changes: FormationUpdate): Promise<Formation> {
    return this.client.patch(apiPath('apps', app, 'formation', type), changes)
  }

  batchUpdate(app: string, changes: FormationBatchItem[]): Promise<Formation[]> {
    return this.client.patch(apiPath('apps', app, 'formation'), changes)
  }

  destroy(app: string, type: string): Promise<DeletedFormationRow[]> {
    return this.client.delete(apiPath('apps', app, 'formation', type))
  }
}
