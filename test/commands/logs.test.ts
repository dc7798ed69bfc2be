import {expect} from 'chai'
import {PassThrough, Readable} from 'node:stream'

import {api, apiEnv, blockNetwork} from '../helpers/api.js'
import {runCommand} from '../helpers/run.js'

const lines = [
  '2026-11-02T09:30:01Z web.3f2a9c1b7e-k2j4x listening on 5101\n',
  '2026-11-02T09:30:02Z worker.3f2a9c1b7e-p9x2z tick 1\n',
]

/** Resolves once `read()` contains `text`: the command has written what arrived so far. */
async function until(read: () => string, text: string): Promise<void> {
  while (!read().includes(text)) await new Promise(resolve => setTimeout(resolve, 5))
}

describe('aka logs', () => {
  blockNetwork()

  it('asks for the last 100 lines by default and prints them as they come', async () => {
    api().get('/apps/hello-default/logs').query({lines: '100', tail: 'false'}).reply(200, () => Readable.from(lines), {'content-type': 'text/plain'})
    const {stdout, stderr, exitCode} = await runCommand(['logs', '-a', 'hello-default'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal(lines.join(''))
  })

  it('passes -n and --tail, streams lines as they arrive, and ends cleanly on Ctrl-C', async () => {
    const body = new PassThrough()
    api().get('/apps/hello-default/logs').query({lines: '5', tail: 'true'}).reply(200, () => body, {'content-type': 'text/plain'})
    const listeners = process.listenerCount('SIGINT')
    const {stdout, stderr, exitCode} = await runCommand(['logs', '-a', 'hello-default', '-n', '5', '-t'], {
      env: apiEnv,
      async interact(term) {
        body.write(lines[0])
        await until(term.out, lines[0])
        body.write(lines[1])
        await until(term.out, lines[1])
        process.emit('SIGINT')
      },
    })
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal(lines.join(''))
    expect(process.listenerCount('SIGINT')).to.equal(listeners)
  })

  it('says so on stderr and exits 0 when the tail ends because the app was destroyed', async () => {
    api().get('/apps/hello-default/logs').query({lines: '0', tail: 'true'}).reply(200, () => Readable.from(lines), {'content-type': 'text/plain'})
    api().get('/apps/hello-default').reply(404, 'The specified application hello-default does not exist.', {'content-type': 'text/plain'})
    const {stdout, stderr, exitCode} = await runCommand(['logs', '-a', 'hello-default', '-n', '0', '-t'], {env: apiEnv})
    expect({stdout, stderr, exitCode}).to.deep.equal({stdout: lines.join(''), stderr: 'The log stream of hello-default ended: the app was destroyed.\n', exitCode: 0})
  })

  it('exits 1 with one line when the server ends a tail of an app that still exists', async () => {
    api().get('/apps/hello-default/logs').query({lines: '0', tail: 'true'}).reply(200, () => Readable.from(lines), {'content-type': 'text/plain'})
    api().get('/apps/hello-default').reply(200, {name: 'hello-default'})
    const {stderr, exitCode} = await runCommand(['logs', '-a', 'hello-default', '-n', '0', '-t'], {env: apiEnv})
    expect({stderr, exitCode}).to.deep.equal({stderr: 'Error: The log stream of hello-default ended: the server ended it; run `aka logs -t` again to keep following\n', exitCode: 1})
  })

  it('exits 1 with one line when the connection breaks before the last lines are in', async () => {
    const body = new PassThrough()
    api().get('/apps/hello-default/logs').query({lines: '100', tail: 'false'}).reply(200, () => body, {'content-type': 'text/plain'})
    const {stdout, stderr, exitCode} = await runCommand(['logs', '-a', 'hello-default'], {
      env: apiEnv,
      async interact(term) {
        body.write(lines[0])
        await until(term.out, lines[0])
        body.destroy(Object.assign(new Error('aborted'), {code: 'ECONNRESET'}))
      },
    })
    expect({stdout, stderr, exitCode}).to.deep.equal({stdout: lines[0], stderr: 'Error: The logs of hello-default were cut off: the connection to the API was lost; run the command again\n', exitCode: 1})
  })

  it('refuses a negative -n, sending nothing', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['logs', '-a', 'hello-default', '-n', '-1'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: The number of lines must be a whole number from 0 to 10000, not -1.\n')
  })

  it("shows the server's refusal in one line and exits 1", async () => {
    api().get('/apps/nope-default/logs').query({lines: '100', tail: 'false'}).reply(404, 'The specified application nope-default does not exist.', {'content-type': 'text/plain'})
    const {stdout, stderr, exitCode} = await runCommand(['logs', '-a', 'nope-default'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: The specified application nope-default does not exist. (HTTP 404)\n')
  })
})
