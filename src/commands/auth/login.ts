import * as Flags from '@oclif/core/flags'
import type {Readable} from 'node:stream'

import {AkaCommand, debugEnabled} from '../../cli/base-command.js'
import {AkaError, UsageError} from '../../errors.js'

/** The first line of a piped stdin: how a script hands over a password without putting it in argv. */
async function firstLine(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]
}

export default class AuthLogin extends AkaCommand {
  static override summary = 'Log in and store a token in ~/.netrc'
  static override description = 'Asks the auth host for a token with your username and password (and a two-factor code when it wants one) and stores it as the password of `machine <api host>` in ~/.netrc (mode 0600), leaving every other entry as it was. Without a terminal, pass --username and pipe the password on stdin.'
  static override examples = [
    {description: 'Log in on a terminal', command: '<%= config.bin %> auth:login'},
    {description: 'In a script, the password on stdin', command: 'printf %s "$AKKERIS_PASSWORD" | <%= config.bin %> auth:login --username alice'},
  ]

  static override hiddenAliases = ['login']
  static override flags = {
    username: Flags.string({char: 'u', description: 'username to log in as', helpValue: 'NAME'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(AuthLogin)
    const term = this.term
    if (!term.canPrompt && !flags.username) {
      throw new UsageError('Without a terminal, pass --username and the password on stdin')
    }
    if (!term.canPrompt && term.stdinIsTTY) throw new UsageError('Pipe the password on stdin, or run on a terminal')
    const target = await this.endpoint()
    if (target.source === 'local') throw new AkaError('The local platform needs no login', 'aka uses its token by itself')
    if (!target.authHost) throw new AkaError('No auth host is configured', 'run `aka auth:profile`')
    const {ask, askSecret} = await import('../../render/prompts.js')
    const username = flags.username ?? await ask(term, 'Username')
    const password = term.canPrompt ? await askSecret(term, 'Password') : await firstLine(term.stdin)
    if (username.trim() === '' || password === '') throw new UsageError('A username and a password are needed')

    const [{Authorizations}, {timeoutFromEnv}] = await Promise.all([import('../../api/authorizations.js'), import('../../api/client.js')])
    const authorizations = new Authorizations(target.authHost, {
      userAgent: `aka/${this.config.version}`,
      timeoutMs: timeoutFromEnv(this.term.env),
      unreachableHint: 'check the auth host in ~/.akkeris/config.json (`aka auth:profile`) or AKKERIS_AUTH_HOST',
      debug: debugEnabled(this.term.env) ? line => term.stderr.write(`aka ${line}\n`) : undefined,
    })
    term.spinner.start(`Logging in to ${target.authHost}`)
    let result = await authorizations.create({username, password})
    if ('otpHeader' in result) {
      term.spinner.stop('two-factor code needed')
      if (!term.canPrompt) throw new AkaError(`${target.authHost} asks for a two-factor code`, 'run `aka auth:login` on a terminal')
      const code = await askSecret(term, 'Two-factor code')
      term.spinner.start(`Logging in to ${target.authHost}`)
      result = await authorizations.create({username, password, otp: {header: result.otpHeader, code: code.trim()}})
    }
    if (!('token' in result)) throw new AkaError(`${target.authHost} refused the two-factor code`)
    term.spinner.stop()
    const {writeNetrcEntry, netrcPath} = await import('../../config/netrc.js')
    writeNetrcEntry(target.apiHost, {login: username, password: result.token}, netrcPath(this.term.env))
    const {notice} = await import('../../render/output.js')
    notice(term, `Logged in to ${target.apiHost} as ${username}.`)
  }
}
