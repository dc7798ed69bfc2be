import type {Readable} from 'node:stream'

import {apiPath, type ApiClient} from './client.js'

/** The most past lines GET /apps/{app}/logs gives (the local platform's limit). */
export const MAX_LOG_LINES = 10_000

export class Logs {
  constructor(private readonly client: ApiClient) {}

  /** The app's log lines; with tail the stream stays open and follows new lines. */
  stream(app: string, options: {lines: number, tail: boolean}): Promise<Readable> {
    return this.client.stream(`${apiPath('apps', app, 'logs')}?lines=${options.lines}&tail=${options.tail}`)
  }
}
