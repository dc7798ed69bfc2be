// Config var assignments and names as users type them, checked before anything is sent; no I/O.
import {UsageError} from './errors.js'

/** What a process environment accepts as a variable name everywhere (sh, Kubernetes, the local platform). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const NAME_HINT = 'names are letters, digits and _, and do not start with a digit'

function checkName(name: string): string {
  if (!NAME.test(name)) throw new UsageError(`"${name}" is not a valid config var name`, NAME_HINT)
  return name
}

/** `KEY=VALUE` pairs, split at the first `=` so values may hold `=`; the first bad pair is a usage error naming it. */
export function parseAssignments(pairs: string[]): Record<string, string> {
  if (pairs.length === 0) throw new UsageError('Give at least one KEY=VALUE', 'for example `aka config:set GREETING=hello -a APP`')
  const vars: Record<string, string> = {}
  for (const pair of pairs) {
    const equals = pair.indexOf('=')
    if (equals === -1) throw new UsageError(`"${pair}" is not KEY=VALUE`, 'to set an empty value write KEY=')
    const name = pair.slice(0, equals)
    if (!NAME.test(name)) throw new UsageError(`"${pair}" does not start with a valid config var name`, NAME_HINT)
    vars[name] = pair.slice(equals + 1)
  }
  return vars
}

/** Names to remove; the first bad one is a usage error. */
export function parseNames(names: string[]): string[] {
  if (names.length === 0) throw new UsageError('Give at least one KEY to unset', 'for example `aka config:unset GREETING -a APP`')
  return [...new Set(names.map(checkName))]
}
