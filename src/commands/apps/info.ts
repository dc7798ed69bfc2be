import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'

export default class AppsInfo extends AkaCommand {
  static override summary = 'Show an app'
  static override description = 'Its space, org, web URL, when it was last released, its formation as `type=quantity:size`, and how its last deployment went when the API says.'
  static override examples = [
    {description: 'One app', command: '<%= config.bin %> apps:info -a hello-default'},
    {description: 'Its web URL, for a script', command: "<%= config.bin %> apps:info -a hello-default --json | jq -r .web_url"},
  ]

  static override hiddenAliases = ['info']
  static override flags = {app: appFlag, json: jsonFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(AppsInfo)
    const name = await this.resolveApp(flags.app)
    const api = await this.api()
    const app = await api.apps.get(name)
    if (flags.json) {
      const {printJson} = await import('../../render/output.js')
      printJson(this.term, app)
      return
    }
    const {renderAppInfo} = await import('../../render/apps.js')
    this.term.stdout.write(renderAppInfo(this.term, app))
  }
}
