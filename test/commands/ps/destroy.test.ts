import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {worker} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'
import {unexpectedRequests} from './helpers.js'

const deletedRows = [{formation: worker.id, type: 'worker', deleted: true}]

describe('aka ps:destroy', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()

  for (const flag of ['--confirm', '-c']) {
    it(`looks the type up and deletes it when ${flag} names the app`, async () => {
      api().get('/apps/shop-prod/formation/worker').reply(200, worker)
        .delete('/apps/shop-prod/formation/worker').reply(200, deletedRows)
      const {stdout, stderr, exitCode} = await runCommand(['ps:destroy', 'worker', '-a', 'shop-prod', flag, 'shop-prod'], {env: apiEnv})
      expect(exitCode).to.equal(0)
      expect(stderr).to.equal('')
      expect(stdout).to.equal('Destroyed worker on shop-prod.\n')
    })
  }

  it('asks for the app name on a terminal and deletes once it is typed', async () => {
    api().get('/apps/shop-prod/formation/worker').reply(200, worker)
      .delete('/apps/shop-prod/formation/worker').reply(200, deletedRows)
    const {stdout, stderr, exitCode} = await runCommand(['ps:destroy', 'worker', '-a', 'shop-prod'], {env: apiEnv, tty: true, interact: term => term.type('shop-prod')})
    expect(exitCode).to.equal(0)
    expect(stderr.startsWith('⚠  This deletes the dyno type worker of shop-prod and stops all its dynos.\n')).to.equal(true)
    expect(stderr).to.include('Type shop-prod to confirm:')
    expect(stderr.endsWith('Destroying worker on shop-prod... done\n')).to.equal(true)
    expect(stdout).to.equal('Destroyed worker on shop-prod.\n')
  })

  it('deletes nothing and exits 1 when the typed name does not match', async () => {
    api().get('/apps/shop-prod/formation/worker').reply(200, worker)
    const {stdout, stderr, exitCode} = await runCommand(['ps:destroy', 'worker', '-a', 'shop-prod'], {env: apiEnv, tty: true, interact: term => term.type('shop-dev')})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr.endsWith('Error: Confirmation "shop-dev" did not match shop-prod: nothing was deleted\n')).to.equal(true)
    expect(unexpected).to.deep.equal([])
  })

  it('deletes nothing, sending nothing, when --confirm names another app', async () => {
    const {stderr, exitCode} = await runCommand(['ps:destroy', 'worker', '-a', 'shop-prod', '--confirm', 'shop-dev'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: Confirmation "shop-dev" did not match shop-prod: nothing was deleted\n')
    expect(unexpected).to.deep.equal([])
  })

  it('refuses without a terminal and without --confirm, sending nothing', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['ps:destroy', 'worker', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: Deleting worker of shop-prod needs a confirmation; add --confirm shop-prod\n')
    expect(unexpected).to.deep.equal([])
  })

  it('takes the app from -a only, never from $AKKERIS_APP', async () => {
    const {stderr, exitCode} = await runCommand(['ps:destroy', 'worker', '--confirm', 'shop-prod'], {env: {...apiEnv, AKKERIS_APP: 'shop-prod'}})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: This command needs the app named with -a APP; it never guesses the app for a destructive change\n')
    expect(unexpected).to.deep.equal([])
  })

  it('refuses an unknown type with the app\'s types, exit 2 as every ps command, and deletes nothing', async () => {
    api().get('/apps/shop-prod/formation/clock').reply(404, 'The specified formation clock was not found.')
      .get('/apps/shop-prod/formation').reply(200, [worker])
    const {stderr, exitCode} = await runCommand(['ps:destroy', 'clock', '-a', 'shop-prod', '-c', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: shop-prod has no dyno type clock; its types are: worker\n')
    expect(unexpected).to.deep.equal([])
  })
})
