// The one table renderer: cli-table3, borderless, headers coloured only when colour is on.
//
// cli-table3 costs 25 to 35 µs a cell before V8 optimises it (it merges its options into every cell
// and measures each one with string-width several times), so `aka ps` with 1,024 dynos spent about
// 200 ms here. The columns are therefore laid out first, each cell padded to its column's width as
// cli-table3 would pad it (measured with cli-table3's own strlen), and cli-table3 gets one cell per
// row. Cells spanning lines, which cli-table3 lays out across rows, go to it cell by cell.
import Table from 'cli-table3'
import tableUtils from 'cli-table3/src/utils.js'

import {fitRows} from './fit.js'
import {palette} from './style.js'
import type {Terminal} from './terminal.js'

const CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '', 'right-mid': '', middle: '  ',
}

/** Printable ASCII without escape codes is as wide as it is long: no need to ask string-width. */
const PLAIN = /^[\x20-\x7e]*$/

function width(text: string): number {
  return PLAIN.test(text) ? text.length : tableUtils.strlen(text)
}

function drawn(table: Table.Table): string {
  return table.toString().split('\n').map(line => line.trimEnd()).join('\n') + '\n'
}

export function renderTable(term: Terminal, head: string[], rows: string[][]): string {
  const color = palette(term)
  const titles = head.map(title => color.bold(title))
  // On a terminal the rows are fitted to its width first (wrapped at words, or cut with an ellipsis).
  const fitted = term.stdoutIsTTY ? fitRows(head, rows, term.columns, 2) : rows
  const style = {head: [], border: [], 'padding-left': 0, 'padding-right': 0}
  const all = [titles, ...fitted]
  if (all.some(row => row.length !== head.length || row.some(cell => cell.includes('\n')))) {
    const table = new Table({head: titles, chars: CHARS, style})
    table.push(...fitted)
    return drawn(table)
  }
  const widths = head.map((_, column) => Math.max(...all.map(row => width(row[column]))))
  const lines = all.map(row => row.map((cell, column) => cell + ' '.repeat(widths[column] - width(cell))).join(CHARS.middle))
  const table = new Table({head: [lines[0]], chars: CHARS, style, colWidths: [Math.max(...lines.map(width))]})
  table.push(...lines.slice(1).map(line => [line]))
  return drawn(table)
}
