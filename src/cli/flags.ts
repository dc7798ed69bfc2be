// Flags shared by the ps commands, with aka 3.x's letters so habits and scripts keep working.
import * as Flags from '@oclif/core/flags'

export const sizeFlag = Flags.string({char: 's', description: 'dyno size (see `aka ps:sizes`)', helpValue: 'SIZE'})
const quantityFlag = Flags.integer({char: 'q', description: 'number of dynos, 0 to 32', helpValue: 'N'})
const commandFlag = Flags.string({char: 'c', description: 'command the dynos run (required for every type but web)', helpValue: 'COMMAND'})
const portFlag = Flags.integer({char: 'p', description: 'port web listens on, 1024 to 65535 (web only)', helpValue: 'PORT'})
// -h is the healthcheck on ps:create and ps:update as in aka 3.x: oclif v4 only treats --help as
// help unless package.json lists "-h" in oclif.additionalHelpFlags, which this package must not.
const healthcheckFlag = Flags.string({char: 'h', description: 'path probed over HTTP for readiness, e.g. /health (web only)', helpValue: 'PATH'})

/** What ps:create sets and ps:update changes: a dyno type's definition and quantity. */
export const formationFlags = {size: sizeFlag, quantity: quantityFlag, command: commandFlag, port: portFlag, healthcheck: healthcheckFlag}

/** A scheduled dyno type (the local platform): ps:create and ps:update. */
export const scheduleFlags = {
  schedule: Flags.string({description: 'start one dyno of the type on each tick: five cron fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly', helpValue: 'CRON'}),
  timezone: Flags.string({description: "the schedule's IANA time zone, e.g. Europe/Berlin [default: the type's own, else UTC]", helpValue: 'AREA/CITY'}),
}

function waitDescription(withWait: boolean, text: string): string {
  return withWait ? `with --wait: ${text}` : text
}

/**
 * --timeout and --interval, for ps:wait (`withWait` false) or for a command's --wait. That they need
 * --wait is checked by the base command, not with oclif's dependsOn, whose usage line reads
 * `[--timeout SECONDS --wait] [--interval SECONDS ]`.
 */
export function waitTuning(withWait: boolean) {
  return {
    timeout: Flags.integer({description: waitDescription(withWait, 'give up after this many seconds [default: 600]'), helpValue: 'SECONDS', min: 1}),
    interval: Flags.integer({description: waitDescription(withWait, 'seconds between two looks at the dynos [default: 2]'), helpValue: 'SECONDS', min: 1}),
  }
}

export function waitFlags() {
  return {
    wait: Flags.boolean({description: 'after the change, wait until the changed dyno types run new, ready dynos (as ps:wait does)'}),
    ...waitTuning(true),
  }
}
