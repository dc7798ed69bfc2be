import {expect} from 'chai'

import {type ObservedDyno, planType, type TypeState} from '../../../src/platform/runtime/reconcile.js'

const OLD = 'aaaaaaaaaa'
const NEW = 'bbbbbbbbbb'

function dyno(id: string, hash: string, overrides: Partial<ObservedDyno> = {}): ObservedDyno {
  return {id, label: `web.${hash}-${id}`, hash, createdAt: Number(id.replace(/\D/g, '')) || 0, ready: true, failure: null, replace: false, ...overrides}
}

function state(overrides: Partial<TypeState>): TypeState {
  return {quantity: 2, hash: NEW, deployment: {id: NEW, state: 'in-progress'}, dynos: [], now: 100_000, deadlineMs: 60_000, ...overrides}
}

describe('planType (the deployer step of one dyno type)', () => {
  it('records a new deployment and starts one surge dyno for a changed definition', () => {
    const plan = planType(state({deployment: {id: OLD, state: 'succeeded'}, dynos: [dyno('o1', OLD), dyno('o2', OLD)]}))
    expect(plan).to.deep.equal({start: 1, startOld: 0, stop: [], record: [{id: NEW, state: 'in-progress', reason: null}]})
  })

  it('waits while the new dyno is not ready', () => {
    const plan = planType(state({dynos: [dyno('o1', OLD), dyno('o2', OLD), dyno('n3', NEW, {ready: false, createdAt: 90_000})]}))
    expect(plan).to.deep.equal({start: 0, startOld: 0, stop: [], record: []})
  })

  it('stops the oldest old dyno once a new one is ready, and starts the next in the same step', () => {
    expect(planType(state({dynos: [dyno('o1', OLD), dyno('o2', OLD), dyno('n3', NEW)]}))).to.deep.equal({start: 1, startOld: 0, stop: ['o1'], record: []})
  })

  it('records a superseded deployment whose dynos all run ready at the quantity as succeeded (its step had not come yet)', () => {
    const ready = [dyno('o1', OLD), dyno('o2', OLD)]
    expect(planType(state({deployment: {id: OLD, state: 'in-progress'}, dynos: ready})).record).to.deep.equal([
      {id: OLD, state: 'succeeded', reason: null}, {id: NEW, state: 'in-progress', reason: null},
    ])
    const notYet = [dyno('o1', OLD), dyno('o2', OLD, {ready: false})]
    expect(planType(state({deployment: {id: OLD, state: 'in-progress'}, dynos: notYet})).record[0]).to.deep.equal({id: OLD, state: 'failed', reason: `superseded by deployment ${NEW}`})
  })

  it('records success once only ready new dynos remain at the quantity', () => {
    expect(planType(state({dynos: [dyno('n3', NEW), dyno('n4', NEW)]})).record).to.deep.equal([{id: NEW, state: 'succeeded', reason: null}])
  })

  it('stops old dynos that serve nothing without waiting, and starts up to one above the quantity', () => {
    const plan = planType(state({dynos: [dyno('o1', OLD, {ready: false, failure: 'crashed'}), dyno('o2', OLD)]}))
    expect(plan).to.include({start: 2})
    expect(plan.stop).to.deep.equal(['o1'])
  })

  it('fails the deployment on a crashed new dyno: the new go, the old stay', () => {
    const plan = planType(state({dynos: [dyno('o1', OLD), dyno('o2', OLD), dyno('n3', NEW, {ready: false, failure: 'crashed (exited with code 1)'})]}))
    expect(plan).to.deep.equal({start: 0, startOld: 0, stop: ['n3'], record: [{id: NEW, state: 'failed', reason: `web.${NEW}-n3 crashed (exited with code 1)`}]})
  })

  it('fails the deployment on a new dyno not ready within the deadline', () => {
    const plan = planType(state({dynos: [dyno('o1', OLD), dyno('n3', NEW, {ready: false, createdAt: 30_000})], quantity: 1}))
    expect(plan.record).to.deep.equal([{id: NEW, state: 'failed', reason: `web.${NEW}-n3 was not ready within 60 s`}])
    expect(plan.stop).to.deep.equal(['n3'])
  })

  it('says why a new dyno was not ready within the deadline: its last health check failure', () => {
    const failing = dyno('n3', NEW, {ready: false, createdAt: 30_000, probeFailure: 'health check /health answered 500'})
    const plan = planType(state({dynos: [dyno('o1', OLD), failing], quantity: 1}))
    expect(plan.record).to.deep.equal([{id: NEW, state: 'failed', reason: `web.${NEW}-n3 was not ready within 60 s: health check /health answered 500`}])
  })

  it('holds a failed deployment\'s old dynos at the quantity', () => {
    const failed = {id: NEW, state: 'failed' as const}
    expect(planType(state({deployment: failed, quantity: 3, dynos: [dyno('o1', OLD), dyno('o2', OLD)]}))).to.deep.equal({start: 0, startOld: 1, stop: [], record: []})
    expect(planType(state({deployment: failed, quantity: 1, dynos: [dyno('o1', OLD), dyno('o2', OLD)]})).stop).to.deep.equal(['o2'])
  })

  it('keeps a failed first deployment\'s dynos (nothing older to serve) at the quantity', () => {
    const plan = planType(state({deployment: {id: NEW, state: 'failed'}, dynos: [dyno('n1', NEW, {ready: false, failure: 'crashed'})]}))
    expect(plan).to.deep.equal({start: 1, startOld: 0, stop: [], record: []})
  })

  it('starts the last succeeded definition for a failed deployment with no old dyno left (a restart of the platform)', () => {
    const failed = {id: NEW, state: 'failed' as const}
    expect(planType(state({deployment: failed, fallback: true}))).to.deep.equal({start: 0, startOld: 2, stop: [], record: []})
    const crashing = dyno('n1', NEW, {ready: false, failure: 'crashed'})
    expect(planType(state({deployment: failed, fallback: true, dynos: [crashing]}))).to.deep.equal({start: 0, startOld: 2, stop: ['n1'], record: []})
  })

  it('fails a definition that cannot run at once, keeping the old dynos, and starts nothing of it', () => {
    const unrunnable = 'release v2 has no command for worker (no Procfile line, and the formation has none)'
    const plan = planType(state({deployment: {id: OLD, state: 'succeeded'}, unrunnable, dynos: [dyno('o1', OLD), dyno('o2', OLD)]}))
    expect(plan).to.deep.equal({start: 0, startOld: 0, stop: [], record: [
      {id: NEW, state: 'in-progress', reason: null},
      {id: NEW, state: 'failed', reason: unrunnable},
    ]})
    expect(planType(state({deployment: {id: NEW, state: 'failed'}, unrunnable}))).to.deep.equal({start: 0, startOld: 0, stop: [], record: []})
  })

  it('supersedes an in-progress deployment, keeping dynos that already match the newest definition', () => {
    const plan = planType(state({hash: OLD, deployment: {id: NEW, state: 'in-progress'}, dynos: [dyno('o1', OLD), dyno('o2', OLD), dyno('n3', NEW, {ready: false})]}))
    expect(plan.record).to.deep.equal([
      {id: NEW, state: 'failed', reason: `superseded by deployment ${OLD}`},
      {id: OLD, state: 'in-progress', reason: null},
    ])
    expect(plan).to.include({start: 0})
    expect(plan.stop).to.deep.equal(['n3'])
  })

  it('scales without a deployment: adds the missing, removes the newest first', () => {
    const settled = {id: NEW, state: 'succeeded' as const}
    expect(planType(state({deployment: settled, quantity: 4, dynos: [dyno('n1', NEW), dyno('n2', NEW)]}))).to.deep.equal({start: 2, startOld: 0, stop: [], record: []})
    expect(planType(state({deployment: settled, quantity: 1, dynos: [dyno('n1', NEW), dyno('n2', NEW)]})).stop).to.deep.equal(['n2'])
  })

  it('replaces one dyno: the replacement first, then the replaced one leaves', () => {
    const settled = {id: NEW, state: 'succeeded' as const}
    expect(planType(state({deployment: settled, dynos: [dyno('n1', NEW, {replace: true}), dyno('n2', NEW)]}))).to.include({start: 1})
    expect(planType(state({deployment: settled, dynos: [dyno('n1', NEW, {replace: true}), dyno('n2', NEW), dyno('n3', NEW)]})).stop).to.deep.equal(['n1'])
  })

  it('stops everything of a type scaled to 0', () => {
    const plan = planType(state({quantity: 0, dynos: [dyno('o1', OLD), dyno('n2', NEW)]}))
    expect(plan.stop).to.deep.equal(['o1', 'n2'])
    expect(plan.record).to.deep.equal([{id: NEW, state: 'succeeded', reason: null}])
  })
})
