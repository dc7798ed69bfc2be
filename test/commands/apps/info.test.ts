import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'
import {failedRolloutApp, helloApp, newApp} from './fixtures.js'

describe('aka apps:info', () => {
  blockNetwork()

  it('prints the app, its URL, release time and formation as ps:scale pairs', async () => {
    api().get('/apps/hello-default').reply(200, helloApp)
    const {stdout, stderr, exitCode} = await runCommand(['apps:info', '-a', 'hello-default'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal([
      '=== ⬢ hello-default',
      'Space:       default',
      'Org:         local',
      'Web URL:     http://127.0.0.1:5101',
      'Released at: 2026-11-02T09:30:00Z',
      'Formation:   web=1:gp1 worker=0:gp1',
      '',
    ].join('\n'))
  })

  it('says what an app that was never deployed lacks', async () => {
    api().get('/apps/shop-prod').reply(200, newApp)
    const {stdout} = await runCommand(['apps:info', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout).to.equal([
      '=== ⬢ shop-prod',
      'Space:       prod',
      'Org:         acme',
      'Web URL:     none (no web dyno type yet)',
      'Released at: never',
      'Formation:   none',
      '',
    ].join('\n'))
  })

  it('shows the last deployment and why it failed', async () => {
    api().get('/apps/hello-default').reply(200, failedRolloutApp)
    const {stdout} = await runCommand(['apps:info', '-a', 'hello-default'], {env: apiEnv})
    expect(stdout.split('\n').at(-2)).to.equal('Deployment:  failed (web.3f2a9c1b7e-k2j4x crashed)')
  })

  it('prints the API object with --json', async () => {
    api().get('/apps/hello-default').reply(200, failedRolloutApp)
    const {stdout} = await runCommand(['apps:info', '-a', 'hello-default', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(failedRolloutApp)
  })

  it('takes the app from $AKKERIS_APP and says so on stderr', async () => {
    api().get('/apps/hello-default').reply(200, helloApp)
    const {stdout, stderr} = await runCommand(['apps:info', '--json'], {env: {...apiEnv, AKKERIS_APP: 'hello-default'}})
    expect(stderr).to.equal('Using ⬢ hello-default from $AKKERIS_APP\n')
    expect(JSON.parse(stdout)).to.deep.equal(helloApp)
  })

  it('says one line and exits 1 for an unknown app', async () => {
    api().get('/apps/nope-prod').reply(404, 'The specified application nope-prod does not exist.', {'content-type': 'text/plain'})
    const {stdout, stderr, exitCode} = await runCommand(['apps:info', '-a', 'nope-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: The specified application nope-prod does not exist. (HTTP 404)\n')
  })
})
