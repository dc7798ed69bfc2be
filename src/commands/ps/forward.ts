import * as Args from '@oclif/core/args'

import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {applyChange} from '../../cli/change.js'
import {UsageError} from '../../errors.js'
import {waitFlags} from '../../cli/flags.js'
import {checkPort, PORT_INVALID, withValue} from '../../domain/formation-rules.js'
import {formationOfType} from '../../cli/known-types.js'

export default class PsForward extends AkaCommand {
  static override summary = 'Send web traffic to another port of the web dynos'
  static override description = [
    'Sets the port the web dyno type listens on ($PORT); its dynos are replaced to pick it up. The app must have a web type.',
    "On the local platform it is refused (exit 2): each local web dyno gets a free $PORT of its own, and the app's URL is the way in.",
  ].join(' ')
  static override examples = [
    'Web listens on 8080 from now on\n<%= config.bin %> ps:forward 8080 -a shop-prod\nWeb traffic of shop-prod now goes to port 8080.',
    'And wait for the new dynos\n<%= config.bin %> ps:forward 8080 -a shop-prod --wait\nWeb traffic of shop-prod now goes to port 8080.\nshop-prod is ready: web 2/2.',
  ]

  static override hiddenAliases = ['forward']
  static override args = {port: Args.string({required: true, description: 'the port, 1024 to 65535'})}
  static override flags = {app: appFlag, json: jsonFlag, ...waitFlags()}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PsForward)
    if (!/^\d+$/.test(args.port)) throw new UsageError(withValue(PORT_INVALID, `"${args.port}"`))
    const port = Number(args.port)
    checkPort(port)
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    // The app object says which platform answers: only the local one reports deployments.
    const [web, appObject] = await Promise.all([formationOfType(api, app, 'web'), api.apps.get(app).catch(() => undefined)])
    if (appObject?.deployment !== undefined) {
      const url = appObject.web_url ? ` (${appObject.web_url})` : ''
      throw new UsageError(`ps:forward changes nothing on the local platform: each web dyno there gets its own $PORT, and the app's URL${url} is the way in`,
        `\`aka apps:info -a ${app}\` shows the URL`)
    }
    const change = {kind: 'update', update: {port}, current: web} as const
    await applyChange(api, this.term, flags, {
      app,
      doing: `Forwarding web traffic of ${app} to port ${port}`,
      planned: [change],
      send: () => api.formations.update(app, 'web', {port}),
      show: async updated => {
        const {showResult} = await import('../../render/formation.js')
        showResult(this.term, flags.json, updated, `Web traffic of ${app} now goes to port ${port}.`)
      },
      touched: () => [{type: 'web', change}],
    })
  }
}
