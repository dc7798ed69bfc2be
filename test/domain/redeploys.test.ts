import {expect} from 'chai'

import type {Formation} from '../../src/api/types.js'
import {type DynoChange, type PlatformKind, redeploys} from '../../src/domain/redeploys.js'
import {formation} from '../helpers/fixtures.js'

const web: Formation = formation({type: 'web', quantity: 2, size: 'gp1', port: 9000})

describe('redeploys', () => {
  const cases: Array<[string, DynoChange, PlatformKind, boolean]> = [
    ['a new type', {kind: 'create'}, 'controller', false],
    ['a quantity alone in a batch', {kind: 'scale', current: 'gp1'}, 'controller', false],
    ['the same size in a batch', {kind: 'scale', size: 'gp1', current: 'gp1'}, 'local', false],
    ['a new size in a batch', {kind: 'scale', size: 'gp2', current: 'gp1'}, 'local', true],
    ['a quantity PATCH on a controller', {kind: 'update', update: {quantity: 3}, current: web}, 'controller', true],
    ['a quantity PATCH on the local platform', {kind: 'update', update: {quantity: 3}, current: web}, 'local', false],
    ['the same port on the local platform', {kind: 'update', update: {port: 9000}, current: web}, 'local', false],
    ['a new port on the local platform', {kind: 'update', update: {port: 9001}, current: web}, 'local', true],
    ['a removed healthcheck', {kind: 'update', update: {removeHealthcheck: true}, current: web}, 'local', true],
    ['a restart', {kind: 'restart'}, 'local', true],
    ['a config change', {kind: 'config'}, 'local', true],
    ['a release', {kind: 'release'}, 'local', true],
  ]
  for (const [what, change, platform, expected] of cases) {
    it(`${what} on ${platform}: ${expected ? 'redeploys' : 'keeps the dynos'}`, () => {
      expect(redeploys(change, platform)).to.equal(expected)
    })
  }
})
