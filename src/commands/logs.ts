import * as Flags from '@oclif/core/flags'
import type {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import type {Api} from '../api/index.js'
import {MAX_LOG_LINES} from '../api/logs.js'
import {AkaCommand, appFlag, jsonFlag} from '../cli/base-command.js'
import {formationOfType} from '../cli/known-types.js'
import {AkaError, ApiError, UsageError} from '../errors.js'
import {ONEOFF_TYPE} from '../domain/formation-rules.js'
import {dynoFilterProblem, LOG_SOURCES, type LogSource} from '../domain/log-line.js'

export default class Logs extends AkaCommand {
  static override summary = "Show an app's logs"
  static override description = "The last lines of every dyno's stdout and stderr, each prefixed with its time and `type.name`, and the platform's events about them (`platform[type.name]`: a dyno starting with its command, state changes, exits, memory kills, failed health checks; `platform[type]`: deployments and rollbacks started, succeeded or failed, with the reason). -d and -s keep one dyno type, dyno or source; the platform filters, so a tail of one dyno streams only its lines. --tail keeps following new lines until Ctrl-C, which ends it with exit code 0. A tail also ends when the app is destroyed (a notice on stderr, exit code 0) or when the stream is lost, e.g. the platform stopped (one error line, exit code 1). A reader that falls far behind is sent `... N lines skipped (reader too slow) ...` and the newest lines."
  static override examples = [
    {description: 'The last 100 lines', command: '<%= config.bin %> logs -a hello-default'},
    {description: 'Follow the logs', command: '<%= config.bin %> logs -a hello-default --tail'},
    {description: 'The last 20 lines', command: '<%= config.bin %> logs -a hello-default -n 20'},
    {description: 'What the platform did, e.g. why a deployment failed', command: '<%= config.bin %> logs -s platform -a hello-default'},
    {description: 'Follow the web dynos, as JSON for a script', command: '<%= config.bin %> logs -d web --tail --json -a hello-default'},
  ]

  // aka 3.x's name for it.
  static override hiddenAliases = ['log']
  static override flags = {
    app: appFlag,
    num: Flags.integer({char: 'n', description: `number of past lines to show, 0 to ${MAX_LOG_LINES}`, default: 100, helpValue: 'N'}),
    tail: Flags.boolean({char: 't', description: 'keep following new lines', default: false}),
    dyno: Flags.string({char: 'd', description: 'only this dyno type (web) or dyno (web.abc12-3def4)', helpValue: 'TYPE|TYPE.NAME'}),
    source: Flags.string({char: 's', description: 'only the app\'s own lines or the platform\'s events', options: [...LOG_SOURCES]}),
    json: {...jsonFlag, description: 'one JSON object a line: time, source, dyno, line'},
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Logs)
    if (flags.num < 0 || flags.num > MAX_LOG_LINES) {
      throw new UsageError(`The number of lines must be a whole number from 0 to ${MAX_LOG_LINES}, not ${flags.num}`, `see \`${this.config.bin} ${this.id} --help\``)
    }
    const dynoProblem = flags.dyno === undefined ? undefined : dynoFilterProblem(flags.dyno)
    if (dynoProblem) throw new UsageError(dynoProblem)
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    // A type the app does not have gets the app's types, as in every ps command; a dyno of a type it
    // has may be one that no longer runs, whose lines are still there to read.
    const type = flags.dyno?.split('.')[0]
    if (type !== undefined && type !== ONEOFF_TYPE) await formationOfType(api, app, type)
    const filter = {...(flags.dyno === undefined ? {} : {dyno: flags.dyno}), ...(flags.source === undefined ? {} : {source: flags.source as LogSource})}
    const logs = await api.logs.stream(app, {lines: flags.num, tail: flags.tail, ...filter})
    const format = await this.lineFormat(flags.json)
    // Ctrl-C is how a person ends a tail: stop reading and return normally instead of dying mid-line.
    const interrupted = new AbortController()
    const stop = () => interrupted.abort()
    process.once('SIGINT', stop)
    // pipeline() destroys both streams with the first error: the first to fail tells whose it was.
    let failed: 'stream' | 'stdout' | undefined
    const streamFailed = () => failed ??= 'stream'
    const stdoutFailed = () => failed ??= 'stdout'
    logs.once('error', streamFailed)
    this.term.stdout.once('error', stdoutFailed)
    try {
      await (format
        ? pipeline(logs, format, this.term.stdout, {end: false, signal: interrupted.signal})
        : pipeline(logs, this.term.stdout, {end: false, signal: interrupted.signal}))
    } catch (error) {
      if (interrupted.signal.aborted) return
      // A closed stdout (`aka logs | head`) means the reader has all it wants.
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') return
      if (failed !== 'stream') throw error
      if (!flags.tail) throw new AkaError(`The logs of ${app} were cut off: the connection to the API was lost`, 'run the command again')
    } finally {
      process.removeListener('SIGINT', stop)
      this.term.stdout.removeListener('error', stdoutFailed)
      logs.destroy()
    }
    if (flags.tail) await this.tailEnded(api, app, failed === 'stream')
  }

  /** JSON or colour turn each line into another; plain lines off a terminal go through as they came. */
  private async lineFormat(json: boolean): Promise<Transform | undefined> {
    if (!json && !this.term.color) return undefined
    const {colouredLogLine, jsonLogLine, logLineTransform} = await import('../render/logs.js')
    if (json) return logLineTransform(jsonLogLine)
    const {palette} = await import('../render/style.js')
    const color = palette(this.term)
    return logLineTransform(line => colouredLogLine(line, color))
  }

  /** A tail never ends by itself: say why it did, asking the API whether the app is still there. */
  private async tailEnded(api: Api, app: string, broke: boolean): Promise<void> {
    const again = `run \`aka logs -t -a ${app}\` again to keep following`
    try {
      await api.apps.get(app)
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.term.stderr.write(`The log stream of ${app} ended: the app was destroyed.\n`)
        return
      }
      if (error instanceof ApiError && error.kind === 'network') {
        const local = (await this.endpoint()).source === 'local'
        if (local) throw new AkaError(`The log stream of ${app} ended: the platform stopped`, 'start it with `aka local:start --detach` and ' + again)
        throw new AkaError(`The log stream of ${app} ended: the connection to the API was lost`, again)
      }
      throw error
    }
    const how = broke ? 'the server closed the connection (a reader that stops reading is disconnected)' : 'the server ended it'
    throw new AkaError(`The log stream of ${app} ended: ${how}`, again)
  }
}
