// Formation validation in the controller's order (`formation_payload_check`): the first failure wins.
// The rules shared with the CLI (type, quantity, port, web only, command, healthcheck) and their texts
// come from the domain, so both refuse alike.
import {
  commandProblem, HEALTHCHECK_INVALID, HEALTHCHECK_NOT_WEB, healthcheckProblem, PORT_INVALID, PORT_NOT_WEB, portOk, QUANTITY_INVALID, quantityOk,
  REMOVE_HEALTHCHECK_NOT_WEB, TYPE_INVALID, formationTypeProblem,
} from '../../domain/formation-rules.js'
import {scheduleProblem, timezoneProblem} from '../../domain/schedule-rules.js'
import {SIZE_NAMES} from '../store/sizes.js'

/** A formation change as sent over the wire: any JSON value may appear in any field. */
export interface FormationPayload {
  type?: unknown
  size?: unknown
  quantity?: unknown
  port?: unknown
  command?: unknown
  healthcheck?: unknown
  removeHealthcheck?: unknown
  schedule?: unknown
  timezone?: unknown
  removeSchedule?: unknown
}

export const BATCH_TYPE_MISSING = 'The type specified was invalid, it cannot contain spaces or special characters (alpha numeric only)'

/**
 * The message of the first rule the payload breaks, or undefined when it is valid.
 * `commandRequired` is false on updates of a type that already has a command (a deliberate difference).
 */
export function formationProblem(payload: FormationPayload, commandRequired: boolean): string | undefined {
  const {type, size, quantity, port, command, healthcheck, removeHealthcheck} = payload
  if (size !== undefined && !(typeof size === 'string' && SIZE_NAMES.includes(size))) return 'The payload size was not recognized.'
  if (typeof type !== 'string') return TYPE_INVALID
  const badType = formationTypeProblem(type)
  if (badType) return badType
  if (quantity !== undefined && !quantityOk(quantity)) return QUANTITY_INVALID
  if (port !== undefined && port !== null && !portOk(port)) return PORT_INVALID
  const web = type === 'web'
  if (!web && port) return PORT_NOT_WEB
  if (!web && healthcheck) return HEALTHCHECK_NOT_WEB
  if (!web && removeHealthcheck) return REMOVE_HEALTHCHECK_NOT_WEB
  if (!web && commandRequired && !command) return 'A run command must be specified for any type outside of a web process.'
  // Upstream stores whatever JSON it gets here; a process needs a string.
  if (command !== undefined && command !== null && typeof command !== 'string') return 'The command specified was invalid, it must be a string.'
  if (healthcheck !== undefined && healthcheck !== null && typeof healthcheck !== 'string') return HEALTHCHECK_INVALID
  // An empty command or healthcheck means "none" (create) or "unchanged" (update).
  if (typeof command === 'string' && command !== '') {
    const badCommand = commandProblem(command)
    if (badCommand) return badCommand
  }
  if (typeof healthcheck === 'string' && healthcheck !== '') return healthcheckProblem(healthcheck)
  return undefined
}

const SCHEDULE_INVALID = 'The schedule must be a string: five cron fields (minute hour day-of-month month day-of-week), or a name such as @hourly.'
const TIMEZONE_INVALID = 'The time zone must be a string: an IANA name such as Europe/Berlin or UTC.'

/** The first problem of the schedule fields' values (absent, null or empty: unchanged), or undefined. */
export function scheduleFieldsProblem(payload: FormationPayload): string | undefined {
  const {schedule, timezone, removeSchedule} = payload
  if (schedule !== undefined && schedule !== null && typeof schedule !== 'string') return SCHEDULE_INVALID
  if (timezone !== undefined && timezone !== null && typeof timezone !== 'string') return TIMEZONE_INVALID
  if (removeSchedule !== undefined && typeof removeSchedule !== 'boolean') return 'The removeSchedule field must be true or false.'
  if (removeSchedule && (schedule || timezone)) return 'A schedule cannot be given and removed at once.'
  if (typeof schedule === 'string' && schedule.trim() !== '') {
    const problem = scheduleProblem(schedule)
    if (problem) return problem
  }
  if (typeof timezone === 'string' && timezone.trim() !== '') return timezoneProblem(timezone)
  return undefined
}

/** A schedule as stored: trimmed, one space between fields, lower case (`@HOURLY`, `JAN MON` read alike). */
export function normalSchedule(schedule: string): string {
  return schedule.trim().split(/\s+/).join(' ').toLowerCase()
}

/** A time zone as stored: its canonical IANA name (`europe/berlin` is `Europe/Berlin`). */
export function normalTimezone(timezone: string): string {
  return new Intl.DateTimeFormat('en-US', {timeZone: timezone.trim()}).resolvedOptions().timeZone
}
