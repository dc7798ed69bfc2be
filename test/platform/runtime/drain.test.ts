// A request that never ends (a stream) holds neither a rollout nor a platform stop for longer than
// the stop grace period: a rollout drains for the grace period at most, a stop does not drain.
import {expect} from 'chai'
import {type ClientRequest, type IncomingMessage, request} from 'node:http'

import {settled, startPlatform, type TestPlatform, waitFor} from './helpers.js'

interface Stream {
  request: ClientRequest
  /** Resolves when the connection ends, however it ends. */
  ended: Promise<void>
}

/** A GET of /stream through the router, once its first line has arrived. */
function openStream(url: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/stream`, {agent: false}, (response: IncomingMessage) => {
      const ended = new Promise<void>(done => {
        response.once('close', () => done())
        response.once('error', () => done())
      })
      response.once('data', () => resolve({request: req, ended}))
      response.resume()
    })
    req.on('error', reject)
    req.end()
  })
}

const drainLines = (platform: TestPlatform) => platform.events.filter(line => line.includes('of draining'))

describe('runtime: draining a dyno with a request that never ends', function () {
  this.timeout(90_000)
  let platform: TestPlatform
  let stream: Stream | undefined

  afterEach(async () => {
    stream?.request.destroy()
    stream = undefined
    await platform.close()
  })

  async function streamingWeb(): Promise<string> {
    platform = startPlatform({stopGraceMs: 1000})
    platform.formation('web', {quantity: 1, healthcheck: '/health'})
    platform.release()
    const [web] = await waitFor('web running', () => settled(platform.dynos('web'), 1))
    const url = await waitFor('web url', () => platform.runtime.webUrl(platform.appId))
    stream = await openStream(url)
    return `web.${web.name}`
  }

  it('drains a retired dyno for the stop grace period at most during a rollout', async () => {
    const old = await streamingWeb()
    platform.config({GREETING: 'next'})
    await waitFor('the old dyno drained', () => drainLines(platform).length > 0)
    const lines = drainLines(platform)
    expect(lines).to.have.length(1)
    expect(lines[0]).to.match(new RegExp(`(^|: )${old} still had 1 request\\(s\\) in flight after 1000 ms of draining$`))
    await waitFor('the rollout done', () => platform.store.latestDeployment(platform.appId, 'web')?.state === 'succeeded')
  })

  it('does not drain on a platform stop: the routers close first, then the dynos stop', async () => {
    const web = await streamingWeb()
    await platform.runtime.stop()
    await stream?.ended
    expect(drainLines(platform)).to.deep.equal([])
    expect(platform.events).to.include(`probe-default ${web} stopped`)
    expect(platform.store.processes()).to.deep.equal([])
  })
})
