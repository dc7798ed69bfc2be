import {expect} from 'chai'

import type {DeploymentStatus, Dyno} from '../../src/api/types.js'
import {checkRollout, describeProgress, type RolloutTarget} from '../../src/domain/rollout.js'
import {dyno, formation} from '../helpers/fixtures.js'

const NOW = Date.parse('2026-11-26T12:00:00Z')
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString()
const web = (name: string, overrides: Partial<Dyno> = {}) => dyno({type: 'web', name, created_at: at(30), ...overrides})
const webType = formation({type: 'web', quantity: 2})
const counting: RolloutTarget = {type: 'web', replacing: new Set()}
const deployment = (overrides: Partial<DeploymentStatus>): DeploymentStatus => ({
  id: 'bbbbbbbbbb', state: 'succeeded', reason: null, created_at: at(10), updated_at: at(5), ...overrides,
})

function check(dynos: Dyno[], targets: RolloutTarget[] = [counting], extra: {deployment?: DeploymentStatus, previousDeployment?: string} = {}) {
  return checkRollout({formations: [webType], dynos, deployment: extra.deployment}, {app: 'shop-prod', targets, previousDeployment: extra.previousDeployment, now: NOW})
}

describe('rollout check', () => {
  it('never waits for a scheduled type: its dynos are runs that come and go, and a failed run is no failed rollout', () => {
    const report = formation({type: 'report', quantity: 1, command: 'node report.js', schedule: '@hourly'})
    const failedRun = dyno({type: 'report', name: '4', state: 'app-crashed', created_at: at(30)})
    const verdict = checkRollout({formations: [webType, report], dynos: [web('a-1'), web('a-2'), failedRun]}, {
      app: 'shop-prod', targets: [counting, {type: 'report', replacing: new Set()}], now: NOW,
    })
    expect(verdict.kind).to.equal('done')
    expect(verdict.kind === 'done' && describeProgress(verdict.progress)).to.equal('web 2/2, report (scheduled)')
  })

  it('is done when the count equals the quantity and all are running and ready', () => {
    expect(check([web('a-1'), web('a-2')]).kind).to.equal('done')
    expect(check([web('a-1'), web('a-2', {ready: false})]).kind).to.equal('waiting')
    expect(check([web('a-1')]).kind).to.equal('waiting')
  })

  it('is not done while a surge leaves more dynos than asked for', () => {
    const verdict = check([web('a-1'), web('a-2'), web('a-3', {state: 'stopping', ready: false})])
    expect(verdict.kind).to.equal('waiting')
    expect(verdict.kind === 'waiting' && describeProgress(verdict.progress)).to.equal('web 2/2 ready (1 extra)')
  })

  it('after a redeploy, is done only once every old dyno is gone', () => {
    const redeploy: RolloutTarget = {type: 'web', replacing: new Set(['web.a-1', 'web.a-2'])}
    const midway = check([web('a-2'), web('b-1'), web('b-2')], [redeploy])
    expect(midway.kind === 'waiting' && describeProgress(midway.progress)).to.equal('web 2/2 ready (1 old)')
    expect(check([web('a-1'), web('a-2')], [redeploy]).kind).to.equal('waiting')
    expect(check([web('b-1'), web('b-2')], [redeploy]).kind).to.equal('done')
  })

  it('fails on a new dyno that crashed or cannot start, but not on an old one being replaced', () => {
    const crashed = check([web('a-1', {state: 'app-crashed', ready: false}), web('a-2')])
    expect(crashed).to.include({kind: 'failed', reason: 'Dyno web.a-1 on shop-prod is app-crashed'})
    const redeploy: RolloutTarget = {type: 'web', replacing: new Set(['web.a-1'])}
    expect(check([web('a-1', {state: 'app-crashed', ready: false}), web('b-1')], [redeploy]).kind).to.equal('waiting')
    expect(check([web('b-1', {state: 'start-failure', ready: false, additional_info: 'exec: not found'})], [redeploy]))
      .to.include({kind: 'failed', reason: 'Dyno web.b-1 on shop-prod is start-failure (exec: not found)'})
  })

  it('fails a health check only after 90 s', () => {
    expect(check([web('a-1', {state: 'probe-failure', ready: false, created_at: at(90)}), web('a-2')]).kind).to.equal('waiting')
    expect(check([web('a-1', {state: 'probe-failure', ready: false, created_at: at(91)}), web('a-2')]))
      .to.include({kind: 'failed', reason: 'Dyno web.a-1 on shop-prod has failed its health check for 91 s (probe-failure)'})
  })

  it('fails on a failed deployment of a waited type, unless it predates the change', () => {
    const up = [web('a-1'), web('a-2')]
    const failed = deployment({state: 'failed', type: 'web', reason: 'not ready within 60 s'})
    expect(check(up, [counting], {deployment: failed})).to.include({kind: 'failed', reason: 'The deployment of web on shop-prod failed: not ready within 60 s'})
    expect(check(up, [counting], {deployment: failed, previousDeployment: 'bbbbbbbbbb'}).kind).to.equal('done')
    expect(check(up, [counting], {deployment: {...failed, type: 'worker'}}).kind).to.equal('done')
    expect(check(up, [counting], {deployment: {...failed, type: undefined, reason: null}}))
      .to.include({kind: 'failed', reason: 'The deployment of web on shop-prod failed: no reason given'})
  })

  it('waits while a deployment of the type is in progress', () => {
    const verdict = check([web('a-1'), web('a-2')], [counting], {deployment: deployment({state: 'in-progress', type: 'web'})})
    expect(verdict.kind === 'waiting' && describeProgress(verdict.progress)).to.equal('web 2/2 ready (deploying)')
  })

  it('names the types the formation lacks', () => {
    expect(check([], [{type: 'clock', replacing: new Set()}])).to.deep.equal({kind: 'unknown-types', types: ['clock'], known: ['web']})
  })

  it('counts the dynos of the deployment made after the change as new, even under names seen before', () => {
    const revert: RolloutTarget = {type: 'web', replacing: new Set(['web.aaaaaaaaaa-00001', 'web.aaaaaaaaaa-00002'])}
    const running = [web('aaaaaaaaaa-00001'), web('aaaaaaaaaa-00002')]
    const after = (state: DeploymentStatus['state']) => ({deployment: deployment({id: 'aaaaaaaaaa', state}), previousDeployment: 'ffffffffff'})
    expect(check(running, [revert], after('in-progress')).kind).to.equal('waiting')
    expect(check(running, [revert], after('succeeded')).kind).to.equal('done')
    expect(check(running, [revert], {deployment: deployment({id: 'aaaaaaaaaa'}), previousDeployment: 'aaaaaaaaaa'}).kind).to.equal('waiting')
    expect(check(running.map(dyno => ({...dyno, name: dyno.name.replace('aaaaaaaaaa', 'x'), deployment: 'aaaaaaaaaa'})), [{type: 'web', replacing: new Set(['web.x-00001', 'web.x-00002'])}], after('succeeded')).kind).to.equal('done')
  })
})
