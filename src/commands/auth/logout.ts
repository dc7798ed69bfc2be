import {AkaCommand} from '../../cli/base-command.js'

export default class AuthLogout extends AkaCommand {
  static override summary = "Remove the API host's token from ~/.netrc"
  static override description = 'Deletes the `machine <api host>` entry from ~/.netrc and nothing else. API_TOKEN and API_AUTH, when set, still apply.'
  static override examples = [{description: 'Log out', command: '<%= config.bin %> auth:logout'}]
  static override hiddenAliases = ['logout']

  async run(): Promise<void> {
    await this.parse(AuthLogout)
    const target = await this.endpoint()
    const [{removeNetrcEntry, netrcPath}, {notice}] = await Promise.all([import('../../config/netrc.js'), import('../../render/output.js')])
    const removed = removeNetrcEntry(target.apiHost, netrcPath(this.term.env))
    notice(this.term, removed ? `Logged out of ${target.apiHost}.` : `Not logged in to ${target.apiHost}: nothing to remove.`)
  }
}
