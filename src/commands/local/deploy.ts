import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {statSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {Formation, Release} from '../../api/types.js'
import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {AkaError, UsageError} from '../../errors.js'
import {applyChange} from '../../cli/change.js'
import {waitTuning} from '../../cli/flags.js'
import {type IgnoredLine, readProcfile} from '../../domain/procfile.js'

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

/** The folder's Procfile lines the platform will ignore (it reads the same grammar); none without a Procfile. */
async function ignoredProcfileLines(dir: string): Promise<IgnoredLine[]> {
  try {
    return readProcfile(await readFile(join(dir, 'Procfile'), 'utf8')).ignored
  } catch {
    return []
  }
}

/** Why the release will run nothing, or undefined when some dyno type runs. */
function nothingToRun(app: string, release: Release, formations: Formation[]): string | undefined {
  const types = Object.keys(release.process_types ?? {})
  if (release.process_types && types.length === 0) {
    return `v${release.version} has nothing to run: no valid Procfile line (and, without a Procfile, no package.json start script)`
  }
  if (formations.some(formation => formation.quantity > 0)) return undefined
  const type = types[0] ?? 'web'
  return `No dyno of ${app} runs v${release.version}: every dyno type is at 0; \`aka ps:scale ${type}=1 -a ${app}\` starts one`
}

export default class LocalDeploy extends AkaCommand {
  static override summary = 'Deploy a folder to an app on the local platform'
  static override description = [
    'The local platform copies the folder (its Procfile, else the package.json start script, gives the dyno types their',
    'commands) and releases it: every dyno of the app rolls over to the new release. It then waits until every dyno runs',
    'it (exit 1 with the reason when the deployment fails; --no-wait returns at once), and warns about Procfile lines it',
    'ignored and about a release that runs nothing.',
  ].join(' ')

  static override examples = [
    'Deploy the current folder and wait until it runs\n<%= config.bin %> local:deploy -a hello-default',
    'Deploy an example app\n<%= config.bin %> local:deploy examples/hello -a hello-default\nReleased v2 of hello-default.\nhello-default is ready: web 1/1, worker 0/0.',
    'Deploy and return at once\n<%= config.bin %> local:deploy examples/hello -a hello-default --no-wait',
  ]

  static override localOnly = true
  static override args = {dir: Args.string({description: 'folder to deploy (default: the current folder)'})}
  static override flags = {
    app: appFlag,
    json: jsonFlag,
    wait: Flags.boolean({description: 'wait until every dyno runs the new release [default: on; --no-wait returns at once]', default: true, allowNo: true}),
    // Not tied to --wait, which is on by default: the base command refuses them with --no-wait.
    ...waitTuning(false),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(LocalDeploy)
    const dir = deployDir(args.dir)
    const app = await this.resolveApp(flags.app)
    const ignored = await ignoredProcfileLines(dir)
    const api = await this.api()
    let release: Release | undefined
    let formations: Formation[] = []
    const build = await applyChange(api, this.term, flags, {
      app,
      doing: `Deploying ${dir} to ⬢ ${app}`,
      planned: [{kind: 'release'}],
      async send() {
        const build = await api.releases.build(app, {url: pathToFileURL(dir).href})
        if (build.status === 'failed') throw new AkaError(`The deployment of ${dir} to ${app} failed`, `see \`aka logs -a ${app}\``)
        return build
      },
      show: async build => {
        for (const line of ignored) this.term.stderr.write(`Warning: Procfile line ${line.line} was ignored (${line.why}): ${line.text.trim()}\n`)
        if (!build.release) {
          this.term.stdout.write(`Build ${build.id} of ${app} is ${build.status}.\n`)
          return
        }
        [release, formations] = await Promise.all([api.releases.get(app, build.release.id), api.formations.list(app)])
        if (!flags.json) this.term.stdout.write(`Released v${release.version} of ${app}.\n`)
        const idle = nothingToRun(app, release, formations)
        if (idle) this.term.stderr.write(`Warning: ${idle}.\n`)
      },
      // A release redeploys every dyno type, including those the first release just created.
      touched: () => release && formations.map(formation => ({type: formation.type, change: {kind: 'release'}})),
    })
    if (!build.release || !release) return
    if (flags.json) {
      const {printJson} = await import('../../render/output.js')
      printJson(this.term, flags.wait ? await api.releases.get(app, release.id) : release)
    }
  }
}
