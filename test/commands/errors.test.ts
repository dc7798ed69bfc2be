import {Config} from '@oclif/core'
import {expect} from 'chai'
import {createServer} from 'node:net'
import {fileURLToPath} from 'node:url'
import nock from 'nock'

import {closestCommand} from '../../src/cli/hooks/command-not-found.js'
import {testTerminal, useTerminal} from '../../src/render/terminal.js'
import {api, apiEnv, blockNetwork, TOKEN} from '../helpers/api.js'
import {runningWeb, shopApp, webWithHealthcheck} from '../helpers/fixtures.js'
import {runCommand} from '../helpers/run.js'

/** `aka ps -a shop-prod` where the formation request gets `reply` and the dynos and app requests succeed. */
async function psWith(reply: (scope: nock.Interceptor) => nock.Scope, env: Record<string, string> = {}) {
  reply(api().get('/apps/shop-prod/formation'))
  api().get('/apps/shop-prod/dynos').reply(200, []).get('/apps/shop-prod').reply(200, shopApp)
  return runCommand(['ps', '-a', 'shop-prod'], {env: {...apiEnv, ...env}})
}

/** A port on 127.0.0.1 where nothing listens: opened, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise(resolve => server.close(resolve))
  return port
}

describe('errors: one stderr line and an exit code', () => {
  blockNetwork()

  const cases: [string, (scope: nock.Interceptor) => nock.Scope, string][] = [
    ['401 with an empty body', scope => scope.reply(401, ''), 'Not logged in: https://apps.akkeris.test refused the credentials (HTTP 401); run `aka auth:login`, or set API_TOKEN'],
    ['403 Forbidden', scope => scope.reply(403, 'Forbidden', {'content-type': 'text/plain'}), 'Not permitted: Forbidden (HTTP 403)'],
    ['404 in plain text', scope => scope.reply(404, 'The specified application shop-prod does not exist.', {'content-type': 'application/json'}), 'The specified application shop-prod does not exist. (HTTP 404)'],
    ['422 with a JSON {message} body', scope => scope.reply(422, {message: 'The size gp9 is not available.', code: 422}), 'The size gp9 is not available. (HTTP 422)'],
    ['500 Internal Server Error', scope => scope.reply(500, 'Internal Server Error'), 'Internal Server Error (HTTP 500)'],
    ['a success body that is not JSON', scope => scope.reply(200, '<html>login page</html>', {'content-type': 'text/html'}), 'https://apps.akkeris.test answered GET /apps/shop-prod/formation with a body that is not JSON; check that AKKERIS_API_HOST points at an Akkeris API'],
  ]
  for (const [name, reply, line] of cases) {
    it(`${name}: exit 1`, async () => {
      const {stdout, stderr, exitCode} = await psWith(reply)
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr).to.equal(`Error: ${line}\n`)
    })
  }

  it('a timeout: exit 1', async () => {
    const {stderr, exitCode} = await psWith(scope => scope.delay(2000).reply(200, [webWithHealthcheck]), {AKKERIS_API_TIMEOUT: '0.05'})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: No answer from https://apps.akkeris.test within 0.05 s; set AKKERIS_API_TIMEOUT (seconds) to wait longer\n')
  })

  describe('a refused connection', () => {
    before(() => nock.enableNetConnect('127.0.0.1'))
    after(() => nock.disableNetConnect())

    it('exit 1, naming the host', async () => {
      const port = await closedPort()
      const {stdout, stderr, exitCode} = await runCommand(['ps', '-a', 'shop-prod'], {env: {...apiEnv, AKKERIS_API_HOST: `http://127.0.0.1:${port}`}})
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr).to.equal(`Error: Could not connect to http://127.0.0.1:${port}: connection refused; check AKKERIS_API_HOST or ~/.akkeris/config.json (\`aka auth:profile\`)\n`)
    })
  })

  it('an unknown flag: exit 2, one line, nothing sent', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['ps', '-a', 'shop-prod', '--bogus'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: Unknown flag --bogus; see `aka ps --help`\n')
  })

  it('shows the stack only with DEBUG=aka', async () => {
    const quiet = await psWith(scope => scope.reply(500, 'Internal Server Error'))
    expect(quiet.stderr.split('\n')).to.have.length(2)
    const debug = await psWith(scope => scope.reply(500, 'Internal Server Error'), {DEBUG: 'aka'})
    expect(debug.stderr).to.match(/^(aka [^\n]+\n)*Error: Internal Server Error \(HTTP 500\)\nApiError: Internal Server Error \(HTTP 500\)\n\s+at /)
  })
})

describe('DEBUG=aka', () => {
  blockNetwork()

  it('logs each request with its status and time to stderr, and never the token', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, runningWeb)
      .get('/apps/shop-prod').reply(200, shopApp)
    const {stdout, stderr, exitCode} = await runCommand(['ps', '-a', 'shop-prod'], {env: {...apiEnv, DEBUG: 'aka'}})
    expect(exitCode).to.equal(0)
    const lines = stderr.trimEnd().split('\n').sort()
    expect(lines).to.have.length(3)
    expect(lines[0]).to.match(/^aka GET https:\/\/apps\.akkeris\.test\/apps\/shop-prod 200 \d+ms$/)
    expect(lines[1]).to.match(/^aka GET https:\/\/apps\.akkeris\.test\/apps\/shop-prod\/dynos 200 \d+ms$/)
    expect(lines[2]).to.match(/^aka GET https:\/\/apps\.akkeris\.test\/apps\/shop-prod\/formation 200 \d+ms$/)
    expect(stdout + stderr).not.to.include(TOKEN)
  })
})

describe('colour', () => {
  blockNetwork()

  const psOn = async (options: {tty: boolean, env?: Record<string, string>}) => {
    const {colorWanted} = await import('../../src/render/terminal.js')
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, runningWeb)
      .get('/apps/shop-prod').reply(200, shopApp)
    const env = {...apiEnv, ...options.env}
    return (await runCommand(['ps', '-a', 'shop-prod'], {env, tty: options.tty, color: colorWanted(env, options.tty)})).stdout
  }
  // eslint-disable-next-line no-control-regex
  const ansi = /\u001B\[/

  it('is on for a terminal', async () => {
    expect(await psOn({tty: true})).to.match(ansi)
  })

  it('is off when piped, or with NO_COLOR', async () => {
    expect(await psOn({tty: false})).not.to.match(ansi)
    expect(await psOn({tty: true, env: {NO_COLOR: '1'}})).not.to.match(ansi)
  })

  it('is forced on by FORCE_COLOR, even piped', async () => {
    expect(await psOn({tty: false, env: {FORCE_COLOR: '1'}})).to.match(ansi)
  })
})

describe('a mistyped command', () => {
  let config: Config

  before(async () => {
    config = await Config.load(fileURLToPath(new URL('../..', import.meta.url)))
  })

  const run = async (id: string) => {
    const term = testTerminal()
    useTerminal(term)
    try {
      await config.runCommand(id, [])
      return {exitCode: 0, stderr: term.err()}
    } catch (error) {
      return {exitCode: (error as {oclif?: {exit?: number}}).oclif?.exit, stderr: term.err()}
    } finally {
      useTerminal(undefined)
    }
  }

  it('suggests the closest command on one line and exits 2', async () => {
    expect(await run('pss')).to.deep.equal({exitCode: 2, stderr: 'Error: "pss" is not an aka command. Did you mean "ps"? Run aka help for the list.\n'})
  })

  it('suggests nothing when no command is close', async () => {
    expect(await run('xyzzy')).to.deep.equal({exitCode: 2, stderr: 'Error: "xyzzy" is not an aka command. Run aka help for the list.\n'})
  })

  it('picks the nearest id by edit distance, within a third of the typed length', () => {
    const ids = ['ps', 'ps:scale', 'ps:sizes', 'auth:login', 'auth:logout']
    expect(closestCommand('auth:logn', ids)).to.equal('auth:login')
    expect(closestCommand('ps:sclae', ids)).to.equal('ps:scale')
    expect(closestCommand('PS:SIZES', ids)).to.equal('ps:sizes')
    expect(closestCommand('deploy', ids)).to.equal(undefined)
  })
})
