// A probe that cannot be made (a path http.request refuses) is a failed probe with its reason, never
// a rejection that ends the platform (issue 9, defect 1).
import {expect} from 'chai'
import {once} from 'node:events'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {Prober, type ProbeTiming} from '../../../src/platform/health.js'

const FAST: ProbeTiming = {startingIntervalMs: 5, readyIntervalMs: 5, failureThreshold: 3, timeoutMs: 500, upMs: 5}

describe('health probe', () => {
  let server: Server
  let port: number
  const rejections: unknown[] = []
  const onRejection = (reason: unknown) => rejections.push(reason)

  beforeEach(async () => {
    rejections.length = 0
    process.on('unhandledRejection', onRejection)
    server = createServer((_req, res) => res.end('ok'))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
  })

  afterEach(async () => {
    process.removeListener('unhandledRejection', onRejection)
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })

  for (const path of ['/health check', '/health\tcheck', '/health\0', '/?a=b c', '/h\u0100']) {
    it(`reports ${JSON.stringify(path)} as not ready, with the reason, once`, async () => {
      const changes: [boolean, string | undefined][] = []
      const prober = new Prober({host: '127.0.0.1', port, healthcheck: path}, (ready, problem) => changes.push([ready, problem]), FAST)
      await new Promise(resolve => setTimeout(resolve, 100))
      prober.cancel()
      expect(rejections).to.deep.equal([])
      expect(changes).to.deep.equal([[false, 'the health check cannot be made: Request path contains unescaped characters']])
    })
  }

  it('still reports a path it can send as ready', async () => {
    const changes: [boolean, string | undefined][] = []
    const prober = new Prober({host: '127.0.0.1', port, healthcheck: '/health'}, (ready, problem) => changes.push([ready, problem]), FAST)
    await new Promise(resolve => setTimeout(resolve, 100))
    prober.cancel()
    expect(changes).to.deep.equal([[true, undefined]])
  })
})
