import * as Args from '@oclif/core/args'

import type {Release} from '../../api/types.js'
import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {applyChange} from '../../cli/change.js'
import {ApiError} from '../../errors.js'
import {latestRelease} from '../../domain/release-ref.js'
import {waitFlags} from '../../cli/flags.js'
import {checkSizes} from '../../domain/formation-rules.js'
import {checkScheduleShape} from '../../domain/schedule-rules.js'
import {asksReleaseEarly, needsReleaseCommand, parsePairs, refuseCommandless, scaleChanges} from '../../domain/scale.js'

export default class PsScale extends AkaCommand {
  static override summary = 'Scale dyno types up or down, and resize them'
  static override description = [
    'Each pair sets a quantity (TYPE=N), adds to it (TYPE+N) or takes from it (TYPE-N, never below 0),',
    'optionally with a new size (TYPE=N:SIZE). All pairs go in one request, and only if every one is valid.',
    'With no pairs, prints the formation as pairs that can be pasted back.',
  ].join(' ')

  static override examples = [
    'Three web dynos\n<%= config.bin %> ps:scale web=3 -a shop-prod\nScaled shop-prod: web=3.',
    'One more worker on a bigger size, and web to 2, then wait for them\n<%= config.bin %> ps:scale worker+1:gp2 web=2 -a shop-prod --wait\nScaled shop-prod: worker=2:gp2, web=2.\nshop-prod is ready: worker 2/2, web 2/2.',
    'The formation, ready to paste back\n<%= config.bin %> ps:scale -a shop-prod\nweb=2:gp2 worker=1:gp1',
  ]

  static override hiddenAliases = ['scale']
  static override strict = false
  static override args = {pairs: Args.string({description: 'TYPE=N, TYPE+N or TYPE-N, each optionally :SIZE'})}
  static override flags = {app: appFlag, json: jsonFlag, ...waitFlags()}

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(PsScale)
    const pairs = parsePairs(argv as string[])
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    const early = asksReleaseEarly(pairs) ? whenAsked(this.latestRelease(app)) : undefined
    const formations = await api.formations.list(app)
    const {describeScale, formationPairs, showResult} = await import('../../render/formation.js')
    if (pairs.length === 0) {
      if (formations.length === 0 && !flags.json) this.term.stderr.write(`${app} has no dyno types.\n`)
      else showResult(this.term, flags.json, formations, formationPairs(formations))
      return
    }
    const changes = scaleChanges(pairs, formations)
    for (const change of changes) {
      const formation = formations.find(candidate => candidate.type === change.type)
      if (formation?.schedule) checkScheduleShape({type: formation.type, quantity: change.quantity ?? formation.quantity, schedule: formation.schedule, timezone: formation.timezone ?? null})
    }
    const sizes = changes.flatMap(change => change.size === undefined ? [] : [change.size])
    if (sizes.length > 0) checkSizes(sizes, await api.sizes.list())
    const commandless = needsReleaseCommand(changes, formations)
    if (commandless.length > 0) refuseCommandless(commandless, await (early ?? whenAsked(this.latestRelease(app)))())

    const touched = changes.map(change => ({
      type: change.type,
      change: {kind: 'scale', size: change.size, current: formations.find(formation => formation.type === change.type)?.size} as const,
    }))
    await applyChange(api, this.term, flags, {
      app,
      doing: `Scaling ${app}`,
      planned: touched.map(type => type.change),
      send: () => api.formations.batchUpdate(app, changes),
      show: scaled => showResult(this.term, flags.json, scaled, `Scaled ${app}: ${describeScale(changes)}.`),
      touched: () => touched,
    })
  }

  /** The latest release, to know the commands it gives; undefined when the releases cannot be read (the platform then decides). */
  private async latestRelease(app: string): Promise<Release | undefined> {
    const api = await this.api()
    try {
      return latestRelease(await api.releases.list(app))
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'http') return undefined
      throw error
    }
  }
}

/**
 * A request's outcome, read only if it turns out to be needed: an answer asked for early and then not
 * wanted (or not awaited, because an earlier step failed) never becomes an unhandled rejection.
 */
function whenAsked<T>(promise: Promise<T>): () => Promise<T> {
  const outcome = promise.then(value => ({value}), (error: unknown) => ({error}))
  return async () => {
    const result = await outcome
    if ('error' in result) throw result.error
    return result.value
  }
}
