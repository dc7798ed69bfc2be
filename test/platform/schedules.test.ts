// Scheduled dyno types end to end (issue 12): the real platform in this process, each run a real
// process, `aka` commands against it. The runtime's clock is the system's plus an offset the test
// moves, so a minute's tick comes in milliseconds while every process, timer and request is real.
import {expect} from 'chai'
import {rmSync} from 'node:fs'

import type {Dyno, Formation} from '../../src/api/types.js'
import {movableClock} from './runtime/helpers.js'
import {deployApp, HELLO, type Platform, startLocalPlatform, tempDir, until} from './rollout-helpers.js'

describe('scheduled dyno types on real processes', function () {
  this.timeout(60_000)
  let home: string
  let clock: ReturnType<typeof movableClock>
  let platform: Platform | undefined

  beforeEach(() => {
    home = tempDir('aka-schedules-')
    clock = movableClock()
  })

  afterEach(async () => {
    await platform?.stop()
    platform = undefined
    rmSync(home, {recursive: true, force: true})
  })

  const formation = (app: string) => (platform as Platform).call<Formation>('GET', `/apps/${app}/formation/report`)

  /** The runtime's clock moved to just after the type's next tick. */
  async function toNextTick(app: string): Promise<number> {
    const due = await until('a next run', async () => (await formation(app)).next_run_at ?? undefined)
    const tick = Date.parse(due)
    clock.offset = tick + 50 - Date.now()
    return tick
  }

  async function ranTo(app: string, dyno: string, state: string): Promise<Formation> {
    return until(`${dyno} ${state}`, async () => {
      const current = await formation(app)
      return current.last_run?.dyno === dyno && current.last_run.state === state ? current : undefined
    }, platform?.events)
  }

  async function createScheduled(app: string, command: string): Promise<void> {
    const created = await (platform as Platform).aka(['ps:create', 'report', '-c', command, '--schedule', '*/1 * * * *', '-a', app])
    expect(created.stderr).to.equal('')
    // The commands here have double quotes: shown in single ones, or as JSON writes them when they have both.
    const shown = command.includes("'") ? JSON.stringify(command) : `'${command}'`
    expect(created.stdout).to.equal(`Created report on ${app}: report=1:gp1, command ${shown}, schedule "*/1 * * * *" (UTC).\n`)
  }

  it('starts one dyno on each tick, shown by aka ps, with its output and the platform events in aka logs', async () => {
    platform = await startLocalPlatform(home, {clock})
    const app = await deployApp(platform, 'cron', 0, {GREETING: 'scheduled'}, HELLO)
    await createScheduled(app, 'node -e "console.log(process.env.GREETING, process.env.DYNO)"')

    const first = await toNextTick(app)
    const ran = await ranTo(app, 'report.1', 'succeeded')
    expect(ran.last_run).to.include({exit_code: 0, signal: null})
    expect(Date.parse(ran.last_run?.started_at ?? '')).to.be.within(first, first + 5000)
    expect(ran.next_run_at).to.equal(new Date(first + 60_000).toISOString())

    const ps = await platform.aka(['ps', 'report', '-a', app])
    expect(ps.stdout).to.match(/^=== report \(gp1\): node -e .* \(1\) on schedule "\*\/1 \* \* \* \*" \(UTC\)\n/)
    expect(ps.stdout).to.match(/\n {4}Last run: report\.1 at \S+ \S+Z, exited with status 0 after \d+(\.\d)? m?s\n/)
    expect(ps.stdout).to.include(`    Next run: ${new Date(first + 60_000).toISOString().replace('T', ' ').replace('.000Z', 'Z')} (in `)
    expect(ps.stdout).not.to.include('⚠')

    await toNextTick(app)
    await ranTo(app, 'report.2', 'succeeded')
    const logs = (await platform.aka(['logs', '-d', 'report', '-a', app, '-n', '100'])).stdout.split('\n').map(line => line.replace(/^\S+Z /, ''))
    const lines = logs.filter(line => line.includes('report.1') || line.startsWith('platform[report]'))
    expect(lines.slice(0, 4)).to.deep.equal([
      `platform[report]: Starting report.1 by schedule (due at ${new Date(first).toISOString().replace('.000Z', 'Z')}, release v1)`,
      'platform[report.1]: Starting process with command `node -e "console.log(process.env.GREETING, process.env.DYNO)"`',
      'report.1: scheduled report.1',
      'platform[report.1]: Process exited with status 0',
    ])
    expect(logs.some(line => line.startsWith('platform[report]: Starting report.2 by schedule'))).to.equal(true)
  })

  it('skips a tick while the previous run still runs, says so, and records a run stopped with ps:stop', async () => {
    platform = await startLocalPlatform(home, {clock})
    const app = await deployApp(platform, 'busy', 0, {}, HELLO)
    await createScheduled(app, 'node -e "setInterval(() => {}, 1000)"')
    await toNextTick(app)
    await ranTo(app, 'report.1', 'running')
    const second = await toNextTick(app)
    const told = await until('the skipped tick', async () => {
      const {stdout} = await (platform as Platform).aka(['logs', '-s', 'platform', '-d', 'report', '-a', app])
      return stdout.includes('Skipped') && stdout
    })
    expect(told).to.include(`platform[report]: Skipped the run due at ${new Date(second).toISOString().replace('.000Z', 'Z')}: report.1 is still running\n`)
    const dynos = await platform.call<Dyno[]>('GET', `/apps/${app}/dynos`)
    expect(dynos.filter(dyno => dyno.type === 'report').map(dyno => dyno.name)).to.deep.equal(['1'])
    expect((await platform.aka(['ps', 'report', '-a', app])).stdout).to.match(/Last run: report\.1 at \S+ \S+Z, running for \d+s\n/)

    const stop = await platform.aka(['ps:stop', 'report.1', '-a', app])
    expect(stop.exitCode, stop.stderr).to.equal(0)
    const stopped = await ranTo(app, 'report.1', 'failed')
    expect(stopped.last_run).to.include({signal: 'SIGTERM', exit_code: null})
  })

  it('runs the latest tick missed while the platform was stopped once, never a burst, and goes on after it', async () => {
    platform = await startLocalPlatform(home, {clock})
    const app = await deployApp(platform, 'later', 0, {}, HELLO)
    await createScheduled(app, 'node -e "console.log(\'caught up\')"')
    const due = Date.parse(await until('a next run', async () => (await formation(app)).next_run_at ?? undefined))
    await platform.stop()
    // Stopped over three ticks: the one due, and two more.
    clock.offset = due + 2 * 60_000 + 500 - Date.now()
    platform = await startLocalPlatform(home, {clock})
    const ran = await ranTo(app, 'report.1', 'succeeded')
    expect(Date.parse(ran.last_run?.started_at ?? '')).to.be.at.least(due + 2 * 60_000)
    expect(ran.next_run_at).to.equal(new Date(due + 3 * 60_000).toISOString())
    const told = (await platform.aka(['logs', '-s', 'platform', '-d', 'report', '-a', app])).stdout
    expect(told).to.include('platform[report]: Missed 2 earlier scheduled runs while the platform was stopped; only the latest runs\n')
    expect(told.match(/Starting report\.\d+ by schedule/g)).to.deep.equal(['Starting report.1 by schedule'])

    await toNextTick(app)
    await ranTo(app, 'report.2', 'succeeded')
  })
})
