// The runtime's scheduled types on real processes and a moved clock: a fault of the store stays in
// the run it concerns, and a type that stops being scheduled takes its run with it.
import {expect} from 'chai'

import {movableClock, startPlatform, type TestPlatform, waitFor} from './helpers.js'

describe('runtime: scheduled dyno types', function () {
  this.timeout(30_000)
  let platform: TestPlatform
  const clock = movableClock()

  beforeEach(() => {
    clock.offset = 0
    platform = startPlatform({clock})
    platform.release()
  })

  afterEach(async () => {
    await platform.close()
  })

  /** The clock moved to just after the type's next tick. */
  async function toNextTick(formationId: string): Promise<void> {
    const next = await waitFor('the next tick', () => platform.store.scheduleRecord(formationId)?.nextAt)
    clock.offset = next + 50 - Date.now()
  }

  it('keeps running when the end of a run cannot be recorded (a full disk), and runs the next tick', async () => {
    const report = platform.formation('report', {command: 'node -e "0"', schedule: '* * * * *'})
    platform.store.recordScheduledRunEnd = () => {
      throw new Error('SQLITE_FULL: database or disk is full')
    }
    await toNextTick(report.id)
    await waitFor('the unrecorded end', () => platform.events.some(line => line.endsWith('report.1: could not record its end: SQLITE_FULL: database or disk is full')))
    expect(platform.dynos('report')).to.deep.equal([])
    await toNextTick(report.id)
    await waitFor('the next run', () => platform.store.scheduleRecord(report.id)?.lastRun?.dyno === '2')
  })

  it('leaves the end of a run the platform stops unrecorded: it was interrupted, as by a kill -9', async () => {
    const report = platform.formation('report', {command: 'node -e "setInterval(() => {}, 1000)"', schedule: '* * * * *'})
    await toNextTick(report.id)
    await waitFor('run report.1', () => platform.dynos('report').some(dyno => dyno.name === '1' && dyno.state === 'running'))
    await platform.restart()
    expect(platform.store.scheduleRecord(report.id)?.lastRun).to.include({dyno: '1', endedAt: null, exitCode: null, signal: null})
  })

  it('stops a run when its type loses its schedule, and runs the type as an ordinary one', async () => {
    const report = platform.formation('report', {command: 'node -e "setInterval(() => {}, 1000)"', schedule: '* * * * *', quantity: 1})
    await toNextTick(report.id)
    await waitFor('run report.1', () => platform.dynos('report').some(dyno => dyno.name === '1' && dyno.state === 'running'))
    platform.formation('report', {schedule: null})
    await waitFor('report.1 stopped and an ordinary dyno started', () => {
      const dynos = platform.dynos('report')
      return dynos.length === 1 && dynos[0].name !== '1' && dynos[0].state === 'running'
    })
    expect(platform.events.some(line => line.endsWith('report.1: its type is no longer scheduled, stopping it'))).to.equal(true)
    expect(platform.store.scheduleRecord(report.id)?.lastRun).to.include({dyno: '1', signal: 'SIGTERM', exitCode: null})
  })
})
