import * as Args from '@oclif/core/args'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {parseNames} from '../../domain/config-var-syntax.js'
import {waitFlags} from '../../cli/flags.js'

export default class ConfigUnset extends AkaCommand {
  static override summary = 'Remove config vars'
  static override description = 'Takes the app from -a only, as aka 3.x did for unset. Removing a var rolls every dyno of the app over; --wait waits for that. --json prints the app and the names removed.'
  static override examples = [
    {description: 'Remove two vars', command: '<%= config.bin %> config:unset GREETING LOG_LEVEL -a hello-default'},
  ]

  static override strict = false
  static override args = {keys: Args.string({description: 'names of the config vars to remove'})}
  static override flags = {app: appFlag, json: jsonFlag, ...waitFlags()}

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ConfigUnset)
    const names = parseNames(argv as string[])
    const app = await this.resolveApp(flags.app, {explicitOnly: true})
    const [api, {changeConfig}] = await Promise.all([this.api(), import('../../cli/config-change.js')])
    await changeConfig(api, this.term, app, Object.fromEntries(names.map(name => [name, null])), flags)
  }
}
