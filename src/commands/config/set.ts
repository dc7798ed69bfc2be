import * as Args from '@oclif/core/args'

import {AkaCommand, appFlag} from '../../base-command.js'
import {parseAssignments} from '../../config-var-syntax.js'

export default class ConfigSet extends AkaCommand {
  static override summary = 'Set config vars'
  static override description = 'Every pair is checked before anything is sent. A change of config vars rolls every dyno of the app over to the new values.'
  static override examples = [
    {description: 'Set two vars', command: '<%= config.bin %> config:set GREETING=hello LOG_LEVEL=debug -a hello-default'},
    {description: 'A value with spaces or = in it', command: "<%= config.bin %> config:set 'DATABASE_URL=postgres://db/app?sslmode=require' -a hello-default"},
  ]

  static override strict = false
  static override args = {pairs: Args.string({description: 'KEY=VALUE pairs'})}
  static override flags = {app: appFlag}

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ConfigSet)
    const vars = parseAssignments(argv as string[])
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    this.term.spinner.start(`Setting config vars on ⬢ ${app}`)
    await api.configVars.update(app, vars)
    this.term.spinner.stop()
    this.term.stdout.write(`Set ${Object.keys(vars).join(', ')} on ⬢ ${app}.\n`)
  }
}
