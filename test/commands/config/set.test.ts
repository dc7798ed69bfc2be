import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'

describe('aka config:set', () => {
  blockNetwork()

  it('sends every pair in one PATCH and prints the keys it set', async () => {
    api().patch('/apps/hello-default/config-vars', {GREETING: 'hello world', LOG_LEVEL: 'debug'})
      .reply(200, {GREETING: 'hello world', LOG_LEVEL: 'debug', OTHER: 'x'})
    const {stdout, stderr, exitCode} = await runCommand(['config:set', 'GREETING=hello world', 'LOG_LEVEL=debug', '-a', 'hello-default'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('Set GREETING, LOG_LEVEL on ⬢ hello-default.\n')
  })

  it('splits at the first = only, and accepts an empty value', async () => {
    api().patch('/apps/hello-default/config-vars', {DATABASE_URL: 'postgres://db/app?sslmode=require&a=b', EMPTY: ''}).reply(200, {})
    const {stdout} = await runCommand(['config:set', 'DATABASE_URL=postgres://db/app?sslmode=require&a=b', 'EMPTY=', '-a', 'hello-default'], {env: apiEnv})
    expect(stdout).to.equal('Set DATABASE_URL, EMPTY on ⬢ hello-default.\n')
  })

  it('shows its progress on a terminal', async () => {
    api().patch('/apps/hello-default/config-vars', {GREETING: 'hi'}).reply(200, {GREETING: 'hi'})
    const {stderr} = await runCommand(['config:set', 'GREETING=hi', '-a', 'hello-default'], {env: apiEnv, tty: true})
    expect(stderr).to.equal('Setting config vars on ⬢ hello-default... done\n')
  })

  for (const [bad, message] of [
    ['GREETING', 'Error: "GREETING" is not KEY=VALUE; to set an empty value write KEY=\n'],
    ['=hello', 'Error: "" is not a valid config var name; names are letters, digits and _, and do not start with a digit\n'],
    ['1ST=x', 'Error: "1ST" is not a valid config var name; names are letters, digits and _, and do not start with a digit\n'],
    ['MY-KEY=x', 'Error: "MY-KEY" is not a valid config var name; names are letters, digits and _, and do not start with a digit\n'],
  ]) {
    it(`refuses ${bad} among good pairs, sending nothing`, async () => {
      const {stdout, stderr, exitCode} = await runCommand(['config:set', 'GOOD=1', bad, '-a', 'hello-default'], {env: apiEnv})
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr).to.equal(message)
    })
  }

  it('refuses no pairs at all, sending nothing', async () => {
    const {stderr, exitCode} = await runCommand(['config:set', '-a', 'hello-default'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: Give at least one KEY=VALUE; for example `aka config:set GREETING=hello -a APP`\n')
  })

  it("shows the server's refusal in one line and exits 1", async () => {
    api().patch('/apps/nope-default/config-vars', {A: '1'}).reply(404, 'The specified application nope-default does not exist.', {'content-type': 'text/plain'})
    const {stdout, stderr, exitCode} = await runCommand(['config:set', 'A=1', '-a', 'nope-default'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: The specified application nope-default does not exist. (HTTP 404)\n')
  })
})
