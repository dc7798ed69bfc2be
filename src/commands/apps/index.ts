import {AkaCommand, jsonFlag} from '../../cli/base-command.js'

export default class Apps extends AkaCommand {
  static override summary = 'List the apps'
  static override description = 'A table of every app the API lets you see: its NAME-SPACE key (what -a takes), space, org and web URL.'
  static override examples = [
    {description: 'Every app', command: '<%= config.bin %> apps'},
    {description: 'The apps as the API returns them', command: '<%= config.bin %> apps --json'},
  ]

  static override flags = {json: jsonFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(Apps)
    const api = await this.api()
    const apps = await api.apps.list()
    if (flags.json) {
      const {printJson} = await import('../../render/output.js')
      printJson(this.term, apps)
      return
    }
    if (apps.length === 0) {
      const {notice} = await import('../../render/output.js')
      notice(this.term, 'There are no apps yet; create one with `aka apps:create NAME`.')
      return
    }
    const {renderAppList} = await import('../../render/apps.js')
    this.term.stdout.write(renderAppList(this.term, apps))
  }
}
