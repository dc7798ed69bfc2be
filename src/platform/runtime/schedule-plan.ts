// When a scheduled dyno type runs, as a pure function of its schedule, what it last decided, whether
// its previous run still runs, and the time, with Kubernetes CronJob semantics: no overlap (a tick
// while the previous run runs is skipped), and after a stop the latest missed tick runs once, never
// a burst. Its starting deadline is the schedule's own period, which the latest due tick always
// meets (the tick after it is still to come), so the latest missed tick always runs.
import type {Cron} from 'croner'

export interface ScheduleState {
  cron: Cron
  /** The last tick already decided (run or skipped), or when the schedule was set; undefined: never. */
  lastTick: number | undefined
  /** A run of the type is still running. */
  running: boolean
  now: number
}

export interface ScheduleDecision {
  /** Start a run now, for this tick. */
  run?: number
  /** A due tick not run because the previous run still runs. */
  skippedRunning?: number
  /** Due ticks left out: missed while stopped, earlier than the one decided. */
  missed: number
  /** What to keep as `lastTick`. */
  lastTick: number
  /** The next tick after now (undefined: the schedule never fires again). */
  nextAt: number | undefined
}

/** At most this many due ticks are counted; more are reported as this many. */
const MAX_COUNTED = 100

export function planSchedule(state: ScheduleState): ScheduleDecision {
  const {cron, now} = state
  const nextAt = after(cron, now)
  if (state.lastTick === undefined) return {missed: 0, lastTick: now, nextAt}
  const due: number[] = []
  for (let tick = after(cron, state.lastTick); tick !== undefined && tick <= now; tick = after(cron, tick)) {
    due.push(tick)
    // A schedule of every minute after weeks stopped: the latest tick is found from the other end.
    if (due.length >= MAX_COUNTED) {
      const latest = latestAtOrBefore(cron, now, tick)
      if (latest !== tick) due.push(latest)
      break
    }
  }
  if (due.length === 0) return {missed: 0, lastTick: state.lastTick, nextAt}
  const latest = due.at(-1) as number
  const earlier = due.length - 1
  if (state.running) return {skippedRunning: latest, missed: earlier, lastTick: latest, nextAt}
  return {run: latest, missed: earlier, lastTick: latest, nextAt}
}

function after(cron: Cron, time: number): number | undefined {
  return cron.nextRun(new Date(time))?.getTime()
}

/** The latest tick at or before `now`, searching back from `now` in growing steps; `floor` is a known tick. */
function latestAtOrBefore(cron: Cron, now: number, floor: number): number {
  let step = 60_000
  let start = now - step
  while (start > floor) {
    const tick = after(cron, start)
    if (tick !== undefined && tick <= now) {
      let latest = tick
      for (let next = after(cron, latest); next !== undefined && next <= now; next = after(cron, next)) latest = next
      return latest
    }
    step *= 2
    start = now - step
  }
  let latest = floor
  for (let next = after(cron, latest); next !== undefined && next <= now; next = after(cron, next)) latest = next
  return latest
}
