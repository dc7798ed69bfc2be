import {expect} from 'chai'

import {api, apiEnv, blockNetwork} from '../../helpers/api.js'
import {crashedWorker, runningWeb} from '../../helpers/fixtures.js'
import {runCommand} from '../../helpers/run.js'
import {unexpectedRequests} from './helpers.js'

const attach = (signal: number) => ({command: ['sh', '-c', `kill -${signal} -1`], stdin: ''})

describe('aka ps:kill', () => {
  blockNetwork()
  const unexpected = unexpectedRequests()

  const signals: Array<[string, number]> = [['HUP', 1], ['INT', 2], ['QUIT', 3], ['ABRT', 6], ['KILL', 9], ['USR1', 10], ['TERM', 15]]
  for (const [name, number] of signals) {
    for (const flag of [`--${name}`, `--SIG${name}`]) {
      it(`sends kill -${number} -1 for ${flag}`, async () => {
        api().get('/apps/shop-prod/dynos').reply(200, runningWeb)
          .post('/apps/shop-prod/dynos/web.6df6bc55c4-ldt45/actions/attach', attach(number)).reply(200, {stdout: '', stderr: ''})
        const {stdout, exitCode} = await runCommand(['ps:kill', 'web.6df6bc55c4-ldt45', flag, '-a', 'shop-prod'], {env: apiEnv})
        expect(exitCode).to.equal(0)
        expect(stdout).to.equal(`Sent SIG${name} to web.6df6bc55c4-ldt45 of shop-prod.\n`)
      })
    }
  }

  it('answers to the hidden alias kill, shows a spinner on a terminal, and prints what was signalled with --json', async () => {
    const reply = {stdout: '', stderr: ''}
    api().get('/apps/shop-prod/dynos').reply(200, [crashedWorker])
      .post('/apps/shop-prod/dynos/worker.5555555555-zzzzz/actions/attach', attach(15)).reply(200, reply)
    const {stdout, stderr} = await runCommand(['kill', 'worker.5555555555-zzzzz', '--TERM', '-a', 'shop-prod', '--json'], {env: apiEnv, tty: true})
    expect(stderr).to.equal('Sending SIGTERM to worker.5555555555-zzzzz of shop-prod... done\n')
    expect(JSON.parse(stdout)).to.deep.equal({app: 'shop-prod', dyno: 'worker.5555555555-zzzzz', signal: 'SIGTERM', number: 15, ...reply})
  })

  const refusals: Array<[string, string[], string]> = [
    ['no signal', ['web.6df6bc55c4-ldt45'], 'Error: No signal given: name exactly one of --HUP, --INT, --QUIT, --ABRT, --KILL, --USR1, --TERM\n'],
    ['two signals', ['web.6df6bc55c4-ldt45', '--TERM', '--SIGKILL'], 'Error: Several signals given (--KILL, --TERM): name exactly one of --HUP, --INT, --QUIT, --ABRT, --KILL, --USR1, --TERM\n'],
    ['a type instead of a dyno', ['web', '--TERM'], 'Error: "web" names no dyno: expected TYPE.NAME, e.g. web.6df6bc55c4-ldt45; `aka ps -a APP` lists the dynos\n'],
    ['a signal the platform does not allow', ['web.6df6bc55c4-ldt45', '--STOP'], 'Error: Unknown flag --STOP; see `aka ps:kill --help`\n'],
  ]
  for (const [what, argv, message] of refusals) {
    it(`refuses ${what} before sending anything`, async () => {
      const {stdout, stderr, exitCode} = await runCommand(['ps:kill', ...argv, '-a', 'shop-prod'], {env: apiEnv})
      expect(stderr).to.equal(message)
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(unexpected).to.deep.equal([])
    })
  }

  it('refuses a dyno that does not run, sending no signal', async () => {
    api().get('/apps/shop-prod/dynos').reply(200, runningWeb)
    const {stderr, exitCode} = await runCommand(['ps:kill', 'web.gone-00000', '--KILL', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: shop-prod has no dyno web.gone-00000; its web dynos are: web.6df6bc55c4-ldt45, web.6df6bc55c4-x9k2p\n')
    expect(unexpected).to.deep.equal([])
  })

  it('shows a 403 from the server as one line and exits 1', async () => {
    api().get('/apps/shop-prod/dynos').reply(200, runningWeb)
      .post('/apps/shop-prod/dynos/web.6df6bc55c4-ldt45/actions/attach', attach(9)).reply(403, 'This operation is not allowed.')
    const {stderr, exitCode} = await runCommand(['ps:kill', 'web.6df6bc55c4-ldt45', '--KILL', '-a', 'shop-prod'], {env: apiEnv})
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal('Error: Not permitted: This operation is not allowed. (HTTP 403)\n')
  })
})
