import {expect} from 'chai'
import {PassThrough, Readable} from 'node:stream'

import {api, apiEnv, blockNetwork} from '../helpers/api.js'
import {formation} from '../helpers/fixtures.js'
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
    expect({stderr, exitCode}).to.deep.equal({stderr: 'Error: The log stream of hello-default ended: the server ended it; run `aka logs -t -a hello-default` again to keep following\n', exitCode: 1})
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
    expect(stderr).to.equal('Error: The number of lines must be a whole number from 0 to 10000, not -1; see `aka logs --help`\n')
  })

  it("shows the server's refusal in one line and exits 1", async () => {
    api().get('/apps/nope-default/logs').query({lines: '100', tail: 'false'}).reply(404, 'The specified application nope-default does not exist.', {'content-type': 'text/plain'})
    const {stdout, stderr, exitCode} = await runCommand(['logs', '-a', 'nope-default'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: The specified application nope-default does not exist. (HTTP 404)\n')
  })

  describe('filters and formats', () => {
    const mixed = [
      '2026-11-02T09:30:01Z platform[web.3f2a9c1b7e-k2j4x]: Starting process with command `node web.js`\n',
      '2026-11-02T09:30:01Z web.3f2a9c1b7e-k2j4x: listening on 5101\n',
      '2026-11-02T09:30:02Z platform[web]: Deployment of release v2 failed: web.3f2a9c1b7e-k2j4x crashed (exited with code 1)\n',
    ]

    it('sends -d and -s as query parameters, for the platform to filter', async () => {
      api().get('/apps/hello-default/formation/web').reply(200, formation({type: 'web'}))
        .get('/apps/hello-default/logs').query({lines: '100', tail: 'false', dyno: 'web', source: 'platform'}).reply(200, () => Readable.from([mixed[0], mixed[2]]), {'content-type': 'text/plain'})
      const {stdout, exitCode} = await runCommand(['logs', '-a', 'hello-default', '-d', 'web', '-s', 'platform'], {env: apiEnv})
      expect({stdout, exitCode}).to.deep.equal({stdout: mixed[0] + mixed[2], exitCode: 0})
    })

    it('takes one dyno with --dyno TYPE.NAME, of a type the app has (the dyno may no longer run)', async () => {
      api().get('/apps/hello-default/formation/web').reply(200, formation({type: 'web'}))
        .get('/apps/hello-default/logs').query({lines: '100', tail: 'false', dyno: 'web.3f2a9c1b7e-k2j4x'}).reply(200, () => Readable.from(mixed.slice(0, 2)), {'content-type': 'text/plain'})
      const {exitCode} = await runCommand(['logs', '-a', 'hello-default', '--dyno', 'web.3f2a9c1b7e-k2j4x'], {env: apiEnv})
      expect(exitCode).to.equal(0)
    })

    it('prints one JSON object a line with --json, even when a line arrives in pieces', async () => {
      const text = mixed.join('')
      api().get('/apps/hello-default/logs').query({lines: '100', tail: 'false'}).reply(200, () => Readable.from([text.slice(0, 30), text.slice(30, 100), text.slice(100)]), {'content-type': 'text/plain'})
      const {stdout, exitCode} = await runCommand(['logs', '-a', 'hello-default', '--json'], {env: apiEnv})
      expect(exitCode).to.equal(0)
      expect(stdout.trimEnd().split('\n').map(line => JSON.parse(line) as unknown)).to.deep.equal([
        {time: '2026-11-02T09:30:01Z', source: 'platform', dyno: 'web.3f2a9c1b7e-k2j4x', line: 'Starting process with command `node web.js`'},
        {time: '2026-11-02T09:30:01Z', source: 'app', dyno: 'web.3f2a9c1b7e-k2j4x', line: 'listening on 5101'},
        {time: '2026-11-02T09:30:02Z', source: 'platform', dyno: 'web', line: 'Deployment of release v2 failed: web.3f2a9c1b7e-k2j4x crashed (exited with code 1)'},
      ])
    })

    it('colours each source on a terminal, and not with NO_COLOR', async () => {
      api().get('/apps/hello-default/logs').query({lines: '100', tail: 'false'}).reply(200, () => Readable.from(mixed), {'content-type': 'text/plain'})
      const coloured = await runCommand(['logs', '-a', 'hello-default'], {env: apiEnv, tty: true, color: true})
      expect(coloured.stdout).to.include('\u001B[35mplatform[web.3f2a9c1b7e-k2j4x]\u001B[39m: Starting process')
      expect(coloured.stdout).to.include('\u001B[36mweb.3f2a9c1b7e-k2j4x\u001B[39m: listening on 5101')
      api().get('/apps/hello-default/logs').query({lines: '100', tail: 'false'}).reply(200, () => Readable.from(mixed), {'content-type': 'text/plain'})
      const plain = await runCommand(['logs', '-a', 'hello-default'], {env: apiEnv, tty: true, color: false})
      expect(plain.stdout).to.equal(mixed.join(''))
    })

    for (const [args, line] of [
      [['-d', 'Web'], 'Error: The dyno filter must be a dyno type such as web, or one dyno such as web.abc12-3def4.\n'],
      [['-d', 'web.'], 'Error: The dyno filter must be a dyno type such as web, or one dyno such as web.abc12-3def4.\n'],
    ] as const) {
      it(`refuses ${args.join(' ')} with exit 2, sending nothing`, async () => {
        const {stdout, stderr, exitCode} = await runCommand(['logs', '-a', 'hello-default', ...args], {env: apiEnv})
        expect({stdout, stderr, exitCode}).to.deep.equal({stdout: '', stderr: line, exitCode: 2})
      })
    }

    it('refuses a dyno type the app does not have with exit 2 and the app\'s types, as every ps command, reading no log', async () => {
      api().get('/apps/hello-default/formation/wbe').times(2).reply(404, {code: 404, message: 'The specified formation wbe was not found.'})
        .get('/apps/hello-default/formation').times(2).reply(200, [formation({type: 'web'}), formation({type: 'worker'})])
      for (const dyno of ['wbe', 'wbe.3f2a9c1b7e-k2j4x']) {
        const {stdout, stderr, exitCode} = await runCommand(['logs', '-a', 'hello-default', '-d', dyno], {env: apiEnv})
        expect({stdout, stderr, exitCode}, dyno).to.deep.equal({stdout: '', stderr: 'Error: hello-default has no dyno type wbe; its types are: web, worker\n', exitCode: 2})
      }
    })

    it('asks no formation for the one-off type run', async () => {
      api().get('/apps/hello-default/logs').query({lines: '100', tail: 'false', dyno: 'run.1'}).reply(200, () => Readable.from([]), {'content-type': 'text/plain'})
      const {exitCode} = await runCommand(['logs', '-a', 'hello-default', '-d', 'run.1'], {env: apiEnv})
      expect(exitCode).to.equal(0)
    })

    it('refuses an unknown -s with exit 2, sending nothing', async () => {
      const {stdout, stderr, exitCode} = await runCommand(['logs', '-a', 'hello-default', '-s', 'router'], {env: apiEnv})
      expect({stdout, exitCode}).to.deep.equal({stdout: '', exitCode: 2})
      expect(stderr.split('\n')).to.have.length(2)
      expect(stderr).to.include('router')
    })
  })
})
