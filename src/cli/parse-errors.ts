// oclif's parser errors rewritten as aka's one line: what is wrong, then where the usage is.
// oclif appends "See more help with --help" and lists reasons on extra lines; aka says it once.
import {stripVTControlCharacters} from 'node:util'

export interface ParseFailure {
  message: string
  /** NonExistentFlagsError's flags, as typed. */
  flags?: unknown
}

/** One reason of a FailedFlagValidationError in aka's words. */
function reason(text: string): string {
  const needs = /^All of the following must be provided when using (--\S+): (.+)$/.exec(text)
  if (needs) return `${needs[1]} needs ${needs[2]}`
  const clash = /^(--[^=\s]+)(?:=\S*)? cannot also be provided when using (--\S+)$/.exec(text)
  // oclif reports a clash once from each side: in a fixed order both read the same, and are said once.
  if (clash) return `${[clash[1], clash[2]].sort().join(' and ')} cannot be used together`
  return text
}

/** The line for a parser error of command `id` (exit 2 is the caller's). */
export function parseErrorLine(error: ParseFailure, id: string, bin: string): string {
  const lines = stripVTControlCharacters(error.message).split('\n').map(line => line.trim()).filter(line => line !== '' && line !== 'See more help with --help')
  let what: string
  if (Array.isArray(error.flags)) {
    what = `Unknown flag${error.flags.length === 1 ? '' : 's'} ${error.flags.join(', ')}`
  } else if (/^The following errors? occurred:$/.test(lines[0] ?? '')) {
    what = [...new Set(lines.slice(1).map(reason))].join('; ')
  } else if (/^Missing \d+ required args?/.test(lines[0] ?? '')) {
    // The following lines are `NAME  description`: the names are what is missing.
    what = `Missing ${lines.slice(1).map(line => line.split(/\s{2,}/)[0].toUpperCase()).join(', ') || 'arguments'}`
  } else {
    what = lines.join(': ').replace(/^Parsing (--\S+): /, '$1: ')
  }
  return `${what}; see \`${bin} ${id} --help\``
}
