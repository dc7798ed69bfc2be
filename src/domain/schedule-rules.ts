// What a dyno type's schedule may be, checked by the CLI before sending and by the platform where
// it stores it: five-field cron (minute hour day month weekday) or a name (`@hourly`), and an IANA
// time zone. croner reads it; it also takes a seconds field, which a schedule here may not have.
import {Cron} from 'croner'

import {UsageError} from '../errors.js'

const NAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'])

/** Longer is no schedule: five fields with every value listed fit in less. */
const MAX_SCHEDULE_LENGTH = 256
const MAX_TIMEZONE_LENGTH = 64

/** A value as a message may show it: short. */
function shown(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value
}

/** Why a schedule cannot be one; undefined when it can. */
export function scheduleProblem(schedule: string): string | undefined {
  const text = schedule.trim()
  if (text.length > MAX_SCHEDULE_LENGTH) return `The schedule "${shown(text, 32)}" is invalid: it must be at most ${MAX_SCHEDULE_LENGTH} characters long.`
  if (text.startsWith('@')) return NAMES.has(text.toLowerCase()) ? undefined : `The schedule "${text}" is invalid: the names are ${[...NAMES].join(', ')}.`
  if (text.split(/\s+/).length !== 5) return `The schedule "${text}" is invalid: it must have five fields (minute hour day-of-month month day-of-week), or be a name such as @hourly.`
  let reader: Cron
  try {
    reader = cron(text)
  } catch (error) {
    return `The schedule "${text}" is invalid: ${(error as Error).message.replace(/^CronPattern: /, '').replace(/\.+$/, '')}.`
  }
  // croner looks years ahead: a date that never comes (30 February) is no tick.
  return reader.nextRun() ? undefined : `The schedule "${text}" is invalid: no date ever matches it.`
}

/** Why a time zone cannot be a schedule's; undefined when it can. */
export function timezoneProblem(timezone: string): string | undefined {
  const problem = `The time zone ${timezone.trim() === '' ? 'is empty' : `${shown(timezone, MAX_TIMEZONE_LENGTH)} is invalid`}: it must be an IANA name such as Europe/Berlin or UTC.`
  if (timezone.trim() === '' || timezone.length > MAX_TIMEZONE_LENGTH) return problem
  try {
    cron('* * * * *', timezone.trim()).nextRun(new Date(0))
    return undefined
  } catch {
    return problem
  }
}

/** The schedule's reader; `timezone` absent: UTC. */
export function cron(schedule: string, timezone?: string): Cron {
  return new Cron(schedule.trim().toLowerCase(), {paused: true, timezone: timezone ?? 'UTC'})
}

const SCHEDULE_NOT_WEB = 'The web dyno type serves HTTP requests and cannot run on a schedule; give the schedule to another type.'
const SCHEDULE_QUANTITY = 'A scheduled dyno type starts one dyno on each tick: its quantity is 1, or 0 to pause the schedule.'
const TIMEZONE_WITHOUT_SCHEDULE = 'A time zone applies only to a scheduled dyno type; give a schedule with it.'

/** What a dyno type would be after a change, as far as its schedule goes. */
export interface ScheduledShape {
  type: string
  quantity: number
  schedule: string | null
  timezone: string | null
}

/** The first rule a dyno type's schedule, time zone and quantity break together, or undefined. */
export function scheduleShapeProblem(shape: ScheduledShape): string | undefined {
  if (shape.schedule === null) return shape.timezone === null ? undefined : TIMEZONE_WITHOUT_SCHEDULE
  if (shape.type === 'web') return SCHEDULE_NOT_WEB
  if (shape.quantity > 1) return SCHEDULE_QUANTITY
  return undefined
}

/** The CLI's check of a schedule and time zone as typed, before anything is sent (exit 2). */
export function checkScheduleFlags(flags: {schedule?: string, timezone?: string}): void {
  const problem = (flags.schedule === undefined ? undefined : scheduleProblem(flags.schedule))
    ?? (flags.timezone === undefined ? undefined : timezoneProblem(flags.timezone))
  if (problem) throw new UsageError(problem)
}

/** The CLI's check of what a type would be after a change (exit 2). */
export function checkScheduleShape(shape: ScheduledShape): void {
  const problem = scheduleShapeProblem(shape)
  if (problem) throw new UsageError(problem)
}

/** An API that does not list schedules among its features would store the type without one, or refuse it. */
export function schedulesUnsupported(): UsageError {
  return new UsageError('This Akkeris API does not run scheduled dyno types; nothing was sent', 'the local platform (aka local:start) runs them')
}
