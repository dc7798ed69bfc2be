import * as Flags from '@oclif/core/flags'

import type {Dyno, OneOffCreate} from '../api/types.js'
import {AkaCommand, appFlag, jsonFlag} from '../cli/base-command.js'
import {parseAssignments} from '../domain/config-var-syntax.js'
import {AkaError, ApiError, UsageError} from '../errors.js'
import {sizeFlag} from '../cli/flags.js'
import {checkCommand, checkSizes} from '../domain/formation-rules.js'

/** What a shell takes as one word without quotes. */
const PLAIN_WORD = /^[\w%+,./:=@-]+$/

/**
 * The command line the dyno's shell runs: one argument is a command line as typed (`aka run "a && b"`);
 * several are words, each quoted as needed (`aka run -- node -e "process.exit(3)"`).
 */
export function commandLine(words: string[]): string {
  if (words.length === 1) return words[0]
  return words.map(word => (PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", String.raw`'\''`)}'`)).join(' ')
}

export default class Run extends AkaCommand {
  static override summary = "Run a one-off dyno: a command of the app's current release, once"
  static override description = [
    "Starts a dyno of the app's current release with its config vars (and those given with -e), named run.N,",
    'that runs COMMAND to its end. Attached (the default), its stdout and stderr are ours as they come, our',
    'stdin is its, Ctrl-C sends it SIGINT (a second one kills it), and aka run exits with its exit code',
    '(128 + N when signal N ended it). With --detached it starts and aka run prints its name: its output is in',
    '`aka logs`. One word is a command line as typed; several are quoted word by word (put -- before them).',
    'It shows in `aka ps` while it runs; `aka ps:stop run.N` and `aka ps:kill` reach it. It never receives HTTP',
    'traffic and no deployment touches it.',
  ].join(' ')

  static override examples = [
    'A migration, attached\n<%= config.bin %> run -a shop-prod -- node migrate.js --to latest',
    'A shell pipeline, as one word\n<%= config.bin %> run -a shop-prod "node report.js | gzip > /tmp/report.gz"',
    'In the background, with an extra variable\n<%= config.bin %> run -a shop-prod --detached -e BATCH=50 -- node reindex.js\nRunning node reindex.js on shop-prod: run.3, detached. Its output: aka logs -a shop-prod',
  ]

  static override strict = false
  static override flags = {
    app: appFlag,
    size: sizeFlag,
    env: Flags.string({char: 'e', description: 'a config var for this dyno only (repeatable)', helpValue: 'KEY=VALUE', multiple: true}),
    detached: Flags.boolean({description: 'start it and return its name; its output goes to `aka logs`'}),
    json: jsonFlag,
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Run)
    // After `--` the words are the command's as typed: oclif's parser reorders them around a repeated flag (-e).
    const dashes = this.argv.indexOf('--')
    const words = dashes === -1 ? argv as string[] : this.argv.slice(dashes + 1)
    if (words.length === 0 || words.join('').trim() === '') throw new UsageError('No command given', 'e.g. aka run -a APP -- node migrate.js')
    const command = commandLine(words)
    checkCommand(command)
    const env = flags.env ? parseAssignments(flags.env) : {}
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    if (flags.size !== undefined) checkSizes([flags.size], await api.sizes.list())
    const body: OneOffCreate = {command, attach: !flags.detached}
    if (flags.size !== undefined) body.size = flags.size
    if (Object.keys(env).length > 0) body.env = env
    const dyno = await api.dynos.run(app, body).catch((error: unknown) => {
      throw this.cannotRun(error, app)
    })
    if (flags.detached) {
      const {showResult} = await import('../render/formation.js')
      showResult(this.term, flags.json, dyno, `Running ${command} on ${app}: run.${dyno.name}, detached. Its output: aka logs -a ${app}`)
      return
    }
    const code = await this.attached(dyno)
    if (code !== 0) this.exit(code)
  }

  /** An API without one-off dynos answers the route with 404 (no body), 405 or 501. */
  private cannotRun(error: unknown, app: string): unknown {
    if (!(error instanceof ApiError) || error.status === undefined) return error
    const unsupported = error.status === 405 || error.status === 501 || (error.status === 404 && !/application/i.test(error.message))
    return unsupported ? new AkaError(`This Akkeris API cannot run one-off dynos (it answered POST /apps/${app}/dynos with HTTP ${error.status})`, 'the local platform (aka local:start) can') : error
  }

  private async attached(dyno: Dyno): Promise<number> {
    if (!dyno.attach_url) throw new AkaError('The API started the one-off dyno without an attach URL, so its output cannot be shown here', '`aka logs` may have it')
    const [{attach, exitCode}, {resolveCredentials}] = await Promise.all([import('../api/attach-client.js'), import('../config/hosts.js')])
    const {authorization} = resolveCredentials(await this.endpoint(), this.term.env)
    const exit = await attach(dyno.attach_url, authorization, {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr}, handler => {
      process.on('SIGINT', handler)
      return () => process.off('SIGINT', handler)
    })
    return exitCode(exit)
  }
}
