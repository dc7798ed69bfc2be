// What every aka command shares: the terminal, the API, app resolution, and errors → one line + exit code.
// Subpath imports: the root '@oclif/core' index also loads semver and every oclif module at start-up.
import {Command} from '@oclif/core/command'
import type {Input, ParserOutput} from '@oclif/core/interfaces'
import * as Flags from '@oclif/core/flags'
import {execFileSync} from 'node:child_process'

import type {Api} from '../api/index.js'
import type {Endpoint} from '../config/hosts.js'
import {AkaError, EXIT_INTERRUPTED, EXIT_RUNTIME, EXIT_USAGE, UsageError} from '../errors.js'
import {terminal, type Terminal} from '../render/terminal.js'

export const appFlag = Flags.string({char: 'a', description: 'app to act on (NAME-SPACE)', helpValue: 'APP'})
export const jsonFlag = Flags.boolean({description: 'print the API objects as JSON'})

export function debugEnabled(env: NodeJS.ProcessEnv): boolean {
  return (env.DEBUG ?? '').split(',').some(name => ['aka', '*'].includes(name.trim()))
}

/** oclif's FlagOutput and ArgOutput: parsed values by name. */
type Parsed = {[name: string]: unknown}

interface OclifError extends Error {
  code?: string
  oclif?: {exit?: number}
  parse?: unknown
}

export abstract class AkaCommand extends Command {
  /** Only meaningful on the local platform (`local:*`): talks to it, and with its token, whatever else is configured. */
  static localOnly = false

  private cachedApi?: Promise<Api>
  private cachedEndpoint?: Endpoint

  protected get term(): Terminal {
    return terminal()
  }

  /** The API the configuration points at (loaded on first use, so help and usage errors never pay for it). */
  protected api(): Promise<Api> {
    this.cachedApi ??= this.endpoint().then(async target => {
      const {localCredentials, resolveCredentials} = await import('../config/hosts.js')
      const credentials = this.localOnly ? localCredentials(this.term.env) : resolveCredentials(target, this.term.env)
      return this.connect(target, credentials.authorization)
    })
    return this.cachedApi
  }

  protected async endpoint(): Promise<Endpoint> {
    if (!this.cachedEndpoint) {
      const {localEndpoint, resolveEndpoint} = await import('../config/hosts.js')
      this.cachedEndpoint = this.localOnly ? localEndpoint(this.term.env) : resolveEndpoint(this.term.env)
    }
    return this.cachedEndpoint
  }

  private get localOnly(): boolean {
    return (this.constructor as typeof AkaCommand).localOnly
  }

  private async connect(target: Endpoint, authorization: string | undefined): Promise<Api> {
    const [{ApiClient, timeoutFromEnv}, {createApi}] = await Promise.all([import('../api/client.js'), import('../api/index.js')])
    const local = target.source === 'local'
    const client = new ApiClient({
      baseURL: target.apiUrl,
      authorization,
      userAgent: `aka/${this.config.version}`,
      timeoutMs: timeoutFromEnv(this.term.env),
      loginHint: local
        ? 'the local platform refused its token: restart it with `aka local:stop` and `aka local:start --detach`'
        : 'run `aka auth:login`, or set API_TOKEN',
      unreachableHint: local
        ? 'start the local platform with `aka local:start --detach`'
        : 'check AKKERIS_API_HOST or ~/.akkeris/config.json (`aka auth:profile`)',
      debug: debugEnabled(this.term.env) ? line => this.term.stderr.write(`aka ${line}\n`) : undefined,
    })
    return createApi(client)
  }

