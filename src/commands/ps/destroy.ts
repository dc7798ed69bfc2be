import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {askConfirmation, checkConfirmFlag} from '../../cli/confirm.js'
import {dynoType} from '../../domain/formation-rules.js'
import {formationOfType} from '../../cli/known-types.js'

export default class PsDestroy extends AkaCommand {
  static override summary = 'Permanently delete a dyno type and its dynos'
  static override description = [
    'Asks for the app name to be typed, or takes it with --confirm. Acts only on the app named with -a:',
    'never one from $AKKERIS_APP or git. Without a terminal to ask on, --confirm is required.',
  ].join(' ')

  static override examples = [
    'In a script\n<%= config.bin %> ps:destroy worker -a shop-prod --confirm shop-prod\nDestroyed worker on shop-prod.',
    'At a terminal: it asks for the app name\n<%= config.bin %> ps:destroy worker -a shop-prod\n⚠  This deletes the dyno type worker of shop-prod and stops all its dynos.\n✔ Type shop-prod to confirm: shop-prod\nDestroying worker on shop-prod... done\nDestroyed worker on shop-prod.',
  ]

  static override args = {type: Args.string({required: true, description: 'the dyno type to delete'})}
  static override flags = {
    app: appFlag,
    confirm: Flags.string({char: 'c', description: 'the app name again, to confirm without being asked', helpValue: 'APP'}),
    json: jsonFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PsDestroy)
    const type = dynoType(args.type)
    const app = await this.resolveApp(flags.app, {explicitOnly: true})
    const destruction = {app, confirm: flags.confirm, doing: `Deleting ${type} of ${app}`, done: 'deleted'}
    checkConfirmFlag(this.term, destruction)
    const api = await this.api()
    await formationOfType(api, app, type)
    await askConfirmation(this.term, destruction, `This deletes the dyno type ${type} of ${app} and stops all its dynos.`)
    this.term.spinner.start(`Destroying ${type} on ${app}`)
    const deleted = await api.formations.destroy(app, type)
    this.term.spinner.stop()
    const {showResult} = await import('../../render/formation.js')
    showResult(this.term, flags.json, deleted, `Destroyed ${type} on ${app}.`)
  }
}
