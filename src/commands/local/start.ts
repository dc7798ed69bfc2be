import {Flags} from '@oclif/core'

import {AkaCommand} from '../../cli/base-command.js'
import {AkaError} from '../../errors.js'
import type {DetachError} from '../../platform/daemon.js'

export default class LocalStart extends AkaCommand {
  static override summary = 'Start the local Akkeris platform on this machine'
  static override description = [
    'Runs an Akkeris-compatible API on 127.0.0.1 whose dynos are real processes. Its state (database, token, slugs, log) lives in',
    '$AKKERIS_LOCAL_HOME, default ~/.akkeris/local. With no other Akkeris configured, every aka command uses it.',
    'In the foreground it logs requests and dyno events to stderr until Ctrl-C, which stops its dynos; --detach runs it',
    'in the background (stop it with `aka local:stop`).',
  ].join(' ')

  static override examples = [
    {description: 'Start it in the background on port 5000', command: '<%= config.bin %> local:start --detach'},
    {description: 'Run it in this terminal on another port', command: '<%= config.bin %> local:start --port 5050'},
    {description: 'Give new dynos 5 minutes to become ready before a deployment fails', command: '<%= config.bin %> local:start --detach --deploy-timeout 300'},
  ]

  static override flags = {
    port: Flags.integer({char: 'p', description: 'port of the API on 127.0.0.1 (0 picks a free one)', default: 5000, min: 0, max: 65_535, helpValue: 'PORT'}),
    detach: Flags.boolean({char: 'd', description: 'run in the background, with a pid file and a log file in the state folder'}),
    'deploy-timeout': Flags.integer({
      description: 'seconds a new dyno of a rolling deployment may take to become ready; past that the deployment fails and the old dynos keep serving (at least 5: a worker is ready after 3 s up)',
      default: 60,
      min: 5,
      helpValue: 'SECONDS',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LocalStart)
    const {localHome, readLocalPlatform} = await import('../../config/local.js')
    const home = localHome(this.term.env)
    const running = readLocalPlatform(this.term.env)
    if (running) throw new AkaError(`The local platform already runs at ${running.url} (pid ${running.pid})`, 'stop it with `aka local:stop`')
    if (flags.detach) {
      await this.detach(home, flags.port, flags['deploy-timeout'])
      return
    }
    const {servePlatform} = await import('../../platform/main.js')
    const {platformLog} = await import('../../platform/platform-log.js')
    // Straight to stderr's descriptor, not through a stream: a closed pipe or a full disk must not end the platform.
    const log = platformLog()
    await servePlatform({home, port: flags.port, deployTimeoutSeconds: flags['deploy-timeout'], log}).catch(error => {
      throw listenError(error as NodeJS.ErrnoException, flags.port)
    })
  }

  private async detach(home: string, port: number, deployTimeoutSeconds: number): Promise<void> {
    const {mkdirSync} = await import('node:fs')
    const {DetachError, LOG_FILE, startDetached} = await import('../../platform/daemon.js')
    const {join} = await import('node:path')
    mkdirSync(home, {recursive: true, mode: 0o700})
    this.term.spinner.start('Starting the local platform')
    try {
      const record = await startDetached(home, {port, deployTimeoutSeconds}, this.term.env)
      this.term.spinner.stop()
      this.term.stderr.write(`The local platform runs in the background (pid ${record.pid}); its log is ${join(home, LOG_FILE)}. Stop it with \`aka local:stop\`.\n`)
      this.term.stdout.write(`${record.url}\n`)
    } catch (error) {
      if (error instanceof DetachError) throw detachError(error, port)
      throw error
    }
  }
}

const portInUse = (port: number) => new AkaError(`Port ${port} on 127.0.0.1 is in use`, 'choose another with --port')

/** The same answers in the foreground as detached, where the child's error comes as its name and code. */
function startError(error: {message: string, name?: string, code?: string}, port: number): Error | undefined {
  if (error.code === 'EADDRINUSE') return portInUse(port)
  if (error.name === 'PlatformRunningError') return new AkaError(error.message, 'stop it with `aka local:stop`')
  // Its message already says what to do about the state folder.
  if (error.name === 'StateFolderError') return new AkaError(error.message)
  return undefined
}

function listenError(error: NodeJS.ErrnoException, port: number): Error {
  return startError(error, port) ?? error
}

function detachError(error: DetachError, port: number): Error {
  return startError({message: error.message, ...error.reason}, port) ?? new AkaError(error.message, `see ${error.logFile}`)
}
