// Releases and rollback end to end (issue 11): the real platform in this process, examples/hello's web
// dynos as real processes, a steady load through the app's router. A good v1, a crashing v2 that
// never takes traffic, then `aka releases:rollback --wait` back to v1's code without a failed request.
import {expect} from 'chai'
import {rmSync} from 'node:fs'

import type {Release} from '../../src/api/types.js'
import {answersAfter, build, CRASH, deployApp, failedKeepingOld, HELLO, type Load, type Platform, startLocalPlatform, steadyLoad, tempDir, webSettled} from './rollout-helpers.js'

describe('releases and rollback through the router', function () {
  this.timeout(180_000)
  let home: string
  let platform: Platform | undefined
  let load: Load | undefined

  beforeEach(() => {
    home = tempDir('aka-releases-')
  })

  afterEach(async () => {
    await load?.stop()
    load = undefined
    await platform?.stop()
    platform = undefined
    rmSync(home, {recursive: true, force: true})
  })

  it('keeps a crashing v2 off traffic, lists it as failed, and rolls back to v1 with no failed request', async () => {
    platform = await startLocalPlatform(home, {deadlineMs: 5000})
    const app = await deployApp(platform, 'back', 2, {GREETING: 'one'}, HELLO)
    const first = await webSettled(platform, app, 2)
    const {web_url: url} = await platform.call<{web_url: string}>('GET', `/apps/${app}`)
    load = steadyLoad(url)
    await answersAfter(load, first.at, 10)

    await build(platform, app, CRASH)
    const failed = await failedKeepingOld(platform, app, first)
    const releases = JSON.parse((await platform.aka(['releases', '-a', app, '--json'])).stdout) as Release[]
    expect(releases.map(release => [release.version, release.status, release.current, release.description])).to.deep.equal([
      [1, 'succeeded', true, 'Deploy of hello'],
      [2, 'failed', false, 'Deploy of crash'],
    ])
    expect(releases[1].deployments).to.deep.equal([{type: 'web', state: 'failed', reason: failed.reason}])
    expect(failed.reason).to.match(/^web\.\S+ crashed \(exited with code \d+\)$/)

    // What went wrong, in a person's words: ps says it and points to the platform's logs, which tell it too.
    const ps = await platform.aka(['ps', '-a', app])
    expect(ps.stdout).to.include(`The deployment of v2 to web failed: ${failed.reason}.`)
    expect(ps.stdout).to.include(`\`aka logs -s platform -a ${app}\` shows what happened; \`aka releases:rollback -a ${app}\``)
    const told = (await platform.aka(['logs', '-s', 'platform', '-a', app, '-n', '1000'])).stdout
    expect(told).to.include(`platform[web]: Deployment of release v2 (Deploy of crash) failed: ${failed.reason}\n`)
    expect(told).to.match(/ platform\[web\.\S+\]: Process exited with status \d+\n/)
    expect(told.split('\n').filter(line => line !== '' && !/^\S+Z platform\[/.test(line))).to.deep.equal([])

    const rollback = await platform.aka(['releases:rollback', '-a', app, '--wait', '--interval', '1'])
    expect(rollback.exitCode, rollback.stderr).to.equal(0)
    expect(rollback.stdout).to.equal(`Rolled back ${app} to v1: v3 (Rollback to v1).\n${app} is ready: web 2/2, worker 0/0.\n`)
    const back = await webSettled(platform, app, 2, first.deployment)
    const rolled = (await platform.aka(['logs', '-s', 'platform', '-d', 'web', '-a', app, '-n', '1000', '--json'])).stdout
    const events = rolled.trimEnd().split('\n').map(line => (JSON.parse(line) as {source: string, dyno: string, line: string}))
    expect(events.filter(event => event.dyno === 'web').map(event => event.line).slice(-2)).to.deep.equal(['Rollback to v1 (release v3) started', 'Rollback to v1 (release v3) succeeded'])
    expect(events.every(event => event.source === 'platform')).to.equal(true)
    const after = await answersAfter(load, back.at)
    expect(after.filter(answer => !answer.dyno.startsWith(`web.${back.deployment}-`) || answer.release !== 3 || answer.greeting !== 'one')).to.deep.equal([])
    await load.stop()
    expect(load.failures).to.deep.equal([])

    const table = await platform.aka(['releases', '-a', app])
    expect(table.stdout.split('\n').map(line => line.split(/ {2,}/).slice(0, 3).join(' | '))).to.deep.equal([
      'Version | Status | Description', 'v1 | succeeded | Deploy of hello', 'v2 | failed | Deploy of crash', 'v3 | current | Rollback to v1', '',
    ])
  })
})
