import {expect} from 'chai'
import {readFileSync} from 'node:fs'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {dyno, formation} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'
import {appInfo, fakeClock, sizes, unexpectedRequests} from './helpers.js'

const createdWorker = formation({type: 'worker', quantity: 2, command: 'node worker.js', port: null})
const createdWeb = formation({type: 'web', quantity: 1, size: 'gp2', port: 9000, healthcheck: '/health'})

describe('aka ps:create', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()
  fakeClock()

  it('creates a worker with its command and quantity', async () => {
    api().post('/apps/shop-prod/formation', {type: 'worker', quantity: 2, command: 'node worker.js'}).reply(201, createdWorker)
    const {stdout, stderr, exitCode} = await runCommand(['ps:create', 'worker', '-c', 'node worker.js', '-q', '2', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('Created worker on shop-prod: worker=2:gp1, command "node worker.js".\n')
  })

  it('quotes a command that has double quotes in single ones, and one with both as JSON', async () => {
    for (const command of [`node -e "console.log('ran')"`, `node -e "console.log(1)"`]) {
      api().post('/apps/shop-prod/formation', {type: 'report', quantity: 1, command}).reply(201, formation({type: 'report', command}))
    }
    const both = await runCommand(['ps:create', 'report', '-c', `node -e "console.log('ran')"`, '-a', 'shop-prod'], {env: apiEnv})
    expect(both.stdout).to.equal('Created report on shop-prod: report=1:gp1, command "node -e \\"console.log(\'ran\')\\"".\n')
    const double = await runCommand(['ps:create', 'report', '-c', 'node -e "console.log(1)"', '-a', 'shop-prod'], {env: apiEnv})
    expect(double.stdout).to.equal(`Created report on shop-prod: report=1:gp1, command 'node -e "console.log(1)"'.\n`)
  })

  it('sends -q 0 as 0, and 1 when no quantity is given', async () => {
    api().post('/apps/shop-prod/formation', {type: 'clock', quantity: 0, command: 'node clock.js'}).reply(201, formation({type: 'clock', quantity: 0, command: 'node clock.js'}))
      .post('/apps/shop-prod/formation', {type: 'web', quantity: 1}).reply(201, formation({type: 'web'}))
    expect((await runCommand(['ps:create', 'clock', '-q', '0', '--command', 'node clock.js', '-a', 'shop-prod'], {env: apiEnv})).exitCode).to.equal(0)
    expect((await runCommand(['ps:create', 'web', '-a', 'shop-prod'], {env: apiEnv})).stdout).to.equal('Created web on shop-prod: web=1:gp1, port 9000.\n')
  })

  it('takes -h as the healthcheck, checks the size, and shows a spinner on a terminal', async () => {
    api().get('/sizes').reply(200, sizes)
      .post('/apps/shop-prod/formation', {type: 'web', quantity: 1, size: 'gp2', port: 9000, healthcheck: '/health'}).reply(201, createdWeb)
    const {stdout, stderr, exitCode} = await runCommand(['ps:create', 'web', '-s', 'gp2', '-p', '9000', '-h', '/health', '-a', 'shop-prod'], {env: apiEnv, tty: true})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('Creating web on shop-prod... done\n')
    expect(stdout).to.equal('Created web on shop-prod: web=1:gp2, port 9000, healthcheck /health.\n')
  })

  it('keeps -h free for --healthcheck: oclif must not treat it as help', () => {
    const pjson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {oclif: {additionalHelpFlags?: string[]}}
    expect(pjson.oclif.additionalHelpFlags ?? []).not.to.include('-h')
  })

  it('prints the created formation exactly as the API sent it with --json', async () => {
    api().post('/apps/shop-prod/formation', {type: 'worker', quantity: 2, command: 'node worker.js'}).reply(201, createdWorker)
    const {stdout} = await runCommand(['ps:create', 'worker', '-c', 'node worker.js', '-q', '2', '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(createdWorker)
  })

  const refusals: Array<[string, string[], string]> = [
    ['a worker without a command', ['worker'], 'Error: A run command must be specified for any type outside of a web process; pass it with -c, e.g. -c "node worker.js"\n'],
    ['a port on a worker', ['worker', '-c', 'w', '-p', '9000'], 'Error: A port was specified for a non-web based application, the port should not be set; only web receives traffic\n'],
    ['a healthcheck on a worker', ['worker', '-c', 'w', '--healthcheck', '/health'], 'Error: A healthcheck was specified for a non-web based application, the path should not be set.\n'],
    ['a port below 1024', ['web', '-p', '80'], 'Error: The specified port is invalid, it must be a number between 1024 and 65535, not 80.\n'],
    ['a quantity above 32', ['web', '-q', '33'], 'Error: The number of instances must be between 0 and 32, not 33.\n'],
    ['a quantity that is not a number', ['web', '-q', 'abc'], 'Error: --quantity: Expected an integer but received: abc; see `aka ps:create --help`\n'],
    ['a type with special characters', ['my-worker', '-c', 'w'], 'Error: "my-worker" is not a dyno type: the type specified was invalid, it cannot contain spaces or special characters (lower case alpha numeric only)\n'],
    ['a healthcheck that is not a path', ['web', '-h', 'health'], 'Error: The healthcheck specified was invalid, it must be a path such as /health.\n'],
    ['an empty command', ['web', '-c', ' '], 'Error: The command cannot be empty.\n'],
  ]
  for (const [what, argv, message] of refusals) {
    it(`refuses ${what} before sending anything`, async () => {
      const {stdout, stderr, exitCode} = await runCommand(['ps:create', ...argv, '-a', 'shop-prod'], {env: apiEnv})
      expect(stderr).to.equal(message)
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(unexpected).to.deep.equal([])
    })
  }

  it('refuses an unknown size with the valid ones, having asked only for the sizes', async () => {
    api().get('/sizes').reply(200, sizes)
    const {stderr, exitCode} = await runCommand(['ps:create', 'web', '-s', 'gp9', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: Unknown dyno size gp9; valid sizes are: gp1, gp2, gp2-prod\n')
    expect(unexpected).to.deep.equal([])
  })

  it('shows a duplicate type as one line and exits 1', async () => {
    api().post('/apps/shop-prod/formation', {type: 'web', quantity: 1}).reply(409, 'The process of type web already exists.', {'content-type': 'application/json'})
    const {stdout, stderr, exitCode} = await runCommand(['ps:create', 'web', '-a', 'shop-prod'], {env: apiEnv, tty: true})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Creating web on shop-prod... failed\nError: The process of type web already exists. (HTTP 409)\n')
  })

  it('shows a 422 from the server as one line and exits 1', async () => {
    api().post('/apps/shop-prod/formation', {type: 'web', quantity: 1}).reply(422, 'The payload size was not recognized.')
    const {stderr, exitCode} = await runCommand(['ps:create', 'web', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: The payload size was not recognized. (HTTP 422)\n')
  })

  it('waits for the new dynos with --wait, one line per change on a pipe', async () => {
    const starting = dyno({type: 'worker', name: 'bbbbbbbbbb-00001', state: 'pending', ready: false})
    const up = [dyno({type: 'worker', name: 'bbbbbbbbbb-00001'}), dyno({type: 'worker', name: 'bbbbbbbbbb-00002'})]
    api().get('/apps/shop-prod').reply(200, appInfo({id: 'aaaaaaaaaa'}))
      .post('/apps/shop-prod/formation', {type: 'worker', quantity: 2, command: 'node worker.js'}).reply(201, createdWorker)
      .get('/apps/shop-prod/formation').reply(200, [createdWorker])
      .get('/apps/shop-prod/dynos').reply(200, [starting])
      .get('/apps/shop-prod').reply(200, appInfo({id: 'bbbbbbbbbb', type: 'worker', state: 'in-progress'}))
      .get('/apps/shop-prod/formation').reply(200, [createdWorker])
      .get('/apps/shop-prod/dynos').reply(200, up)
      .get('/apps/shop-prod').reply(200, appInfo({id: 'bbbbbbbbbb', type: 'worker', state: 'succeeded'}))
    const {stdout, stderr, exitCode} = await runCommand(['ps:create', 'worker', '-c', 'node worker.js', '-q', '2', '-a', 'shop-prod', '--wait'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('Waiting for shop-prod: worker 0/2 ready (deploying)\nWaiting for shop-prod: worker 2/2\n')
    expect(stdout).to.equal('Created worker on shop-prod: worker=2:gp1, command "node worker.js".\nshop-prod is ready: worker 2/2.\n')
  })

  it('refuses --timeout without --wait', async () => {
    const {stderr, exitCode} = await runCommand(['ps:create', 'web', '--timeout', '5', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: --timeout needs --wait; see `aka ps:create --help`\n')
    expect(unexpected).to.deep.equal([])
  })
})
