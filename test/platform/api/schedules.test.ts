// Scheduled dyno types at the API (issue 12): the platform checks what the CLI checks, with the
// same words, and a refused change changes nothing.
import {expect} from 'chai'

import type {Formation} from '../../../src/api/types.js'
import {expectError, startTestPlatform, type TestPlatform} from './harness.js'

const SCHEDULE_QUANTITY = 'A scheduled dyno type starts one dyno on each tick: its quantity is 1, or 0 to pause the schedule.'

describe('local platform API: scheduled dyno types', () => {
  let platform: TestPlatform
  const path = '/apps/shop-default/formation'

  beforeEach(async () => {
    platform = await startTestPlatform()
    await platform.request('POST', '/apps', {name: 'shop'})
  })

  afterEach(async () => {
    await platform.close()
  })

  const formations = async () => (await platform.request('GET', path)).json<Formation[]>()

  it('says in every answer that it runs one-off dynos and schedules', async () => {
    for (const reply of [await platform.request('GET', path), await platform.request('GET', '/apps/nope-default')]) {
      expect(reply.headers.get('akkeris-features')).to.equal('one-off-dynos, schedules')
    }
  })

  it('stores names in lower case and time zones by their canonical name; a blank time zone changes nothing', async () => {
    const reply = await platform.request('POST', path, {type: 'report', command: 'x', schedule: '@HOURLY', timezone: ' europe/berlin '})
    expect(reply.json<Formation>()).to.include({schedule: '@hourly', timezone: 'Europe/Berlin'})
    expect((await platform.request('PATCH', `${path}/report`, {timezone: '  ', schedule: ' '})).status).to.equal(200)
    expect((await platform.request('GET', `${path}/report`)).json<Formation>()).to.include({schedule: '@hourly', timezone: 'Europe/Berlin'})
  })

  it('creates a scheduled type, one space between its fields, and shows every type with its schedule fields', async () => {
    const reply = await platform.request('POST', path, {type: 'report', command: 'node report.js', schedule: '  0  6 * * 1-5 ', timezone: 'Europe/Berlin'})
    expect(reply.status).to.equal(201)
    expect(reply.json<Formation>()).to.include({type: 'report', quantity: 1, schedule: '0 6 * * 1-5', timezone: 'Europe/Berlin', last_run: null, next_run_at: null})
    const all = await formations()
    expect(all.map(formation => [formation.type, formation.schedule, formation.timezone])).to.deep.equal([['web', null, null], ['report', '0 6 * * 1-5', 'Europe/Berlin']])
  })

  const refusedCreates: Array<[string, Record<string, unknown>, string]> = [
    ['four fields', {type: 'report', command: 'x', schedule: '* * * *'}, 'The schedule "* * * *" is invalid: it must have five fields (minute hour day-of-month month day-of-week), or be a name such as @hourly.'],
    ['a seconds field', {type: 'report', command: 'x', schedule: '0 * * * * *'}, 'The schedule "0 * * * * *" is invalid: it must have five fields (minute hour day-of-month month day-of-week), or be a name such as @hourly.'],
    ['a schedule that is no string', {type: 'report', command: 'x', schedule: 5}, 'The schedule must be a string: five cron fields (minute hour day-of-month month day-of-week), or a name such as @hourly.'],
    ['an unknown time zone', {type: 'report', command: 'x', schedule: '@daily', timezone: 'Mars/Olympus'}, 'The time zone Mars/Olympus is invalid: it must be an IANA name such as Europe/Berlin or UTC.'],
    ['a time zone alone', {type: 'report', command: 'x', timezone: 'UTC'}, 'A time zone applies only to a scheduled dyno type; give a schedule with it.'],
    ['a scheduled web', {type: 'web', schedule: '@daily'}, 'The web dyno type serves HTTP requests and cannot run on a schedule; give the schedule to another type.'],
    ['two dynos a tick', {type: 'report', command: 'x', quantity: 2, schedule: '@daily'}, SCHEDULE_QUANTITY],
    ['a schedule given and removed', {type: 'report', command: 'x', schedule: '@daily', removeSchedule: true}, 'A schedule cannot be given and removed at once.'],
    ['a date that never comes', {type: 'report', command: 'x', schedule: '0 0 30 2 *'}, 'The schedule "0 0 30 2 *" is invalid: no date ever matches it.'],
    ['a schedule of a thousand characters', {type: 'report', command: 'x', schedule: '1,'.repeat(500) + '1 * * * *'}, `The schedule "${'1,'.repeat(16)}…" is invalid: it must be at most 256 characters long.`],
  ]
  for (const [what, body, message] of refusedCreates) {
    it(`refuses to create ${what} with 422, creating nothing`, async () => {
      await expectError(platform, 'POST', path, body, 422, message)
      expect(await formations()).to.deep.equal([])
    })
  }

  it('changes, pauses and removes a schedule, and refuses what a scheduled type cannot be, changing nothing', async () => {
    await platform.request('POST', path, {type: 'report', command: 'node report.js', schedule: '@hourly'})
    await expectError(platform, 'PATCH', `${path}/report`, {quantity: 2}, 422, SCHEDULE_QUANTITY)
    await expectError(platform, 'PATCH', path, [{type: 'report', quantity: 3}], 422, SCHEDULE_QUANTITY)
    await expectError(platform, 'PATCH', `${path}/report`, {schedule: '@daily', removeSchedule: true}, 422, 'A schedule cannot be given and removed at once.')
    await expectError(platform, 'PATCH', `${path}/report`, {removeSchedule: 'yes'}, 422, 'The removeSchedule field must be true or false.')
    await expectError(platform, 'PATCH', `${path}/web`, {schedule: '@daily'}, 422, 'The web dyno type serves HTTP requests and cannot run on a schedule; give the schedule to another type.')
    const report = async () => (await platform.request('GET', `${path}/report`)).json<Formation>()
    expect(await report()).to.include({quantity: 1, schedule: '@hourly', timezone: null})

    expect((await platform.request('PATCH', `${path}/report`, {schedule: '*/5 * * * *', timezone: 'Asia/Tokyo'})).status).to.equal(200)
    expect((await platform.request('PATCH', path, [{type: 'report', quantity: 0}])).status).to.equal(200)
    expect(await report()).to.include({quantity: 0, schedule: '*/5 * * * *', timezone: 'Asia/Tokyo'})
    expect((await platform.request('PATCH', `${path}/report`, {removeSchedule: true, quantity: 2})).status).to.equal(200)
    expect(await report()).to.include({quantity: 2, schedule: null, timezone: null})
    // A type running several dynos takes a schedule only with a quantity it can have.
    await expectError(platform, 'PATCH', `${path}/report`, {schedule: '@daily'}, 422, SCHEDULE_QUANTITY)
    expect((await platform.request('PATCH', `${path}/report`, {schedule: '@daily', quantity: 1})).status).to.equal(200)
  })
})
