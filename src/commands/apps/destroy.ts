import * as Flags from '@oclif/core/flags'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {AkaError, UsageError} from '../../errors.js'

export default class AppsDestroy extends AkaCommand {
  static override summary = 'Permanently destroy an app'
  static override description = 'Stops its dynos and deletes its formation, releases and config vars. Takes the app from -a only (never $AKKERIS_APP or git), and asks for its name to be typed again, or takes it with --confirm; without a terminal --confirm is required.'
  static override examples = [
    'In a script\n<%= config.bin %> apps:destroy -a hello-default --confirm hello-default\nDestroyed ⬢ hello-default.',
    'At a terminal: it asks for the app name\n<%= config.bin %> apps:destroy -a hello-default\n⚠  This destroys hello-default: its dynos, releases and config vars.\n✔ Type hello-default to confirm: hello-default\nDestroyed ⬢ hello-default.',
  ]

  static override flags = {
    app: appFlag,
    confirm: Flags.string({char: 'c', description: 'the app name again, to confirm without a prompt', helpValue: 'APP'}),
    json: jsonFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(AppsDestroy)
    const app = await this.resolveApp(flags.app, {explicitOnly: true})
    if (flags.confirm === undefined && !this.term.canPrompt) {
      throw new UsageError(`Destroying ${app} needs a confirmation`, `add --confirm ${app}`)
    }
    if (flags.confirm !== undefined && flags.confirm !== app) throw mismatch(flags.confirm, app)
    const api = await this.api()
    if (flags.confirm === undefined) {
      // Ask only about an app that exists: a typo fails before anyone types its name back.
      await api.apps.get(app)
      this.term.stderr.write(`⚠  This destroys ${app}: its dynos, releases and config vars.\n`)
      const {ask} = await import('../../render/prompts.js')
      const answer = (await ask(this.term, `Type ${app} to confirm:`)).trim()
      if (answer !== app) throw mismatch(answer, app)
    }
    this.term.spinner.start(`Destroying ⬢ ${app}`)
    const result = await api.apps.destroy(app)
    this.term.spinner.stop()
    if (flags.json) {
      const {printJson} = await import('../../render/output.js')
      // An empty answer still means the app is gone.
      printJson(this.term, result ?? {name: app, result: 'successful'})
      return
    }
    const {palette} = await import('../../render/style.js')
    this.term.stdout.write(`Destroyed ${palette(this.term).magenta(`⬢ ${app}`)}.\n`)
  }
}

/** As ps:destroy: a confirmation that does not match is a refusal at run time (exit 1), whether typed or given. */
function mismatch(answer: string, app: string): AkaError {
  return new AkaError(`Confirmation "${answer}" did not match ${app}: nothing was destroyed`)
}
