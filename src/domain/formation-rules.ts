// The controller's formation rules (controller reference §3.2), checked before anything is sent so
// that a mistake costs no request and no half-applied change. Messages keep the server's wording.
import type {Dyno, Size} from '../api/types.js'
import {UsageError} from '../errors.js'

export const MAX_QUANTITY = 32
const MIN_PORT = 1024
const MAX_PORT = 65_535
/** A Kubernetes name (RFC 1123 label), which each dyno type becomes upstream. */
const MAX_TYPE_LENGTH = 63
const MAX_HEALTHCHECK_LENGTH = 1024
/**
 * Linux's MAX_ARG_STRLEN (32 pages, 128 KiB with its terminating NUL) caps every single argument and
 * environment string of a process; the command is one (`sh -c COMMAND`). 1 KiB of it is kept as margin.
 */
export const MAX_ARGUMENT_BYTES = 127 * 1024

export const QUANTITY_INVALID = `The number of instances must be between 0 and ${MAX_QUANTITY}.`
export const PORT_INVALID = `The specified port is invalid, it must be a number between ${MIN_PORT} and ${MAX_PORT}.`
export const PORT_NOT_WEB = 'A port was specified for a non-web based application, the port should not be set.'
export const HEALTHCHECK_NOT_WEB = 'A healthcheck was specified for a non-web based application, the path should not be set.'
export const REMOVE_HEALTHCHECK_NOT_WEB = 'Cannot remove healthcheck on non web based dyno.'
export const TYPE_INVALID = 'The type specified was invalid, it cannot contain spaces or special characters (lower case alpha numeric only)'
const TYPE_TOO_LONG = `The type specified was invalid, it must be at most ${MAX_TYPE_LENGTH} characters long.`
export const HEALTHCHECK_INVALID = 'The healthcheck specified was invalid, it must be a path such as /health.'

const TYPE_PATTERN = /^[a-z0-9]+$/
/** What an HTTP request line carries as is: visible ASCII, no space (http.request refuses less, a server may read more). */
const PATH_PATTERN = /^\/[\x21-\x7E]*$/

/** Why a dyno type (as stored, already lower-cased) cannot be one; undefined when it can. */
function typeProblem(type: string): string | undefined {
  if (type.length > MAX_TYPE_LENGTH) return TYPE_TOO_LONG
  if (!TYPE_PATTERN.test(type)) return TYPE_INVALID
  return undefined
}

/** The type of one-off dynos (`aka run`, `run.N`): no formation may take it. */
export const ONEOFF_TYPE = 'run'
const ONEOFF_TYPE_RESERVED = 'The type run is reserved for one-off dynos (aka run); choose another name.'

/** Why a formation (not a one-off) cannot have this type; undefined when it can. */
export function formationTypeProblem(type: string): string | undefined {
  return typeProblem(type) ?? (type === ONEOFF_TYPE ? ONEOFF_TYPE_RESERVED : undefined)
}

/** Why a healthcheck cannot be probed as an HTTP GET path; undefined when it can. */
export function healthcheckProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return HEALTHCHECK_INVALID
  if (path.length > MAX_HEALTHCHECK_LENGTH) return `The healthcheck specified was invalid, it must be at most ${MAX_HEALTHCHECK_LENGTH} characters long.`
  if (!PATH_PATTERN.test(path)) {
    return 'The healthcheck specified was invalid, it must be a path of visible ASCII characters without spaces (percent-encode any other, e.g. %20).'
  }
  return undefined
}

/** Why a command cannot be run by `sh -c`; undefined when it can. */
export function commandProblem(command: string): string | undefined {
  if (command.includes('\0')) return 'The command specified was invalid, it cannot contain a NUL character.'
  if (Buffer.byteLength(command) > MAX_ARGUMENT_BYTES) return `The command specified was invalid, it must be at most ${MAX_ARGUMENT_BYTES} bytes long.`
  return undefined
}

/** A dyno type as the controller stores it: trimmed and lower-cased, then alphanumeric only. */
export function dynoType(typed: string): string {
  const type = typed.trim().toLowerCase()
  const problem = typeProblem(type)
  // A type too long to be one is not worth echoing.
  if (problem === TYPE_TOO_LONG) throw new UsageError(problem)
  if (problem) throw new UsageError(`"${typed}" is not a dyno type: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`)
  return type
}

