import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {dyno, formation, webWithHealthcheck, worker} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'
import {appInfo, fakeClock, sizes, unexpectedRequests} from './helpers.js'

const formations = [webWithHealthcheck, worker]

describe('aka ps:scale', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()
  const clock = fakeClock()

  it('sends one batch, with the current command of non-web types', async () => {
    api().get('/apps/shop-prod/formation').reply(200, formations)
      .get('/apps/shop-prod/releases').reply(200, [{version: 1}])
      .patch('/apps/shop-prod/formation', [{type: 'web', quantity: 3}, {type: 'worker', quantity: 2, command: 'node worker.js'}])
      .reply(200, [{...webWithHealthcheck, quantity: 3}, {...worker, quantity: 2}])
    const {stdout, stderr, exitCode} = await runCommand(['ps:scale', 'web=3', 'worker+1', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('Scaled shop-prod: web=3, worker=2.\n')
    expect(unexpected).to.deep.equal([])
  })

  it('takes flags before the pairs, floors TYPE-N at 0, and answers to the hidden alias scale', async () => {
    api().get('/apps/shop-prod/formation').reply(200, formations)
      .patch('/apps/shop-prod/formation', [{type: 'worker', quantity: 0, command: 'node worker.js'}]).reply(200, [{...worker, quantity: 0}])
    const {stdout, stderr} = await runCommand(['scale', '-a', 'shop-prod', 'worker-5'], {env: apiEnv, tty: true})
    expect(stderr).to.equal('Scaling shop-prod... done\n')
    expect(stdout).to.equal('Scaled shop-prod: worker=0.\n')
  })

  it('checks a :size against the sizes and sends it', async () => {
    api().get('/apps/shop-prod/formation').reply(200, formations)
      .get('/sizes').reply(200, sizes)
      .patch('/apps/shop-prod/formation', [{type: 'worker', quantity: 3, size: 'gp2', command: 'node worker.js'}, {type: 'web', quantity: 0}])
      .reply(200, [])
    const {stdout} = await runCommand(['ps:scale', 'worker+2:gp2', 'web=0', '-a', 'shop-prod'], {env: apiEnv})
    expect(stdout).to.equal('Scaled shop-prod: worker=3:gp2, web=0.\n')
  })

  it('prints the formation as pairs to paste back when given none', async () => {
    api().get('/apps/shop-prod/formation').reply(200, formations)
    const {stdout, stderr} = await runCommand(['ps:scale', '-a', 'shop-prod'], {env: apiEnv})
    expect(stderr).to.equal('')
    expect(stdout).to.equal('web=2:gp2 worker=1:gp1\n')
  })

  it('says so on stderr when there is no formation to print', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [])
    const {stdout, stderr, exitCode} = await runCommand(['ps:scale', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('shop-prod has no dyno types.\n')
  })

  it('prints the API objects with --json, with and without pairs', async () => {
    const reply = [{...webWithHealthcheck, quantity: 1}]
    api().get('/apps/shop-prod/formation').twice().reply(200, formations).get('/apps/shop-prod/releases').reply(200, [{version: 1}])
      .patch('/apps/shop-prod/formation', [{type: 'web', quantity: 1}]).reply(200, reply)
    expect(JSON.parse((await runCommand(['ps:scale', '-a', 'shop-prod', '--json'], {env: apiEnv})).stdout)).to.deep.equal(formations)
    expect(JSON.parse((await runCommand(['ps:scale', 'web=1', '-a', 'shop-prod', '--json'], {env: apiEnv})).stdout)).to.deep.equal(reply)
  })

  const grammar = 'expected TYPE=N, TYPE+N or TYPE-N, optionally followed by :SIZE (e.g. web=2 or worker+1:gp2)'
  const refusals: Array<[string, string[], string]> = [
    ['a bare type', ['web'], `Error: Cannot read the scale pair "web"; ${grammar}\n`],
    ['a quantity that is not a number', ['web=abc'], `Error: Cannot read the scale pair "web=abc"; ${grammar}\n`],
    ['a negative quantity', ['web=-1'], `Error: Cannot read the scale pair "web=-1"; ${grammar}\n`],
    ['a fraction', ['web=1.5'], `Error: Cannot read the scale pair "web=1.5"; ${grammar}\n`],
    ['one bad pair among good ones', ['web=2', 'worker=2x'], `Error: Cannot read the scale pair "worker=2x"; ${grammar}\n`],
    ['a type given twice', ['web=1', 'worker=1', 'web+2'], 'Error: The dyno type web is scaled twice: "web=1" and "web+2"; give each type once\n'],
    ['a quantity above 32', ['web=33'], 'Error: Cannot scale "web=33": the number of instances must be between 0 and 32\n'],
    ['an increase above 32', ['worker+40'], 'Error: Cannot scale "worker+40": the number of instances must be between 0 and 32\n'],
  ]
  for (const [what, argv, message] of refusals) {
    it(`refuses ${what} before sending anything`, async () => {
      const {stdout, stderr, exitCode} = await runCommand(['ps:scale', ...argv, '-a', 'shop-prod'], {env: apiEnv})
      expect(stderr).to.equal(message)
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(unexpected).to.deep.equal([])
    })
  }

  const afterLookup: Array<[string, string[], string]> = [
    ['an unknown type', ['web=1', 'wrker=2'], 'Error: Cannot scale "wrker=2": there is no dyno type wrker; the types are: web, worker\n'],
    ['an increase past 32', ['web+31'], 'Error: Cannot scale "web+31" (2 + 31 = 33): the number of instances must be between 0 and 32\n'],
  ]
  for (const [what, argv, message] of afterLookup) {
    it(`refuses ${what} from the formation, sending no PATCH`, async () => {
      // web scaled up: the latest release is asked beside the formation.
      api().get('/apps/shop-prod/formation').reply(200, formations).get('/apps/shop-prod/releases').reply(200, [{version: 1}])
      const {stderr, exitCode} = await runCommand(['ps:scale', ...argv, '-a', 'shop-prod'], {env: apiEnv})
      expect(stderr).to.equal(message)
      expect(exitCode).to.equal(2)
      expect(unexpected).to.deep.equal([])
    })
  }

  it('refuses an unknown size with the valid ones, sending no PATCH', async () => {
    api().get('/apps/shop-prod/formation').reply(200, formations).get('/sizes').reply(200, sizes).get('/apps/shop-prod/releases').reply(200, [{version: 1}])
    const {stderr, exitCode} = await runCommand(['ps:scale', 'web=1:xl', 'worker=1:gp9', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: Unknown dyno sizes xl, gp9; valid sizes are: gp1, gp2, gp2-prod\n')
    expect(unexpected).to.deep.equal([])
  })

  it('shows a 422 from the server as one line and exits 1', async () => {
    api().get('/apps/shop-prod/formation').reply(200, formations).get('/apps/shop-prod/releases').reply(200, [{version: 1}])
      .patch('/apps/shop-prod/formation', [{type: 'web', quantity: 1}]).reply(422, 'The number of instances must be between 0 and 32.')
    const {stderr, exitCode} = await runCommand(['ps:scale', 'web=1', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: The number of instances must be between 0 and 32. (HTTP 422)\n')
  })

  it('with --wait, waits until the scaled types have their quantity of ready dynos', async () => {
    const web = (name: string, ready = true) => dyno({type: 'web', name, ready, state: ready ? 'running' : 'pending'})
    const scaled = {...webWithHealthcheck, quantity: 3}
    api().get('/apps/shop-prod/formation').reply(200, formations).get('/apps/shop-prod/releases').reply(200, [{version: 1}])
      .get('/apps/shop-prod').reply(200, appInfo())
      .patch('/apps/shop-prod/formation', [{type: 'web', quantity: 3}]).reply(200, [scaled])
      .get('/apps/shop-prod/formation').times(3).reply(200, [scaled, worker])
      .get('/apps/shop-prod/dynos').reply(200, [web('a-1'), web('a-2')])
      .get('/apps/shop-prod/dynos').reply(200, [web('a-1'), web('a-2'), web('a-3', false)])
      .get('/apps/shop-prod/dynos').reply(200, [web('a-1'), web('a-2'), web('a-3')])
      .get('/apps/shop-prod').times(3).reply(200, appInfo())
    const {stdout, stderr, exitCode} = await runCommand(['ps:scale', 'web=3', '-a', 'shop-prod', '--wait', '--interval', '5'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('Waiting for shop-prod: web 2/3 ready\nWaiting for shop-prod: web 3/3\n')
    expect(stdout).to.equal('Scaled shop-prod: web=3.\nshop-prod is ready: web 3/3.\n')
    expect(clock.slept()).to.equal(10_000)
  })

  it('with --wait, pays no heed to a deployment that had failed before the change', async () => {
    const failedBefore = appInfo({id: 'dddddddddd', type: 'worker', state: 'failed', reason: 'exited with code 1'})
    api().get('/apps/shop-prod/formation').reply(200, formations)
      .get('/apps/shop-prod').reply(200, failedBefore)
      .patch('/apps/shop-prod/formation', [{type: 'worker', quantity: 1, command: 'node worker.js'}]).reply(200, [worker])
      .get('/apps/shop-prod/formation').reply(200, formations)
      .get('/apps/shop-prod/dynos').reply(200, [dyno({type: 'worker', name: 'w-1'})])
      .get('/apps/shop-prod').reply(200, failedBefore)
    const {stdout, exitCode} = await runCommand(['ps:scale', 'worker=1', '-a', 'shop-prod', '--wait'], {env: apiEnv})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Scaled shop-prod: worker=1.\nshop-prod is ready: worker 1/1.\n')
  })

  describe('a type the latest release cannot run', () => {
    const web = formation({type: 'web', quantity: 0, command: null})
    const workerOnly = {version: 2, process_types: {worker: 'node worker.js'}}
    const refusal = 'Error: The dyno type web cannot run: release v2 has no command for it (no Procfile line, and the formation has none); ' +
      'deploy a folder whose Procfile has a web line, or give web a command with `aka ps:update web -c COMMAND`\n'

    it('is refused with exit 2 before any change is sent, where the platform lists the release\'s commands', async () => {
      api().get('/apps/shop-prod/formation').reply(200, [web, worker])
        .get('/apps/shop-prod/releases').reply(200, [{version: 1, process_types: {web: 'node web.js'}}, workerOnly])
      const {stdout, stderr, exitCode} = await runCommand(['ps:scale', 'worker=2', 'web=1', '-a', 'shop-prod'], {env: apiEnv})
      expect([exitCode, stdout, stderr]).to.deep.equal([2, '', refusal])
      expect(unexpected).to.deep.equal([])
    })

    it('is left to the platform when the releases say nothing of commands (a real Akkeris) or cannot be read', async () => {
      api().get('/apps/shop-prod/formation').reply(200, [web])
        .get('/apps/shop-prod/releases').reply(200, [{version: 2}])
        .patch('/apps/shop-prod/formation', [{type: 'web', quantity: 1}]).reply(200, [{...web, quantity: 1}])
      expect((await runCommand(['ps:scale', 'web=1', '-a', 'shop-prod'], {env: apiEnv})).exitCode).to.equal(0)
      api().get('/apps/shop-prod/formation').reply(200, [web])
        .get('/apps/shop-prod/releases').reply(503, 'region down')
        .patch('/apps/shop-prod/formation', [{type: 'web', quantity: 1}]).reply(422, 'The dyno type web cannot run: release v2 has no command for it.')
      const refused = await runCommand(['ps:scale', 'web=1', '-a', 'shop-prod'], {env: apiEnv})
      expect([refused.exitCode, refused.stderr]).to.deep.equal([1, 'Error: The dyno type web cannot run: release v2 has no command for it. (HTTP 422)\n'])
    })

    it('asks for the latest release beside the formation when web is scaled to anything but 0, not after it', async () => {
      let releasesAsked = false
      let askedBeforeFormationAnswered = false
      api().get('/apps/shop-prod/formation').reply((_uri, _body, answer) => {
        // The formation answers once the releases were asked for, or after a second if they are not.
        const started = Date.now()
        const poll = () => {
          if (!releasesAsked && Date.now() - started < 1000) return setTimeout(poll, 5)
          askedBeforeFormationAnswered = releasesAsked
          answer(null, [200, [web]])
        }
        poll()
      })
        .get('/apps/shop-prod/releases').reply(() => {
          releasesAsked = true
          return [200, [{version: 2, process_types: {web: 'node web.js'}}]]
        })
        .patch('/apps/shop-prod/formation', [{type: 'web', quantity: 1}]).reply(200, [{...web, quantity: 1}])
      const {exitCode} = await runCommand(['ps:scale', 'web+1', '-a', 'shop-prod'], {env: apiEnv})
      expect([exitCode, askedBeforeFormationAnswered]).to.deep.equal([0, true])
      expect(unexpected).to.deep.equal([])
    })

    it('pays no heed to releases asked early that turn out not to be needed, even when they cannot be read', async () => {
      api().get('/apps/shop-prod/formation').reply(200, formations)
        .get('/apps/shop-prod/releases').replyWithError({code: 'ECONNRESET', message: 'socket hang up'})
        .patch('/apps/shop-prod/formation', [{type: 'web', quantity: 3}]).reply(200, [{...webWithHealthcheck, quantity: 3}])
      const {stdout, stderr, exitCode} = await runCommand(['ps:scale', 'web=3', '-a', 'shop-prod'], {env: apiEnv})
      expect([exitCode, stdout, stderr]).to.deep.equal([0, 'Scaled shop-prod: web=3.\n', ''])
    })

    it('asks nothing more when scaling down or when the formation has its own command', async () => {
      api().get('/apps/shop-prod/formation').reply(200, [{...web, quantity: 1}, worker])
        .patch('/apps/shop-prod/formation', [{type: 'web', quantity: 0}, {type: 'worker', quantity: 3, command: 'node worker.js'}]).reply(200, [])
      expect((await runCommand(['ps:scale', 'web=0', 'worker=3', '-a', 'shop-prod'], {env: apiEnv})).exitCode).to.equal(0)
    })
  })
})
