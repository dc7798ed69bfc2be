// renderTable lays the columns out itself and hands cli-table3 the rows as lines, all in one cell when
// no line has an escape code: what it prints must be what cli-table3 prints given each line as a cell
// of its own, for any cells (wide characters, emoji, escape codes, one left open, empty cells).
import {expect} from 'chai'
import Table from 'cli-table3'
import tableUtils from 'cli-table3/src/utils.js'
import fc from 'fast-check'

import {renderTable} from '../../src/render/table.js'
import {testTerminal} from '../../src/render/terminal.js'

const CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '', 'right-mid': '', middle: '  ',
}

/**
 * What renderTable printed before it gave cli-table3 all lines as one cell: each row laid out into one
 * line (columns padded to their widths by cli-table3's strlen) and given to cli-table3 as a cell of its
 * own, borderless and unpadded, trailing spaces trimmed.
 */
function rowByRow(head: string[], rows: string[][]): string {
  const all = [head, ...rows]
  const widths = head.map((_, column) => Math.max(...all.map(row => tableUtils.strlen(row[column]))))
  const lines = all.map(row => row.map((cell, column) => cell + ' '.repeat(widths[column] - tableUtils.strlen(cell))).join('  '))
  const style = {head: [], border: [], 'padding-left': 0, 'padding-right': 0}
  const table = new Table({head: [lines[0]], chars: CHARS, style, colWidths: [Math.max(...lines.map(line => tableUtils.strlen(line)))]})
  table.push(...lines.slice(1).map(line => [line]))
  return table.toString().split('\n').map(line => line.trimEnd()).join('\n') + '\n'
}

const piece = fc.constantFrom('a', 'web', ' ', 'x y', '', '日本', '👍', 'é', '-', 'v12', '…',
  '\u001B[1mB\u001B[22m', '\u001B[31mred\u001B[39m', '\u001B[32m\u001B[1mgb\u001B[22m\u001B[39m', '\u001B[31mleft open')
const cell = fc.array(piece, {maxLength: 4}).map(pieces => pieces.join(''))

describe('renderTable', () => {
  it('prints what cli-table3 prints given a cell a row', () => {
    const table = fc.integer({min: 1, max: 5}).chain(columns => fc.record({
      head: fc.array(cell, {minLength: columns, maxLength: columns}),
      rows: fc.array(fc.array(cell, {minLength: columns, maxLength: columns}), {maxLength: 12}),
    }))
    fc.assert(fc.property(table, ({head, rows}) => {
      expect(renderTable(testTerminal(), head, rows)).to.equal(rowByRow(head, rows))
    }), {numRuns: 500})
  })
})
