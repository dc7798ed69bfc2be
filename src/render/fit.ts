// Tables fit the terminal on a TTY: the widest column's text wraps at word boundaries, so a terminal
// never breaks a line mid-word; a word longer than the column (a dyno's name, a path) is broken across
// lines, never cut, since it is what a person copies into the next command. Never in a pipe: a script
// gets every row on one line, whole.
import {stripVTControlCharacters} from 'node:util'

/** The narrowest a wrapped column gets, whatever the terminal. */
const MIN_WRAPPED_WIDTH = 12

const visible = (text: string): number => stripVTControlCharacters(text).length

/** Lines of at most `width` characters, broken between words, and a longer word in pieces of `width`. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const pieces = word.match(new RegExp(`.{1,${width}}`, 'gsu')) ?? [word]
    for (const piece of pieces) {
      if (line === '') line = piece
      else if (line.length + 1 + piece.length <= width && pieces.length === 1) line += ` ${piece}`
      else {
        lines.push(line)
        line = piece
      }
    }
  }
  return line === '' ? [''] : [...lines, line]
}

/** The rows with the widest column wrapped so that head and rows fit `columns` (`gap` between columns). */
export function fitRows(head: string[], rows: string[][], columns: number, gap: number): string[][] {
  const widths = head.map((title, index) => Math.max(visible(title), ...rows.map(row => visible(row[index] ?? ''))))
  const total = widths.reduce((sum, width) => sum + width, 0) + gap * (widths.length - 1)
  if (total <= columns) return rows
  const widest = widths.indexOf(Math.max(...widths))
  const width = Math.max(MIN_WRAPPED_WIDTH, visible(head[widest]), columns - (total - widths[widest]))
  return rows.map(row => row.map((cell, index) => {
    // A coloured cell would lose its colour codes when cut: only plain text is wrapped.
    if (index !== widest || visible(cell) <= width || cell !== stripVTControlCharacters(cell)) return cell
    return wrapWords(cell, width).join('\n')
  }))
}
