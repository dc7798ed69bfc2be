import * as Args from '@oclif/core/args'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {AkaError} from '../../errors.js'
import {parseNames} from '../../domain/config-var-syntax.js'

export default class ConfigGet extends AkaCommand {
  static override summary = 'Print the value of one config var'
  static override description = 'Prints the value alone, for scripts (as aka 3.x did). A var that is not set exits 1.'
  static override examples = [
    {description: 'One value', command: '<%= config.bin %> config:get GREETING -a hello-default'},
    {description: 'As JSON', command: '<%= config.bin %> config:get GREETING -a hello-default --json'},
  ]

  static override args = {key: Args.string({required: true, description: 'name of the config var'})}
  static override flags = {app: appFlag, json: jsonFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ConfigGet)
    const [key] = parseNames([args.key])
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    const vars = await api.configVars.get(app)
    if (!Object.hasOwn(vars, key)) throw new AkaError(`${app} has no config var ${key}`, `\`aka config -a ${app}\` lists them`)
    const {printJson} = await import('../../render/output.js')
    if (flags.json) printJson(this.term, {[key]: vars[key]})
    else this.term.stdout.write(`${vars[key]}\n`)
  }
}
