import {expect} from 'chai'

import type {Dyno} from '../../../src/api/types.js'
import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {dyno, formation, webWithHealthcheck, worker} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'
import {appInfo, fakeClock, unexpectedRequests} from './helpers.js'

const web = (name: string, overrides: Partial<Dyno> = {}) => dyno({type: 'web', name, ...overrides})
const workerDyno = dyno({type: 'worker', name: '5555555555-zzzzz'})

/** One poll: the formation, the dynos and the app, as the wait loop asks for them. */
function poll(dynos: Dyno[], app = appInfo(), formations = [webWithHealthcheck, worker]) {
  api().get('/apps/shop-prod/formation').reply(200, formations)
    .get('/apps/shop-prod/dynos').reply(200, dynos)
    .get('/apps/shop-prod').reply(200, app)
}

describe('aka ps:wait', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()
  const clock = fakeClock()

  it('exits 0 at once, quietly on stderr, when every type is up', async () => {
    poll([web('a-1'), web('a-2'), workerDyno])
    const {stdout, stderr, exitCode} = await runCommand(['ps:wait', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('Waiting for shop-prod: web 2/2, worker 1/1\n')
    expect(stdout).to.equal('shop-prod is ready: web 2/2, worker 1/1.\n')
    expect(clock.slept()).to.equal(0)
  })

  it('polls every 2 s by default, one line per change of the status on a pipe', async () => {
    poll([web('a-1', {state: 'pending', ready: false}), workerDyno])
    poll([web('a-1'), workerDyno])
    poll([web('a-1'), workerDyno])
    poll([web('a-1'), web('a-2'), workerDyno])
    const {stdout, stderr, exitCode} = await runCommand(['ps:wait', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal([
      'Waiting for shop-prod: web 0/2 ready, worker 1/1',
      'Waiting for shop-prod: web 1/2 ready, worker 1/1',
      'Waiting for shop-prod: web 2/2, worker 1/1',
      '',
    ].join('\n'))
    expect(stdout).to.equal('shop-prod is ready: web 2/2, worker 1/1.\n')
    expect(clock.slept()).to.equal(6000)
  })

  it('shows one live status line on a terminal', async () => {
    poll([web('a-1'), web('a-2'), web('a-3', {state: 'stopping', ready: false})], appInfo(), [webWithHealthcheck])
    poll([web('a-1'), web('a-2')], appInfo(), [webWithHealthcheck])
    const {stdout, stderr} = await runCommand(['ps:wait', '-a', 'shop-prod', '--interval', '1'], {env: apiEnv, tty: true})
    expect(stderr).to.equal('Waiting for shop-prod... web 2/2 ready (1 extra)\nWaiting for shop-prod... web 2/2\nWaiting for shop-prod... done\n')
    expect(stdout).to.equal('shop-prod is ready: web 2/2.\n')
    expect(clock.slept()).to.equal(1000)
  })

  it('waits only for the types named with --type', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck, worker])
      .get('/apps/shop-prod/dynos').reply(200, [web('a-1'), web('a-2')])
      .get('/apps/shop-prod').reply(200, appInfo())
    const {stdout} = await runCommand(['ps:wait', '-a', 'shop-prod', '--type', 'web'], {env: apiEnv})
    expect(stdout).to.equal('shop-prod is ready: web 2/2.\n')
  })

  for (const state of ['app-crashed', 'start-failure'] as const) {
    it(`exits 1 naming the dyno that is ${state}`, async () => {
      poll([web('a-1', {state: 'pending', ready: false}), workerDyno])
      poll([web('a-1', {state, ready: false, additional_info: 'CrashLoopBackOff'}), workerDyno])
      const {stdout, stderr, exitCode} = await runCommand(['ps:wait', '-a', 'shop-prod'], {env: apiEnv})
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr).to.equal([
        'Waiting for shop-prod: web 0/2 ready, worker 1/1',
        `Error: Dyno web.a-1 on shop-prod is ${state} (CrashLoopBackOff); \`aka ps -a shop-prod\` shows the dynos and \`aka logs -a shop-prod\` their output`,
        '',
      ].join('\n'))
    })
  }

  it('lets a dyno fail its health check for 90 s, and exits 1 after that', async () => {
    const created = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString()
    poll([web('a-1', {state: 'probe-failure', ready: false, created_at: created(60)}), web('a-2'), workerDyno])
    poll([web('a-1', {state: 'probe-failure', ready: false, created_at: created(60)}), web('a-2'), workerDyno])
    const {stderr, exitCode} = await runCommand(['ps:wait', '-a', 'shop-prod', '--interval', '40'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal([
      'Waiting for shop-prod: web 1/2 ready, worker 1/1',
      'Error: Dyno web.a-1 on shop-prod has failed its health check for 100 s (probe-failure); `aka ps -a shop-prod` shows the dynos and `aka logs -a shop-prod` their output',
      '',
    ].join('\n'))
  })

  it('exits 1 with the reason when the platform reports the deployment failed', async () => {
    poll([web('a-1'), web('a-2'), workerDyno], appInfo({id: 'bbbbbbbbbb', type: 'web', state: 'failed', reason: 'web.bbbbbbbbbb-00001 exited with code 1 at start'}))
    const {stderr, exitCode} = await runCommand(['ps:wait', '-a', 'shop-prod', '-t', 'web'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal([
      'Waiting for shop-prod: web 2/2',
      'Error: The deployment of web on shop-prod failed: web.bbbbbbbbbb-00001 exited with code 1 at start; `aka ps -a shop-prod` shows the dynos and `aka logs -a shop-prod` their output',
      '',
    ].join('\n'))
  })

  it("ignores a failed deployment of a type it does not wait for, and waits for one in progress", async () => {
    poll([web('a-1'), workerDyno], appInfo({type: 'worker', state: 'failed', reason: 'crashed'}))
    poll([web('a-1'), web('a-2')], appInfo({id: 'cccccccccc', type: 'web', state: 'in-progress'}), [webWithHealthcheck])
    poll([web('a-1'), web('a-2')], appInfo({id: 'cccccccccc', type: 'web', state: 'succeeded'}), [webWithHealthcheck])
    const {stderr, exitCode} = await runCommand(['ps:wait', '-a', 'shop-prod', '--type', 'web'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('Waiting for shop-prod: web 1/2 ready\nWaiting for shop-prod: web 2/2 ready (deploying)\nWaiting for shop-prod: web 2/2\n')
  })

  it('gives up at the deadline, exit 1, saying what is still missing', async () => {
    const stuck = [web('a-1'), web('a-2', {state: 'pending', ready: false}), workerDyno]
    poll(stuck)
    poll(stuck)
    poll(stuck)
    const {stdout, stderr, exitCode} = await runCommand(['ps:wait', '-a', 'shop-prod', '--timeout', '4'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal([
      'Waiting for shop-prod: web 1/2 ready, worker 1/1',
      'Error: Timed out after 4 s waiting for shop-prod: web 1/2 ready; wait longer with --timeout SECONDS; `aka ps -a shop-prod` shows the dynos and `aka logs -a shop-prod` their output',
      '',
    ].join('\n'))
    expect(clock.slept()).to.equal(4000)
  })

  it('says a type scaled to 0 is done once its dynos are gone', async () => {
    poll([], appInfo(), [formation({type: 'web', quantity: 0})])
    const {stdout} = await runCommand(['ps:wait', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout).to.equal('shop-prod is ready: web 0/0.\n')
  })

  it('refuses a type the formation lacks with exit 2, after one look', async () => {
    poll([workerDyno])
    const {stderr, exitCode} = await runCommand(['ps:wait', '-a', 'shop-prod', '--type', 'clock'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: shop-prod has no dyno type clock; its types are: web, worker\n')
  })

  const refusals: Array<[string[], string]> = [
    [['--timeout', '0'], 'Error: --timeout: Expected an integer greater than or equal to 1 but received: 0; see `aka ps:wait --help`\n'],
    [['--interval', 'soon'], 'Error: --interval: Expected an integer but received: soon; see `aka ps:wait --help`\n'],
    [['--type', 'Web!'], 'Error: "Web!" is not a dyno type: the type specified was invalid, it cannot contain spaces or special characters (lower case alpha numeric only)\n'],
  ]
  for (const [argv, message] of refusals) {
    it(`refuses ${argv.join(' ')} before sending anything`, async () => {
      const {stderr, exitCode} = await runCommand(['ps:wait', '-a', 'shop-prod', ...argv], {env: apiEnv})
      expect(exitCode).to.equal(2)
      expect(stderr).to.equal(message)
      expect(unexpected).to.deep.equal([])
    })
  }
})
