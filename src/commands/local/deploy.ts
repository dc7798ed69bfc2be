import {Args} from '@oclif/core'
import {statSync} from 'node:fs'
import {resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import {AkaCommand, appFlag} from '../../base-command.js'
import {AkaError, UsageError} from '../../errors.js'

/** The directory to deploy, absolute; a usage error when it is not a directory, before anything is sent. */
function deployDir(dir: string | undefined): string {
  const absolute = resolve(process.cwd(), dir ?? '.')
  let isDirectory: boolean
  try {
    isDirectory = statSync(absolute).isDirectory()
  } catch {
    throw new UsageError(`${absolute} does not exist`, 'give the folder of the app to deploy')
  }
  if (!isDirectory) throw new UsageError(`${absolute} is not a directory`, 'give the folder of the app to deploy')
  return absolute
}

export default class LocalDeploy extends AkaCommand {
  static override summary = 'Deploy a folder to an app on the local platform'
  static override description = 'The local platform copies the folder (its Procfile, else the package.json start script, gives the dyno types their commands) and releases it: every dyno of the app rolls over to the new release.'
  static override examples = [
    {description: 'Deploy the current folder', command: '<%= config.bin %> local:deploy -a hello-default'},
    {description: 'Deploy an example app', command: '<%= config.bin %> local:deploy examples/hello -a hello-default'},
  ]

  static override args = {dir: Args.string({description: 'folder to deploy (default: the current folder)'})}
  static override flags = {app: appFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(LocalDeploy)
    const dir = deployDir(args.dir)
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    this.term.spinner.start(`Deploying ${dir} to ⬢ ${app}`)
    const build = await api.releases.build(app, {url: pathToFileURL(dir).href})
    if (build.status === 'failed') throw new AkaError(`The deployment of ${dir} to ${app} failed`, `see \`aka logs -a ${app}\``)
    this.term.spinner.stop()
    this.term.stdout.write(build.release
      ? `Released v${build.release.version} of ${app}.\n`
      : `Build ${build.id} of ${app} is ${build.status}.\n`)
  }
}
