import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {FAST_PROBE, get, isAlive, settled, startPlatform, type TestPlatform, waitFor} from './helpers.js'

const NAME = /^[0-9a-f]{10}-[a-z0-9]{5}$/

describe('runtime: dynos', function () {
  this.timeout(60_000)
  let platform: TestPlatform

  afterEach(async () => {
    await platform.close()
  })

  it('starts web and worker dynos with PORT, DYNO and the config vars, behind the router', async () => {
    platform = startPlatform()
    platform.config({GREETING: 'hello'})
    platform.formation('web', {quantity: 1})
    platform.formation('worker', {quantity: 1})
    platform.release()
    const [web] = await waitFor('web running', () => settled(platform.dynos('web'), 1))
    const [worker] = await waitFor('worker running', () => settled(platform.dynos('worker'), 1))
    const release = platform.store.latestRelease(platform.appId)
    expect(web).to.include({attach_url: '', command: null, size: 'gp1', type: 'web', restarts: 0, additional_info: ''})
    expect(web.name).to.match(NAME)
    expect(web.deployment).to.equal(web.name.slice(0, 10))
    expect(web.release).to.deep.equal({id: release?.id, version: 1})
    expect(web.app).to.deep.equal({id: platform.appId, name: 'probe-default'})
    expect(web.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(web.created_at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)

    const url = await waitFor('web url', () => platform.runtime.webUrl(platform.appId))
    expect(url).to.equal(`http://127.0.0.1:${platform.store.routerPort(platform.appId)}`)
    const answer = await waitFor('an answer through the router', async () => {
      const reply = await get(`${url}/anything`)
      return reply.status === 200 && reply
    })
    const body = JSON.parse(answer.body) as {dyno: string, port: string, greeting: string}
    expect(body.dyno).to.equal(`web.${web.name}`)
    expect(body.greeting).to.equal('hello')
    expect(Number(body.port)).to.be.above(0).and.not.equal(platform.store.routerPort(platform.appId))

    const lines: string[] = []
    await waitFor('a worker log line', () => {
      lines.length = 0
      platform.runtime.logs(platform.appId, {lines: 100, tail: false}, line => lines.push(line))
      return lines.find(line => line.includes(`worker.${worker.name}: tick`))
    })
    const tick = lines.find(line => line.includes(`worker.${worker.name}: tick`))
    expect(tick).to.match(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ worker\\.${worker.name}: tick \\d+ as worker\\.${worker.name} greeting hello$`))
    expect(lines.some(line => line === lines.find(l => l.includes('listening on')))).to.equal(true)
  })

  it('tails new log lines until unsubscribed', async () => {
    platform = startPlatform()
    platform.formation('web', {quantity: 0})
    platform.formation('worker', {quantity: 1})
    platform.release()
    const tailed: string[] = []
    const stop = platform.runtime.logs(platform.appId, {lines: 0, tail: true}, line => tailed.push(line))
    await waitFor('two tailed lines', () => tailed.length >= 2)
    stop()
    const count = tailed.length
    await waitFor('more worker output', () => {
      const all: string[] = []
      platform.runtime.logs(platform.appId, {lines: 1, tail: false}, line => all.push(line))
      return all[0] !== tailed.at(-1)
    })
    expect(tailed.length).to.equal(count)
  })

  it('scales up and down without touching the others, removing the newest first', async () => {
    platform = startPlatform()
    platform.formation('web', {quantity: 1})
    platform.release()
    const [first] = await waitFor('one web', () => settled(platform.dynos('web'), 1))
    platform.formation('web', {quantity: 3})
    const three = await waitFor('three webs', () => settled(platform.dynos('web'), 3))
    expect(three.map(dyno => dyno.name)).to.include(first.name)
    expect(new Set(three.map(dyno => dyno.deployment))).to.deep.equal(new Set([first.deployment]))
    const second = three.filter(dyno => dyno.name !== first.name).sort((a, b) => a.name.localeCompare(b.name))
    platform.formation('web', {quantity: 2})
    await waitFor('two webs', () => settled(platform.dynos('web'), 2))
    const kept = platform.dynos('web').map(dyno => dyno.name)
    expect(kept).to.include(first.name)
    expect(second.filter(dyno => kept.includes(dyno.name))).to.have.length(1)
    platform.formation('web', {quantity: 0})
    await waitFor('no web', () => platform.dynos('web').length === 0)
    expect(platform.store.latestDeployment(platform.appId, 'web')?.state).to.equal('succeeded')
  })

  it('restarts a crashed dyno with exponential back-off and counts restarts', async () => {
    // A worker up for 3 s is ready: a slow start of node under load must not count as a success before the crash.
    platform = startPlatform({timing: {probe: {...FAST_PROBE, upMs: 3000}}})
    platform.formation('web', {quantity: 0})
    platform.formation('worker', {quantity: 1, command: 'node crash.js'})
    platform.release()
    const crashed = await waitFor('a crash after a restart', () => platform.dynos('worker').find(dyno => dyno.state === 'app-crashed' && dyno.restarts >= 2))
    expect(crashed).to.include({ready: false, additional_info: 'exited with code 1', command: 'node crash.js'})
    const backoff = platform.events.map(line => new RegExp(`worker\\.${crashed.name} crashed: .*; restarting in (\\d+ m?s)$`).exec(line)?.[1]).filter(Boolean)
    // The test's back-off starts at 100 ms (FAST_TIMING).
    expect(backoff.slice(0, 3)).to.deep.equal(['100 ms', '200 ms', '400 ms'])
    expect(platform.store.latestDeployment(platform.appId, 'worker')).to.include({state: 'failed', reason: `worker.${crashed.name} crashed (exited with code 1)`})
  })

  it('reports a command that cannot run as start-failure', async () => {
    platform = startPlatform()
    platform.formation('web', {quantity: 0})
    platform.formation('worker', {quantity: 1, command: 'no-such-command-here --flag'})
    platform.release()
    const failed = await waitFor('start-failure', () => platform.dynos('worker').find(dyno => dyno.state === 'start-failure'))
    expect(failed.additional_info).to.equal('the command could not run (exit 127)')
    const lines: string[] = []
    platform.runtime.logs(platform.appId, {lines: 10, tail: false}, line => lines.push(line))
    expect(lines.join('\n')).to.match(/no-such-command-here: not found/)
  })

  it('shows a web dyno failing its health check as probe-failure until it passes', async () => {
    platform = startPlatform()
    const healthy = join(platform.dir, 'healthy')
    platform.config({HEALTHY_FILE: healthy})
    platform.formation('web', {quantity: 1, healthcheck: '/health'})
    platform.release()
    const probing = await waitFor('probe-failure', () => platform.dynos('web').find(dyno => dyno.state === 'probe-failure'))
    expect(probing.ready).to.equal(false)
    writeFileSync(healthy, '')
    const [ready] = await waitFor('ready web', () => settled(platform.dynos('web'), 1))
    expect(ready.name).to.equal(probing.name)
  })

  it('kills a dyno above its size memory limit and reports it crashed', async () => {
    platform = startPlatform({timing: {memorySampleMs: 100}})
    platform.formation('web', {quantity: 0})
    platform.formation('worker', {quantity: 1, command: 'node hog.js', size: 'gp1'})
    platform.release()
    const killed = await waitFor('a memory kill', () => platform.dynos('worker').find(dyno => dyno.state === 'app-crashed'))
    expect(killed.additional_info).to.match(/^memory quota exceeded \(\d+ MB used, limit 256 MB\)$/)
  })

  it('sends a signal to a dyno, which then restarts', async () => {
    platform = startPlatform()
    platform.formation('web', {quantity: 0})
    platform.formation('worker', {quantity: 1})
    platform.release()
    const [worker] = await waitFor('worker running', () => settled(platform.dynos('worker'), 1))
    expect(platform.runtime.signal(platform.appId, 'worker', 'nosuch-dyno', 9)).to.equal(false)
    expect(platform.runtime.signal(platform.appId, 'worker', worker.name, 9)).to.equal(true)
    await waitFor('killed worker', () => platform.events.includes(`probe-default worker.${worker.name} crashed: killed by SIGKILL; restarting in 100 ms`))
    const [back] = await waitFor('worker back', () => settled(platform.dynos('worker'), 1))
    expect(back).to.include({name: worker.name, restarts: 1})
  })

  it('restarts a type with new names, and one dyno by replacing just that one', async () => {
    platform = startPlatform()
    platform.formation('web', {quantity: 2})
    platform.release()
    const before = await waitFor('two webs', () => settled(platform.dynos('web'), 2))
    platform.runtime.restart(platform.appId, {type: 'web'})
    const after = await waitFor('two new webs', () => {
      const dynos = settled(platform.dynos('web'), 2)
      return dynos && dynos.every(dyno => dyno.deployment !== before[0].deployment) && dynos
    })
    expect(platform.store.latestDeployment(platform.appId, 'web')).to.include({id: after[0].deployment, state: 'succeeded'})
    platform.runtime.restart(platform.appId, {type: 'web', name: after[0].name})
    const replaced = await waitFor('one replaced web', () => {
      const dynos = settled(platform.dynos('web'), 2)
      return dynos && !dynos.some(dyno => dyno.name === after[0].name) && dynos
    })
    expect(replaced.map(dyno => dyno.name)).to.include(after[1].name)
    expect(replaced.every(dyno => dyno.deployment === after[0].deployment)).to.equal(true)
  })

  it('restarts every type of the app when no type is given', async () => {
    platform = startPlatform()
    platform.formation('web', {quantity: 1})
    platform.formation('worker', {quantity: 1})
    platform.release()
    const before = await waitFor('web and worker running', () => settled(platform.dynos(), 2))
    platform.runtime.restart(platform.appId)
    const after = await waitFor('both replaced', () => {
      const dynos = settled(platform.dynos(), 2)
      return dynos && dynos.every(dyno => !before.some(old => old.deployment === dyno.deployment)) && dynos
    })
    expect(after.map(dyno => dyno.type)).to.deep.equal(['web', 'worker'])
    for (const type of ['web', 'worker']) {
      expect(platform.store.latestDeployment(platform.appId, type)).to.include({id: after.find(dyno => dyno.type === type)?.deployment, state: 'succeeded'})
    }
  })

  it('stops an app\'s dynos and router when the app is removed', async () => {
    platform = startPlatform()
    platform.formation('web', {quantity: 1})
    platform.formation('worker', {quantity: 1})
    platform.release()
    await waitFor('web and worker running', () => settled(platform.dynos(), 2))
    const url = await waitFor('an answering router', async () => {
      const address = platform.runtime.webUrl(platform.appId)
      return address && (await get(address)).status === 200 && address
    })
    const pgids = platform.store.processes().map(record => record.pgid)
    expect(pgids).to.have.length(2)
    await platform.runtime.removeApp(platform.appId)
    expect(platform.dynos()).to.deep.equal([])
    expect(pgids.filter(isAlive)).to.deep.equal([])
    expect(platform.store.processes()).to.deep.equal([])
    const refused = await get(url).then(() => 'answered', (error: NodeJS.ErrnoException) => error.code)
    expect(refused).to.equal('ECONNREFUSED')
  })
})
