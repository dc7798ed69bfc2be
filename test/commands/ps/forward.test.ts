import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {dyno, runningWeb, webWithHealthcheck} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'
import {appInfo, fakeClock, unexpectedRequests} from './helpers.js'

describe('aka ps:forward', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()
  fakeClock()

  it('checks the app has web, then sends the port', async () => {
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .get('/apps/shop-prod').reply(200, appInfo())
      .patch('/apps/shop-prod/formation/web', {port: 8080}).reply(200, {...webWithHealthcheck, port: 8080})
    const {stdout, stderr, exitCode} = await runCommand(['ps:forward', '8080', '-a', 'shop-prod'], {env: apiEnv, tty: true})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('Forwarding web traffic of shop-prod to port 8080... done\n')
    expect(stdout).to.equal('Web traffic of shop-prod now goes to port 8080.\n')
  })

  it('answers to the hidden alias forward and prints the reply with --json', async () => {
    const reply = {...webWithHealthcheck, port: 8080}
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .get('/apps/shop-prod').reply(200, appInfo())
      .patch('/apps/shop-prod/formation/web', {port: 8080}).reply(200, reply)
    const {stdout} = await runCommand(['forward', '8080', '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(reply)
  })

  for (const port of ['80', '65536', 'http', '8080.5']) {
    it(`refuses the port ${port} before sending anything`, async () => {
      const {stderr, exitCode} = await runCommand(['ps:forward', port, '-a', 'shop-prod'], {env: apiEnv})
      expect(exitCode).to.equal(2)
      const shown = /^\d+$/.test(port) ? port : `"${port}"`
      expect(stderr).to.equal(`Error: The specified port is invalid, it must be a number between 1024 and 65535, not ${shown}.\n`)
      expect(unexpected).to.deep.equal([])
    })
  }

  it('refuses an app without a web type, sending no PATCH', async () => {
    api().get('/apps/shop-prod/formation/web').reply(404, 'The specified formation web was not found.')
      .get('/apps/shop-prod').reply(200, appInfo())
      .get('/apps/shop-prod/formation').reply(200, [])
    const {stderr, exitCode} = await runCommand(['ps:forward', '8080', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: shop-prod has no dyno type web; its types are: none\n')
    expect(unexpected).to.deep.equal([])
  })

  it('with --wait, waits for web dynos that replace the old ones', async () => {
    const fresh = [dyno({type: 'web', name: '8bb8bb8bb8-aaaaa'}), dyno({type: 'web', name: '8bb8bb8bb8-bbbbb'})]
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .get('/apps/shop-prod').reply(200, appInfo())
      .get('/apps/shop-prod/dynos').reply(200, runningWeb)
      .get('/apps/shop-prod').reply(200, appInfo())
      .patch('/apps/shop-prod/formation/web', {port: 8080}).reply(200, webWithHealthcheck)
      .get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, fresh)
      .get('/apps/shop-prod').reply(200, appInfo())
    const {stdout, exitCode} = await runCommand(['ps:forward', '8080', '-a', 'shop-prod', '--wait'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Web traffic of shop-prod now goes to port 8080.\nshop-prod is ready: web 2/2.\n')
  })

  it('is refused on the local platform (exit 2), naming the app\'s URL, with nothing changed', async () => {
    api().get('/apps/shop-default/formation/web').reply(200, webWithHealthcheck)
      .get('/apps/shop-default').reply(200, {...appInfo({state: 'succeeded'}), name: 'shop-default', web_url: 'http://127.0.0.1:5001'})
    const {stdout, stderr, exitCode} = await runCommand(['ps:forward', '8081', '-a', 'shop-default', '--wait'], {env: apiEnv})
    expect([exitCode, stdout]).to.deep.equal([2, ''])
    expect(stderr).to.equal("Error: ps:forward changes nothing on the local platform: each web dyno there gets its own $PORT, and the app's URL " +
      '(http://127.0.0.1:5001) is the way in; `aka apps:info -a shop-default` shows the URL\n')
    expect(unexpected).to.deep.equal([])
  })

  it('goes ahead when the app cannot be read (a controller whose region is down)', async () => {
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .get('/apps/shop-prod').reply(503, 'Service Unavailable')
      .patch('/apps/shop-prod/formation/web', {port: 8080}).reply(200, {...webWithHealthcheck, port: 8080})
    expect((await runCommand(['ps:forward', '8080', '-a', 'shop-prod'], {env: apiEnv})).exitCode).to.equal(0)
  })
})
