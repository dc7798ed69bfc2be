// `aka config`: config vars as aligned `KEY: value` lines, or as sh assignments.
import type {ConfigVars} from '../api/types.js'
import {palette} from './style.js'
import type {Terminal} from './terminal.js'

function sortedKeys(vars: ConfigVars): string[] {
  return Object.keys(vars).sort()
}

/** `KEY:   value`, keys sorted and padded to one column; a multi-line value keeps its lines under the value column. */
export function renderConfigVars(term: Terminal, vars: ConfigVars): string {
  const color = palette(term)
  const keys = sortedKeys(vars)
  const width = Math.max(0, ...keys.map(key => key.length)) + 1
  return keys.map(key => {
    const value = vars[key].split('\n').join('\n' + ' '.repeat(width + 1))
    return `${color.green(`${key}:`.padEnd(width))} ${value}\n`
  }).join('')
}

/** Single quotes keep every character literal in sh, except the quote itself, which closes, escapes and reopens. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/** `KEY='value'` lines that `eval` or `source` can read back exactly. */
export function renderConfigShell(vars: ConfigVars): string {
  return sortedKeys(vars).map(key => `${key}=${shellQuote(vars[key])}\n`).join('')
}
