import * as Flags from '@oclif/core/flags'

import {AkaCommand, appFlag} from '../../cli/base-command.js'

export default class Config extends AkaCommand {
  static override summary = "Show an app's config vars"
  static override description = 'Sorted `KEY: value` lines; --shell prints `KEY=\'value\'` lines quoted for sh (`eval "$(aka config -a APP --shell)"`), --json the object the API returns.'
  static override examples = [
    {description: 'Read them', command: '<%= config.bin %> config -a hello-default'},
    {description: 'Load them into a shell', command: 'eval "$(<%= config.bin %> config -a hello-default --shell)"'},
  ]

  static override flags = {
    app: appFlag,
    json: Flags.boolean({char: 'j', description: 'print the API object as JSON', exclusive: ['shell']}),
    shell: Flags.boolean({char: 's', description: "print KEY='value' lines for sh", exclusive: ['json']}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Config)
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    const vars = await api.configVars.get(app)
    if (flags.json) {
      const {printJson} = await import('../../render/output.js')
      printJson(this.term, vars)
      return
    }
    const {renderConfigShell, renderConfigVars} = await import('../../render/config.js')
    if (flags.shell) {
      this.term.stdout.write(renderConfigShell(vars))
      return
    }
    if (Object.keys(vars).length === 0) {
      const {notice} = await import('../../render/output.js')
      notice(this.term, `⬢ ${app} has no config vars.`)
      return
    }
    this.term.stdout.write(renderConfigVars(this.term, vars))
  }
}
