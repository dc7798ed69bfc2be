import * as Args from '@oclif/core/args'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {applyChange} from '../../cli/change.js'
import {AkaError} from '../../errors.js'
import {waitFlags} from '../../cli/flags.js'
import {defaultRollbackTarget, findRelease, latestRelease, parseReleaseRef} from '../../domain/release-ref.js'

export default class ReleasesRollback extends AkaCommand {
  static override summary = 'Go back to an earlier release: its code and its config vars'
  static override description = [
    'Makes a new release with the build (and, on the local platform, the config vars) of VERSION, rolled out like any',
    'deploy: new dynos replace the old ones only once ready, so nothing stops serving. Without VERSION, the newest',
    'release before the latest one whose deployment succeeded. With --wait, waits until every dyno runs it.',
  ].join(' ')

  static override examples = [
    'Undo the last release, and wait until it serves\n<%= config.bin %> releases:rollback -a shop-prod --wait\nRolled back shop-prod to v1: v3 (Rollback to v1).\nshop-prod is ready: web 2/2, worker 1/1.',
    'Back to release 5\n<%= config.bin %> releases:rollback v5 -a shop-prod',
  ]

  static override hiddenAliases = ['release:rollback', 'rollback']
  static override args = {version: Args.string({description: 'v3, 3 or a release id (default: the last that succeeded before the latest)'})}
  static override flags = {app: appFlag, json: jsonFlag, ...waitFlags()}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ReleasesRollback)
    const ref = args.version === undefined ? undefined : parseReleaseRef(args.version)
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    const releases = await api.releases.list(app)
    const target = ref ? findRelease(releases, ref, app) : defaultRollbackTarget(releases, app)
    const latest = latestRelease(releases)
    if (latest && target.id === latest.id) throw new AkaError(`v${target.version} is already the latest release of ${app}`, 'name an earlier one')
    await applyChange(api, this.term, flags, {
      app,
      doing: `Rolling back ${app} to v${target.version}`,
      planned: [{kind: 'release'}],
      send: () => api.releases.rollback(app, target),
      show: async created => {
        if (flags.json) {
          const {printJson} = await import('../../render/output.js')
          printJson(this.term, created ?? null)
        } else {
          const made = created ? `: v${created.version} (${created.description})` : ''
          this.term.stdout.write(`Rolled back ${app} to v${target.version}${made}.\n`)
        }
      },
      // A rollback is a release: it redeploys every type.
      touched: async () => (await api.formations.list(app)).map(formation => ({type: formation.type, change: {kind: 'release'}})),
    })
  }
}
