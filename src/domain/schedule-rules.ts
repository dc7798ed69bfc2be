// What a dyno type's schedule may be, checked by the CLI before sending and by the platform where
// it stores it: five-field cron (minute hour day month weekday) or a name (`@hourly`), and an IANA
// time zone. croner reads it; it also takes a seconds field, which a schedule here may not have.
import {Cron} from 'croner'

const NAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'])

/** Why a schedule cannot be one; undefined when it can. */
export function scheduleProblem(schedule: string): string | undefined {
  const text = schedule.trim()
  if (text.startsWith('@')) return NAMES.has(text.toLowerCase()) ? undefined : `The schedule ${text} is invalid: the names are ${[...NAMES].join(', ')}.`
  if (text.split(/\s+/).length !== 5) return `The schedule ${text} is invalid: it must have five fields (minute hour day-of-month month day-of-week), or be a name such as @hourly.`
  try {
    cron(text)
    return undefined
  } catch (error) {
    return `The schedule ${text} is invalid: ${(error as Error).message.replace(/^CronPattern: /, '')}.`
  }
}

/** Why a time zone cannot be a schedule's; undefined when it can. */
export function timezoneProblem(timezone: string): string | undefined {
  try {
    cron('* * * * *', timezone).nextRun(new Date(0))
    return undefined
  } catch {
    return `The time zone ${timezone} is invalid: it must be an IANA name such as Europe/Berlin or UTC.`
  }
}

/** The schedule's reader; `timezone` absent: UTC. */
export function cron(schedule: string, timezone?: string): Cron {
  return new Cron(schedule.trim().toLowerCase(), {paused: true, timezone: timezone ?? 'UTC'})
}
