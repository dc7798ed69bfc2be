import type {Readable} from 'node:stream'

import type {LogFilter} from '../domain/log-line.js'
import {apiPath, type ApiClient} from './client.js'

/** The most past lines GET /apps/{app}/logs gives (the local platform's limit). */
export const MAX_LOG_LINES = 10_000

export class Logs {
  constructor(private readonly client: ApiClient) {}

  /** The app's log lines (only those of a dyno or type, or a source, when asked); with tail the stream stays open and follows new lines. */
  stream(app: string, options: {lines: number, tail: boolean} & LogFilter): Promise<Readable> {
    const query = new URLSearchParams({lines: String(options.lines), tail: String(options.tail)})
    if (options.dyno !== undefined) query.set('dyno', options.dyno)
    if (options.source !== undefined) query.set('source', options.source)
    return this.client.stream(`${apiPath('apps', app, 'logs')}?${query}`)
  }
}
