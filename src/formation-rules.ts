// The controller's formation rules (controller reference §3.2), checked before anything is sent so
// that a mistake costs no request and no half-applied change. Messages keep the server's wording.
import type {Dyno, Size} from './api/types.js'
import {UsageError} from './errors.js'

export const MAX_QUANTITY = 32
export const MIN_PORT = 1024
export const MAX_PORT = 65_535

const TYPE_PATTERN = /^[a-z0-9]+$/

/** A dyno type as the controller stores it: trimmed and lower-cased, then alphanumeric only. */
export function dynoType(typed: string): string {
  const type = typed.trim().toLowerCase()
  if (!TYPE_PATTERN.test(type)) {
    throw new UsageError(`"${typed}" is not a dyno type: the type specified was invalid, it cannot contain spaces or special characters (lower case alpha numeric only)`)
  }
  return type
}

export function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY) {
    throw new UsageError(`The number of instances must be between 0 and ${MAX_QUANTITY}, not ${quantity}.`)
  }
}

export function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
    throw new UsageError(`The specified port is invalid, it must be a number between ${MIN_PORT} and ${MAX_PORT}, not ${port}.`)
  }
}

export function checkHealthcheck(path: string): void {
  if (!path.startsWith('/')) throw new UsageError(`The healthcheck must be a URL path such as /health, not "${path}".`)
}

/** What only web may have; every other type runs a command and gets no traffic. */
export function checkWebOnly(type: string, given: {port?: number, healthcheck?: string, removeHealthcheck?: boolean, removeCommand?: boolean}): void {
  if (type === 'web') return
  if (given.port !== undefined) throw new UsageError('A port was specified for a non-web based application, the port should not be set.', 'only web receives traffic')
  if (given.healthcheck !== undefined) throw new UsageError('A healthcheck was specified for a non-web based application, the path should not be set.')
  if (given.removeHealthcheck) throw new UsageError('Cannot remove healthcheck on non web based dyno.')
  if (given.removeCommand) throw new UsageError(`Cannot remove the command of ${type}: a run command must be specified for any type outside of a web process.`)
}

/** Size names users may pass; `-prod` twins exist for production spaces, where the server adds the suffix itself. */
export function offeredSizes(sizes: Size[]): string[] {
  return sizes.map(size => size.name).filter(name => !name.includes('-prod'))
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

/** Refuses a `type.name` that is not among the app's dynos, listing those of its type. */
export function checkDynoExists(ref: DynoRef, dynos: Dyno[], app: string): void {
  if (dynos.some(dyno => `${dyno.type}.${dyno.name}`.toLowerCase() === ref.ref)) return
  const ofType = dynos.filter(dyno => dyno.type === ref.type).map(dyno => `${dyno.type}.${dyno.name}`)
  throw new UsageError(`${app} has no dyno ${ref.ref}`, ofType.length > 0 ? `its ${ref.type} dynos are: ${ofType.join(', ')}` : `it has no ${ref.type} dynos`)
}
