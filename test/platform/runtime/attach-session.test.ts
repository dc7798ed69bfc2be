import {expect} from 'chai'
import {once} from 'node:events'
import {type AddressInfo, createServer, type Server, Socket} from 'node:net'
import {PassThrough} from 'node:stream'

import {FrameDecoder, FrameKind} from '../../../src/api/attach-frames.js'
import {AttachSession} from '../../../src/platform/runtime/attach-session.js'

describe('runtime: attach session', () => {
  let server: Server | undefined
  let client: Socket | undefined
  const accepted: Socket[] = []

  afterEach(async () => {
    client?.destroy()
    for (const socket of accepted.splice(0)) socket.destroy()
    if (server) await new Promise(resolve => server?.close(resolve))
    server = undefined
  })

  // The API's sockets are half-open ones (node's HTTP server sets allowHalfOpen): a client that
  // is gone (killed, its terminal closed) only sends its end, and no 'close' follows on our side.
  it('stops the dyno when the client ends the connection, even while the dyno prints nothing', async () => {
    let abandoned = 0
    server = createServer({allowHalfOpen: true}, socket => {
      accepted.push(socket)
      const session = new AttachSession(socket, {signal: () => {}, abandoned: () => abandoned++}, Buffer.alloc(0))
      session.wire({stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough()})
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    client = new Socket()
    client.connect((server.address() as AddressInfo).port, '127.0.0.1')
    await once(client, 'connect')
    client.end()
    const deadline = Date.now() + 2000
    while (abandoned === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    expect(abandoned).to.equal(1)
  })

  it('sends why the dyno could not start to the client\'s stderr, then its exit', async () => {
    server = createServer({allowHalfOpen: true}, socket => {
      accepted.push(socket)
      new AttachSession(socket, {signal: () => {}, abandoned: () => {}}, Buffer.alloc(0))
        .end({code: 127, signal: null}, 'shop-default run.1 could not start: the disk is full')
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    client = new Socket()
    client.connect((server.address() as AddressInfo).port, '127.0.0.1')
    const decoder = new FrameDecoder()
    const frames: string[] = []
    client.on('data', (chunk: Buffer) => {
      for (const {kind, payload} of decoder.push(chunk)) frames.push(`${String.fromCodePoint(kind)} ${payload.toString('utf8')}`)
    })
    await once(client, 'end')
    expect(frames).to.deep.equal([
      `${String.fromCodePoint(FrameKind.stderr)} shop-default run.1 could not start: the disk is full\n`,
      `${String.fromCodePoint(FrameKind.exit)} {"code":127,"signal":null}`,
    ])
  })
})
