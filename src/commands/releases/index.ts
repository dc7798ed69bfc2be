import * as Flags from '@oclif/core/flags'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'

const SHOWN = 10

export default class Releases extends AkaCommand {
  static override summary = "List an app's releases"
  static override description = [
    'Every deploy, config change and rollback is a release with a version. The table shows, oldest first, each',
    "release's status (current: the one that serves; succeeded: an older one that deployed; deploying; failed; superseded: replaced before it finished;",
    'unknown where the API cannot tell), what changed, where its code came from, and',
    'its age; the last 10 unless --all. After a release that failed it says how to go back.',
  ].join(' ')

  static override examples = [
    {description: 'The last releases of an app', command: '<%= config.bin %> releases -a shop-prod'},
    {description: 'Every release, as the API returns them', command: '<%= config.bin %> releases -a shop-prod --all --json'},
  ]

  static override aliases = ['releases:list']
  static override hiddenAliases = ['release', 'release:list']
  static override flags = {
    app: appFlag,
    all: Flags.boolean({description: `every release, not only the last ${SHOWN}`}),
    json: jsonFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Releases)
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    const [all, builds] = await Promise.all([api.releases.list(app), flags.json ? Promise.resolve([]) : api.releases.builds(app)])
    const releases = [...all].sort((a, b) => a.version - b.version)
    const shown = flags.all ? releases : releases.slice(-SHOWN)
    if (flags.json) {
      const {printJson} = await import('../../render/output.js')
      printJson(this.term, shown)
      return
    }
    if (releases.length === 0) {
      const {notice} = await import('../../render/output.js')
      notice(this.term, `${app} has no releases yet; deploy one with \`aka local:deploy -a ${app}\` on the local platform.`)
      return
    }
    const [{renderReleases, failedReleaseHint}, {latestRelease, rollbackCandidate}] = await Promise.all([import('../../render/releases.js'), import('../../domain/release-ref.js')])
    this.term.stdout.write(renderReleases(this.term, shown, builds, Date.now()))
    this.term.stderr.write(failedReleaseHint(this.term, app, latestRelease(releases), rollbackCandidate(releases)))
  }
}
