import {expect} from 'chai'

import {UsageError} from '../../src/errors.js'
import {asksReleaseEarly, parsePair, parsePairs, scaleChanges} from '../../src/domain/scale.js'
import {formation, webWithHealthcheck, worker} from '../helpers/fixtures.js'

describe('scale grammar', () => {
  it('reads =, + and - with an optional size, lower-casing the type', () => {
    expect(parsePair('web=3')).to.deep.equal({text: 'web=3', type: 'web', operator: '=', amount: 3, size: undefined})
    expect(parsePair('Worker+2:gp2')).to.deep.equal({text: 'Worker+2:gp2', type: 'worker', operator: '+', amount: 2, size: 'gp2'})
    expect(parsePair('clock-1:gp2-prod')).to.deep.equal({text: 'clock-1:gp2-prod', type: 'clock', operator: '-', amount: 1, size: 'gp2-prod'})
  })

  for (const text of ['web', 'web=', '=3', 'web=-1', 'web=1.5', 'web=2abc', 'web=2:', 'web:gp2', 'we b=1', 'web=+1', 'my-web=1']) {
    it(`refuses "${text}", naming it`, () => {
      expect(() => parsePair(text)).to.throw(UsageError, `Cannot read the scale pair "${text}"`)
    })
  }

  it('refuses a type given twice, naming both pairs', () => {
    expect(() => parsePairs(['web=1', 'WEB-1'])).to.throw(UsageError, 'The dyno type web is scaled twice: "web=1" and "WEB-1"')
  })

  const formations = [webWithHealthcheck, worker, formation({type: 'clock', quantity: 0, command: null, port: null})]

  it('computes quantities from the current ones, flooring at 0, carrying non-web commands', () => {
    expect(scaleChanges(parsePairs(['web+1', 'worker-4:gp2', 'clock=32']), formations)).to.deep.equal([
      {type: 'web', quantity: 3},
      {type: 'worker', quantity: 0, size: 'gp2', command: 'node worker.js'},
      {type: 'clock', quantity: 32},
    ])
  })

  it('refuses an unknown type, listing the types', () => {
    expect(() => scaleChanges(parsePairs(['wrker=1']), formations)).to.throw(UsageError, 'Cannot scale "wrker=1": there is no dyno type wrker')
  })

  it('refuses quantities above 32, however reached', () => {
    expect(() => parsePairs(['web=33'])).to.throw(UsageError, 'Cannot scale "web=33": the number of instances must be between 0 and 32')
    expect(() => scaleChanges(parsePairs(['web+31']), formations)).to.throw(UsageError, 'Cannot scale "web+31" (2 + 31 = 33)')
  })
})

describe('asksReleaseEarly', () => {
  const asks = (...pairs: string[]) => asksReleaseEarly(parsePairs(pairs))
  it('asks beside the formation when web may keep or get dynos', () => {
    expect([asks('web=1'), asks('web+0'), asks('web-1'), asks('worker=0', 'web=2:gp2')]).to.deep.equal([true, true, true, true])
  })
  it('does not when web goes to 0 or is not scaled (other types have their command on any Akkeris)', () => {
    expect([asks('web=0'), asks('worker=3'), asks('worker+1', 'web=0')]).to.deep.equal([false, false, false])
  })
})
