import {expect} from 'chai'

import {ApiClient} from '../../src/api/client.js'
import {createApi} from '../../src/api/index.js'
import {AkaError, UsageError} from '../../src/errors.js'
import {testTerminal} from '../../src/render/terminal.js'
import {target, waitForRollout} from '../../src/cli/wait.js'
import {api, API_URL, blockNetwork, TOKEN} from '../helpers/api.js'
import {dyno, webWithHealthcheck} from '../helpers/fixtures.js'
import {appInfo, fakeClock} from '../commands/ps/helpers.js'

const client = () => createApi(new ApiClient({
  baseURL: API_URL, authorization: `Bearer ${TOKEN}`, userAgent: 'aka/test', timeoutMs: 1000, loginHint: 'log in', unreachableHint: 'start it',
}))

/** The error a promise rejects with; a promise that resolves fails the test. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(() => undefined, (reason: unknown) => reason as Error)
  if (!outcome) throw new Error('expected a rejection')
  return outcome
}

function poll(dynos = [dyno({type: 'web', name: 'a-1'})], formations = [webWithHealthcheck]) {
  api().get('/apps/shop-prod/formation').reply(200, formations)
    .get('/apps/shop-prod/dynos').reply(200, dynos)
    .get('/apps/shop-prod').reply(200, appInfo())
}

describe('wait loop', () => {
  blockNetwork()
  const clock = fakeClock()

  it('never sleeps past the deadline: the last sleep is what is left', async () => {
    for (let look = 0; look < 4; look++) poll()
    const term = testTerminal()
    const error = await failure(waitForRollout(client(), term, {app: 'shop-prod', timeoutSeconds: 5, intervalSeconds: 2}))
    expect(error).to.be.instanceOf(AkaError)
    expect(error.message).to.equal('Timed out after 5 s waiting for shop-prod: web 1/2 ready')
    expect(clock.slept()).to.equal(5000)
  })

  it('says minutes for long deadlines', async () => {
    poll()
    poll()
    const error = await failure(waitForRollout(client(), testTerminal(), {app: 'shop-prod', timeoutSeconds: 90, intervalSeconds: 90}))
    expect(error.message).to.equal('Timed out after 1 min 30 s waiting for shop-prod: web 1/2 ready')
  })

  it('treats a type missing at the first look as a usage error, and one destroyed later as a failure', async () => {
    poll([], [])
    const first = await failure(waitForRollout(client(), testTerminal(), {app: 'shop-prod', targets: [{type: 'web', replacing: new Set()}]}))
    expect(first).to.be.instanceOf(UsageError)
    expect(first.message).to.equal('shop-prod has no dyno type web')
    poll()
    poll([], [])
    const later = await failure(waitForRollout(client(), testTerminal(), {app: 'shop-prod', targets: [{type: 'web', replacing: new Set()}]}))
    expect(later).to.be.instanceOf(AkaError).and.not.instanceOf(UsageError)
    expect(later.message).to.equal('The dyno type web of shop-prod was destroyed while waiting for it')
  })

  it('sends the ready line to stderr when stdout carries JSON', async () => {
    poll([dyno({type: 'web', name: 'a-1'}), dyno({type: 'web', name: 'a-2'})])
    const term = testTerminal()
    await waitForRollout(client(), term, {app: 'shop-prod', resultTo: 'stderr'})
    expect(term.out()).to.equal('')
    expect(term.err()).to.equal('Waiting for shop-prod: web 2/2\nshop-prod is ready: web 2/2.\n')
  })

  it('targets every dyno of a type for a redeploy, or one dyno, or none when only counting', () => {
    const baseline = {dynos: [dyno({type: 'web', name: 'a-1'}), dyno({type: 'web', name: 'a-2'}), dyno({type: 'worker', name: 'w-1'})], deployment: null}
    expect([...target('web', baseline, true).replacing]).to.deep.equal(['web.a-1', 'web.a-2'])
    expect([...target('web', baseline, true, 'web.a-2').replacing]).to.deep.equal(['web.a-2'])
    expect([...target('web', baseline, false).replacing]).to.deep.equal([])
  })
})
