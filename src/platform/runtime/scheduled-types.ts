// An app's scheduled dyno types, one step at a time: for each, what the store says it last decided,
// whether its last run still runs, and the time go through the pure planSchedule; a due tick starts
// one run (a one-off dyno of the type's command and size, under the current release), a tick while
// the last run runs is skipped, and what happened goes to the app's log as platform events.
import {cron, scheduleProblem, timezoneProblem} from '../../domain/schedule-rules.js'
import type {DesiredApp, FormationRecord, PlatformStore} from '../contract.js'
import {type DynoSpec, dynoSpec} from './deployment.js'
import {planSchedule} from './schedule-plan.js'

export interface ScheduleHost {
  store: PlatformStore
  /** The label of the type's run that still runs (`report.3`), if one does. */
  running(type: string): string | undefined
  /** Starts run `name` of the type; `ended` is called once with how it ended. */
  start(spec: DynoSpec, name: string, ended: (end: {endedAt: number, exitCode: number | null, signal: string | null}) => void): void
  /** A platform event in the app's log, as `platform[type]`. */
  event(type: string, text: string): void
  log(line: string): void
}

const time = (at: number): string => new Date(at).toISOString().replace('.000Z', 'Z')

/** Steps every scheduled type of the app; returns when the next tick is due, if any is. */
export function stepSchedules(desired: DesiredApp | undefined, now: number, host: ScheduleHost): number | undefined {
  let wakeAt: number | undefined
  for (const formation of desired?.formations ?? []) {
    const {schedule} = formation
    if (!desired || schedule === null || formation.quantity === 0) continue
    const next = stepSchedule(desired, {...formation, schedule}, now, host)
    if (next !== undefined) wakeAt = Math.min(wakeAt ?? next, next)
  }
  return wakeAt
}

function stepSchedule(desired: DesiredApp, formation: FormationRecord & {schedule: string}, now: number, host: ScheduleHost): number | undefined {
  const {store} = host
  const {type, schedule} = formation
  // The API refuses these; a store written by hand or by an older version may still hold one.
  const problem = scheduleProblem(schedule) ?? (formation.timezone === null ? undefined : timezoneProblem(formation.timezone))
  if (problem) {
    host.log(`${type}: its schedule cannot run: ${problem}`)
    return undefined
  }
  const record = store.scheduleRecord(formation.id)
  const running = host.running(type)
  const decision = planSchedule({cron: cron(schedule, formation.timezone ?? undefined), lastTick: record?.lastTick ?? undefined, running: running !== undefined, now})
  const nextAt = decision.nextAt ?? null
  if (decision.lastTick !== record?.lastTick || nextAt !== record.nextAt) store.recordScheduleTick(formation.id, decision.lastTick, nextAt)
  if (decision.missed > 0) host.event(type, `Missed ${decision.missed} earlier scheduled run${decision.missed === 1 ? '' : 's'} while the platform was stopped; only the latest runs`)
  if (decision.skippedRunning !== undefined) host.event(type, `Skipped the run due at ${time(decision.skippedRunning)}: ${running} is still running`)
  if (decision.run !== undefined) startRun(desired, formation, {tick: decision.run, now, number: (record?.runs ?? 0) + 1}, host)
  return decision.nextAt
}

function startRun(desired: DesiredApp, formation: FormationRecord, run: {tick: number, now: number, number: number}, host: ScheduleHost): void {
  const {tick, now, number} = run
  const {store} = host
  const spec = dynoSpec(desired, formation, undefined)
  if ('missing' in spec) {
    host.event(formation.type, `Did not start the run due at ${time(tick)}: ${spec.missing}`)
    return
  }
  const name = String(number)
  const {type} = formation
  store.recordScheduledRunStart(formation.id, name, now)
  host.event(type, `Starting ${type}.${name} by schedule (due at ${time(tick)}, release v${spec.release.version})`)
  host.start(spec, name, end => store.recordScheduledRunEnd(formation.id, name, end))
}
