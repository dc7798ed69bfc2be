// A probe that cannot be made (a path http.request refuses) rejects with the reason, never throws
// where nothing catches it; the dyno runner turns that rejection into the dyno's own failure
// (dyno-runner.test.ts), so it cannot end the platform (issue 9, defect 1).
import {expect} from 'chai'
import {once} from 'node:events'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {probeOnce} from '../../../src/platform/runtime/health.js'

describe('health probe', () => {
  let server: Server
  let port: number

  beforeEach(async () => {
    server = createServer((_req, res) => res.end('ok'))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
  })

  afterEach(async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })

  for (const path of ['/health check', '/health\tcheck', '/health\0', '/?a=b c', '/h\u0100']) {
    it(`rejects ${JSON.stringify(path)} with the reason`, async () => {
      const error = await probeOnce({host: '127.0.0.1', port, healthcheck: path}, 500).then(() => undefined, (reason: unknown) => reason)
      expect(error).to.be.instanceOf(Error)
      expect((error as Error).message).to.equal('Request path contains unescaped characters')
    })
  }

  it('answers no failure for a path it can send that answers 200', async () => {
    expect(await probeOnce({host: '127.0.0.1', port, healthcheck: '/health'}, 500)).to.equal(undefined)
  })

  it('tells the status of a health check that answers 500', async () => {
    server.removeAllListeners('request')
    server.on('request', (_req, res) => {
      res.statusCode = 500
      res.end('no')
    })
    expect(await probeOnce({host: '127.0.0.1', port, healthcheck: '/health'}, 500)).to.equal('health check /health answered 500')
  })

  it('tells a health check that does not answer in time', async () => {
    server.removeAllListeners('request')
    server.on('request', () => {})
    expect(await probeOnce({host: '127.0.0.1', port, healthcheck: '/health'}, 100)).to.equal('health check /health did not answer within 100 ms')
  })

  it('asks whether the app listens on $PORT when nothing answers there, with or without a healthcheck', async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
    const expected = `nothing answered on $PORT=${port}; is the app listening on $PORT?`
    expect(await probeOnce({host: '127.0.0.1', port, healthcheck: '/health'}, 500)).to.equal(expected)
    expect(await probeOnce({host: '127.0.0.1', port, healthcheck: null}, 500)).to.equal(expected)
    server = createServer()
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
  })
})
