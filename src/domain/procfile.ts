// The Procfile grammar, shared by the local platform (a release's default commands) and `local:deploy`
// (which names the lines the platform will ignore): `type: command`, `#` comments, blank lines.

import {formationTypeProblem, ONEOFF_TYPE} from './formation-rules.js'

export interface IgnoredLine {
  /** 1-based. */
  line: number
  text: string
  why: string
}

export interface Procfile {
  /** Commands by type (lower-cased); a later line for a type wins. */
  commands: Record<string, string>
  ignored: IgnoredLine[]
}

export function readProcfile(text: string): Procfile {
  const commands: Record<string, string> = {}
  const ignored: IgnoredLine[] = []
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue
    const match = /^\s*([A-Za-z0-9_-]+)\s*:\s*(.+?)\s*$/.exec(line)
    if (!match) {
      ignored.push({line: index + 1, text: line, why: 'not TYPE: COMMAND'})
      continue
    }
    const type = match[1].toLowerCase()
    if (formationTypeProblem(type) === undefined) commands[type] = match[2]
    else if (type === ONEOFF_TYPE) ignored.push({line: index + 1, text: line, why: 'the type run is reserved for one-off dynos (aka run)'})
    else if (/^[a-z0-9]+$/.test(type)) ignored.push({line: index + 1, text: line, why: 'a dyno type is at most 63 characters long'})
    else ignored.push({line: index + 1, text: line, why: `a dyno type is letters and digits only, not "${match[1]}"`})
  }
  return {commands, ignored}
}
