import * as Flags from '@oclif/core/flags'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {askConfirmation, checkConfirmFlag} from '../../cli/confirm.js'

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
    const destruction = {app, confirm: flags.confirm, doing: `Destroying ${app}`, done: 'destroyed'}
    checkConfirmFlag(this.term, destruction)
    const api = await this.api()
    if (flags.confirm === undefined) {
      // Ask only about an app that exists: a typo fails before anyone types its name back.
      await api.apps.get(app)
      await askConfirmation(this.term, destruction, `This destroys ${app}: its dynos, releases and config vars.`)
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
