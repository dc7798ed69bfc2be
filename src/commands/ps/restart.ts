import * as Args from '@oclif/core/args'

import type {Dyno} from '../../api/types.js'
import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {applyChange} from '../../cli/change.js'
import {waitFlags} from '../../cli/flags.js'
import {checkDynoExists, dynoRef, runsOnce} from '../../domain/formation-rules.js'
import {UsageError} from '../../errors.js'
import {noSuchType} from '../../cli/known-types.js'

export default class PsRestart extends AkaCommand {
  static override summary = 'Restart every dyno, the dynos of one type, or one dyno'
  static override description = [
    'A type restarts as a rolling replacement of its dynos; one dyno (TYPE.NAME) is replaced alone.',
    'A type or dyno that does not exist is refused before anything is sent.',
  ].join(' ')

  static override examples = [
    'Every dyno of the app\n<%= config.bin %> ps:restart -a shop-prod\nEvery dyno of shop-prod is replaced by a new one (rolling).',
    'The web dynos, waiting until all are new and ready\n<%= config.bin %> ps:restart web -a shop-prod --wait\nThe web dynos of shop-prod are replaced by new ones (rolling).\nshop-prod is ready: web 2/2.',
    'One dyno\n<%= config.bin %> ps:restart web.6df6bc55c4-ldt45 -a shop-prod\nweb.6df6bc55c4-ldt45 of shop-prod is replaced by a new dyno.',
  ]

  static override hiddenAliases = ['restart']
  static override args = {dyno: Args.string({description: 'a dyno type (web) or one dyno (web.6df6bc55c4-ldt45); every dyno when absent'})}
  static override flags = {app: appFlag, json: jsonFlag, ...waitFlags()}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PsRestart)
    const target = args.dyno === undefined ? undefined : dynoRef(args.dyno, {nameRequired: false})
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    const what = !target ? `every dyno of ${app}` : target.name ? `${target.ref} of ${app}` : `the ${target.type} dynos of ${app}`
    const replaced = !target ? `Every dyno of ${app} is replaced by a new one (rolling).`
      : target.name ? `${target.ref} of ${app} is replaced by a new dyno.` : `The ${target.type} dynos of ${app} are replaced by new ones (rolling).`
    let types: string[] = []
    await applyChange(api, this.term, flags, {
      app,
      doing: `Restarting ${what}`,
      planned: [{kind: 'restart'}],
      async check(baseline) {
        if (target?.name) {
          const dynos: Dyno[] = baseline?.dynos ?? await api.dynos.list(app)
          checkDynoExists(target, dynos, app)
          if (runsOnce(target)) throw new UsageError(`${target.ref} runs once: it is not restarted`, `stop it with \`aka ps:stop ${target.ref} -a ${app}\``)
          types = [target.type]
        } else if (target || baseline) {
          const formations = await api.formations.list(app)
          const known = formations.map(formation => formation.type)
          if (target && !known.includes(target.type)) throw noSuchType(app, [target.type], known)
          if (target && formations.find(formation => formation.type === target.type)?.schedule) {
            throw new UsageError(`${target.type} runs on a schedule: each run starts on a tick with the latest release, so there is nothing to restart`, `stop a run with \`aka ps:stop ${target.type}.N -a ${app}\``)
          }
          types = target ? [target.type] : formations.filter(formation => !formation.schedule).map(formation => formation.type)
        }
      },
      send: () => api.dynos.restart(app, target?.ref),
      show: async result => {
        const {showResult} = await import('../../render/formation.js')
        // Not the spinner's words again: what becomes of the dynos.
        showResult(this.term, flags.json, result, replaced)
      },
      touched: () => types.map(type => ({type, change: {kind: 'restart'}, dyno: target?.name ? target.ref : undefined})),
    })
  }
}
