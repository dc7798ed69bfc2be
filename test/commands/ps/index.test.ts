import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import type {App} from '../../../src/api/types.js'
import {crashedWorker, dyno, formation, runningWeb, shopApp, webWithHealthcheck, worker} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'

/** The local platform's answer after a rollout of web whose new dyno crashed: the old dynos were kept. */
const failedWebApp: App = {
  ...shopApp,
  deployment: {
    id: '7e1f0a2b3c', type: 'web', state: 'failed', reason: 'web.7e1f0a2b3c-q1w2e crashed (exited with code 1)',
    created_at: '2026-11-02T09:30:00Z', updated_at: '2026-11-02T09:30:04Z', release: {id: 'r-8', version: 8},
  },
}
const keptWeb = runningWeb.map(({name}) => dyno({type: 'web', name, deployment: '6df6bc55c4'}))

describe('aka ps', () => {
  blockNetwork()

  it('prints each dyno type with a table of its dynos', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck, worker])
      .get('/apps/shop-prod/dynos').reply(200, [...runningWeb, crashedWorker])
      .get('/apps/shop-prod').reply(200, shopApp)
    const {stdout, stderr, exitCode} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal([
      '=== web (gp2): npm start (2) (/health)',
      'Dyno                  State    Ready  Restarts  Release  Age',
      'web.6df6bc55c4-ldt45  running  yes    0         v7       5m',
      'web.6df6bc55c4-x9k2p  running  yes    0         v7       5m',
      '',
      '=== worker (gp1): node worker.js (1)',
      'Dyno                     State    Ready  Restarts  Release  Age  Info',
      'worker.5555555555-zzzzz  crashed  no     1,234     v7       5m   This application unexpectedly crashed. Check its logs for more information.',
      '',
    ].join('\n'))
  })

  it('names the release\'s command of a type without its own (the local platform), else says it comes from the image', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [formation({type: 'clock', quantity: 0, release_command: 'node clock.js'}), formation({type: 'queue', quantity: 0})])
      .get('/apps/shop-prod/dynos').reply(200, [])
      .get('/apps/shop-prod').reply(200, shopApp)
    const {stdout, exitCode} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
    expect([exitCode, stdout]).to.deep.equal([0, '=== clock (gp1): node clock.js (0)\n\n=== queue (gp1): (from docker) (0)\n'])
  })

  it('shows the formation when the app itself cannot be read (a controller whose region is down)', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [worker])
      .get('/apps/shop-prod/dynos').reply(200, [dyno({type: 'worker', name: '5555555555-aaaaa'})])
      .get('/apps/shop-prod').reply(503, 'Service Unavailable Error')
    const {stdout, stderr, exitCode} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
    expect([exitCode, stderr]).to.deep.equal([0, ''])
    expect(stdout).to.equal([
      '=== worker (gp1): node worker.js (1)',
      'Dyno                     State    Ready  Restarts  Release  Age',
      'worker.5555555555-aaaaa  running  yes    0         v7       5m',
      '',
    ].join('\n'))
  })

  it('warns when a type has fewer dynos than requested', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [worker])
      .get('/apps/shop-prod/dynos').reply(200, [])
      .get('/apps/shop-prod').reply(200, shopApp)
    const {stdout} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout).to.equal([
      '=== worker (gp1): node worker.js (1)',
      '⚠  worker dyno type has 0 dynos, but 1 has been requested.',
      '⚠  It may be scaling, crashing, restarting or deploying.',
      '',
    ].join('\n'))
  })

  it('prints the dynos exactly as the API sent them with --json', async () => {
    const dynos = [dyno({type: 'web', name: 'abc-12345', updated_at: '0001-01-01T00:00:00Z'})]
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, dynos)
      .get('/apps/shop-prod').reply(200, failedWebApp)
    const {stdout} = await runCommand(['ps', '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(dynos)
  })

  it('says one line and exits 1 when the app does not exist', async () => {
    api().get('/apps/nope-prod/formation').reply(404, 'The specified application nope-prod does not exist.', {'content-type': 'application/json'})
      .get('/apps/nope-prod/dynos').reply(404, 'The specified application nope-prod does not exist.')
      .get('/apps/nope-prod').reply(404, 'The specified application nope-prod does not exist.')
    const {stdout, stderr, exitCode} = await runCommand(['ps', '-a', 'nope-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: The specified application nope-prod does not exist. (HTTP 404)\n')
  })

  it('warns after the formation when the last deployment failed, with its reason', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, keptWeb)
      .get('/apps/shop-prod').reply(200, failedWebApp)
    const {stdout, stderr, exitCode} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
    expect([exitCode, stderr]).to.deep.equal([0, ''])
    expect(stdout).to.equal([
      '=== web (gp2): npm start (2) (/health)',
      'Dyno                  State    Ready  Restarts  Release  Age',
      'web.6df6bc55c4-ldt45  running  yes    0         v7       5m',
      'web.6df6bc55c4-x9k2p  running  yes    0         v7       5m',
      '',
      '⚠  The deployment of v8 to web failed: web.7e1f0a2b3c-q1w2e crashed (exited with code 1). The dynos of v7 keep serving.',
      '   `aka logs -s platform -a shop-prod` shows what happened; `aka releases:rollback -a shop-prod` goes back to the last release that succeeded.',
      '',
    ].join('\n'))
  })

  it('warns in colour on a terminal', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, keptWeb)
      .get('/apps/shop-prod').reply(200, failedWebApp)
    const {stdout, stderr, exitCode} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv, tty: true, color: true})
    expect([exitCode, stderr]).to.deep.equal([0, ''])
    expect(stdout.split('\n').at(-3)).to.equal('\u001B[1m\u001B[33m⚠\u001B[39m\u001B[22m  The deployment of v8 to web failed: web.7e1f0a2b3c-q1w2e crashed (exited with code 1). The dynos of v7 keep serving.')
  })

  it('does not claim previous dynos serve when none of another deployment runs', async () => {
    const crashing = dyno({type: 'web', name: '7e1f0a2b3c-q1w2e', state: 'app-crashed', ready: false, restarts: 2, deployment: '7e1f0a2b3c'})
    api().get('/apps/shop-prod/formation').reply(200, [{...webWithHealthcheck, quantity: 1}])
      .get('/apps/shop-prod/dynos').reply(200, [crashing])
      .get('/apps/shop-prod').reply(200, failedWebApp)
    const {stdout} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout.split('\n').at(-3)).to.equal('⚠  The deployment of v8 to web failed: web.7e1f0a2b3c-q1w2e crashed (exited with code 1). No web dyno is running.')
  })

  it('suggests no rollback when the first release failed: there is none before it', async () => {
    const crashing = dyno({type: 'web', name: '7e1f0a2b3c-q1w2e', state: 'app-crashed', ready: false, restarts: 2, deployment: '7e1f0a2b3c'})
    const firstFailed: App = {...failedWebApp, deployment: {...failedWebApp.deployment!, release: {id: 'r-1', version: 1}}}
    api().get('/apps/shop-prod/formation').reply(200, [{...webWithHealthcheck, quantity: 1}])
      .get('/apps/shop-prod/dynos').reply(200, [crashing])
      .get('/apps/shop-prod').reply(200, firstFailed)
    const {stdout} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout.split('\n').slice(-3)).to.deep.equal([
      '⚠  The deployment of v1 to web failed: web.7e1f0a2b3c-q1w2e crashed (exited with code 1). No web dyno is running.',
      '   `aka logs -s platform -a shop-prod` shows what happened.',
      '',
    ])
  })

  it('shows the platform\'s reason for a crashed dyno in Info, and the fixed sentence only without one', async () => {
    const killed = dyno({type: 'worker', name: '5555555555-aaaaa', state: 'app-crashed', ready: false, additional_info: 'memory quota exceeded (280 MB used, limit 256 MB)'})
    api().get('/apps/shop-prod/formation').reply(200, [{...worker, quantity: 2}])
      .get('/apps/shop-prod/dynos').reply(200, [killed, crashedWorker])
      .get('/apps/shop-prod').reply(200, shopApp)
    const {stdout} = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout.split('\n').slice(2, 4).map(line => line.replace(/ +/g, ' '))).to.deep.equal([
      'worker.5555555555-aaaaa crashed no 0 v7 5m memory quota exceeded (280 MB used, limit 256 MB)',
      'worker.5555555555-zzzzz crashed no 1,234 v7 5m This application unexpectedly crashed. Check its logs for more information.',
    ])
  })

  it('says nothing of a failed deployment of a type not shown, nor of one that succeeded', async () => {
    const failedWorker = {...failedWebApp, deployment: {...failedWebApp.deployment!, type: 'worker'}}
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck, worker])
      .get('/apps/shop-prod/dynos').reply(200, keptWeb)
      .get('/apps/shop-prod').reply(200, failedWorker)
      .get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, keptWeb)
      .get('/apps/shop-prod').reply(200, {...failedWebApp, deployment: {...failedWebApp.deployment!, state: 'succeeded', reason: null}})
    const onlyWeb = await runCommand(['ps', 'web', '-a', 'shop-prod'], {env: apiEnv})
    const succeeded = await runCommand(['ps', '-a', 'shop-prod'], {env: apiEnv})
    for (const {stdout} of [onlyWeb, succeeded]) {
      expect(stdout).to.equal([
        '=== web (gp2): npm start (2) (/health)',
        'Dyno                  State    Ready  Restarts  Release  Age',
        'web.6df6bc55c4-ldt45  running  yes    0         v7       5m',
        'web.6df6bc55c4-x9k2p  running  yes    0         v7       5m',
        '',
      ].join('\n'))
    }
  })
})
