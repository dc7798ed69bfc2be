import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {crashedWorker, dyno, runningWeb, webWithHealthcheck, worker} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'

describe('aka ps', () => {
  blockNetwork()

  it('prints each dyno type with a table of its dynos', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck, worker])
      .get('/apps/shop-prod/dynos').reply(200, [...runningWeb, crashedWorker])
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

  it('warns when a type has fewer dynos than requested', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [worker])
      .get('/apps/shop-prod/dynos').reply(200, [])
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
    const {stdout} = await runCommand(['ps', '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(dynos)
  })

  it('says one line and exits 1 when the app does not exist', async () => {
    api().get('/apps/nope-prod/formation').reply(404, 'The specified application nope-prod does not exist.', {'content-type': 'application/json'})
      .get('/apps/nope-prod/dynos').reply(404, 'The specified application nope-prod does not exist.')
    const {stdout, stderr, exitCode} = await runCommand(['ps', '-a', 'nope-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: The specified application nope-prod does not exist. (HTTP 404)\n')
  })
})
