// Scheduled dyno types in the ps commands (issue 12): --schedule, --timezone and --remove-schedule
// checked before anything is sent, sent only to an API that says it runs schedules, and shown by `aka ps`.
import {expect} from 'chai'

import type {Formation} from '../../../src/api/types.js'
import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {dyno, formation, worker} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'
import {appInfo, unexpectedRequests} from './helpers.js'

/** What the local platform sends beside every answer. */
const LOCAL = {'akkeris-features': 'one-off-dynos, schedules'}

const report = (overrides: Partial<Formation> = {}): Formation => formation({
  type: 'report', command: 'node report.js', schedule: '*/15 * * * *', timezone: null, last_run: null, next_run_at: null, ...overrides,
})

describe('scheduled dyno types in aka ps:create, ps:update, ps:scale and ps', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()

  describe('ps:create --schedule', () => {
    it('sends the schedule and time zone to an API that runs schedules, and says so', async () => {
      const created = report({schedule: '0 * * * *', timezone: 'Europe/Berlin'})
      api().get('/apps/shop-prod').reply(200, appInfo({type: 'worker'}), LOCAL)
        .get('/apps/shop-prod/formation').reply(200, [worker], LOCAL)
        .post('/apps/shop-prod/formation', {type: 'report', quantity: 1, command: 'node report.js', schedule: '0 * * * *', timezone: 'Europe/Berlin'})
        .reply(201, created, LOCAL)
      const {stdout, stderr, exitCode} = await runCommand(['ps:create', 'report', '-c', 'node report.js', '--schedule', '0 * * * *', '--timezone', 'Europe/Berlin', '-a', 'shop-prod', '--wait'], {env: apiEnv})
      expect({stderr, exitCode}).to.deep.equal({stderr: '', exitCode: 0})
      // Nothing to wait for: the type runs on its ticks.
      expect(stdout).to.equal('Created report on shop-prod: report=1:gp1, command "node report.js", schedule "0 * * * *" (Europe/Berlin).\n')
    })

    it('refuses it, sending nothing but the look, where the API does not say it runs schedules (a real Akkeris)', async () => {
      api().get('/apps/shop-prod/formation').reply(200, [worker])
      const {stdout, stderr, exitCode} = await runCommand(['ps:create', 'report', '-c', 'node report.js', '--schedule', '@hourly', '-a', 'shop-prod'], {env: apiEnv})
      expect({stdout, stderr, exitCode}).to.deep.equal({
        stdout: '', exitCode: 2,
        stderr: 'Error: This Akkeris API does not run scheduled dyno types; nothing was sent; the local platform (aka local:start) runs them\n',
      })
      expect(unexpected).to.deep.equal([])
    })

    const refusals: Array<[string, string[], string]> = [
      ['four fields', ['report', '-c', 'x', '--schedule', '* * * *'], 'Error: The schedule "* * * *" is invalid: it must have five fields (minute hour day-of-month month day-of-week), or be a name such as @hourly.\n'],
      ['a minute out of range', ['report', '-c', 'x', '--schedule', '61 * * * *'], 'Error: The schedule "61 * * * *" is invalid'],
      ['an unknown name', ['report', '-c', 'x', '--schedule', '@sometimes'], 'Error: The schedule "@sometimes" is invalid: the names are @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.\n'],
      ['an unknown time zone', ['report', '-c', 'x', '--schedule', '@daily', '--timezone', 'Mars/Olympus'], 'Error: The time zone Mars/Olympus is invalid: it must be an IANA name such as Europe/Berlin or UTC.\n'],
      ['an empty time zone', ['report', '-c', 'x', '--schedule', '@daily', '--timezone', ''], 'Error: The time zone is empty: it must be an IANA name such as Europe/Berlin or UTC.\n'],
      ['a date that never comes', ['report', '-c', 'x', '--schedule', '0 0 30 2 *'], 'Error: The schedule "0 0 30 2 *" is invalid: no date ever matches it.\n'],
      ['a time zone without a schedule', ['report', '-c', 'x', '--timezone', 'UTC'], 'Error: A time zone applies only to a scheduled dyno type; give a schedule with it.\n'],
      ['a scheduled web', ['web', '--schedule', '@daily'], 'Error: The web dyno type serves HTTP requests and cannot run on a schedule; give the schedule to another type.\n'],
      ['two dynos a tick', ['report', '-c', 'x', '-q', '2', '--schedule', '@daily'], 'Error: A scheduled dyno type starts one dyno on each tick: its quantity is 1, or 0 to pause the schedule.\n'],
    ]
    for (const [what, argv, message] of refusals) {
      it(`refuses ${what} with exit 2, sending nothing`, async () => {
        const {stdout, stderr, exitCode} = await runCommand(['ps:create', ...argv, '-a', 'shop-prod'], {env: apiEnv})
        expect({stdout, exitCode}).to.deep.equal({stdout: '', exitCode: 2})
        expect(stderr.startsWith(message), stderr).to.equal(true)
        expect(stderr.split('\n')).to.have.length(2)
        expect(unexpected).to.deep.equal([])
      })
    }
  })

  describe('ps:update --schedule, --timezone and --remove-schedule', () => {
    it('changes the schedule of a scheduled type', async () => {
      api().get('/apps/shop-prod').reply(200, appInfo({type: 'worker'}), LOCAL)
        .get('/apps/shop-prod/dynos').reply(200, [], LOCAL)
        .get('/apps/shop-prod/formation/report').reply(200, report(), LOCAL)
        .patch('/apps/shop-prod/formation/report', {schedule: '0 6 * * 1-5', timezone: 'America/New_York'}).reply(200, report({schedule: '0 6 * * 1-5'}), LOCAL)
      const {stdout, exitCode} = await runCommand(['ps:update', 'report', '--schedule', '0 6 * * 1-5', '--timezone', 'America/New_York', '-a', 'shop-prod', '--wait'], {env: apiEnv})
      expect(exitCode).to.equal(0)
      expect(stdout).to.equal('Updated report on shop-prod: schedule "0 6 * * 1-5", time zone America/New_York.\n')
    })

    it('removes a schedule, and refuses to remove one that is not there', async () => {
      api().get('/apps/shop-prod/formation/report').reply(200, report(), LOCAL)
        .patch('/apps/shop-prod/formation/report', {removeSchedule: true}).reply(200, report({schedule: null}), LOCAL)
        .get('/apps/shop-prod/formation/worker').reply(200, {...worker, schedule: null, timezone: null}, LOCAL)
      expect((await runCommand(['ps:update', 'report', '--remove-schedule', '-a', 'shop-prod'], {env: apiEnv})).stdout).to.equal('Updated report on shop-prod: schedule removed.\n')
      const none = await runCommand(['ps:update', 'worker', '--remove-schedule', '-a', 'shop-prod'], {env: apiEnv})
      expect({stderr: none.stderr, exitCode: none.exitCode}).to.deep.equal({stderr: 'Error: worker on shop-prod has no schedule to remove\n', exitCode: 2})
      expect(unexpected).to.deep.equal([])
    })

    it('refuses what the type cannot be: a scheduled web at once, the rest after the look, before any change', async () => {
      api().get('/apps/shop-prod/formation/report').reply(200, report(), LOCAL)
        .get('/apps/shop-prod/formation/worker').twice().reply(200, {...worker, quantity: 3, schedule: null, timezone: null}, LOCAL)
      const quantity = await runCommand(['ps:update', 'report', '-q', '2', '-a', 'shop-prod'], {env: apiEnv})
      expect(quantity.stderr).to.equal('Error: A scheduled dyno type starts one dyno on each tick: its quantity is 1, or 0 to pause the schedule.\n')
      const three = await runCommand(['ps:update', 'worker', '--schedule', '@daily', '-a', 'shop-prod'], {env: apiEnv})
      expect(three.stderr).to.equal('Error: A scheduled dyno type starts one dyno on each tick: its quantity is 1, or 0 to pause the schedule.\n')
      const zone = await runCommand(['ps:update', 'worker', '--timezone', 'UTC', '-a', 'shop-prod'], {env: apiEnv})
      expect(zone.stderr).to.equal('Error: A time zone applies only to a scheduled dyno type; give a schedule with it.\n')
      const elsewhere = await runCommand(['ps:update', 'web', '--schedule', '@daily', '-a', 'shop-prod'], {env: apiEnv})
      expect(elsewhere.stderr).to.equal('Error: The web dyno type serves HTTP requests and cannot run on a schedule; give the schedule to another type.\n')
      expect([quantity.exitCode, three.exitCode, zone.exitCode, elsewhere.exitCode]).to.deep.equal([2, 2, 2, 2])
      expect(unexpected).to.deep.equal([])
    })

    it('refuses --remove-schedule with --schedule, and any schedule flag where the API does not run schedules', async () => {
      const both = await runCommand(['ps:update', 'report', '--schedule', '@daily', '--remove-schedule', '-a', 'shop-prod'], {env: apiEnv})
      expect(both.exitCode).to.equal(2)
      api().get('/apps/shop-prod/formation/worker').reply(200, worker)
      const elsewhere = await runCommand(['ps:update', 'worker', '--schedule', '@daily', '-a', 'shop-prod'], {env: apiEnv})
      expect({stderr: elsewhere.stderr, exitCode: elsewhere.exitCode}).to.deep.equal({
        stderr: 'Error: This Akkeris API does not run scheduled dyno types; nothing was sent; the local platform (aka local:start) runs them\n', exitCode: 2,
      })
      expect(unexpected).to.deep.equal([])
    })
  })

  it('ps:scale refuses more than one dyno a tick for a scheduled type, and pauses or resumes it', async () => {
    api().get('/apps/shop-prod/formation').thrice().reply(200, [report()], LOCAL)
      .patch('/apps/shop-prod/formation', [{type: 'report', quantity: 0, command: 'node report.js'}]).reply(200, [report({quantity: 0})], LOCAL)
      .patch('/apps/shop-prod/formation', [{type: 'report', quantity: 1, command: 'node report.js'}]).reply(200, [report()], LOCAL)
    const two = await runCommand(['ps:scale', 'report=2', '-a', 'shop-prod'], {env: apiEnv})
    expect({stderr: two.stderr, exitCode: two.exitCode}).to.deep.equal({stderr: 'Error: A scheduled dyno type starts one dyno on each tick: its quantity is 1, or 0 to pause the schedule.\n', exitCode: 2})
    expect((await runCommand(['ps:scale', 'report=0', '-a', 'shop-prod'], {env: apiEnv})).stdout).to.equal('Scaled shop-prod: report=0.\n')
    expect((await runCommand(['ps:scale', 'report=1', '-a', 'shop-prod'], {env: apiEnv})).stdout).to.equal('Scaled shop-prod: report=1.\n')
    expect(unexpected).to.deep.equal([])
  })

  it('ps:stop of a run says nothing replaces it; ps:restart refuses a run and a scheduled type, sending no restart', async () => {
    const running = [dyno({type: 'report', name: '7'})]
    api().get('/apps/shop-prod/dynos').twice().reply(200, running, LOCAL)
      .delete('/apps/shop-prod/dynos/report.7').reply(202, '', LOCAL)
      .get('/apps/shop-prod/formation').reply(200, [report()], LOCAL)
    expect((await runCommand(['ps:stop', 'report.7', '-a', 'shop-prod'], {env: apiEnv})).stdout).to.equal('Stopping report.7 of shop-prod.\n')
    const run = await runCommand(['ps:restart', 'report.7', '-a', 'shop-prod'], {env: apiEnv})
    expect({stderr: run.stderr, exitCode: run.exitCode}).to.deep.equal({stderr: 'Error: report.7 runs once: it is not restarted; stop it with `aka ps:stop report.7 -a shop-prod`\n', exitCode: 2})
    const type = await runCommand(['ps:restart', 'report', '-a', 'shop-prod'], {env: apiEnv})
    expect({stderr: type.stderr, exitCode: type.exitCode}).to.deep.equal({
      stderr: 'Error: report runs on a schedule: each run starts on a tick with the latest release, so there is nothing to restart; stop a run with `aka ps:stop report.N -a shop-prod`\n', exitCode: 2,
    })
    expect(unexpected).to.deep.equal([])
  })

  describe('aka ps', () => {
    const minutes = (count: number) => new Date(Date.now() + count * 60_000).toISOString()
    const clockTime = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')

    it("shows a scheduled type's schedule, last run and next run, and its running run, with no count warning", async () => {
      const started = minutes(-2)
      const ended = new Date(Date.parse(started) + 1500).toISOString()
      const next = minutes(13.5)
      const running = minutes(-0.5)
      const finished = report({last_run: {dyno: 'report.7', started_at: started, ended_at: ended, state: 'succeeded', exit_code: 0, signal: null}, next_run_at: next})
      const busy = report({type: 'audit', schedule: '@hourly', timezone: 'Europe/Berlin', last_run: {dyno: 'audit.3', started_at: running, ended_at: null, state: 'running', exit_code: null, signal: null}, next_run_at: next})
      api().get('/apps/shop-prod/formation').reply(200, [finished, busy])
        .get('/apps/shop-prod/dynos').reply(200, [dyno({type: 'audit', name: '3', created_at: running, updated_at: running})])
        .get('/apps/shop-prod').reply(200, {name: 'shop-prod'})
      const {stdout, exitCode} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
      expect(exitCode).to.equal(0)
      const lines = stdout.split('\n')
      expect(lines.slice(0, 3)).to.deep.equal([
        '=== report (gp1): node report.js (1) on schedule "*/15 * * * *" (UTC)',
        `    Last run: report.7 at ${clockTime(started)}, exited with status 0 after 1.5 s`,
        `    Next run: ${clockTime(next)} (in 13m)`,
      ])
      expect(lines.slice(4, 7)).to.deep.equal([
        '=== audit (gp1): node report.js (1) on schedule "@hourly" (Europe/Berlin)',
        `    Last run: audit.3 at ${clockTime(running)}, running for 30s`,
        `    Next run: ${clockTime(next)} (in 13m)`,
      ])
      expect(lines[7]).to.match(/^Dyno +State/)
      expect(lines[8]).to.match(/^audit\.3 +running/)
      expect(stdout).not.to.include('⚠')
    })

    it('says a paused schedule is paused and how to resume it, and what became of an interrupted or killed run', async () => {
      const at = minutes(-90)
      const paused = report({quantity: 0, last_run: {dyno: 'report.2', started_at: at, ended_at: null, state: 'interrupted', exit_code: null, signal: null}})
      const killed = report({type: 'audit', last_run: {dyno: 'audit.1', started_at: at, ended_at: minutes(-80), state: 'failed', exit_code: null, signal: 'SIGKILL'}})
      api().get('/apps/shop-prod/formation').reply(200, [paused, killed])
        .get('/apps/shop-prod/dynos').reply(200, [])
        .get('/apps/shop-prod').reply(200, {name: 'shop-prod'})
      const {stdout} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
      expect(stdout).to.include(`    Last run: report.2 at ${clockTime(at)}, interrupted (the platform stopped while it ran)\n    Next run: none: paused (quantity 0); \`aka ps:scale report=1\` resumes it\n`)
      expect(stdout).to.include(`    Last run: audit.1 at ${clockTime(at)}, killed by SIGKILL after 10 min 0 s\n    Next run: not yet known\n`)
    })
  })
})
