import * as Flags from '@oclif/core/flags'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {waitTuning} from '../../cli/flags.js'
import {dynoType} from '../../domain/formation-rules.js'

export default class PsWait extends AkaCommand {
  static override summary = 'Wait until every dyno type runs as many ready dynos as it asks for'
  static override description = [
    'Looks at the formation and the dynos every --interval seconds. Ends with exit 0 when each type has its',
    'quantity of running, ready dynos; with exit 1 when a dyno crashes, fails to start or fails its health',
    'check for more than 90 s, when the platform reports the deployment failed, or at the --timeout.',
    'On a terminal it shows one live status line; in a pipe, one line per change.',
  ].join(' ')

  static override examples = [
    'Every type\n<%= config.bin %> ps:wait -a shop-prod\nshop-prod is ready: web 2/2, worker 1/1.',
    'Only web, for at most two minutes, in a script\n<%= config.bin %> ps:wait -a shop-prod --type web --timeout 120 2>&1 | cat\nWaiting for shop-prod: web 1/2 ready\nWaiting for shop-prod: web 2/2\nshop-prod is ready: web 2/2.',
  ]

  static override flags = {
    app: appFlag,
    type: Flags.string({char: 't', description: 'a dyno type to wait for (repeatable); every type when absent', helpValue: 'TYPE', multiple: true}),
    json: jsonFlag,
    ...waitTuning(false),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(PsWait)
    const types = flags.type?.map(type => dynoType(type))
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    const {waitForRollout} = await import('../../cli/wait.js')
    const progress = await waitForRollout(api, this.term, {
      app,
      targets: types ? [...new Set(types)].map(type => ({type, replacing: new Set<string>()})) : undefined,
      timeoutSeconds: flags.timeout,
      intervalSeconds: flags.interval,
      resultTo: flags.json ? 'stderr' : 'stdout',
    })
    if (flags.json) {
      const {printJson} = await import('../../render/output.js')
      printJson(this.term, {app, types: progress})
    }
  }
}