  /**
   * The app to act on: -a, else $AKKERIS_APP, else git config branch.<current>.akkeris, else a prompt on a TTY.
   * Destructive commands pass `explicitOnly` and take -a alone.
   */
  protected async resolveApp(flag: string | undefined, options: {explicitOnly?: boolean} = {}): Promise<string> {
    if (flag) return flag
    if (options.explicitOnly) throw new UsageError('This command needs the app named with -a APP', 'it never guesses the app for a destructive change')
    const fromEnv = this.term.env.AKKERIS_APP
    if (fromEnv) {
      this.term.stderr.write(`Using ⬢ ${fromEnv} from $AKKERIS_APP\n`)
      return fromEnv
    }
    const fromGit = appFromGit()
    if (fromGit) {
      this.term.stderr.write(`Using ⬢ ${fromGit.app} from git config branch.${fromGit.branch}.akkeris\n`)
      return fromGit.app
    }
    if (!this.term.canPrompt) throw new UsageError('No app given: pass -a APP', 'or set AKKERIS_APP, or `git config branch.<branch>.akkeris APP`')
    const api = await this.api()
    const apps = await api.apps.list()
    if (apps.length === 0) throw new AkaError('There are no apps to choose from', 'create one with `aka apps:create NAME`')
    const {pickApp} = await import('../render/prompts.js')
    return pickApp(this.term, apps.map(app => app.name).sort())
  }

  /** oclif's parse, then the rules between flags oclif cannot say in a usage line: --timeout and --interval need --wait. */
  protected override async parse<F extends Parsed, B extends Parsed, A extends Parsed>(options?: Input<F, B, A>, argv?: string[]): Promise<ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv)
    const flags = parsed.flags as {wait?: boolean, timeout?: number, interval?: number}
    const declared = options?.flags ?? (this.constructor as typeof AkaCommand).flags
    if (declared && 'wait' in declared && !flags.wait) {
      const tuning = (['timeout', 'interval'] as const).find(name => flags[name] !== undefined)
      if (tuning) throw new UsageError(`--${tuning} needs --wait`, `see \`${this.config.bin} ${this.id} --help\``)
    }
    return parsed
  }

  override async catch(error: Error): Promise<never> {
    const oclifError = error as OclifError
    if (oclifError.code === 'EEXIT') throw error
    // oclif's parser errors (some carry `parse`, all end with its help pointer) are usage errors.
    const parseError = oclifError.parse !== undefined || oclifError.message.endsWith('See more help with --help')
    const {exitCode, line: described} = !parseError
      ? describe(oclifError)
      : {exitCode: EXIT_USAGE, line: (await import('./parse-errors.js')).parseErrorLine(oclifError, this.id ?? '', this.config.bin)}
    const nearApps = await (await import('./app-suggestions.js')).suggestApps(error, this.cachedApi)
    const line = nearApps ? `${described}; ${nearApps}` : described
    // chalk loads here, not at start-up: a command that prints no colour (--json) never pays for it.
    const {palette} = await import('../render/style.js')
    const color = palette({...this.term, color: this.term.color && this.term.stderrIsTTY})
    this.term.spinner.stop(color.red('failed'))
    this.term.stderr.write(`${color.red('Error:')} ${line}\n`)
    if (debugEnabled(this.term.env) && error.stack) this.term.stderr.write(`${error.stack}\n`)
    return this.exit(exitCode)
  }
}

function describe(error: OclifError): {exitCode: number, line: string} {
  if (error instanceof AkaError) {
    const message = error.hint ? error.message.replace(/\.$/, '') : error.message
    return {exitCode: error.exitCode, line: error.hint ? `${message}; ${error.hint}` : message}
  }
  if (error.name === 'ExitPromptError' || error.name === 'AbortPromptError') return {exitCode: EXIT_INTERRUPTED, line: 'Interrupted'}
  const oneLine = error.message.split('\n').map(part => part.trim()).filter(Boolean).join(' ')
  if (error.oclif?.exit === EXIT_USAGE) return {exitCode: EXIT_USAGE, line: oneLine}
  return {exitCode: EXIT_RUNTIME, line: oneLine}
}

function appFromGit(): {app: string, branch: string} | undefined {
  try {
    const options = {encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore']}
    const branch = execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], options).trim()
    const app = execFileSync('git', ['config', '--get', `branch.${branch}.akkeris`], options).trim()
    return app ? {app, branch} : undefined
  } catch {
    return undefined
  }
}
