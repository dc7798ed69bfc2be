// The log stream end to end: the real platform in this process, a dyno logging as fast as it can,
// readers that stop reading, and `aka logs -t` when its app is destroyed or the platform stops.
import {expect} from 'chai'
import {readFileSync, rmSync} from 'node:fs'
import {connect, type Socket} from 'node:net'
import {fileURLToPath} from 'node:url'

import {DELIVERY_LIMITS, type DeliveryLimits, skippedMarker} from '../../src/platform/runtime/log-delivery.js'
import {LOG_CHARACTERS_KEPT} from '../../src/platform/runtime/logs.js'
import {type RunningPlatform, startPlatform} from '../../src/platform/platform.js'
import {createRuntime} from '../../src/platform/runtime/runtime.js'
import type {Dyno} from '../../src/api/types.js'
import {MAX_LOG_TAILS} from '../../src/platform/api/routes/logs.js'
import {runCommand, type RunResult} from '../helpers/run.js'
import type {TestTerminal} from '../../src/render/terminal.js'
import {FAST_TIMING} from './runtime/helpers.js'
import {build, platformAt, type Platform, tempDir, until} from './rollout-helpers.js'

const LOGS_APP = fileURLToPath(new URL('fixtures/logs-app', import.meta.url))

/**
 * An app of the logs fixture with `type` scaled to `quantity`, once its first line is in the log.
 * The platform reads each dyno's pipe at 1 MiB a second at most, so the tests that need megabytes
 * of lines flood with several dynos: the same stream, filled faster.
 */
async function logging(platform: Platform, name: string, type: 'flood' | 'tick', quantity = 1): Promise<string> {
  const app = `${name}-default`
  await platform.call('POST', '/apps', {name})
  await build(platform, app, LOGS_APP)
  await platform.call('PATCH', `/apps/${app}/formation`, [{type, quantity}])
  await until(`a line from ${type}`, async () => (await lastLine(platform, app)).includes(`${type} `), platform.events)
  return app
}

async function lastLine(platform: Platform, app: string): Promise<string> {
  const response = await fetch(`${platform.url}/apps/${app}/logs?lines=1`, {headers: {authorization: `Bearer ${platform.token}`}})
  return response.text()
}

/** Each flood dyno's `flood N` numbers in `text`, in order. */
function floodsIn(text: string): Map<string, number[]> {
  const floods = new Map<string, number[]>()
  for (const [, dyno, n] of text.matchAll(/ (flood\.[^:]+): flood (\d+) /g)) floods.set(dyno as string, [...floods.get(dyno as string) ?? [], Number(n)])
  return floods
}

/** The body of a raw chunked HTTP answer, as far as it has arrived. */
function body(raw: Buffer): string {
  let at = raw.indexOf('\r\n\r\n') + 4
  const parts: string[] = []
  for (;;) {
    const sizeEnd = raw.indexOf('\r\n', at)
    if (at < 4 || sizeEnd === -1) break
    const size = Number.parseInt(raw.toString('latin1', at, sizeEnd), 16)
    if (raw.length < sizeEnd + 2 + size) break
    parts.push(raw.toString('utf8', sizeEnd + 2, sizeEnd + 2 + size))
    at = sizeEnd + 2 + size + 2
  }
  return parts.join('')
}

/** A reader's queue: twice the log book (log-delivery.ts). */
const QUEUE_CHARACTERS = 2 * LOG_CHARACTERS_KEPT

/** Bytes on their way through the kernel on the API connection from port `server` to port `client` (/proc/net/tcp). */
function heldByConnection(client: number, server: number): number {
  let held = 0
  for (const row of readFileSync('/proc/net/tcp', 'utf8').trim().split('\n').slice(1)) {
    const [, local, remote, , queues] = row.trim().split(/\s+/)
    const [sending, receiving] = (queues as string).split(':').map(hex => Number.parseInt(hex, 16)) as [number, number]
    const [from, to] = [local, remote].map(address => Number.parseInt((address as string).split(':')[1] as string, 16))
    if (from === server && to === client) held += sending
    if (from === client && to === server) held += receiving
  }
  return held
}

/** Counts what the app logs from now on (the runtime's own tail, in this process), and which dynos logged it. */
async function countLogged(running: RunningPlatform, platform: Platform, app: string): Promise<{characters: number, dynos: Set<string>, stop: () => void}> {
  const {id} = await platform.call('GET', `/apps/${app}`) as {id: string}
  const counted = {characters: 0, dynos: new Set<string>(), stop: () => {}}
  counted.stop = running.runtime.logs(id, {lines: 0, tail: true}, line => {
    counted.characters += line.length
    const dyno = / (flood\.[^:]+): flood /.exec(line)?.[1]
    if (dyno) counted.dynos.add(dyno)
  })
  return counted
}

