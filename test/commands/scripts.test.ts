// What scripts get: --json on every command that changes something, --wait on config changes,
// config:get, and the names aka 3.x users type.
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import nock from 'nock'

import type {App, DeploymentStatus} from '../../src/api/types.js'
import {api, apiEnv, blockNetwork} from '../helpers/api.js'
import {dyno, formation, shopApp, worker} from '../helpers/fixtures.js'
import {runCommand} from '../helpers/run.js'

function deployment(id: string, state: DeploymentStatus['state']): Partial<App> {
  return {id: 'a-shop', name: 'shop-prod', deployment: {id, state, reason: null, created_at: '2026-11-02T09:30:00Z', updated_at: '2026-11-02T09:30:05Z'}}
}

const web = formation({type: 'web'})
const oldWeb = dyno({type: 'web', name: 'aaaaaaaaaa-old11'})
const newWeb = dyno({type: 'web', name: 'bbbbbbbbbb-new22'})

describe('scripts', () => {
  blockNetwork()

  describe('config:set and config:unset', () => {
    it('--json prints the app and the names changed, never a value', async () => {
      api().patch('/apps/shop-prod/config-vars', {GREETING: 'secret hello'}).reply(200, {GREETING: 'secret hello'})
      const set = await runCommand(['config:set', 'GREETING=secret hello', '-a', 'shop-prod', '--json'], {env: apiEnv})
      expect([set.exitCode, JSON.parse(set.stdout)]).to.deep.equal([0, {app: 'shop-prod', set: ['GREETING']}])
      expect(set.stdout + set.stderr).to.not.contain('secret')
      api().patch('/apps/shop-prod/config-vars', {GREETING: null}).reply(200, {})
      const unset = await runCommand(['config:unset', 'GREETING', '-a', 'shop-prod', '--json'], {env: apiEnv})
      expect(JSON.parse(unset.stdout)).to.deep.equal({app: 'shop-prod', unset: ['GREETING']})
    })

    it('--wait waits until every dyno that ran before is replaced (a config change is a rolling deployment)', async () => {
      api().get('/apps/shop-prod/dynos').reply(200, [oldWeb])
        .get('/apps/shop-prod').reply(200, deployment('aaaaaaaaaa', 'succeeded'))
        .patch('/apps/shop-prod/config-vars', {GREETING: 'hi'}).reply(200, {GREETING: 'hi'})
        .get('/apps/shop-prod/formation').reply(200, [web])
        .get('/apps/shop-prod/formation').reply(200, [web])
        .get('/apps/shop-prod/dynos').reply(200, [newWeb])
        .get('/apps/shop-prod').reply(200, deployment('bbbbbbbbbb', 'succeeded'))
      const {stdout, stderr, exitCode} = await runCommand(['config:set', 'GREETING=hi', '-a', 'shop-prod', '--wait'], {env: apiEnv})
      expect([exitCode, stdout, stderr]).to.deep.equal([0, 'Set GREETING on ⬢ shop-prod.\nshop-prod is ready: web 1/1.\n', 'Waiting for shop-prod: web 1/1\n'])
    })
  })

  describe('config:get KEY', () => {
    it('prints the value alone, or as JSON', async () => {
      api().get('/apps/shop-prod/config-vars').twice().reply(200, {GREETING: 'hi there', OTHER: 'x'})
      expect((await runCommand(['config:get', 'GREETING', '-a', 'shop-prod'], {env: apiEnv})).stdout).to.equal('hi there\n')
      expect(JSON.parse((await runCommand(['config:get', 'GREETING', '-a', 'shop-prod', '--json'], {env: apiEnv})).stdout)).to.deep.equal({GREETING: 'hi there'})
    })

    it('exits 1 for a var that is not set, and 2 for a name that cannot be one (nothing sent)', async () => {
      api().get('/apps/shop-prod/config-vars').reply(200, {OTHER: 'x'})
      const missing = await runCommand(['config:get', 'GREETING', '-a', 'shop-prod'], {env: apiEnv})
      expect([missing.exitCode, missing.stderr]).to.deep.equal([1, 'Error: shop-prod has no config var GREETING; `aka config -a shop-prod` lists them\n'])
      expect((await runCommand(['config:get', 'NOT-A-NAME', '-a', 'shop-prod'], {env: apiEnv})).exitCode).to.equal(2)
    })
  })

  it('apps:destroy --json prints the API\'s answer', async () => {
    const answer = {id: shopApp.id, name: 'shop-prod', org: 'acme', result: 'successful'}
    api().delete('/apps/shop-prod').reply(200, answer)
    const {stdout, exitCode} = await runCommand(['apps:destroy', '-a', 'shop-prod', '--confirm', 'shop-prod', '--json'], {env: apiEnv})
    expect([exitCode, JSON.parse(stdout)]).to.deep.equal([0, answer])
  })

  it('ps:destroy --json prints the deleted rows', async () => {
    const rows = [{formation: worker.id, app: shopApp.id, type: 'worker', deleted: true}]
    api().get('/apps/shop-prod/formation/worker').reply(200, worker).delete('/apps/shop-prod/formation/worker').reply(200, rows)
    const {stdout, exitCode} = await runCommand(['ps:destroy', 'worker', '-a', 'shop-prod', '--confirm', 'shop-prod', '--json'], {env: apiEnv})
    expect([exitCode, JSON.parse(stdout)]).to.deep.equal([0, rows])
  })

  it('ps:wait --json prints the final state of each type', async () => {
    api().get('/apps/shop-prod/formation').reply(200, [web])
      .get('/apps/shop-prod/dynos').reply(200, [newWeb])
      .get('/apps/shop-prod').reply(200, deployment('bbbbbbbbbb', 'succeeded'))
    const {stdout, stderr, exitCode} = await runCommand(['ps:wait', '-a', 'shop-prod', '--json'], {env: apiEnv})
    expect(exitCode, stderr).to.equal(0)
    expect(JSON.parse(stdout)).to.deep.equal({app: 'shop-prod', types: [{type: 'web', quantity: 1, ready: 1, total: 1, old: 0, deploying: false, done: true}]})
    expect(stderr).to.equal('Waiting for shop-prod: web 1/1\nshop-prod is ready: web 1/1.\n')
  })

  describe('local:deploy --json', () => {
    let root: string

    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'aka-deploy-'))
      mkdirSync(join(root, 'local'))
      writeFileSync(join(root, 'local', 'platform.json'), JSON.stringify({pid: process.pid, port: 5999, url: 'http://127.0.0.1:5999', started_at: '2026-11-26T10:00:00Z'}))
      writeFileSync(join(root, 'local', 'token'), 'local-token-1\n')
    })

    afterEach(() => rmSync(root, {recursive: true, force: true}))

    it('prints the release', async () => {
      const build = {id: 'b-1', app: {id: 'a', name: 'hello-default'}, status: 'succeeded', release: {id: 'r-1', version: 1}, created_at: 'x', updated_at: 'x'}
      const release = {id: 'r-1', version: 1, app: {id: 'a', name: 'hello-default'}, status: 'pending', current: false, description: 'Deploy of local', process_types: {web: 'node web.js'}}
      nock('http://127.0.0.1:5999').post('/apps/hello-default/builds', {url: pathToFileURL(root).href}).reply(201, build)
        .get('/apps/hello-default/releases/r-1').reply(200, release)
        .get('/apps/hello-default/formation').reply(200, [formation({type: 'web'})])
      const {stdout, exitCode} = await runCommand(['local:deploy', root, '-a', 'hello-default', '--no-wait', '--json'], {env: {AKKERIS_LOCAL_HOME: join(root, 'local')}})
      expect([exitCode, JSON.parse(stdout)]).to.deep.equal([0, release])
    })
  })

  it('aka 3.x names: log, info, auth', async () => {
    api().get('/apps/shop-prod').reply(200, shopApp).get('/account').reply(200, {name: 'Jane Doe', email: 'jane@example.com'})
    expect((await runCommand(['info', '-a', 'shop-prod', '--json'], {env: apiEnv})).exitCode).to.equal(0)
    expect((await runCommand(['auth'], {env: apiEnv})).stdout).to.equal('Jane Doe (jane@example.com)\n')
    const log = await runCommand(['log', '-a', 'shop-prod', '-n', '-1'], {env: apiEnv})
    expect(log.exitCode, 'log is logs: its range check answers').to.equal(2)
  })
})
