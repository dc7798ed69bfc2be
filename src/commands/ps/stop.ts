import * as Args from '@oclif/core/args'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {checkDynoExists, dynoRef, runsOnce} from '../../domain/formation-rules.js'

export default class PsStop extends AkaCommand {
  static override summary = 'Stop one dyno; the platform starts a replacement'
  static override description = 'Kept from aka 3.x, where it was hidden too. To restart a whole type, use ps:restart.'
  static override examples = [
    'Stop one web dyno\n<%= config.bin %> ps:stop web.6df6bc55c4-ldt45 -a shop-prod\nStopping web.6df6bc55c4-ldt45 of shop-prod; a new dyno replaces it.',
  ]

  static override hidden = true
  static override args = {dyno: Args.string({required: true, description: 'the dyno, as TYPE.NAME (see `aka ps`)'})}
  static override flags = {app: appFlag, json: jsonFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PsStop)
    const dyno = dynoRef(args.dyno, {nameRequired: true})
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    checkDynoExists(dyno, await api.dynos.list(app), app)
    this.term.spinner.start(`Stopping ${dyno.ref} of ${app}`)
    // aka 3.x stops a dyno with DELETE: the controller deletes the pod and Kubernetes replaces it.
    const result = await api.dynos.restart(app, dyno.ref)
    this.term.spinner.stop()
    const {showResult} = await import('../../render/formation.js')
    // Stopping, not stopped: the dyno has its grace period (and on the local platform waits for its replacement).
    showResult(this.term, flags.json, result, `Stopping ${dyno.ref} of ${app}${runsOnce(dyno) ? '' : '; a new dyno replaces it'}.`)
  }
}
