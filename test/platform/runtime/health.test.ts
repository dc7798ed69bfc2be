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

  it('answers true for a path it can send', async () => {
    expect(await probeOnce({host: '127.0.0.1', port, healthcheck: '/health'}, 500)).to.equal(true)
  })
})