/** A raw client of `GET logs?tail=true` that reads nothing until told. */
function rawTail(platform: Platform, app: string): Socket {
  const port = Number(new URL(platform.url).port)
  const socket = connect({host: '127.0.0.1', port})
  socket.pause()
  // The API answers only its own address, port included.
  socket.write(`GET /apps/${app}/logs?lines=0&tail=true HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${platform.token}\r\n\r\n`)
  return socket
}

describe('log streams end to end', function () {
  this.timeout(120_000)
  let home: string
  let running: RunningPlatform
  let platform: Platform
  const sockets: Socket[] = []

  async function start(logDelivery: DeliveryLimits = DELIVERY_LIMITS): Promise<void> {
    const events: string[] = []
    running = await startPlatform({
      home,
      port: 0,
      log: line => events.push(line),
      createRuntime: (store, options) => createRuntime(store, {...options, stopGraceMs: 3000, timing: FAST_TIMING}),
      logDelivery,
    })
    platform = platformAt(running.url, running.token, events, () => running.stop())
  }

  beforeEach(async () => {
    home = tempDir('aka-log-streams-')
    await start()
  })

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy()
    await running.stop()
    rmSync(home, {recursive: true, force: true})
  })

  it('disconnects a reader that never reads while a dyno floods the log, and goes on serving', async () => {
    // 4 MiB skipped instead of 16: the same disconnect, in a second instead of four.
    await running.stop()
    await start({...DELIVERY_LIMITS, stallCharacters: 4 * 1024 * 1024})
    const app = await logging(platform, 'flooded', 'flood', 4)
    const socket = rawTail(platform, app)
    sockets.push(socket)
    const disconnected = await until('the stalled reader disconnected', async () => platform.events.find(line => line.includes(`GET /apps/${app}/logs: disconnected`)), platform.events)
    expect(disconnected).to.match(/: disconnected a reader that stopped reading: it read nothing while \d+ characters of log lines were skipped$/)
    expect(await lastLine(platform, app)).to.match(/flood \d+ x+\n$/)
  })

  it('skips a slow reader ahead to the newest lines with a marker, after a bounded amount', async () => {
    const app = await logging(platform, 'slow', 'flood', 4)
    const logged = await countLogged(running, platform, app)
    await until('a line of each of the 4 floods', async () => logged.dynos.size === 4, platform.events)
    // Every line the reader misses must be a flood line: the platform's own lines about the dynos (ready) come first.
    await until('the 4 floods ready', async () => (await platform.call('GET', `/apps/${app}/dynos`) as Dyno[]).filter(dyno => dyno.ready).length === 4, platform.events)
    // A raw socket, paused at once: an http client's response keeps reading into its own buffer.
    const socket = rawTail(platform, app)
    sockets.push(socket)
    await new Promise(resolve => socket.once('connect', resolve))
    // Lines pass while the reader reads nothing until its queue is full and some were skipped: more
    // than the connection holds (its kernel buffers, from a few hundred kB to several MB) and the
    // queue, far less than the skipped amount that disconnects.
    const first = logged.characters
    const client = socket.localPort as number
    const server = Number(new URL(platform.url).port)
    await until('a full queue and 1 MiB more', async () => logged.characters - first - heldByConnection(client, server) > QUEUE_CHARACTERS + 1024 * 1024, platform.events)
    const held = heldByConnection(client, server)
    logged.stop()
    const received: Buffer[] = []
    socket.on('data', (chunk: Buffer) => received.push(chunk))
    socket.resume()
    let text = ''
    const read = () => {
      text = body(Buffer.concat(received))
      return text
    }
    const marker = /\n(\.\.\. (\d+) lines? skipped \(reader too slow\) \.\.\.)\n/
    const afterMarker = () => {
      const gap = marker.exec(read())
      return gap ? floodsIn(text.slice(gap.index + gap[0].length)) : new Map<string, number[]>()
    }
    // Without a marker the reader would get every line: it reads until it has had them all.
    await until('the marker and a line of each flood after it', async () => afterMarker().size === 4 || text.length >= logged.characters - first, platform.events)
    const match = marker.exec(text)
    expect(match, `a marker: the connection held ${held}, ${logged.characters - first} were logged, ${text.length} read`).to.not.equal(null)
    const [, line, skipped] = match as RegExpExecArray
    expect(line).to.equal(skippedMarker(Number(skipped)))
    const before = text.slice(0, match?.index)
    const beforeGap = floodsIn(before)
    const afterGap = afterMarker()
    expect([...beforeGap.keys()].sort(), 'each flood before the gap').to.deep.equal([...afterGap.keys()].sort())
    // Each dyno's lines up to the gap, in order; after it, each goes on right after its skipped lines.
    let missed = 0
    for (const [dyno, numbers] of beforeGap) {
      expect(numbers.every((n, i) => i === 0 || n === (numbers[i - 1] as number) + 1), `${dyno} in order`).to.equal(true)
      missed += (afterGap.get(dyno)?.[0] as number) - (numbers.at(-1) as number) - 1
    }
    expect(missed, 'the lines between each flood\'s last before the gap and its first after it').to.equal(Number(skipped))
    // Before the gap: what the connection held, the queue, and one batch in each side's stream.
    expect(before.length).to.be.at.most(held + QUEUE_CHARACTERS + 64 * 1024)
  })

  it('refuses a log tail beyond the platform\'s limit with 429 on one line, and takes one again once a tail ends', async () => {
    const app = await logging(platform, 'watched', 'tick')
    /** The status line and body of a tail's answer, once its headers (and a refusal's body) arrived. */
    const answer = (socket: Socket) => new Promise<string>(resolve => {
      let text = ''
      socket.setEncoding('utf8')
      socket.on('data', (chunk: string) => {
        text += chunk
        if (/^HTTP\/1\.1 200 /.test(text) || /\r\n\r\n./.test(text)) resolve(text)
      })
      socket.resume()
    })
    const tails = Array.from({length: MAX_LOG_TAILS}, () => rawTail(platform, app))
    sockets.push(...tails)
    for (const socket of tails) expect(await answer(socket)).to.match(/^HTTP\/1\.1 200 /)
    const refused = rawTail(platform, app)
    sockets.push(refused)
    const text = await answer(refused)
    expect(text).to.match(/^HTTP\/1\.1 429 /)
    expect(text.split('\r\n\r\n')[1]).to.equal(`Too many log streams are open (at most ${MAX_LOG_TAILS}); end one, then try again.`)
    tails[0]?.destroy()
    await until('a tail accepted again', async () => {
      const socket = rawTail(platform, app)
      sockets.push(socket)
      return /^HTTP\/1\.1 200 /.test(await answer(socket))
    }, platform.events)
  })

  describe('aka logs -t', () => {
    /** `aka logs -t` against the local platform as a user's CLI finds it (its state folder). */
    function tail(app: string): {done: Promise<RunResult>, term: Promise<TestTerminal>} {
      let found: (term: TestTerminal) => void = () => {}
      const term = new Promise<TestTerminal>(resolve => found = resolve)
      const done = runCommand(['logs', '-t', '-n', '0', '-a', app], {env: {HOME: home, AKKERIS_LOCAL_HOME: home}, interact: found})
      return {done, term}
    }

    it('ends with a notice and exit 0 when its app is destroyed', async () => {
      const app = await logging(platform, 'doomed', 'tick')
      const {done, term} = tail(app)
      const output = await term
      await until('a tailed line', async () => output.out().includes('tick '), platform.events)
      await platform.call('DELETE', `/apps/${app}`)
      const result = await Promise.race([done, new Promise<undefined>(resolve => setTimeout(() => resolve(undefined), 30_000))])
      expect(result, 'aka logs -t ended').to.not.equal(undefined)
      expect({exitCode: result?.exitCode, stderr: result?.stderr}).to.deep.equal({exitCode: 0, stderr: `The log stream of ${app} ended: the app was destroyed.\n`})
    })

    it('ends with one clear error line and exit 1 when the platform stops', async () => {
      const app = await logging(platform, 'stopped', 'tick')
      const {done, term} = tail(app)
      const output = await term
      await until('a tailed line', async () => output.out().includes('tick '), platform.events)
      await running.stop()
      const result = await done
      expect({exitCode: result.exitCode, stderr: result.stderr}).to.deep.equal({
        exitCode: 1,
        stderr: `Error: The log stream of ${app} ended: the platform stopped; start it with \`aka local:start --detach\` and run \`aka logs -t -a ${app}\` again to keep following\n`,
      })
    })
  })
})
