// A failed deployment keeps the old version, also across a restart of the platform (issue 5), and a
// release without a command for a running type is such a failure rather than a stop of that type.
import {expect} from 'chai'

import {get, settled, startPlatform, type TestPlatform, waitFor} from './helpers.js'

const latest = (platform: TestPlatform, type: string) => platform.store.latestDeployment(platform.appId, type)

async function greeting(platform: TestPlatform): Promise<string | null> {
  const url = await waitFor('web url', () => platform.runtime.webUrl(platform.appId))
  return (JSON.parse((await get(url)).body) as {greeting: string | null}).greeting
}

describe('runtime: failed deployments', function () {
  this.timeout(90_000)
  let platform: TestPlatform

  afterEach(async () => {
    await platform.close()
  })

  it('runs the last succeeded definition after a restart that follows a failed deployment, until the next change', async () => {
    platform = startPlatform()
    platform.config({GREETING: 'old'})
    platform.formation('web', {quantity: 2, healthcheck: '/health'})
    platform.release()
    const good = await waitFor('web running', () => settled(platform.dynos('web'), 2))
    platform.formation('web', {command: 'node crash.js'})
    const failed = await waitFor('a failed deployment', () => latest(platform, 'web')?.state === 'failed' && latest(platform, 'web'))
    await waitFor('only the old dynos', () => {
      const dynos = settled(platform.dynos('web'), 2)
      return dynos && dynos.every(dyno => dyno.deployment === good[0].deployment)
    })

    await platform.restart()
    const again = await waitFor('the old definition running again', () => {
      const dynos = settled(platform.dynos('web'), 2)
      return dynos && dynos.every(dyno => dyno.deployment === good[0].deployment) && dynos
    })
    expect(again.map(dyno => dyno.command)).to.deep.equal([null, null])
    expect(latest(platform, 'web')).to.include({id: failed.id, state: 'failed', reason: failed.reason})
    expect(await greeting(platform)).to.equal('old')
    expect(platform.events.filter(line => line.includes(`deployment ${failed.id}: in-progress`))).to.have.length(1)

    platform.formation('web', {command: 'node web.js'})
    platform.config({GREETING: 'new'})
    const next = await waitFor('the next change deployed', () => {
      const dynos = settled(platform.dynos('web'), 2)
      const deployment = latest(platform, 'web')
      return dynos && deployment?.state === 'succeeded' && dynos.every(dyno => dyno.deployment === deployment.id) && deployment
    })
    expect(next.id).to.not.be.oneOf([good[0].deployment, failed.id])
    expect(await greeting(platform)).to.equal('new')
  })

  it('fails the deployment of a type the new release has no command for, keeping its dynos, also across a restart', async () => {
    platform = startPlatform()
    platform.formation('worker', {quantity: 1})
    platform.release()
    const [worker] = await waitFor('worker running', () => settled(platform.dynos('worker'), 1))
    platform.release({web: 'node web.js'})
    const failed = await waitFor('a failed worker deployment', () => latest(platform, 'worker')?.state === 'failed' && latest(platform, 'worker'))
    expect(failed.reason).to.equal('release v2 has no command for worker (no Procfile line, and the formation has none)')
    expect(platform.dynos('worker').map(dyno => [dyno.name, dyno.state])).to.deep.equal([[worker.name, 'running']])

    await platform.restart()
    const [kept] = await waitFor('the old worker running again', () => settled(platform.dynos('worker'), 1))
    expect([kept.deployment, kept.release.version]).to.deep.equal([worker.deployment, 1])
    expect(latest(platform, 'worker')).to.include({id: failed.id, state: 'failed'})

    platform.formation('worker', {quantity: 0})
    await waitFor('no worker', () => platform.dynos('worker').length === 0)
  })
})
