// One mistake, one answer, in every command: the exit code and the one line (issue 13's list).
import {Config} from '@oclif/core'
import {expect} from 'chai'
import {fileURLToPath} from 'node:url'

import {nearAppNames} from '../../src/cli/app-suggestions.js'
import hook from '../../src/cli/hooks/prerun.js'
import {testTerminal, useTerminal} from '../../src/render/terminal.js'
import {api, apiEnv, blockNetwork} from '../helpers/api.js'
import {shopApp} from '../helpers/fixtures.js'
import {runCommand} from '../helpers/run.js'

describe('one mistake, one answer', () => {
  blockNetwork()

  const run = async (argv: string[]) => {
    const {exitCode, stdout, stderr} = await runCommand(argv, {env: apiEnv})
    return {exitCode, stdout, stderr}
  }

  it('an app that does not exist: the near names are suggested', async () => {
    api().get('/apps/hello/config-vars').reply(404, 'The specified application hello does not exist.')
      .get('/apps').reply(200, [{...shopApp, name: 'hello-default'}, shopApp])
    expect(await run(['config', '-a', 'hello'])).to.deep.equal({
      exitCode: 1, stdout: '', stderr: 'Error: The specified application hello does not exist. (HTTP 404); did you mean hello-default?\n',
    })
  })

  it('an app that does not exist and has no near name: the API\'s line alone', async () => {
    api().get('/apps/zzz/config-vars').reply(404, 'The specified application zzz does not exist.').get('/apps').reply(200, [shopApp])
    expect((await run(['config', '-a', 'zzz'])).stderr).to.equal('Error: The specified application zzz does not exist. (HTTP 404)\n')
  })

  it('near app names: by the app part or by a few letters, three at most', () => {
    const names = ['hello-default', 'hello-staging', 'shop-prod', 'help-default', 'other-default']
    expect(nearAppNames('hello', names)).to.deep.equal(['hello-default', 'hello-staging'])
    expect(nearAppNames('helo', names)).to.deep.equal(['hello-default', 'hello-staging', 'help-default'])
    expect(nearAppNames('shop-prd', names)).to.deep.equal(['shop-prod'])
    expect(nearAppNames('xyz', names)).to.deep.equal([])
    expect(nearAppNames('HELLO-DEFAULT', names), 'in capitals').to.deep.equal(['hello-default', 'help-default'])
  })

  it('logs -n out of range is refused before anything is sent', async () => {
    expect(await run(['logs', '-a', 'shop-prod', '-n', '100000'])).to.deep.equal({
      exitCode: 2, stdout: '', stderr: 'Error: The number of lines must be a whole number from 0 to 10000, not 100000; see `aka logs --help`\n',
    })
  })

  const parseMistakes: Array<[string[], string]> = [
    [['ps', '-a', 'shop-prod', '--bogus'], 'Unknown flag --bogus; see `aka ps --help`'],
    [['ps:scale', 'web=1', '-a', 'shop-prod', '--interval', '3'], '--interval needs --wait; see `aka ps:scale --help`'],
    [['config:set', 'A=1', '-a', 'shop-prod', '--timeout', '3'], '--timeout needs --wait; see `aka config:set --help`'],
    [['ps:update', 'web', '-a', 'shop-prod', '-c', 'x', '-x'], '--command and --removeCommand cannot be used together; see `aka ps:update --help`'],
    [['ps:destroy', '-a', 'shop-prod'], 'Missing TYPE; see `aka ps:destroy --help`'],
    [['ps:sizes', 'extra'], 'Unexpected argument: extra; see `aka ps:sizes --help`'],
    [['ps:create', 'worker', '-q', 'many', '-a', 'shop-prod'], '--quantity: Expected an integer but received: many; see `aka ps:create --help`'],
  ]
  for (const [argv, line] of parseMistakes) {
    it(`${argv.join(' ')}: exit 2 and one line`, async () => {
      expect(await run(argv)).to.deep.equal({exitCode: 2, stdout: '', stderr: `Error: ${line}\n`})
    })
  }

  /** The prerun hook for a plugin command, as oclif calls it: its exit code (undefined when it lets the command run) and stderr. */
  async function prerun(id: string, argv: string[]): Promise<[number | undefined, string]> {
    const config = await Config.load(fileURLToPath(new URL('../..', import.meta.url)))
    const term = testTerminal({})
    useTerminal(term)
    let exitCode: number | undefined
    const context = {exit(code: number): never {
      exitCode = code
      throw new Error('exit')
    }}
    try {
      await hook.call(context as never, {Command: {id} as never, argv, config, context: context as never})
    } catch {
      // the exit above
    } finally {
      useTerminal(undefined)
    }
    return [exitCode, term.err()]
  }

  it('autocomplete with a shell it does not complete: exit 2 and one line', async () => {
    expect(await prerun('autocomplete', ['fish'])).to.deep.equal([2, 'Error: aka completes bash, zsh, powershell, not "fish"; see `aka autocomplete --help`\n'])
  })

  it('help for a command that does not exist: exit 2 and the one line of a mistyped command; a real one or a topic goes on', async () => {
    expect(await prerun('help', ['pss'])).to.deep.equal([2, 'Error: "pss" is not an aka command. Did you mean "ps"? Run aka help for the list.\n'])
    for (const argv of [['ps:scale'], ['ps', 'scale'], ['ps'], [], ['--all']]) expect(await prerun('help', argv), argv.join(' ')).to.deep.equal([undefined, ''])
  })
})
