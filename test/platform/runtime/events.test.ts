// The platform's events in the app's log stream, on real processes: each kind appears, marked as
// the platform's, with its detail, and a failed deployment's reason says why in a person's words.
import {expect} from 'chai'

import {FAST_PROBE, startPlatform, type TestPlatform, waitFor} from './helpers.js'

const latest = (platform: TestPlatform, type: string) => platform.store.latestDeployment(platform.appId, type)

/** The platform's lines of the app's log stream, without their time. */
function platformLines(platform: TestPlatform): string[] {
  const lines: string[] = []
  platform.runtime.logs(platform.appId, {lines: 1500, tail: false, filter: {source: 'platform'}}, line => lines.push(line.replace(/^\S+Z /, '')))
  return lines
}

const has = (platform: TestPlatform, pattern: RegExp) => platformLines(platform).find(line => pattern.test(line))

describe('runtime: platform events in the app\'s logs', function () {
  this.timeout(90_000)
  let platform: TestPlatform

  afterEach(async () => {
    await platform.close()
  })

  it('tells a dyno\'s start with its command, its state changes and its deployment, then a crash with its exit status', async () => {
    // A worker is ready after 3 s up, not 0.3: on a busy machine the crashing one could take longer to start and exit.
    platform = startPlatform({timing: {probe: {...FAST_PROBE, upMs: 3000}}})
    platform.formation('web', {quantity: 1, healthcheck: '/health'})
    platform.release()
    await waitFor('the deployment succeeded', () => has(platform, /^platform\[web\]: Deployment of release v1 \(fixture\) succeeded$/))
    const lines = platformLines(platform)
    const web = `web.${platform.dynos('web')[0].name}`
    expect(lines[0]).to.equal('platform[web]: Deployment of release v1 (fixture) started')
    expect(lines).to.include.members([`platform[${web}]: Starting process with command \`node web.js\``, `platform[${web}]: State changed from starting to up`])

    platform.formation('worker', {quantity: 1, command: 'node crash.js'})
    await waitFor('the crash', () => has(platform, /^platform\[worker\.\S+\]: State changed from \w+ to crashed \(exited with code 1\)$/))
    expect(has(platform, /^platform\[worker\.\S+\]: Process exited with status 1$/)).to.be.a('string')
    const failed = await waitFor('the failed deployment', () => has(platform, /^platform\[worker\]: Deployment of release v1 \(fixture\) failed: /))
    expect(failed).to.match(/failed: worker\.\S+ crashed \(exited with code 1\)$/)
    // Shown while the dyno is crashed; it restarts after its back-off (and crashes again).
    await waitFor('the crash in the dyno\'s info', () => platform.dynos('worker')[0]?.additional_info === 'exited with code 1')
  })

  it('fails a deployment whose health check answers an error with that status, in the logs and the deployment\'s reason', async () => {
    platform = startPlatform({timing: {deadlineMs: 1500}})
    platform.config({HEALTHY_FILE: `${platform.dir}/no-such-file`})
    platform.formation('web', {quantity: 1, healthcheck: '/health'})
    platform.release()
    const failed = await waitFor('a failed deployment', () => latest(platform, 'web')?.state === 'failed' && latest(platform, 'web'))
    expect(failed.reason).to.match(/^web\.\S+ was not ready within 2 s: health check \/health answered 503$/)
    expect(has(platform, /^platform\[web\.\S+\]: Health check failed: health check \/health answered 503$/)).to.be.a('string')
    expect(has(platform, /^platform\[web\]: Deployment of release v1 \(fixture\) failed: web\.\S+ was not ready within 2 s: health check \/health answered 503$/)).to.be.a('string')
  })

  it('asks whether the app listens on $PORT when nothing answers there', async () => {
    platform = startPlatform({timing: {deadlineMs: 1500}})
    // Listens, but on a port of its own choosing rather than $PORT.
    platform.formation('web', {quantity: 1, command: 'PORT=0 node web.js'})
    platform.release()
    const failed = await waitFor('a failed deployment', () => latest(platform, 'web')?.state === 'failed' && latest(platform, 'web'))
    expect(failed.reason).to.match(/^web\.\S+ was not ready within 2 s: nothing answered on \$PORT=\d+; is the app listening on \$PORT\?$/)
    expect(has(platform, /^platform\[web\.\S+\]: Health check failed: nothing answered on \$PORT=\d+; is the app listening on \$PORT\?$/)).to.be.a('string')
  })

  it('tells a memory kill with its figures, and the signal it ended with', async () => {
    platform = startPlatform({timing: {memorySampleMs: 100}})
    platform.formation('web', {quantity: 0})
    platform.formation('worker', {quantity: 1, command: 'node hog.js', size: 'gp1'})
    platform.release()
    await waitFor('a memory kill', () => has(platform, /^platform\[worker\.\S+\]: State changed from \w+ to crashed \(memory quota exceeded/))
    expect(has(platform, /^platform\[worker\.\S+\]: Error: memory quota exceeded \(\d+ MB used, limit 256 MB\); stopping its processes with SIGKILL$/)).to.be.a('string')
    expect(has(platform, /^platform\[worker\.\S+\]: Process exited by signal SIGKILL$/)).to.be.a('string')
  })

  it('tells a scale-down: the stop, the exit and the state', async () => {
    platform = startPlatform()
    platform.formation('web', {quantity: 0})
    platform.formation('worker', {quantity: 1})
    platform.release()
    await waitFor('worker up', () => has(platform, /^platform\[worker\.\S+\]: State changed from starting to up$/))
    platform.formation('worker', {quantity: 0})
    await waitFor('worker down', () => has(platform, /^platform\[worker\.\S+\]: State changed from up to down$/))
    expect(has(platform, /^platform\[worker\.\S+\]: Stopping all processes with SIGTERM$/)).to.be.a('string')
  })
})
