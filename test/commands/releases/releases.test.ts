import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'
import {unexpectedRequests} from '../ps/helpers.js'
import {build, history, release} from './fixtures.js'

describe('aka releases', () => {
  blockNetwork()

  it('lists releases oldest first with status, description, source and age, and the way back after a failure', async () => {
    api().get('/apps/shop-prod/releases').reply(200, history())
      .get('/apps/shop-prod/builds').reply(200, [build(1, {author: 'jdoe', commit: 'e7000aa1234'}), build(2)])
    const {stdout, stderr, exitCode} = await runCommand(['releases', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal([
      'Version  Status   Description   Source        Age',
      'v1       current  Deploy of v1  jdoe e7000aa  9h 0m',
      'v2       failed   Set GREETING  -             8h 0m',
      '',
    ].join('\n'))
    expect(stderr).to.equal('⚠  v2 failed: web: web.abc-12345 crashed (exit code 1). `aka logs -s platform -a shop-prod` shows what happened. `aka releases:rollback -a shop-prod` returns to v1.\n')
  })

  it('shows the last 10 unless --all, and the API objects with --json (no builds asked)', async () => {
    const many = Array.from({length: 12}, (_entry, index) => release(index + 1))
    api().get('/apps/shop-prod/releases').reply(200, many).get('/apps/shop-prod/builds').reply(200, [])
    const last = await runCommand(['releases', '-a', 'shop-prod'], {env: apiEnv})
    expect(last.stdout.split('\n')[1]).to.match(/^v3 /)
    api().get('/apps/shop-prod/releases').reply(200, many)
    const all = await runCommand(['release:list', '-a', 'shop-prod', '--all', '--json'], {env: apiEnv})
    expect(JSON.parse(all.stdout)).to.deep.equal(many)
  })

  it('still lists the releases when the builds cannot be read', async () => {
    api().get('/apps/shop-prod/releases').reply(200, [release(1, {current: true})]).get('/apps/shop-prod/builds').reply(503, 'region down')
    const {stdout, exitCode} = await runCommand(['releases', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain('v1       current  Deploy of v1  -')
  })

  it('says so when there are none', async () => {
    api().get('/apps/shop-prod/releases').reply(200, []).get('/apps/shop-prod/builds').reply(200, [])
    const {stdout, stderr} = await runCommand(['releases', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout).to.equal('')
    expect(stderr).to.equal('shop-prod has no releases yet; deploy one with `aka local:deploy -a shop-prod` on the local platform.\n')
  })
})

describe('aka releases:info', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()

  it('shows the latest release with each failed type and its reason', async () => {
    api().get('/apps/shop-prod/releases').reply(200, history())
    const {stdout, exitCode} = await runCommand(['releases:info', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.match(/^=== ⬢ shop-prod v2\nStatus: +failed\nDescription: +Set GREETING\n/)
    expect(stdout).to.contain('Deployment web: failed (web.abc-12345 crashed (exit code 1))\n')
  })

  it('finds vN in the list, and an id with GET /releases/{id}', async () => {
    const list = history()
    api().get('/apps/shop-prod/releases').reply(200, list)
    const byVersion = await runCommand(['release:info', 'v1', '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(byVersion.stdout)).to.deep.equal(list[0])
    api().get(`/apps/shop-prod/releases/${list[1].id}`).reply(200, list[1])
    const byId = await runCommand(['releases:info', list[1].id, '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(byId.stdout).version).to.equal(2)
  })

  it('refuses what is no release before any request (exit 2), and names a missing version (exit 1)', async () => {
    const bad = await runCommand(['releases:info', 'latest-ish', '-a', 'shop-prod'], {env: apiEnv})
    expect([bad.exitCode, bad.stderr]).to.deep.equal([2, 'Error: "latest-ish" is not a release; give its version (v3 or 3) or its id, as `aka releases` lists them\n'])
    expect(unexpected).to.deep.equal([])
    api().get('/apps/shop-prod/releases').reply(200, history())
    const missing = await runCommand(['releases:info', '9', '-a', 'shop-prod'], {env: apiEnv})
    expect([missing.exitCode, missing.stderr]).to.deep.equal([1, 'Error: shop-prod has no release v9; `aka releases -a shop-prod` lists them\n'])
  })
})

describe('aka releases:rollback', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()

  it('goes back to the last release before the latest that succeeded, with the body aka 3.x sends', async () => {
    const rolledBack = release(3, {description: 'Rollback to v1', status: 'pending'})
    api().get('/apps/shop-prod/releases').reply(200, history())
      .post('/apps/shop-prod/releases', {release: history()[0].id, description: history()[0].description}).reply(201, rolledBack)
    const {stdout, exitCode} = await runCommand(['rollback', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Rolled back shop-prod to v1: v3 (Rollback to v1).\n')
  })

  it('takes a version, prints the new release with --json, and accepts an empty 2xx body', async () => {
    const three = [...history(), release(3, {current: true})]
    api().get('/apps/shop-prod/releases').reply(200, three)
      .post('/apps/shop-prod/releases', {release: history()[1].id, description: 'Set GREETING'}).reply(201, release(4))
    const json = await runCommand(['releases:rollback', 'v2', '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(json.stdout).version).to.equal(4)
    api().get('/apps/shop-prod/releases').reply(200, three)
      .post('/apps/shop-prod/releases', {release: history()[0].id, description: 'Deploy of v1'}).reply(201, '')
    const empty = await runCommand(['release:rollback', '1', '-a', 'shop-prod'], {env: apiEnv})
    expect(empty.stdout).to.equal('Rolled back shop-prod to v1.\n')
  })

  it('refuses the latest release itself, and says when no earlier release succeeded, sending nothing', async () => {
    api().get('/apps/shop-prod/releases').reply(200, history())
    const latest = await runCommand(['releases:rollback', 'v2', '-a', 'shop-prod'], {env: apiEnv})
    expect([latest.exitCode, latest.stderr]).to.deep.equal([1, 'Error: v2 is already the latest release of shop-prod; name an earlier one\n'])
    api().get('/apps/shop-prod/releases').reply(200, [release(1, {status: 'failed'}), release(2, {status: 'failed'})])
    const none = await runCommand(['releases:rollback', '-a', 'shop-prod'], {env: apiEnv})
    expect([none.exitCode, none.stderr]).to.deep.equal([1, 'Error: shop-prod has no release before v2 that succeeded; name the one to return to: `aka releases:rollback vN -a shop-prod`\n'])
    expect(unexpected).to.deep.equal([])
  })

  it('shows the API\'s refusal in one line (exit 1)', async () => {
    api().get('/apps/shop-prod/releases').reply(200, history())
      .post('/apps/shop-prod/releases').reply(422, 'v1 has no command for clock, which runs dynos: scale clock to 0 first, or give the type a command.')
    const {exitCode, stderr} = await runCommand(['releases:rollback', '-a', 'shop-prod'], {env: apiEnv})
    expect([exitCode, stderr]).to.deep.equal([1, 'Error: v1 has no command for clock, which runs dynos: scale clock to 0 first, or give the type a command. (HTTP 422)\n'])
  })
})
