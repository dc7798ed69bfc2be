import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../helpers/api.js'
import {runCommand} from '../helpers/run.js'
import {unexpectedRequests} from './ps/helpers.js'

describe('aka run (against the contract)', () => {
  blockNetwork()
  unexpectedRequests()

  for (const status of [404, 405, 501]) {
    it(`says in one line that an API answering ${status} cannot run one-off dynos, exit 1`, async () => {
      api().post('/apps/shop-prod/dynos', {command: 'node migrate.js', attach: true}).reply(status, '')
      const {stdout, stderr, exitCode} = await runCommand(['run', '-a', 'shop-prod', '--', 'node', 'migrate.js'], {env: apiEnv})
      expect([exitCode, stdout]).to.deep.equal([1, ''])
      expect(stderr).to.equal(`Error: This Akkeris API cannot run one-off dynos (it answered POST /apps/shop-prod/dynos with HTTP ${status}); the local platform (aka local:start) can\n`)
    })
  }

  it('starts a detached one-off with its size and variables, quoting each word of the command', async () => {
    api().get('/sizes').reply(200, [{name: 'gp2'}])
    const dyno = {name: '3', type: 'run', attach_url: '', command: "node -e 'console.log(1)'"}
    api().post('/apps/shop-prod/dynos', {command: "node -e 'console.log(1)'", attach: false, size: 'gp2', env: {BATCH: '50'}}).reply(201, dyno)
    const {stdout, stderr, exitCode} = await runCommand(['run', '-a', 'shop-prod', '--detached', '-s', 'gp2', '-e', 'BATCH=50', '--', 'node', '-e', 'console.log(1)'], {env: apiEnv})
    expect([exitCode, stdout], stderr).to.deep.equal([0, "Running node -e 'console.log(1)' on shop-prod: run.3, detached. Its output: aka logs -a shop-prod\n"])
  })

  it('refuses no command and a bad -e before sending anything, exit 2', async () => {
    expect((await runCommand(['run', '-a', 'shop-prod'], {env: apiEnv})).exitCode).to.equal(2)
    expect((await runCommand(['run', '-a', 'shop-prod', '-e', 'NOEQUALS', 'ls'], {env: apiEnv})).exitCode).to.equal(2)
  })
})
