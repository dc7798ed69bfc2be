import {apiPath, type ApiClient} from './client.js'
import type {Dyno, DynoAttachResult, DynoRestartResult, OneOffCreate} from './types.js'

export class Dynos {
  constructor(private readonly client: ApiClient) {}

  list(app: string): Promise<Dyno[]> {
    return this.client.get(apiPath('apps', app, 'dynos'))
  }

  /** `ref` is `type.name`, a bare name or an id. */
  get(app: string, ref: string): Promise<Dyno> {
    return this.client.get(apiPath('apps', app, 'dynos', ref))
  }

  /** Restarts every dyno, one type, or one dyno (`type.name`). */
  restart(app: string, ref?: string): Promise<DynoRestartResult> {
    return this.client.delete(ref ? apiPath('apps', app, 'dynos', ref) : apiPath('apps', app, 'dynos'))
  }

  stop(app: string, ref: string): Promise<DynoRestartResult> {
    return this.client.post(apiPath('apps', app, 'dynos', ref, 'actions', 'stop'))
  }

  /** Runs a one-off dyno (`run.N`); attached, it waits for its client at the answer's `attach_url`. */
  run(app: string, body: OneOffCreate): Promise<Dyno> {
    return this.client.post(apiPath('apps', app, 'dynos'), body)
  }

  /** Sends a POSIX signal to every process of a dyno, the one command the API allows on attach. */
  signal(app: string, ref: string, signal: number): Promise<DynoAttachResult> {
    return this.client.post(apiPath('apps', app, 'dynos', ref, 'actions', 'attach'), {
      command: ['sh', '-c', `kill -${signal} -1`],
      stdin: '',
    })
  }
}
