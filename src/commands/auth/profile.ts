import * as Flags from '@oclif/core/flags'
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

import {AkaCommand} from '../../cli/base-command.js'
import type {ProfileFile} from '../../config/hosts.js'
import {UsageError} from '../../errors.js'

/** A host as typed: trimmed and lower-cased; `http://` is kept since it means plain HTTP. */
function cleanHost(value: string, flag: string, example: string): string {
  const host = value.trim().toLowerCase().replace(/\/+$/, '')
  if (host === '' || /\s/.test(host)) throw new UsageError(`--${flag} needs a host name, not "${value}"`, `e.g. ${example}`)
  try {
    new URL(/^https?:\/\//.test(host) ? host : `https://${host}`)
  } catch {
    throw new UsageError(`--${flag} needs a host name, not "${value}"`, `e.g. ${example}`)
  }
  return host
}

export default class AuthProfile extends AkaCommand {
  static override summary = 'Choose which Akkeris to talk to'
  static override description = 'Writes the auth host (for auth:login) and the apps host (the API) to ~/.akkeris/config.json, as aka 3.x did. Asks for them on a terminal; scripts pass both flags. A host written as http://HOST means plain HTTP. --local switches back to the local platform and keeps the hosts for the next auth:profile (local:* commands always use the local platform).'
  static override examples = [
    {description: 'Ask for both hosts', command: '<%= config.bin %> auth:profile'},
    {description: 'In a script', command: '<%= config.bin %> auth:profile --auth-host auth.example.io --api-host apps.example.io'},
    {description: 'Back to the local platform', command: '<%= config.bin %> auth:profile --local'},
  ]

  static override flags = {
    'auth-host': Flags.string({description: 'host that issues tokens (auth:login)', helpValue: 'HOST'}),
    'api-host': Flags.string({description: 'host of the Akkeris API (apps)', helpValue: 'HOST'}),
    local: Flags.boolean({description: 'talk to the local platform again (aka local:start)'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(AuthProfile)
    if (flags.local) {
      if (flags['auth-host'] !== undefined || flags['api-host'] !== undefined) {
        throw new UsageError('--local takes no host', 'pass either --local or --auth-host and --api-host')
      }
      await this.write({platform: 'local'}, 'aka now talks to the local platform (`aka auth:profile` switches back to an Akkeris).')
      return
    }
    const clean = {
      auth: (value: string) => cleanHost(value, 'auth-host', 'auth.example.io'),
      apps: (value: string) => cleanHost(value, 'api-host', 'apps.example.io'),
    }
    let auth = flags['auth-host'] === undefined ? undefined : clean.auth(flags['auth-host'])
    let apps = flags['api-host'] === undefined ? undefined : clean.apps(flags['api-host'])
    if ((auth === undefined || apps === undefined) && !this.term.canPrompt) {
      throw new UsageError('Without a terminal, pass both --auth-host and --api-host', 'or --local for the local platform')
    }
    const {readProfile} = await import('../../config/hosts.js')
    const current = readProfile(this.term.env) ?? {}
    if (auth === undefined || apps === undefined) {
      const {ask} = await import('../../render/prompts.js')
      auth ??= clean.auth(await ask(this.term, 'Akkeris auth host (auth.example.io)', current.auth))
      apps ??= clean.apps(await ask(this.term, 'Akkeris apps host (apps.example.io)', current.apps))
    }
    await this.write({auth, apps, platform: undefined}, 'Profile updated.')
  }

  /** Merges the change into config.json, keeping what aka 3.x also keeps there (`updates`). */
  private async write(change: ProfileFile, message: string): Promise<void> {
    const {readProfile, configFilePath} = await import('../../config/hosts.js')
    const file = configFilePath(this.term.env)
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(file, JSON.stringify({...readProfile(this.term.env), ...change}, null, 2) + '\n')
    const {notice} = await import('../../render/output.js')
    notice(this.term, message)
  }
}
