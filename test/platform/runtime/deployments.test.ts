import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {get, settled, startPlatform, type TestPlatform, waitFor} from './helpers.js'

/** Requests through the router one after another until stopped; every answer and failure is kept. */
function steadyLoad(url: string) {
  const greetings: string[] = []
  const failures: string[] = []
  let running = true
  const done = (async () => {
    while (running) {
      try {
        const answer = await get(`${url}/`)
        if (answer.status === 200) greetings.push((JSON.parse(answer.body) as {greeting: string}).greeting)
        else failures.push(`${answer.status} ${answer.body}`)
      } catch (error) {
        failures.push((error as Error).message)
      }
    }
  })()
  return {
    greetings,
    failures,
    async stop() {
      running = false
      await done
    },
  }
}

async function servingWeb(platform: TestPlatform, quantity: number, greeting: string): Promise<string> {
  platform.config({GREETING: greeting})
  platform.formation('web', {quantity, healthcheck: '/health'})
  platform.release()
  await waitFor('web running', () => settled(platform.dynos('web'), quantity))
  return waitFor('web url', () => platform.runtime.webUrl(platform.appId))
}

const deploymentOf = (platform: TestPlatform) => platform.store.latestDeployment(platform.appId, 'web')

describe('runtime: rolling deployments', function () {
  this.timeout(90_000)
  let platform: TestPlatform

  afterEach(async () => {
    await platform.close()
  })

  it('rolls a config change, a new release and a command change through web=3 without a failed request', async () => {
    platform = startPlatform()
    const url = await servingWeb(platform, 3, 'one')
    const load = steadyLoad(url)
    const changes: [string, () => void][] = [
      ['two', () => platform.config({GREETING: 'two'})],
      ['two', () => platform.release()],
      ['two', () => platform.formation('web', {command: 'node web.js'})],
    ]
    let previous = platform.dynos('web')[0].deployment
    for (const [greeting, change] of changes) {
      change()
      const after = await waitFor('the new deployment running', () => {
        const dynos = settled(platform.dynos('web'), 3)
        return dynos && dynos.every(dyno => dyno.deployment !== previous) && deploymentOf(platform)?.state === 'succeeded' && dynos
      })
      expect(deploymentOf(platform)?.id).to.equal(after[0].deployment)
      previous = after[0].deployment
      const count = load.greetings.length
      await waitFor('more answers', () => load.greetings.length > count + 5)
      expect(load.greetings.slice(count)).to.satisfy((answers: string[]) => answers.every(answer => answer === greeting))
    }
    await load.stop()
    expect(load.failures).to.deep.equal([])
    expect(load.greetings).to.include('one')
  })

  it('keeps the old dynos serving until the new ones are ready', async () => {
    platform = startPlatform()
    const url = await servingWeb(platform, 2, 'old')
    const old = platform.dynos('web').map(dyno => dyno.name)
    const healthy = join(platform.dir, 'healthy')
    const load = steadyLoad(url)
    platform.config({GREETING: 'new', HEALTHY_FILE: healthy})
    const waiting = await waitFor('a new dyno failing its probe', () => platform.dynos('web').find(dyno => dyno.state === 'probe-failure'))
    expect(platform.dynos('web').filter(dyno => dyno.state === 'running').map(dyno => dyno.name)).to.deep.equal(old)
    expect(deploymentOf(platform)).to.include({id: waiting.deployment, state: 'in-progress'})
    const count = load.greetings.length
    await waitFor('answers during the rollout', () => load.greetings.length > count + 5)
    expect(new Set(load.greetings)).to.deep.equal(new Set(['old']))
    writeFileSync(healthy, '')
    await waitFor('the new dynos running', () => {
      const dynos = settled(platform.dynos('web'), 2)
      return dynos && dynos.every(dyno => dyno.deployment === waiting.deployment)
    })
    await load.stop()
    expect(load.failures).to.deep.equal([])
    expect(deploymentOf(platform)?.state).to.equal('succeeded')
  })

  it('fails a deployment whose new dyno crashes, keeping the old dynos and recording why', async () => {
    platform = startPlatform()
    const url = await servingWeb(platform, 2, 'old')
    const old = platform.dynos('web')
    const load = steadyLoad(url)
    platform.formation('web', {command: 'node crash.js'})
    const failed = await waitFor('a failed deployment', () => deploymentOf(platform)?.state === 'failed' && deploymentOf(platform))
    expect(failed.reason).to.match(/^web\.[0-9a-f]{10}-[a-z0-9]{5} crashed \(exited with code 1\)$/)
    expect(failed.id).to.not.equal(old[0].deployment)
    await waitFor('only the old dynos', () => {
      const dynos = settled(platform.dynos('web'), 2)
      return dynos && dynos.every(dyno => dyno.deployment === old[0].deployment)
    })
    const count = load.greetings.length
    await waitFor('answers after the failure', () => load.greetings.length > count + 5)
    await load.stop()
    expect(load.failures).to.deep.equal([])
    expect(platform.dynos('web').map(dyno => dyno.name)).to.deep.equal(old.map(dyno => dyno.name))
  })

  it('fails a deployment whose new dyno is not ready within the deadline', async () => {
    platform = startPlatform({deadlineMs: 1000})
    const url = await servingWeb(platform, 1, 'old')
    const old = platform.dynos('web')
    const load = steadyLoad(url)
    platform.config({GREETING: 'never', HEALTHY_FILE: join(platform.dir, 'never')})
    const failed = await waitFor('a failed deployment', () => deploymentOf(platform)?.state === 'failed' && deploymentOf(platform))
    expect(failed.reason).to.match(/^web\.[0-9a-f]{10}-[a-z0-9]{5} was not ready within 1 s: health check \/health answered 503$/)
    await waitFor('only the old dyno', () => {
      const dynos = settled(platform.dynos('web'), 1)
      return dynos && dynos[0].name === old[0].name
    })
    platform.formation('web', {quantity: 2})
    const scaled = await waitFor('two old-definition dynos', () => settled(platform.dynos('web'), 2))
    expect(scaled.every(dyno => dyno.deployment === old[0].deployment)).to.equal(true)
    await load.stop()
    expect(load.failures).to.deep.equal([])
    expect(new Set(load.greetings)).to.deep.equal(new Set(['old']))
  })

  it('rolls toward the newest of two quick changes', async () => {
    platform = startPlatform()
    await servingWeb(platform, 2, 'first')
    const first = deploymentOf(platform)?.id
    platform.config({GREETING: 'second'})
    const second = await waitFor('the second rollout under way', () => platform.dynos('web').find(dyno => dyno.deployment !== first))
    platform.config({GREETING: 'third'})
    const final = await waitFor('the third definition running', () => {
      const dynos = settled(platform.dynos('web'), 2)
      const deployment = deploymentOf(platform)
      return dynos && deployment?.id !== first && deployment?.state === 'succeeded' && dynos
    })
    expect(new Set(final.map(dyno => dyno.deployment))).to.deep.equal(new Set([deploymentOf(platform)?.id]))
    expect(final.every(dyno => dyno.deployment !== second.deployment)).to.equal(true)
    const url = platform.runtime.webUrl(platform.appId) ?? ''
    expect(JSON.parse((await get(url)).body)).to.include({greeting: 'third'})
    expect(platform.events.some(line => line.startsWith(`probe-default web deployment ${second.deployment}: failed (superseded by deployment`))).to.equal(true)
  })

  it('keeps the dynos that already match when a change supersedes a rollout', async () => {
    platform = startPlatform()
    await servingWeb(platform, 2, 'stay')
    const original = platform.dynos('web')
    platform.config({HEALTHY_FILE: join(platform.dir, 'never')})
    const stuck = await waitFor('a new dyno starting', () => platform.dynos('web').find(dyno => dyno.deployment !== original[0].deployment))
    platform.config({HEALTHY_FILE: null})
    await waitFor('the original dynos alone', () => {
      const dynos = settled(platform.dynos('web'), 2)
      return dynos && deploymentOf(platform)?.state === 'succeeded'
    })
    expect(platform.dynos('web').map(dyno => dyno.name)).to.deep.equal(original.map(dyno => dyno.name))
    expect(platform.store.latestDeployment(platform.appId, 'web')?.id).to.equal(original[0].deployment)
    expect(platform.events).to.include(`probe-default web deployment ${stuck.deployment}: failed (superseded by deployment ${original[0].deployment})`)
  })
})