/** A dyno type a formation may have: a dyno type, and not the one-off dynos' (`run`). */
export function formationType(typed: string): string {
  const type = dynoType(typed)
  if (type === ONEOFF_TYPE) throw new UsageError(ONEOFF_TYPE_RESERVED, 'a one-off dyno is run with `aka run`')
  return type
}

/** Any JSON value, as the platform receives it. */
export function quantityOk(quantity: unknown): boolean {
  return Number.isInteger(quantity) && (quantity as number) >= 0 && (quantity as number) <= MAX_QUANTITY
}

export function portOk(port: unknown): boolean {
  return Number.isInteger(port) && (port as number) >= MIN_PORT && (port as number) <= MAX_PORT
}

/** The server's message with what was typed: `..., not 40.` */
export function withValue(message: string, value: string | number): string {
  return `${message.slice(0, -1)}, not ${value}.`
}

export function checkQuantity(quantity: number): void {
  if (!quantityOk(quantity)) throw new UsageError(withValue(QUANTITY_INVALID, quantity))
}

export function checkPort(port: number): void {
  if (!portOk(port)) throw new UsageError(withValue(PORT_INVALID, port))
}

export function checkHealthcheck(path: string): void {
  const problem = healthcheckProblem(path)
  if (problem) throw new UsageError(problem)
}

export function checkCommand(command: string): void {
  const problem = commandProblem(command)
  if (problem) throw new UsageError(problem)
}

/** What only web may have; every other type runs a command and gets no traffic. */
export function checkWebOnly(type: string, given: {port?: number, healthcheck?: string, removeHealthcheck?: boolean, removeCommand?: boolean}): void {
  if (type === 'web') return
  if (given.port !== undefined) throw new UsageError(PORT_NOT_WEB, 'only web receives traffic')
  if (given.healthcheck !== undefined) throw new UsageError(HEALTHCHECK_NOT_WEB)
  if (given.removeHealthcheck) throw new UsageError(REMOVE_HEALTHCHECK_NOT_WEB)
  if (given.removeCommand) throw new UsageError(`Cannot remove the command of ${type}: a run command must be specified for any type outside of a web process.`)
}

export function checkSizes(wanted: string[], sizes: Size[]): void {
  const known = new Set(sizes.map(size => size.name))
  const unknown = [...new Set(wanted.filter(name => !known.has(name)))]
  if (unknown.length === 0) return
  const plural = unknown.length === 1 ? 'size' : 'sizes'
  throw new UsageError(`Unknown dyno ${plural} ${unknown.join(', ')}`, `valid sizes are: ${sizes.map(size => size.name).join(', ')}`)
}

export interface DynoRef {
  type: string
  /** Absent for a whole type. */
  name?: string
  /** `type` or `type.name`, lower-cased as aka 3.x sends it. */
  ref: string
}

/** `web` or `web.6df6bc55c4-ldt45`, lower-cased. */
export function dynoRef(typed: string, options: {nameRequired: boolean}): DynoRef {
  const text = typed.trim().toLowerCase()
  const dot = text.indexOf('.')
  if (dot === -1) {
    if (options.nameRequired) throw new UsageError(`"${typed}" names no dyno: expected TYPE.NAME, e.g. web.6df6bc55c4-ldt45`, '`aka ps -a APP` lists the dynos')
    const type = dynoType(text)
    return {type, ref: type}
  }
  const type = dynoType(text.slice(0, dot))
  const name = text.slice(dot + 1)
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new UsageError(`"${typed}" names no dyno: expected TYPE.NAME, e.g. web.6df6bc55c4-ldt45`)
  return {type, name, ref: `${type}.${name}`}
}

/** A dyno that runs once (`run.N` of aka run, `report.N` of a schedule): named by a number, never replaced. */
export function runsOnce(ref: DynoRef): boolean {
  return ref.name !== undefined && /^\d+$/.test(ref.name)
}

/** Refuses a `type.name` that is not among the app's dynos, listing those of its type. */
export function checkDynoExists(ref: DynoRef, dynos: Dyno[], app: string): void {
  if (dynos.some(dyno => `${dyno.type}.${dyno.name}`.toLowerCase() === ref.ref)) return
  const ofType = dynos.filter(dyno => dyno.type === ref.type).map(dyno => `${dyno.type}.${dyno.name}`)
  throw new UsageError(`${app} has no dyno ${ref.ref}`, ofType.length > 0 ? `its ${ref.type} dynos are: ${ofType.join(', ')}` : `it has no ${ref.type} dynos`)
}
