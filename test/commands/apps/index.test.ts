import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'
import {helloApp, newApp} from './fixtures.js'

describe('aka apps', () => {
  blockNetwork()

  it('prints a table of the apps sorted by name', async () => {
    api().get('/apps').reply(200, [newApp, helloApp])
    const {stdout, stderr, exitCode} = await runCommand(['apps'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal([
      'App            Space    Org    Web URL',
      'hello-default  default  local  http://127.0.0.1:5101',
      'shop-prod      prod     acme   -',
      '',
    ].join('\n'))
  })

  it('says there are none on stderr and prints nothing on stdout', async () => {
    api().get('/apps').reply(200, [])
    const {stdout, stderr, exitCode} = await runCommand(['apps'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('There are no apps yet; create one with `aka apps:create NAME`.\n')
  })

  it('prints the API objects with --json', async () => {
    api().get('/apps').reply(200, [helloApp])
    const {stdout} = await runCommand(['apps', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal([helloApp])
  })

  it('colours the header only when colour is on', async () => {
    api().get('/apps').reply(200, [helloApp])
    const {stdout} = await runCommand(['apps'], {env: apiEnv, tty: true, color: true})
    expect(stdout.split('\n')[0]).to.equal('\u001B[1mApp\u001B[22m            \u001B[1mSpace\u001B[22m    \u001B[1mOrg\u001B[22m    \u001B[1mWeb URL\u001B[22m')
  })
})
