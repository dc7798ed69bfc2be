import * as Args from '@oclif/core/args'

import type {App, Dyno, Formation} from '../../api/types.js'
import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {ONEOFF_TYPE} from '../../domain/formation-rules.js'
import {noSuchType} from '../../cli/known-types.js'

export default class Ps extends AkaCommand {
  static override summary = "List an app's dyno types and their dynos"
  static override description = 'Shows each dyno type of the formation (size, command, quantity, healthcheck) and a table of its dynos with their state, and warns when the last deployment of a type failed (on the local platform). Name dyno types to see only those.'
  static override examples = [
    {description: 'The formation and dynos of an app', command: '<%= config.bin %> ps -a shop-prod'},
    {description: 'Only the web dynos', command: '<%= config.bin %> ps web -a shop-prod'},
    {description: 'The dynos as the API returns them', command: '<%= config.bin %> ps -a shop-prod --json'},
  ]

  static override strict = false
  static override args = {type: Args.string({description: 'dyno types to show (all when none)'})}
  static override flags = {app: appFlag, json: jsonFlag}

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Ps)
    const types = (argv as string[]).map(type => type.toLowerCase())
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    // The app carries the last deployment's outcome (local platform only), asked for beside the rest.
    const answers = Promise.all([api.formations.list(app), api.dynos.list(app), api.apps.lastDeployment(app)])
    // The requests are out before the renderer loads, so loading it overlaps the wait for the answers.
    const show: Promise<(formations: Formation[], dynos: Dyno[], deployment: App['deployment']) => void> = flags.json
      ? import('../../render/output.js').then(({printJson}) => (_formations, dynos) => printJson(this.term, dynos))
      : import('../../render/ps.js').then(({renderFormation}) => (formations, dynos, deployment) => {
        this.term.stdout.write(renderFormation(this.term, app, formations, dynos, Date.now(), deployment))
      })
    const [formations, dynos, deployment] = await answers
    const unknown = types.filter(type => type !== ONEOFF_TYPE && !formations.some(formation => formation.type === type))
    if (unknown.length > 0) {
      throw noSuchType(app, unknown, formations.map(formation => formation.type))
    }
    const shown = types.length === 0 ? formations : formations.filter(formation => types.includes(formation.type))
    const shownDynos = types.length === 0 ? dynos : dynos.filter(dyno => types.includes(dyno.type))
    const print = await show
    print(shown, shownDynos, deployment)
  }
}
