import * as Flags from '@oclif/core/flags'
import {pipeline} from 'node:stream/promises'

import {MAX_LOG_LINES} from '../api/logs.js'
import {AkaCommand, appFlag} from '../base-command.js'
import {UsageError} from '../errors.js'

export default class Logs extends AkaCommand {
  static override summary = "Show an app's logs"
  static override description = "The last lines of every dyno's stdout and stderr, each prefixed with its time and `type.name`; --tail keeps following new lines until Ctrl-C, which ends it with exit code 0."
  static override examples = [
    {description: 'The last 100 lines', command: '<%= config.bin %> logs -a hello-default'},
    {description: 'Follow the logs', command: '<%= config.bin %> logs -a hello-default --tail'},
    {description: 'The last 20 lines', command: '<%= config.bin %> logs -a hello-default -n 20'},
  ]

  // aka 3.x's name for it.
  static override hiddenAliases = ['log']
  static override flags = {
    app: appFlag,
    num: Flags.integer({char: 'n', description: `number of past lines to show, 0 to ${MAX_LOG_LINES}`, default: 100, helpValue: 'N'}),
    tail: Flags.boolean({char: 't', description: 'keep following new lines', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Logs)
    if (flags.num < 0 || flags.num > MAX_LOG_LINES) {
      throw new UsageError(`The number of lines must be a whole number from 0 to ${MAX_LOG_LINES}, not ${flags.num}.`)
    }
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    const logs = await api.logs.stream(app, {lines: flags.num, tail: flags.tail})
    // Ctrl-C is how a person ends a tail: stop reading and return normally instead of dying mid-line.
    const interrupted = new AbortController()
    const stop = () => interrupted.abort()
    process.once('SIGINT', stop)
    try {
      await pipeline(logs, this.term.stdout, {end: false, signal: interrupted.signal})
    } catch (error) {
      // A closed stdout (`aka logs | head`) means the reader has all it wants.
      const closedReader = (error as NodeJS.ErrnoException).code === 'EPIPE'
      if (!interrupted.signal.aborted && !closedReader) throw error
    } finally {
      process.removeListener('SIGINT', stop)
      logs.destroy()
    }
  }
}
