// Values that can never run are refused before any request is sent (exit 2), in every command
// that takes them, with the meaning the platform's 422 has (issue 9, defects 1 and 11).
import {expect} from 'chai'

import {apiEnv, blockNetwork} from '../helpers/api.js'
import {runCommand} from '../helpers/run.js'
import {unexpectedRequests} from './ps/helpers.js'

const LONG_TYPE = 'w'.repeat(10_000)
const HUGE = 'x'.repeat(128 * 1024)
const SECRET = 'hunter2'

describe('values that can never run, refused by the CLI before sending', () => {
  blockNetwork()
  unexpectedRequests()

  async function refused(argv: string[], message: string): Promise<void> {
    const {stdout, stderr, exitCode} = await runCommand([...argv, '-a', 'shop-prod'], {env: apiEnv})
    expect({exitCode, stdout, stderr}, argv.join(' ').slice(0, 120)).to.deep.equal({exitCode: 2, stdout: '', stderr: `Error: ${message}\n`})
  }

  const badPaths = ['/health check', '/health\tcheck', '/health\0', '/?a=b c', '/h\u0100', '/caf\u00e9']
  const pathMessage = 'The healthcheck specified was invalid, it must be a path of visible ASCII characters without spaces (percent-encode any other, e.g. %20).'

  for (const command of ['ps:create', 'ps:update']) {
    it(`${command}: a healthcheck http.request cannot send`, async () => {
      for (const path of badPaths) await refused([command, 'web', '-h', path], pathMessage)
      await refused([command, 'web', '-h', `/${'a'.repeat(1024)}`], 'The healthcheck specified was invalid, it must be at most 1024 characters long.')
    })

    it(`${command}: a command with NUL or beyond the argument limit`, async () => {
      await refused([command, 'worker', '-c', 'node\0worker.js'], 'The command specified was invalid, it cannot contain a NUL character.')
      await refused([command, 'worker', '-c', HUGE], 'The command specified was invalid, it must be at most 130048 bytes long.')
    })

    it(`${command}: a type of 10,000 characters, without echoing it`, async () => {
      await refused([command, LONG_TYPE, '-c', 'node w.js'], 'The type specified was invalid, it must be at most 63 characters long.')
    })
  }

  it('ps:scale, ps:destroy, ps:restart: a type of 10,000 characters', async () => {
    const message = 'The type specified was invalid, it must be at most 63 characters long.'
    await refused(['ps:scale', `${LONG_TYPE}=1`], message)
    await refused(['ps:destroy', LONG_TYPE, '--confirm', 'shop-prod'], message)
    await refused(['ps:restart', LONG_TYPE], message)
    await refused(['ps:restart', `${LONG_TYPE}.abc-def`], message)
  })

  it('config:set: a value with NUL, without echoing it', async () => {
    await refused(['config:set', `DB_PASSWORD=${SECRET}\0`], 'The value of the config var DB_PASSWORD is invalid, it cannot contain a NUL character.')
  })

  it('config:set: a var beyond the environment string limit, and vars beyond the environment', async () => {
    await refused(['config:set', `BIG=${HUGE}`], 'The config var BIG is too large, its name and value must take at most 130048 bytes together.')
    const five = Array.from({length: 5}, (_, index) => `V${index}=${'x'.repeat(120 * 1024)}`)
    await refused(['config:set', ...five], 'The config vars are too large, together they must take at most 524288 bytes.')
  })

  it('config:set: a bad name is named without its value', async () => {
    await refused(['config:set', `MY-PASSWORD=${SECRET}`], '"MY-PASSWORD" is not a valid config var name; names are letters, digits and _, and do not start with a digit')
  })
})
