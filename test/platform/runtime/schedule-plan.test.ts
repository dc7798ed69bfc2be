import {expect} from 'chai'

import {planSchedule} from '../../../src/platform/runtime/schedule-plan.js'
import {cron, scheduleProblem, timezoneProblem} from '../../../src/domain/schedule-rules.js'

const at = (iso: string) => Date.parse(iso)

describe('scheduled dyno types: when a run starts (fake clock)', () => {
  it('waits for the first tick after the schedule is set, then runs each tick once', () => {
    const every5 = cron('*/5 * * * *')
    const first = planSchedule({cron: every5, lastTick: undefined, running: false, now: at('2026-01-10T10:02:00Z')})
    expect(first).to.deep.equal({missed: 0, lastTick: at('2026-01-10T10:02:00Z'), nextAt: at('2026-01-10T10:05:00Z')})
    const before = planSchedule({cron: every5, lastTick: first.lastTick, running: false, now: at('2026-01-10T10:04:59.999Z')})
    expect(before.run).to.equal(undefined)
    const onTick = planSchedule({cron: every5, lastTick: first.lastTick, running: false, now: at('2026-01-10T10:05:00.200Z')})
    expect(onTick).to.deep.equal({run: at('2026-01-10T10:05:00Z'), missed: 0, lastTick: at('2026-01-10T10:05:00Z'), nextAt: at('2026-01-10T10:10:00Z')})
    const again = planSchedule({cron: every5, lastTick: onTick.lastTick, running: false, now: at('2026-01-10T10:06:00Z')})
    expect(again.run).to.equal(undefined)
  })

  it('skips a tick while the previous run still runs, and runs the next one after it ended', () => {
    const everyMinute = cron('* * * * *')
    const busy = planSchedule({cron: everyMinute, lastTick: at('2026-01-10T10:00:00Z'), running: true, now: at('2026-01-10T10:01:00.100Z')})
    expect(busy).to.deep.equal({skippedRunning: at('2026-01-10T10:01:00Z'), missed: 0, lastTick: at('2026-01-10T10:01:00Z'), nextAt: at('2026-01-10T10:02:00Z')})
    const free = planSchedule({cron: everyMinute, lastTick: busy.lastTick, running: false, now: at('2026-01-10T10:02:00.100Z')})
    expect(free.run).to.equal(at('2026-01-10T10:02:00Z'))
  })

  it('runs the latest tick missed while stopped once, never a burst, even after weeks', () => {
    const hourly = cron('@hourly')
    const restarted = planSchedule({cron: hourly, lastTick: at('2026-01-10T07:00:00Z'), running: false, now: at('2026-01-10T10:20:00Z')})
    expect(restarted).to.deep.equal({run: at('2026-01-10T10:00:00Z'), missed: 2, lastTick: at('2026-01-10T10:00:00Z'), nextAt: at('2026-01-10T11:00:00Z')})
    const weeks = planSchedule({cron: cron('* * * * *'), lastTick: at('2026-01-01T00:00:00Z'), running: false, now: at('2026-02-01T12:34:56Z')})
    expect(weeks.run).to.equal(at('2026-02-01T12:34:00Z'))
    expect(weeks.lastTick).to.equal(at('2026-02-01T12:34:00Z'))
  })

  it('reads the schedule in its time zone', () => {
    const nine = cron('0 9 * * *', 'America/New_York')
    expect(planSchedule({cron: nine, lastTick: undefined, running: false, now: at('2026-01-10T00:00:00Z')}).nextAt).to.equal(at('2026-01-10T14:00:00Z'))
    expect(planSchedule({cron: nine, lastTick: undefined, running: false, now: at('2026-07-10T00:00:00Z')}).nextAt).to.equal(at('2026-07-10T13:00:00Z'))
  })

  it('runs a daily tick once on the days clocks change (a skipped hour runs after it, a repeated one once)', () => {
    const night = cron('30 2 * * *', 'Europe/Berlin')
    const ticks = (from: string, count: number) => {
      const found: string[] = []
      let lastTick = at(from)
      for (let i = 0; i < count; i++) {
        const {nextAt} = planSchedule({cron: night, lastTick, running: false, now: lastTick})
        const decided = planSchedule({cron: night, lastTick, running: false, now: nextAt as number})
        found.push(new Date(decided.run as number).toISOString())
        lastTick = decided.lastTick
      }
      return found
    }
    expect(ticks('2026-03-28T12:00:00Z', 2)).to.deep.equal(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z'])
    expect(ticks('2026-10-24T12:00:00Z', 2)).to.deep.equal(['2026-10-25T01:30:00.000Z', '2026-10-26T01:30:00.000Z'])
  })

  it('refuses what is no five-field schedule or no time zone, with the reason', () => {
    expect(scheduleProblem('0 * * * *')).to.equal(undefined)
    expect(scheduleProblem('@hourly')).to.equal(undefined)
    expect(scheduleProblem('61 * * * *')).to.equal('The schedule "61 * * * *" is invalid: Invalid value for minute: 61.')
    expect(scheduleProblem('*/10 * * * * *')).to.equal('The schedule "*/10 * * * * *" is invalid: it must have five fields (minute hour day-of-month month day-of-week), or be a name such as @hourly.')
    expect(scheduleProblem('@sometimes')).to.match(/^The schedule "@sometimes" is invalid: the names are @yearly/)
    expect(timezoneProblem('Europe/Berlin')).to.equal(undefined)
    expect(timezoneProblem('Nowhere/City')).to.equal('The time zone Nowhere/City is invalid: it must be an IANA name such as Europe/Berlin or UTC.')
  })
})
