import type {Readable} from 'node:stream'

import {apiPath, type ApiClient} from './client.js'

export class Logs {
  constructor(private readonly client: ApiClient) {}

  /** The app's log lines; with tail the stream stays open and follows new lines. */
  stream(app: string, options: {lines: number, tail: boolean}): Promise<Readable> {
    return this.client.stream(`${apiPath('apps', app, 'logs')}?lines=${options.lines}&tail=${options.tail}`)
  }
}
