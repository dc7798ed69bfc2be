import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {runningWeb} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'
import {unexpectedRequests} from './helpers.js'

describe('aka ps:stop', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()

  it('checks the dyno runs, then deletes it lower-cased as aka 3.x did', async () => {
    api().get('/apps/shop-prod/dynos').reply(200, runningWeb)
      .delete('/apps/shop-prod/dynos/web.6df6bc55c4-ldt45').reply(202, {status: 'pending', type: 'web', dyno: '6df6bc55c4-ldt45'})
    const {stdout, stderr, exitCode} = await runCommand(['ps:stop', 'Web.6df6bc55c4-LDT45', '-a', 'shop-prod'], {env: apiEnv, tty: true})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('Stopping web.6df6bc55c4-ldt45 of shop-prod... done\n')
    expect(stdout).to.equal('Stopping web.6df6bc55c4-ldt45 of shop-prod; a new dyno replaces it.\n')
  })

  it('prints the reply with --json', async () => {
    const reply = {status: 'pending', type: 'web', dyno: '6df6bc55c4-ldt45'}
    api().get('/apps/shop-prod/dynos').reply(200, runningWeb)
      .delete('/apps/shop-prod/dynos/web.6df6bc55c4-ldt45').reply(202, reply)
    const {stdout} = await runCommand(['ps:stop', 'web.6df6bc55c4-ldt45', '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(reply)
  })

  it('refuses a type without a dyno name before sending anything', async () => {
    const {stderr, exitCode} = await runCommand(['ps:stop', 'web', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: "web" names no dyno: expected TYPE.NAME, e.g. web.6df6bc55c4-ldt45; `aka ps -a APP` lists the dynos\n')
    expect(unexpected).to.deep.equal([])
  })

  it('refuses a dyno that does not run, sending no DELETE', async () => {
    api().get('/apps/shop-prod/dynos').reply(200, runningWeb)
    const {stderr, exitCode} = await runCommand(['ps:stop', 'worker.5555555555-zzzzz', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: shop-prod has no dyno worker.5555555555-zzzzz; it has no worker dynos\n')
    expect(unexpected).to.deep.equal([])
  })

  it('shows a 404 for the app as one line and exits 1', async () => {
    api().get('/apps/nope-prod/dynos').reply(404, 'The specified application nope-prod does not exist.')
    const {stderr, exitCode} = await runCommand(['ps:stop', 'web.6df6bc55c4-ldt45', '-a', 'nope-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: The specified application nope-prod does not exist. (HTTP 404)\n')
  })
})
