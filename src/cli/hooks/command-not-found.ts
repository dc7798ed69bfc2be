// A mistyped command: one stderr line with the closest command, exit 2 (a usage error). Replaces
// @oclif/plugin-not-found, which exits 127 and, without a terminal, suggests nothing.
import type {Hook, Interfaces} from '@oclif/core'

import {EXIT_USAGE} from '../../errors.js'
import {palette} from '../../render/style.js'
import {terminal} from '../../render/terminal.js'

/** Levenshtein distance: the number of one-letter edits from one word to the other. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}

/** The closest id, when it is close enough to be what was meant: a third of the typed length, at least 1. */
export function closestCommand(typed: string, ids: string[]): string | undefined {
  const limit = Math.max(1, Math.floor(typed.length / 3))
  let best: {id: string, distance: number} | undefined
  for (const id of ids) {
    const distance = editDistance(typed.toLowerCase(), id)
    if (distance <= limit && (!best || distance < best.distance)) best = {id, distance}
  }
  return best?.id
}

/** One stderr line for a command that does not exist, with the closest visible one. */
export function reportUnknownCommand(config: Interfaces.Config, typed: string): void {
  const {bin} = config
  const visible = config.commands.filter(command => !command.hidden).map(command => command.id)
  const suggestion = closestCommand(typed, visible)
  const term = terminal()
  const color = palette({...term, color: term.color && term.stderrIsTTY})
  const didYouMean = suggestion ? ` Did you mean "${suggestion}"?` : ''
  term.stderr.write(`${color.red('Error:')} "${typed}" is not an ${bin} command.${didYouMean} Run ${bin} help for the list.\n`)
}

const hook: Hook<'command_not_found'> = async function (options) {
  reportUnknownCommand(options.config, options.id)
  this.exit(EXIT_USAGE)
}

export default hook
