import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {dyno, runningWeb, webWithHealthcheck, worker} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'
import {appInfo, fakeClock, unexpectedRequests} from './helpers.js'

describe('aka ps:restart', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()
  fakeClock()

  it('restarts every dyno with no look-up first', async () => {
    api().delete('/apps/shop-prod/dynos').reply(202, {status: 'pending'})
    const {stdout, stderr, exitCode} = await runCommand(['ps:restart', '-a', 'shop-prod'], {env: apiEnv, tty: true})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('Restarting every dyno of shop-prod... done\n')
    expect(stdout).to.equal('Every dyno of shop-prod is replaced by a new one (rolling).\n')
  })

  it('restarts one type, lower-cased, once the formation has it (hidden alias restart)', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck, worker])
      .delete('/apps/shop-prod/dynos/web').reply(202, {status: 'pending', type: 'web'})
    const {stdout} = await runCommand(['restart', 'WEB', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout).to.equal('The web dynos of shop-prod are replaced by new ones (rolling).\n')
  })

  it('restarts one dyno once the dynos list has it, and prints the reply with --json', async () => {
    const reply = {status: 'pending', type: 'web', dyno: '6df6bc55c4-ldt45'}
    api().get('/apps/shop-prod/dynos').reply(200, runningWeb)
      .delete('/apps/shop-prod/dynos/web.6df6bc55c4-ldt45').reply(202, reply)
    const {stdout} = await runCommand(['ps:restart', 'web.6DF6BC55C4-LDT45', '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(reply)
  })

  it('refuses a type that the formation lacks, sending no DELETE', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck, worker])
    const {stderr, exitCode} = await runCommand(['ps:restart', 'clock', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: shop-prod has no dyno type clock; its types are: web, worker\n')
    expect(unexpected).to.deep.equal([])
  })

  it('refuses a dyno that does not run, listing those of its type, sending no DELETE', async () => {
    api().get('/apps/shop-prod/dynos').reply(200, runningWeb)
    const {stderr, exitCode} = await runCommand(['ps:restart', 'web.0000000000-zzzzz', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: shop-prod has no dyno web.0000000000-zzzzz; its web dynos are: web.6df6bc55c4-ldt45, web.6df6bc55c4-x9k2p\n')
    expect(unexpected).to.deep.equal([])
  })

  it('refuses a malformed reference before sending anything', async () => {
    const {stderr, exitCode} = await runCommand(['ps:restart', 'web.', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: "web." names no dyno: expected TYPE.NAME, e.g. web.6df6bc55c4-ldt45\n')
    expect(unexpected).to.deep.equal([])
  })

  it('shows a server error as one line and exits 1', async () => {
    api().delete('/apps/shop-prod/dynos').reply(503, 'Service Unavailable Error')
    const {stderr, exitCode} = await runCommand(['ps:restart', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: Service Unavailable Error (HTTP 503)\n')
  })

  it('with --wait, waits until every dyno of the type has been replaced by a ready one', async () => {
    const fresh = [dyno({type: 'web', name: '7aa7aa7aa7-aaaaa'}), dyno({type: 'web', name: '7aa7aa7aa7-bbbbb'})]
    api().get('/apps/shop-prod/dynos').reply(200, runningWeb)
      .get('/apps/shop-prod').reply(200, appInfo())
      .get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck])
      .delete('/apps/shop-prod/dynos/web').reply(202, {status: 'pending', type: 'web'})
      .get('/apps/shop-prod/formation').times(3).reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, runningWeb)
      .get('/apps/shop-prod/dynos').reply(200, [fresh[0], runningWeb[1]])
      .get('/apps/shop-prod/dynos').reply(200, fresh)
      .get('/apps/shop-prod').times(3).reply(200, appInfo())
    const {stdout, stderr, exitCode} = await runCommand(['ps:restart', 'web', '-a', 'shop-prod', '--wait'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal([
      'Waiting for shop-prod: web 0/2 ready (2 old)',
      'Waiting for shop-prod: web 1/2 ready (1 old)',
      'Waiting for shop-prod: web 2/2',
      '',
    ].join('\n'))
    expect(stdout).to.equal('The web dynos of shop-prod are replaced by new ones (rolling).\nshop-prod is ready: web 2/2.\n')
  })

  it('with --wait on one dyno, waits only for that dyno to be replaced', async () => {
    const [kept, replaced] = runningWeb
    const fresh = dyno({type: 'web', name: '6df6bc55c4-new01'})
    api().get('/apps/shop-prod/dynos').reply(200, runningWeb)
      .get('/apps/shop-prod').reply(200, appInfo())
      .delete(`/apps/shop-prod/dynos/web.${replaced.name}`).reply(202, {status: 'pending', type: 'web', dyno: replaced.name})
      .get('/apps/shop-prod/formation').twice().reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, [kept, {...replaced, state: 'stopping', ready: false}])
      .get('/apps/shop-prod/dynos').reply(200, [kept, fresh])
      .get('/apps/shop-prod').twice().reply(200, appInfo())
    const {stdout, exitCode} = await runCommand(['ps:restart', `web.${replaced.name}`, '-a', 'shop-prod', '--wait'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(`web.${replaced.name} of shop-prod is replaced by a new dyno.\nshop-prod is ready: web 2/2.\n`)
  })
})
