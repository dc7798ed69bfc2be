import * as Flags from '@oclif/core/flags'
import {userInfo} from 'node:os'

import {AkaCommand} from '../../cli/base-command.js'
import {AkaError, UsageError} from '../../errors.js'

export default class AuthToken extends AkaCommand {
  static override summary = 'Print the token aka sends to the API'
  static override description = 'Prints API_AUTH, else API_TOKEN, else the ~/.netrc password for the API host (the local platform\'s own token when that is the API in use). The only command that prints a token.'
  static override examples = [
    {description: 'Call the API with curl', command: 'curl -H "Authorization: Bearer $(<%= config.bin %> auth:token)" https://apps.example.io/apps'},
    {description: 'Let aka 3.x use the local platform: it looks the token up under the API host with its port', command: '<%= config.bin %> auth:token --netrc >> ~/.netrc'},
  ]

  static override hiddenAliases = ['token']
  static override flags = {
    netrc: Flags.boolean({description: 'print the ~/.netrc entry (machine HOST:PORT, login, password) older aka versions need for this API'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(AuthToken)
    const target = await this.endpoint()
    const [{resolveCredentials}, {print}] = await Promise.all([import('../../config/hosts.js'), import('../../render/output.js')])
    const credentials = resolveCredentials(target, this.term.env)
    if (!credentials.authorization) {
      throw new AkaError('No token', target.source === 'local'
        ? 'the local platform has not made one yet: start it with `aka local:start --detach`'
        : `run \`aka auth:login\` to store one for ${target.apiHost}, or set API_TOKEN`)
    }
    if (flags.netrc && credentials.source === 'API_AUTH') {
      throw new UsageError('API_AUTH is sent as it is, not as a ~/.netrc password', 'unset API_AUTH to print the ~/.netrc entry')
    }
    // API_AUTH is sent verbatim; the others are bearer tokens, printed without the scheme.
    const token = credentials.source === 'API_AUTH' ? credentials.authorization : credentials.authorization.replace(/^Bearer /, '')
    if (!flags.netrc) {
      print(this.term, token)
      return
    }
    const {formatNetrcEntry, netrcPath, readNetrcEntry} = await import('../../config/netrc.js')
    const login = readNetrcEntry(target.apiHost, netrcPath(this.term.env))?.login ?? userInfo().username
    this.term.stdout.write(formatNetrcEntry(target.apiHost, {login, password: token}))
  }
}
