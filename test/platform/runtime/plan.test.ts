// The deployment policy as a table of (desired state, history, observed dynos, time) → actions.
import {expect} from 'chai'

import type {DeploymentRecord, DesiredApp, DynoDefinition, FormationRecord} from '../../../src/platform/contract.js'
import {dynoSpec} from '../../../src/platform/runtime/deployment.js'
import {type Action, type AppState, type DynoObservation, planApp} from '../../../src/platform/runtime/plan.js'
import {DEFAULT_TIMING} from '../../../src/platform/runtime/timing.js'

const NOW = 1_000_000
const timing = {deadlineMs: 60_000, backoffStartMs: DEFAULT_TIMING.backoffStartMs, backoffMaxMs: DEFAULT_TIMING.backoffMaxMs}

function formation(type: string, quantity: number, command: string | null = null): FormationRecord {
  return {id: type, type, command, quantity, size: 'gp1', port: type === 'web' ? 9000 : null, healthcheck: null, schedule: null, timezone: null, created_at: '', updated_at: ''}
}

function desired(config: Record<string, string>, formations: FormationRecord[], restarts: Record<string, string> = {}, commands = {web: 'node web.js', worker: 'node worker.js'}): DesiredApp {
  return {
    app: {id: 'app', name: 'demo', space: 'default', org: 'local', key: 'demo-default', created_at: '', updated_at: ''},
    release: {id: 'release-1', version: 1, slugDir: '/slug', defaultCommands: commands, description: '', created_at: ''},
    config, formations, restarts,
  }
}

function definitionOf(app: DesiredApp, type: string): DynoDefinition {
  const spec = dynoSpec(app, app.formations.find(candidate => candidate.type === type) as FormationRecord, app.restarts[type])
  if ('missing' in spec) throw new Error(spec.missing)
  return spec
}

let serial = 0
function dyno(definition: DynoDefinition, overrides: Partial<DynoObservation> = {}): DynoObservation {
  const id = `d${++serial}`
  return {id, label: `${definition.type}.${definition.hash}-${id}`, definition, createdAt: NOW - 10_000, phase: 'up', ready: true, reason: null, probeFailure: null, crashes: 0, exitedAt: 0, replace: false, runsOnce: false, ...overrides}
}

function deployment(definition: DynoDefinition, state: DeploymentRecord['state']): DeploymentRecord {
  return {id: definition.hash, appId: 'app', type: definition.type, state, reason: null, created_at: 'then', updated_at: 'then'}
}

function plan(state: Partial<AppState> & Pick<AppState, 'desired'>) {
  return planApp({appId: 'app', history: {}, dynos: [], now: NOW, ...state}, timing)
}

const kinds = (actions: Action[]) => actions.map(action => action.kind === 'record'
  ? `record ${action.deployment.state}${action.deployment.reason ? `: ${action.deployment.reason}` : ''}`
  : action.kind === 'start' ? `start ${action.definition.hash === current ? 'new' : 'old'}${action.again ? ' again' : ''}` : `${action.kind} ${action.dyno}`)
let current = ''

