// Tables at the terminal's width: wrapped at word boundaries on a TTY, whole in a pipe.
import {expect} from 'chai'

import {wrapWords} from '../../src/render/fit.js'
import {renderFormation} from '../../src/render/ps.js'
import {testTerminal} from '../../src/render/terminal.js'
import {dyno, formation} from '../helpers/fixtures.js'

const now = Date.parse('2026-11-26T12:00:00Z')
const crashed = dyno({type: 'web', name: '6df6bc55c4-ldt45', state: 'app-crashed', ready: false, restarts: 3, updated_at: '2026-11-26T11:00:00Z'})
const note = 'This application unexpectedly crashed. Check its logs for more information.'

describe('tables fit the terminal', () => {
  it('wraps the widest column at word boundaries at 80 columns on a TTY', () => {
    const term = testTerminal({tty: true, columns: 80})
    const text = renderFormation(term, 'shop-prod', [formation({type: 'web', quantity: 1})], [crashed], now)
    const lines = text.split('\n')
    for (const line of lines) expect(line.length, line).to.be.at.most(80)
    const words = lines.slice(2).map(line => line.slice(lines[1].indexOf('Info')).trim()).filter(Boolean).join(' ')
    expect(words).to.equal(note)
  })

  it('never wraps in a pipe', () => {
    const term = testTerminal({tty: false, columns: 80})
    const text = renderFormation(term, 'shop-prod', [formation({type: 'web', quantity: 1})], [crashed], now)
    expect(text.split('\n')[2]).to.contain(note)
  })

  it('breaks a word longer than the column across lines, never cutting it (a dyno name is typed again)', () => {
    expect(wrapWords('a verylongword b', 6)).to.deep.equal(['a', 'verylo', 'ngword', 'b'])
    expect(wrapWords('one two three', 7)).to.deep.equal(['one two', 'three'])
    expect(wrapWords('worker.5555555555-zzzzz', 12)).to.deep.equal(['worker.55555', '55555-zzzzz'])
  })
})
