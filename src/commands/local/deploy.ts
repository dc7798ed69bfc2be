import * as Args from '@oclif/core/args'
import {statSync} from 'node:fs'
import {resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import {AkaCommand, appFlag, jsonFlag} from '../../base-command.js'
import {AkaError, UsageError} from '../../errors.js'
import {waitFlags} from '../../flags.js'

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
    'Deploy the current folder\n<%= config.bin %> local:deploy -a hello-default',
    'Deploy an example app\n<%= config.bin %> local:deploy examples/hello -a hello-default\nReleased v1 of hello-default.',
    'Deploy, then wait until every dyno runs the new release\n<%= config.bin %> local:deploy examples/hello -a hello-default --wait\nReleased v2 of hello-default.\nhello-default is ready: web 1/1, worker 0/0.',
  ]

  static override localOnly = true
  static override args = {dir: Args.string({description: 'folder to deploy (default: the current folder)'})}
  static override flags = {app: appFlag, json: jsonFlag, ...waitFlags()}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(LocalDeploy)
    const dir = deployDir(args.dir)
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    const wait = flags.wait ? await import('../../wait.js') : undefined
    // What runs before the release: with --wait, each of these dynos must be replaced.
    const baseline = wait ? await wait.takeBaseline(api, app, true) : undefined
    this.term.spinner.start(`Deploying ${dir} to ⬢ ${app}`)
    const build = await api.releases.build(app, {url: pathToFileURL(dir).href})
    if (build.status === 'failed') throw new AkaError(`The deployment of ${dir} to ${app} failed`, `see \`aka logs -a ${app}\``)
    this.term.spinner.stop()
    const {showResult} = await import('../../render/formation.js')
    showResult(this.term, flags.json, build, build.release ? `Released v${build.release.version} of ${app}.` : `Build ${build.id} of ${app} is ${build.status}.`)
    if (wait && baseline) {
      // A release redeploys every dyno type, including those the first release just created.
      const formations = await api.formations.list(app)
      const targets = formations.map(formation => wait.target(formation.type, baseline, true))
      await wait.waitAfterChange(api, this.term, app, baseline, targets, flags)
    }
  }
}
