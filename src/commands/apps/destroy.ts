import {Flags} from '@oclif/core'

import {AkaCommand, appFlag} from '../../base-command.js'
import {AkaError, UsageError} from '../../errors.js'

export default class AppsDestroy extends AkaCommand {
  static override summary = 'Permanently destroy an app'
  static override description = 'Stops its dynos and deletes its formation, releases and config vars. Takes the app from -a only, and asks you to type its name again (or pass --confirm APP); without a terminal --confirm is required.'
  static override examples = [
    {description: 'Destroy without a question, from a script', command: '<%= config.bin %> apps:destroy -a hello-default --confirm hello-default'},
  ]

  static override flags = {
    app: appFlag,
    confirm: Flags.string({char: 'c', description: 'the app name again, to confirm without a prompt', helpValue: 'APP'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(AppsDestroy)
    const app = await this.resolveApp(flags.app, {explicitOnly: true})
    await this.confirm(app, flags.confirm)
    const api = await this.api()
    this.term.spinner.start(`Destroying ⬢ ${app}`)
    await api.apps.destroy(app)
    this.term.spinner.stop()
    const {palette} = await import('../../render/style.js')
    this.term.stdout.write(`Destroyed ${palette(this.term).magenta(`⬢ ${app}`)}\n`)
  }

  private async confirm(app: string, given: string | undefined): Promise<void> {
    if (given !== undefined) {
      if (given !== app) throw new UsageError(`--confirm ${given} does not match the app ${app}; nothing was destroyed`)
      return
    }
    if (!this.term.canPrompt) throw new UsageError(`Destroying ${app} needs --confirm ${app}`, 'without a terminal there is no one to ask')
    this.term.stderr.write(`▸ This will permanently destroy ⬢ ${app}: its dynos, releases and config vars.\n`)
    const {ask} = await import('../../render/prompts.js')
    const typed = await ask(this.term, `Type ${app} to confirm`)
    if (typed.trim() !== app) throw new AkaError(`Confirmation did not match ${app}; nothing was destroyed`)
  }
}
