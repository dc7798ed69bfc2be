import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'

describe('aka config:unset', () => {
  blockNetwork()

  it('sends null for each key in one PATCH and prints the keys it removed', async () => {
    api().patch('/apps/hello-default/config-vars', {GREETING: null, LOG_LEVEL: null}).reply(200, {OTHER: 'x'})
    const {stdout, stderr, exitCode} = await runCommand(['config:unset', 'GREETING', 'LOG_LEVEL', 'GREETING', '-a', 'hello-default'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('Unset GREETING, LOG_LEVEL on ⬢ hello-default.\n')
  })

  it('refuses an invalid key, sending nothing', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['config:unset', 'GREETING', 'GREETING=x', '-a', 'hello-default'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: "GREETING=x" is not a valid config var name; names are letters, digits and _, and do not start with a digit\n')
  })

  it('never takes the app from $AKKERIS_APP, sending nothing', async () => {
    const {stderr, exitCode} = await runCommand(['config:unset', 'GREETING'], {env: {...apiEnv, AKKERIS_APP: 'hello-default'}})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: This command needs the app named with -a APP; it never guesses the app for a destructive change\n')
  })

  it('refuses no keys at all, sending nothing', async () => {
    const {stderr, exitCode} = await runCommand(['config:unset', '-a', 'hello-default'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: Give at least one KEY to unset; for example `aka config:unset GREETING -a APP`\n')
  })
})
