import {AkaCommand} from '../../base-command.js'
import {AkaError} from '../../errors.js'

export default class AuthToken extends AkaCommand {
  static override summary = 'Print the token aka sends to the API'
  static override description = 'Prints API_AUTH, else API_TOKEN, else the ~/.netrc password for the API host (the local platform\'s own token when that is the API in use). The only command that prints a token.'
  static override examples = [
    {description: 'Call the API with curl', command: 'curl -H "Authorization: Bearer $(<%= config.bin %> auth:token)" https://apps.example.io/apps'},
  ]

  static override hiddenAliases = ['token']

  async run(): Promise<void> {
    await this.parse(AuthToken)
    const target = await this.endpoint()
    const [{resolveCredentials}, {print}] = await Promise.all([import('../../config/hosts.js'), import('../../render/output.js')])
    const credentials = resolveCredentials(target, this.term.env)
    if (!credentials.authorization) {
      throw new AkaError('No token', target.source === 'local'
        ? 'the local platform has not made one yet: start it with `aka local:start --detach`'
        : `run \`aka auth:login\` to store one for ${target.apiHost}, or set API_TOKEN`)
    }
    // API_AUTH is sent verbatim; the others are bearer tokens, printed without the scheme.
    print(this.term, credentials.source === 'API_AUTH' ? credentials.authorization : credentials.authorization.replace(/^Bearer /, ''))
  }
}
