import {AkaCommand, jsonFlag} from '../../cli/base-command.js'

export default class AuthWhoami extends AkaCommand {
  static override summary = 'Show the account the token belongs to'
  static override description = 'Asks the API host for the account of the token in use (GET /account).'
  static override examples = [
    {description: 'Name and email', command: '<%= config.bin %> auth:whoami'},
    {description: 'The account as the API returns it', command: '<%= config.bin %> auth:whoami --json'},
  ]

  static override hiddenAliases = ['whoami', 'auth']
  static override flags = {json: jsonFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(AuthWhoami)
    const api = await this.api()
    const account = await api.account.get()
    const {print, printJson} = await import('../../render/output.js')
    if (flags.json) {
      printJson(this.term, account)
      return
    }
    const name = account.name ?? account.email ?? account.id ?? 'unknown'
    print(this.term, account.email && account.email !== name ? `${name} (${account.email})` : name)
  }
}
