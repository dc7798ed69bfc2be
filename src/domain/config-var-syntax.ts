// Config var names, values and assignments: the rules the CLI checks before anything is sent and
// the platform checks again where it stores them; no I/O. Messages never show a value.
import {UsageError} from '../errors.js'
import {MAX_ARGUMENT_BYTES} from './formation-rules.js'

/** What a process environment accepts as a variable name everywhere (sh, Kubernetes, the local platform). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const NAME_HINT = 'names are letters, digits and _, and do not start with a digit'

/** Each `NAME=value` is one environment string, capped like an argument (see MAX_ARGUMENT_BYTES). */
const MAX_CONFIG_VAR_BYTES = MAX_ARGUMENT_BYTES
/**
 * All of them together: a process gets its arguments and environment in one area (ARG_MAX, 2 MiB on
 * Linux with the usual 8 MiB stack, 1 MiB on macOS), which the command and the platform's own variables share.
 */
const MAX_CONFIG_BYTES = 512 * 1024

const SHOWN_NAME_LENGTH = 64

/** A name as a message may show it: on one line, and short. */
function shown(name: string): string {
  return name.length > SHOWN_NAME_LENGTH ? `${name.slice(0, SHOWN_NAME_LENGTH)}…` : name
}

/** Why a name cannot be a config var's; undefined when it can. */
export function configNameProblem(name: string): string | undefined {
  if (NAME.test(name)) return undefined
  return `The config var name ${shown(JSON.stringify(name).slice(1, -1))} is invalid, it may contain only letters, digits and underscores.`
}

/** Why a value (null removes the var) cannot be in a process environment; undefined when it can. The value itself is never shown. */
export function configValueProblem(name: string, value: unknown): string | undefined {
  if (value === null) return undefined
  if (typeof value !== 'string') return `The value of the config var ${shown(name)} must be a string, or null to remove it.`
  if (value.includes('\0')) return `The value of the config var ${shown(name)} is invalid, it cannot contain a NUL character.`
  if (environmentBytes(name, value) > MAX_CONFIG_VAR_BYTES) {
    return `The config var ${shown(name)} is too large, its name and value must take at most ${MAX_CONFIG_VAR_BYTES} bytes together.`
  }
  return undefined
}

/** Why a whole set of config vars cannot be one process's environment; undefined when it can. */
export function configSizeProblem(config: Map<string, string>): string | undefined {
  const total = [...config].reduce((sum, [name, value]) => sum + environmentBytes(name, value) + 1, 0)
  if (total > MAX_CONFIG_BYTES) return `The config vars are too large, together they must take at most ${MAX_CONFIG_BYTES} bytes.`
  return undefined
}

/** `NAME=value` as the kernel counts it, without the terminating NUL. */
function environmentBytes(name: string, value: string): number {
  return Buffer.byteLength(name) + 1 + Buffer.byteLength(value)
}

function checkName(name: string): string {
  if (!NAME.test(name)) throw new UsageError(`"${name}" is not a valid config var name`, NAME_HINT)
  return name
}

/** `KEY=VALUE` pairs, split at the first `=` so values may hold `=`; the first bad pair is a usage error naming its key only. */
export function parseAssignments(pairs: string[]): Record<string, string> {
  if (pairs.length === 0) throw new UsageError('Give at least one KEY=VALUE', 'for example `aka config:set GREETING=hello -a APP`')
  const vars = new Map<string, string>()
  for (const pair of pairs) {
    const equals = pair.indexOf('=')
    if (equals === -1) throw new UsageError(`"${pair}" is not KEY=VALUE`, 'to set an empty value write KEY=')
    const name = pair.slice(0, equals)
    if (!NAME.test(name)) throw new UsageError(`"${shown(name)}" is not a valid config var name`, NAME_HINT)
    const value = pair.slice(equals + 1)
    const problem = configValueProblem(name, value)
    if (problem) throw new UsageError(problem)
    vars.set(name, value)
  }
  const problem = configSizeProblem(vars)
  if (problem) throw new UsageError(problem)
  return Object.fromEntries(vars)
}

/** Names to remove; the first bad one is a usage error. */
export function parseNames(names: string[]): string[] {
  if (names.length === 0) throw new UsageError('Give at least one KEY to unset', 'for example `aka config:unset GREETING -a APP`')
  return [...new Set(names.map(checkName))]
}
