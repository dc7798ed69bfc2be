import * as Args from '@oclif/core/args'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {parseAssignments} from '../../domain/config-var-syntax.js'
import {waitFlags} from '../../cli/flags.js'

export default class ConfigSet extends AkaCommand {
  static override summary = 'Set config vars'
  static override description = 'Every pair is checked before anything is sent. A change of config vars rolls every dyno of the app over to the new values; --wait waits for that. --json prints the app and the names set (never the values).'
  static override examples = [
    {description: 'Set two vars', command: '<%= config.bin %> config:set GREETING=hello LOG_LEVEL=debug -a hello-default'},
    {description: 'A value with spaces or = in it', command: "<%= config.bin %> config:set 'DATABASE_URL=postgres://db/app?sslmode=require' -a hello-default"},
    {description: 'Set a var and wait until every dyno runs with it', command: '<%= config.bin %> config:set GREETING=hi -a hello-default --wait'},
  ]

  static override strict = false
  static override args = {pairs: Args.string({description: 'KEY=VALUE pairs'})}
  static override flags = {app: appFlag, json: jsonFlag, ...waitFlags()}

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ConfigSet)
    const vars = parseAssignments(argv as string[])
    const app = await this.resolveApp(flags.app)
    const [api, {changeConfig}] = await Promise.all([this.api(), import('../../cli/config-change.js')])
    await changeConfig(api, this.term, app, vars, flags)
  }
}
