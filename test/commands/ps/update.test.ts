import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {dyno, formation, webWithHealthcheck, worker} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'
import {appInfo, fakeClock, sizes, unexpectedRequests} from './helpers.js'

const webWithoutCommand = formation({type: 'web', quantity: 2, size: 'gp2'})

describe('aka ps:update', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()
  fakeClock()

  it('looks the type up, then sends only the quantity', async () => {
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .patch('/apps/shop-prod/formation/web', {quantity: 3}).reply(200, {...webWithHealthcheck, quantity: 3})
    const {stdout, stderr, exitCode} = await runCommand(['ps:update', 'web', '-q', '3', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('Updated web on shop-prod: quantity 3.\n')
  })

  it('sends -q 0 as 0 (the old CLI sent nothing to change)', async () => {
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .patch('/apps/shop-prod/formation/web', {quantity: 0}).reply(200, {...webWithHealthcheck, quantity: 0})
    const {stdout} = await runCommand(['ps:update', '-q', '0', 'web', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout).to.equal('Updated web on shop-prod: quantity 0.\n')
  })

  it('checks a new size against the sizes and sends size and command', async () => {
    api().get('/apps/shop-prod/formation/worker').reply(200, worker)
      .get('/sizes').reply(200, sizes)
      .patch('/apps/shop-prod/formation/worker', {size: 'gp2', command: 'node worker.js --fast'}).reply(200, {...worker, size: 'gp2'})
    const {stdout, stderr} = await runCommand(['ps:update', 'worker', '-s', 'gp2', '-c', 'node worker.js --fast', '-a', 'shop-prod'], {env: apiEnv, tty: true})
    expect(stderr).to.equal('Updating worker on shop-prod... done\n')
    expect(stdout).to.equal('Updated worker on shop-prod: size gp2, command "node worker.js --fast".\n')
  })

  it('sends port and healthcheck for web, -h being the healthcheck', async () => {
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .patch('/apps/shop-prod/formation/web', {port: 9090, healthcheck: '/ready'}).reply(200, webWithHealthcheck)
    const {stdout} = await runCommand(['ps:update', 'web', '-p', '9090', '-h', '/ready', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout).to.equal('Updated web on shop-prod: port 9090, healthcheck /ready.\n')
  })

  for (const flag of ['-r', '--removeHealthcheck', '--remove-healthcheck']) {
    it(`removes the healthcheck with ${flag}`, async () => {
      api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
        .patch('/apps/shop-prod/formation/web', {removeHealthcheck: true}).reply(200, webWithHealthcheck)
      const {stdout} = await runCommand(['ps:update', 'web', flag, '-a', 'shop-prod'], {env: apiEnv})
      expect(stdout).to.equal('Updated web on shop-prod: healthcheck removed.\n')
    })
  }

  for (const flag of ['-x', '--removeCommand', '--remove-command']) {
    it(`removes the command with ${flag}, under the wire name remove-command`, async () => {
      api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
        .patch('/apps/shop-prod/formation/web', {'remove-command': true}).reply(200, webWithHealthcheck)
      const {stdout} = await runCommand(['ps:update', 'web', flag, '-a', 'shop-prod'], {env: apiEnv})
      expect(stdout).to.equal('Updated web on shop-prod: command removed.\n')
    })
  }

  it('prints the API reply exactly with --json', async () => {
    const reply = {...webWithHealthcheck, quantity: 3, needsRedeploy: true}
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .patch('/apps/shop-prod/formation/web', {quantity: 3}).reply(200, reply)
    const {stdout} = await runCommand(['ps:update', 'web', '-q', '3', '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(JSON.parse(stdout)).to.deep.equal(reply)
  })

  const refusals: Array<[string, string[], string]> = [
    ['a scale pair as the type', ['web=3'], 'Error: "web=3" is not a dyno type; to change quantities, use `aka ps:scale web=3`\n'],
    ['no change at all', ['web'], 'Error: No change given for web; pass at least one of -s, -q, -c, -p, -h, -r, -x, --schedule, --timezone, --remove-schedule\n'],
    ['removing the healthcheck of a worker', ['worker', '-r'], 'Error: Cannot remove healthcheck on non web based dyno.\n'],
    ['removing the command of a worker', ['worker', '-x'], 'Error: Cannot remove the command of worker: a run command must be specified for any type outside of a web process.\n'],
    ['a port on a worker', ['worker', '-p', '9000'], 'Error: A port was specified for a non-web based application, the port should not be set; only web receives traffic\n'],
    ['a port above 65535', ['web', '-p', '70000'], 'Error: The specified port is invalid, it must be a number between 1024 and 65535, not 70000.\n'],
    ['a quantity above 32', ['web', '-q', '40'], 'Error: The number of instances must be between 0 and 32, not 40.\n'],
    ['an empty command', ['worker', '-c', ''], 'Error: The command cannot be empty; remove it with -x (web only)\n'],
    ['a healthcheck and its removal together', ['web', '-h', '/x', '-r'], 'Error: --healthcheck and --removeHealthcheck cannot be used together; see `aka ps:update --help`\n'],
  ]
  for (const [what, argv, message] of refusals) {
    it(`refuses ${what} before sending anything`, async () => {
      const {stdout, stderr, exitCode} = await runCommand(['ps:update', ...argv, '-a', 'shop-prod'], {env: apiEnv})
      expect(stderr).to.equal(message)
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(unexpected).to.deep.equal([])
    })
  }

  it('refuses a type that does not exist from the lookup, sending no PATCH', async () => {
    api().get('/apps/shop-prod/formation/wrker').reply(404, 'The specified formation wrker was not found.')
      .get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck, worker])
    const {stderr, exitCode} = await runCommand(['ps:update', 'wrker', '-q', '2', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: shop-prod has no dyno type wrker; its types are: web, worker\n')
    expect(unexpected).to.deep.equal([])
  })

  it('refuses to remove a healthcheck or a command that is not there, sending no PATCH', async () => {
    api().get('/apps/shop-prod/formation/web').twice().reply(200, webWithoutCommand)
    const healthcheck = await runCommand(['ps:update', 'web', '-r', '-a', 'shop-prod'], {env: apiEnv})
    expect(healthcheck.exitCode).to.equal(2)
    expect(healthcheck.stderr).to.equal('Error: web on shop-prod has no healthcheck to remove\n')
    const command = await runCommand(['ps:update', 'web', '-x', '-a', 'shop-prod'], {env: apiEnv})
    expect(command.stderr).to.equal('Error: web on shop-prod has no command to remove\n')
    expect(unexpected).to.deep.equal([])
  })

  it('refuses an unknown size with the valid ones, sending no PATCH', async () => {
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck).get('/sizes').reply(200, sizes)
    const {stderr, exitCode} = await runCommand(['ps:update', 'web', '-s', 'huge', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: Unknown dyno size huge; valid sizes are: gp1, gp2, gp2-prod\n')
    expect(unexpected).to.deep.equal([])
  })

  it('shows a 409 from the server as one line and exits 1', async () => {
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .patch('/apps/shop-prod/formation/web', {quantity: 2}).reply(409, 'An apps formation can be changed or created while its been placed in maintenance mode.')
    const {stderr, exitCode} = await runCommand(['ps:update', 'web', '-q', '2', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: An apps formation can be changed or created while its been placed in maintenance mode. (HTTP 409)\n')
  })

  it('with --wait after a new command, waits until every old dyno is replaced (live line on a terminal)', async () => {
    const old = dyno({type: 'worker', name: 'aaaaaaaaaa-00001'})
    const fresh = dyno({type: 'worker', name: 'cccccccccc-00001'})
    api().get('/apps/shop-prod/formation/worker').reply(200, worker)
      .get('/apps/shop-prod/dynos').reply(200, [old])
      .get('/apps/shop-prod').reply(200, appInfo({id: 'aaaaaaaaaa', type: 'worker'}))
      .patch('/apps/shop-prod/formation/worker', {command: 'node worker.js --fast'}).reply(200, worker)
      .get('/apps/shop-prod/formation').times(3).reply(200, [worker])
      .get('/apps/shop-prod/dynos').reply(200, [old])
      .get('/apps/shop-prod/dynos').reply(200, [old, {...fresh, state: 'running', ready: false}])
      .get('/apps/shop-prod/dynos').reply(200, [fresh])
      .get('/apps/shop-prod').times(3).reply(200, appInfo({id: 'aaaaaaaaaa', type: 'worker'}))
    const {stdout, stderr, exitCode} = await runCommand(['ps:update', 'worker', '-c', 'node worker.js --fast', '-a', 'shop-prod', '--wait'], {env: apiEnv, tty: true})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal([
      'Updating worker on shop-prod... done',
      'Waiting for shop-prod... worker 0/1 ready (1 old)',
      'Waiting for shop-prod... worker 1/1',
      'Waiting for shop-prod... done',
      '',
    ].join('\n'))
    expect(stdout).to.equal('Updated worker on shop-prod: command "node worker.js --fast".\nshop-prod is ready: worker 1/1.\n')
  })

  it('with --wait after a quantity change on a platform that reports deployments, only counts the dynos, and keeps stdout for the JSON', async () => {
    const running = [dyno({type: 'web', name: 'aaaaaaaaaa-00001'}), dyno({type: 'web', name: 'aaaaaaaaaa-00002'})]
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .get('/apps/shop-prod/dynos').reply(200, running.slice(0, 1))
      .get('/apps/shop-prod').reply(200, appInfo({id: 'aaaaaaaaaa', type: 'web'}))
      .patch('/apps/shop-prod/formation/web', {quantity: 2}).reply(200, webWithHealthcheck)
      .get('/apps/shop-prod/formation').reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, running)
      .get('/apps/shop-prod').reply(200, appInfo({id: 'aaaaaaaaaa', type: 'web'}))
    const {stdout, stderr, exitCode} = await runCommand(['ps:update', 'web', '-q', '2', '-a', 'shop-prod', '--wait', '--json'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('Waiting for shop-prod: web 2/2\nshop-prod is ready: web 2/2.\n')
    expect(JSON.parse(stdout)).to.deep.equal(webWithHealthcheck)
  })

  it('with --wait after a quantity change on a real Akkeris (which redeploys on every PATCH), waits until the old dynos are replaced', async () => {
    const old = [dyno({type: 'web', name: 'aaaaaaaaaa-00001'})]
    const fresh = [dyno({type: 'web', name: 'bbbbbbbbbb-00001'}), dyno({type: 'web', name: 'bbbbbbbbbb-00002'})]
    api().get('/apps/shop-prod/formation/web').reply(200, webWithHealthcheck)
      .get('/apps/shop-prod/dynos').reply(200, old)
      .get('/apps/shop-prod').reply(200, appInfo())
      .patch('/apps/shop-prod/formation/web', {quantity: 2}).reply(200, webWithHealthcheck)
      .get('/apps/shop-prod/formation').times(2).reply(200, [webWithHealthcheck])
      .get('/apps/shop-prod/dynos').reply(200, [...old, fresh[0]])
      .get('/apps/shop-prod/dynos').reply(200, fresh)
      .get('/apps/shop-prod').times(2).reply(200, appInfo())
    const {stdout, stderr, exitCode} = await runCommand(['ps:update', 'web', '-q', '2', '-a', 'shop-prod', '--wait'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('Waiting for shop-prod: web 1/2 ready (1 old)\nWaiting for shop-prod: web 2/2\n')
    expect(stdout).to.equal('Updated web on shop-prod: quantity 2.\nshop-prod is ready: web 2/2.\n')
  })
})
