import * as Args from '@oclif/core/args'

import type {Release} from '../../api/types.js'
import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {AkaError} from '../../errors.js'
import {findRelease, latestRelease, parseReleaseRef, type ReleaseRef} from '../../domain/release-ref.js'

function pick(releases: Release[], app: string, ref: ReleaseRef | undefined): Release {
  if (ref) return findRelease(releases, ref, app)
  const latest = latestRelease(releases)
  if (!latest) throw new AkaError(`${app} has no releases yet`)
  return latest
}

export default class ReleasesInfo extends AkaCommand {
  static override summary = 'Show one release: its status, what changed, and each dyno type\'s deployment'
  static override description = 'VERSION is v3, 3 or a release id; without it, the latest release. A failed release names each dyno type whose deployment failed, with the reason.'
  static override examples = [
    {description: 'The latest release', command: '<%= config.bin %> releases:info -a shop-prod'},
    {description: 'Release 3, as the API returns it', command: '<%= config.bin %> releases:info v3 -a shop-prod --json'},
  ]

  static override hiddenAliases = ['release:info']
  static override args = {version: Args.string({description: 'v3, 3 or a release id (default: the latest)'})}
  static override flags = {app: appFlag, json: jsonFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ReleasesInfo)
    const ref = args.version === undefined ? undefined : parseReleaseRef(args.version)
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    // The controller finds a release by id only; a version is looked up in the list.
    const release = ref?.kind === 'id' ? await api.releases.get(app, ref.id) : pick(await api.releases.list(app), app, ref)
    if (flags.json) {
      const {printJson} = await import('../../render/output.js')
      printJson(this.term, release)
      return
    }
    const {renderReleaseInfo} = await import('../../render/releases.js')
    this.term.stdout.write(renderReleaseInfo(this.term, app, release, Date.now()))
  }

}
