import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {UsageError} from '../../errors.js'
import {checkDynoExists, dynoRef} from '../../domain/formation-rules.js'

/** The signals the controller lets through (`kill -N -1`), in aka 3.x's order. */
const SIGNALS = {HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, USR1: 10, TERM: 15} as const
type SignalName = keyof typeof SIGNALS

const signalFlags = Object.fromEntries(Object.entries(SIGNALS).map(([name, number]) => [
  name,
  Flags.boolean({aliases: [`SIG${name}`], description: `send SIG${name} (${number})`}),
])) as Record<SignalName, ReturnType<typeof Flags.boolean>>

export default class PsKill extends AkaCommand {
  static override summary = 'Send a POSIX signal to every process of one dyno'
  static override description = 'Name exactly one signal. Each is also accepted with its SIG prefix (--SIGTERM).'
  static override examples = [
    'Ask a worker dyno to stop gracefully\n<%= config.bin %> ps:kill worker.5555555555-zzzzz --TERM -a shop-prod\nSent SIGTERM to worker.5555555555-zzzzz of shop-prod.',
    'Make a web dyno reopen its logs\n<%= config.bin %> ps:kill web.6df6bc55c4-ldt45 --SIGHUP -a shop-prod\nSent SIGHUP to web.6df6bc55c4-ldt45 of shop-prod.',
  ]

  static override hiddenAliases = ['kill']
  static override args = {dyno: Args.string({required: true, description: 'the dyno, as TYPE.NAME (see `aka ps`)'})}
  static override flags = {app: appFlag, json: jsonFlag, ...signalFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PsKill)
    const dyno = dynoRef(args.dyno, {nameRequired: true})
    const names = Object.keys(SIGNALS) as SignalName[]
    const chosen = names.filter(name => flags[name])
    if (chosen.length !== 1) {
      const given = chosen.length === 0 ? 'No signal given' : `Several signals given (${chosen.map(name => `--${name}`).join(', ')})`
      throw new UsageError(`${given}: name exactly one of ${names.map(name => `--${name}`).join(', ')}`)
    }
    const [signal] = chosen
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    checkDynoExists(dyno, await api.dynos.list(app), app)
    this.term.spinner.start(`Sending SIG${signal} to ${dyno.ref} of ${app}`)
    const result = await api.dynos.signal(app, dyno.ref, SIGNALS[signal])
    this.term.spinner.stop()
    const {showResult} = await import('../../render/formation.js')
    // The API answers an empty stdout and stderr: what was signalled is the useful result.
    showResult(this.term, flags.json, {app, dyno: dyno.ref, signal: `SIG${signal}`, number: SIGNALS[signal], ...result}, `Sent SIG${signal} to ${dyno.ref} of ${app}.`)
  }
}
