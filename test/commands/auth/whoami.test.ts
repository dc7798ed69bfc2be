import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'

const account = {id: 'u-1', name: 'Alice Example', email: 'alice@example.io', created_at: '2026-01-01T00:00:00Z'}

describe('aka auth:whoami', () => {
  blockNetwork()

  it('prints the name and email of the account', async () => {
    api().get('/account').reply(200, account)
    const {stdout, stderr, exitCode} = await runCommand(['auth:whoami'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('Alice Example (alice@example.io)\n')
  })

  it('prints the account exactly as the API sent it with --json', async () => {
    api().get('/account').reply(200, account)
    const {stdout} = await runCommand(['whoami', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(account)
  })

  it('says how to log in when the token is refused', async () => {
    api().get('/account').reply(401, '')
    const {stdout, stderr, exitCode} = await runCommand(['auth:whoami'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: Not logged in: https://apps.akkeris.test refused the credentials (HTTP 401); run `aka auth:login`, or set API_TOKEN\n')
  })
})
