import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import type {FormationUpdate} from '../../api/types.js'
import {AkaCommand, appFlag, jsonFlag} from '../../cli/base-command.js'
import {applyChange} from '../../cli/change.js'
import {UsageError} from '../../errors.js'
import {formationFlags, scheduleFlags, waitFlags} from '../../cli/flags.js'
import {checkCommand, checkHealthcheck, checkPort, checkQuantity, checkSizes, checkWebOnly, dynoType} from '../../domain/formation-rules.js'
import {checkScheduleFlags, checkScheduleShape, schedulesUnsupported} from '../../domain/schedule-rules.js'
import {formationOfType} from '../../cli/known-types.js'

export default class PsUpdate extends AkaCommand {
  static override summary = 'Change the size, quantity, command, port or healthcheck of a dyno type'
  static override description = [
    'Sends only the settings given. The type must exist: it is looked up before anything changes.',
    'Any change but the quantity deploys new dynos. As in aka 3.x, -h is --healthcheck here: help is --help.',
    'On the local platform, --schedule makes the type scheduled (or changes its schedule; see ps:create) and',
    '--remove-schedule makes it an ordinary type again, running its quantity of dynos all the time.',
  ].join(' ')

  static override examples = [
    'Three web dynos\n<%= config.bin %> ps:update web -q 3 -a shop-prod\nUpdated web on shop-prod: quantity 3.',
    'A bigger size and a new command for the worker\n<%= config.bin %> ps:update worker -s gp2 -c "node worker.js --fast" -a shop-prod\nUpdated worker on shop-prod: size gp2, command "node worker.js --fast".',
    'Drop the healthcheck and wait for the new dynos\n<%= config.bin %> ps:update web -r -a shop-prod --wait\nUpdated web on shop-prod: healthcheck removed.\nshop-prod is ready: web 2/2.',
    'Run the report every 15 minutes from now on\n<%= config.bin %> ps:update report --schedule "*/15 * * * *" -a shop-default\nUpdated report on shop-default: schedule "*/15 * * * *".',
  ]

  static override args = {type: Args.string({required: true, description: 'the dyno type to change'})}
  static override flags = {
    app: appFlag,
    ...formationFlags,
    removeHealthcheck: Flags.boolean({char: 'r', aliases: ['remove-healthcheck'], description: 'remove the healthcheck: readiness becomes "the port accepts connections" (web only)', exclusive: ['healthcheck']}),
    removeCommand: Flags.boolean({char: 'x', aliases: ['remove-command'], description: "remove the command: web runs its image's default (web only)", exclusive: ['command']}),
    ...scheduleFlags,
    'remove-schedule': Flags.boolean({description: 'remove the schedule: the type runs its quantity of dynos all the time', exclusive: ['schedule', 'timezone']}),
    json: jsonFlag,
    ...waitFlags(),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PsUpdate)
    if (args.type.includes('=')) throw new UsageError(`"${args.type}" is not a dyno type`, `to change quantities, use \`aka ps:scale ${args.type}\``)
    const type = dynoType(args.type)
    const update: FormationUpdate = {}
    if (flags.quantity !== undefined) {
      checkQuantity(flags.quantity)
      update.quantity = flags.quantity
    }
    if (flags.size !== undefined) update.size = flags.size
    if (flags.command !== undefined) {
      if (flags.command.trim() === '') throw new UsageError('The command cannot be empty.', 'remove it with -x (web only)')
      checkCommand(flags.command)
      update.command = flags.command
    }
    if (flags.port !== undefined) {
      checkPort(flags.port)
      update.port = flags.port
    }
    if (flags.healthcheck !== undefined) {
      checkHealthcheck(flags.healthcheck)
      update.healthcheck = flags.healthcheck
    }
    if (flags.removeHealthcheck) update.removeHealthcheck = true
    if (flags.removeCommand) update['remove-command'] = true
    checkScheduleFlags(flags)
    if (flags.schedule !== undefined) update.schedule = flags.schedule
    if (flags.timezone !== undefined) update.timezone = flags.timezone
    if (flags['remove-schedule']) update.removeSchedule = true
    checkWebOnly(type, {port: flags.port, healthcheck: flags.healthcheck, removeHealthcheck: flags.removeHealthcheck, removeCommand: flags.removeCommand})
    if (Object.keys(update).length === 0) throw new UsageError(`No change given for ${type}`, 'pass at least one of -s, -q, -c, -p, -h, -r, -x, --schedule, --timezone, --remove-schedule')
    const scheduling = flags.schedule !== undefined || flags.timezone !== undefined || flags['remove-schedule']
    // What the flags alone break (a scheduled web, two dynos a tick) is refused before any request; the rest once the type is known.
    if (flags.schedule !== undefined) checkScheduleShape({type, quantity: flags.quantity ?? 0, schedule: flags.schedule, timezone: flags.timezone ?? null})

    const app = await this.resolveApp(flags.app)
    const api = await this.api()
    // A controller answers a PATCH of an unknown type by creating web: look the type up first.
    const [current, sizes] = await Promise.all([formationOfType(api, app, type), flags.size === undefined ? undefined : api.sizes.list()])
    if (sizes) checkSizes([flags.size as string], sizes)
    if (flags.removeHealthcheck && !current.healthcheck) throw new UsageError(`${type} on ${app} has no healthcheck to remove`)
    if (flags.removeCommand && !current.command) throw new UsageError(`${type} on ${app} has no command to remove`)
    if (scheduling && !api.supports('schedules')) throw schedulesUnsupported()
    if (flags['remove-schedule'] && !current.schedule) throw new UsageError(`${type} on ${app} has no schedule to remove`)
    const schedule = flags['remove-schedule'] ? null : flags.schedule ?? current.schedule ?? null
    const timezone = flags['remove-schedule'] ? null : flags.timezone ?? current.timezone ?? null
    checkScheduleShape({type, quantity: flags.quantity ?? current.quantity, schedule, timezone})

    const change = {kind: 'update', update, current} as const
    await applyChange(api, this.term, flags, {
      app,
      doing: `Updating ${type} on ${app}`,
      planned: [change],
      send: () => api.formations.update(app, type, update),
      show: async updated => {
        const {describeUpdate, showResult} = await import('../../render/formation.js')
        showResult(this.term, flags.json, updated, `Updated ${type} on ${app}: ${describeUpdate(update)}.`)
      },
      // A scheduled type has nothing to wait for: its dynos come on its ticks.
      touched: updated => updated.schedule ? undefined : [{type, change}],
    })
  }
}
