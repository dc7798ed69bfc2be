// The one table renderer: cli-table3, borderless, headers coloured only when colour is on.
import Table from 'cli-table3'

import {fitRows} from './fit.js'
import {palette} from './style.js'
import type {Terminal} from './terminal.js'

export function renderTable(term: Terminal, head: string[], rows: string[][]): string {
  const color = palette(term)
  const table = new Table({
    head: head.map(title => color.bold(title)),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
    style: {head: [], border: [], 'padding-left': 0, 'padding-right': 0},
  })
  table.push(...(term.stdoutIsTTY ? fitRows(head, rows, term.columns, 2) : rows))
  return table.toString().split('\n').map(line => line.trimEnd()).join('\n') + '\n'
}