describe('planApp (the deployment policy)', () => {
  const v1 = desired({GREETING: 'one'}, [formation('web', 2)])
  const v2 = desired({GREETING: 'two'}, [formation('web', 2)])
  const old = definitionOf(v1, 'web')
  const next = definitionOf(v2, 'web')
  beforeEach(() => {
    serial = 0
    current = next.hash
  })

  it('a good rollout: one surge dyno first, then one old dyno per ready new one, then success', () => {
    const o1 = dyno(old), o2 = dyno(old)
    const history = {web: {latest: deployment(old, 'succeeded'), lastSucceeded: old}}
    expect(kinds(plan({desired: v2, history, dynos: [o1, o2]}).actions)).to.deep.equal(['record in-progress', 'start new'])
    const n1 = dyno(next, {ready: false, createdAt: NOW - 100})
    const rolling = {web: {latest: deployment(next, 'in-progress'), lastSucceeded: old}}
    expect(kinds(plan({desired: v2, history: rolling, dynos: [o1, o2, n1]}).actions)).to.deep.equal([])
    n1.ready = true
    expect(kinds(plan({desired: v2, history: rolling, dynos: [o1, o2, n1]}).actions)).to.deep.equal(['stop d1', 'start new'])
    const n2 = dyno(next)
    expect(kinds(plan({desired: v2, history: rolling, dynos: [o2, n1, n2]}).actions)).to.deep.equal(['stop d2'])
    expect(kinds(plan({desired: v2, history: rolling, dynos: [n1, n2]}).actions)).to.deep.equal(['record succeeded'])
  })

  it('leaves dynos that run once alone: a one-off or a scheduled run of a type is neither counted, stopped nor restarted', () => {
    const run = dyno(old, {runsOnce: true, phase: 'crashed', ready: false, crashes: 1, exitedAt: NOW - 60_000})
    const history = {web: {latest: deployment(old, 'succeeded'), lastSucceeded: old}}
    expect(kinds(plan({desired: v2, history, dynos: [dyno(old), dyno(old), run]}).actions)).to.deep.equal(['record in-progress', 'start new'])
    expect(kinds(plan({desired: v2, history, dynos: [run]}).actions)).to.deep.equal(['record in-progress', 'start new', 'start new'])
  })

  it('a crash of a new dyno fails the deployment: the new one goes, the old ones stay', () => {
    const dynos = [dyno(old), dyno(old), dyno(next, {phase: 'crashed', ready: false, reason: 'exited with code 1', crashes: 1, exitedAt: NOW})]
    const actions = plan({desired: v2, history: {web: {latest: deployment(next, 'in-progress')}}, dynos}).actions
    expect(kinds(actions)).to.deep.equal([`record failed: web.${next.hash}-d3 crashed (exited with code 1)`, 'stop d3'])
  })

  it('a new dyno never ready fails the deployment at the deadline, not before', () => {
    const stuck = (createdAt: number) => [dyno(old), dyno(old), dyno(next, {ready: false, createdAt})]
    const history = {web: {latest: deployment(next, 'in-progress')}}
    expect(kinds(plan({desired: v2, history, dynos: stuck(NOW - 60_000)}).actions)).to.deep.equal([])
    serial = 0
    expect(kinds(plan({desired: v2, history, dynos: stuck(NOW - 60_001)}).actions)).to.deep.equal([`record failed: web.${next.hash}-d3 was not ready within 60 s`, 'stop d3'])
  })

  it('a change during a rollout supersedes it', () => {
    const v3 = desired({GREETING: 'three'}, [formation('web', 2)])
    current = definitionOf(v3, 'web').hash
    const actions = plan({desired: v3, history: {web: {latest: deployment(next, 'in-progress')}}, dynos: [dyno(old), dyno(old), dyno(next, {ready: false, createdAt: NOW})]}).actions
    expect(kinds(actions)).to.deep.equal([`record failed: superseded by deployment ${current}`, 'record in-progress', 'stop d3', 'start new'])
  })

  it('a restart mid-rollout (a new token) is one more change of the definition', () => {
    const restarted = desired({GREETING: 'two'}, [formation('web', 2)], {web: 'token-1'})
    current = definitionOf(restarted, 'web').hash
    expect(current).to.not.equal(next.hash)
    const actions = plan({desired: restarted, history: {web: {latest: deployment(next, 'in-progress')}}, dynos: [dyno(old), dyno(next)]}).actions
    // Both running dynos are now old ones, and both serve: one surge dyno of the restarted definition first.
    expect(kinds(actions)).to.deep.equal([`record failed: superseded by deployment ${current}`, 'record in-progress', 'start new'])
  })

  it('a crashed dyno restarts after its back-off, doubling with each crash', () => {
    current = old.hash
    const history = {web: {latest: deployment(old, 'succeeded'), lastSucceeded: old}}
    const crashed = (crashes: number, exitedAt: number) => plan({desired: v1, history, dynos: [dyno(old), dyno(old, {phase: 'crashed', ready: false, reason: 'exited with code 1', crashes, exitedAt})]})
    expect(crashed(1, NOW - 999)).to.deep.equal({actions: [], wakeAt: NOW + 1})
    serial = 0
    expect(kinds(crashed(1, NOW - 1000).actions)).to.deep.equal(['restart d2'])
    serial = 0
    expect(crashed(3, NOW - 1000).wakeAt).to.equal(NOW + 3000)
    serial = 0
    expect(crashed(30, NOW).wakeAt).to.equal(NOW + DEFAULT_TIMING.backoffMaxMs)
  })

  it('after a restart of the platform that follows a failed deployment, the last succeeded definition runs again', () => {
    current = next.hash
    const history = {web: {latest: deployment(next, 'failed'), lastSucceeded: old}}
    const actions = plan({desired: v2, history}).actions
    expect(actions).to.deep.equal([{kind: 'start', definition: old, again: true}, {kind: 'start', definition: old, again: false}])
  })

  it('a type no longer in the formation is stopped, and a scaled-down type loses its newest dynos', () => {
    current = old.hash
    const worker = definitionOf(desired({}, [formation('worker', 1)]), 'worker')
    const history = {web: {latest: deployment(old, 'succeeded')}}
    const one = desired({GREETING: 'one'}, [formation('web', 1)])
    const dynos = [dyno(old, {createdAt: 1}), dyno(old, {createdAt: 2}), dyno(worker)]
    expect(kinds(plan({desired: one, history, dynos}).actions)).to.deep.equal(['stop d2', 'stop d3'])
  })

  it('a definition without a command fails its deployment at once and keeps the old dynos', () => {
    const noCommand = desired({GREETING: 'one'}, [formation('web', 1)], {}, {web: '', worker: ''})
    const actions = plan({desired: noCommand, history: {web: {latest: deployment(old, 'succeeded')}}, dynos: [dyno(old)]}).actions
    expect(kinds(actions)).to.deep.equal(['record in-progress', 'record failed: release v1 has no command for web (no Procfile line, and the formation has none)'])
  })
})
