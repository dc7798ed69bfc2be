import * as Args from '@oclif/core/args'

import type {FormationCreate} from '../../api/types.js'
import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {applyChange} from '../../cli/change.js'
import {UsageError} from '../../errors.js'
import {formationFlags, scheduleFlags, waitFlags} from '../../cli/flags.js'
import {checkCommand, checkHealthcheck, checkPort, checkQuantity, checkSizes, checkWebOnly, formationType} from '../../domain/formation-rules.js'
import {checkScheduleFlags, checkScheduleShape, schedulesUnsupported} from '../../domain/schedule-rules.js'

export default class PsCreate extends AkaCommand {
  static override summary = 'Create a dyno type'
  static override description = [
    "Adds a dyno type to the app's formation and starts its dynos. Only web receives HTTP traffic, on its port,",
    'and only web may have a healthcheck; every other type needs a command. Everything is checked before the',
    'request is sent. As in aka 3.x, -h is --healthcheck here: help is --help.',
    'With --schedule (the local platform), the type runs no dynos between ticks: each tick of the cron schedule',
    "starts one dyno of its command and size under the app's current release, like `aka run`. As a Kubernetes CronJob:",
    'a tick while the previous run still runs is skipped (and logged), and after the platform was stopped only the',
    'latest missed tick runs, once, never a burst. Its quantity is 1, or 0 to pause the schedule.',
  ].join(' ')

  static override examples = [
    'A worker with two dynos\n<%= config.bin %> ps:create worker -c "node worker.js" -q 2 -a shop-prod\nCreated worker on shop-prod: worker=2:gp1, command "node worker.js".',
    'A web type on a bigger size, with a healthcheck, waiting until it is up\n<%= config.bin %> ps:create web -s gp2 -p 9000 -h /health -a shop-prod --wait\nCreated web on shop-prod: web=1:gp2, port 9000, healthcheck /health.\nshop-prod is ready: web 1/1.',
    'A report every hour, on the hour, Berlin time\n<%= config.bin %> ps:create report -c "node report.js" --schedule "0 * * * *" --timezone Europe/Berlin -a shop-default\nCreated report on shop-default: report=1:gp1, command "node report.js", schedule "0 * * * *" (Europe/Berlin).',
  ]

  static override args = {type: Args.string({required: true, description: 'the new dyno type: lower-case letters and digits (web, worker, clock)'})}
  static override flags = {
    app: appFlag,
    ...formationFlags,
    ...scheduleFlags,
    json: jsonFlag,
    ...waitFlags(),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PsCreate)
    const type = formationType(args.type)
    const quantity = flags.quantity ?? 1
    checkQuantity(quantity)
    checkWebOnly(type, {port: flags.port, healthcheck: flags.healthcheck})
    if (flags.port !== undefined) checkPort(flags.port)
    if (flags.healthcheck !== undefined) checkHealthcheck(flags.healthcheck)
    if (flags.command !== undefined && flags.command.trim() === '') throw new UsageError('The command cannot be empty.')
    if (flags.command !== undefined) checkCommand(flags.command)
    if (type !== 'web' && flags.command === undefined) {
      throw new UsageError('A run command must be specified for any type outside of a web process.', `pass it with -c, e.g. -c "node ${type}.js"`)
    }
    checkScheduleFlags(flags)
    const scheduled = flags.schedule !== undefined || flags.timezone !== undefined
    if (scheduled) checkScheduleShape({type, quantity, schedule: flags.schedule ?? null, timezone: flags.timezone ?? null})
    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    // Only an API that says it runs schedules gets one: any other would run the type all the time.
    if (scheduled) {
      await api.formations.list(app)
      if (!api.supports('schedules')) throw schedulesUnsupported()
    }
    if (flags.size !== undefined) checkSizes([flags.size], await api.sizes.list())

    const body: FormationCreate = {type, quantity}
    if (flags.size !== undefined) body.size = flags.size
    if (flags.command !== undefined) body.command = flags.command
    if (flags.port !== undefined) body.port = flags.port
    if (flags.healthcheck !== undefined) body.healthcheck = flags.healthcheck
    if (flags.schedule !== undefined) body.schedule = flags.schedule
    if (flags.timezone !== undefined) body.timezone = flags.timezone

    await applyChange(api, this.term, flags, {
      app,
      doing: `Creating ${type} on ${app}`,
      planned: [{kind: 'create'}],
      send: () => api.formations.create(app, body),
      show: async created => {
        const {describeFormation, showResult} = await import('../../render/formation.js')
        showResult(this.term, flags.json, created, `Created ${type} on ${app}: ${describeFormation(created)}.`)
      },
      // A scheduled type has nothing to wait for: its dynos come on its ticks.
      touched: created => created.schedule ? undefined : [{type, change: {kind: 'create'}}],
    })
  }
}
