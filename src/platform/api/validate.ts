// Formation validation in the controller's order (`formation_payload_check`): the first failure wins.
// The rules shared with the CLI (type, command, healthcheck) come from its module, so both refuse alike.
import {commandProblem, healthcheckProblem, HEALTHCHECK_INVALID, TYPE_INVALID, typeProblem} from '../../domain/formation-rules.js'
import {SIZE_NAMES} from '../store/sizes.js'

/** A formation change as sent over the wire: any JSON value may appear in any field. */
export interface FormationPayload {
  type?: unknown
  size?: unknown
  quantity?: unknown
  port?: unknown
  command?: unknown
  healthcheck?: unknown
  removeHealthcheck?: unknown
}

export const BATCH_TYPE_MISSING = 'The type specified was invalid, it cannot contain spaces or special characters (alpha numeric only)'

/**
 * The message of the first rule the payload breaks, or undefined when it is valid.
 * `commandRequired` is false on updates of a type that already has a command (a deliberate difference).
 */
export function formationProblem(payload: FormationPayload, commandRequired: boolean): string | undefined {
  const {type, size, quantity, port, command, healthcheck, removeHealthcheck} = payload
  if (size !== undefined && !(typeof size === 'string' && SIZE_NAMES.includes(size))) return 'The payload size was not recognized.'
  if (typeof type !== 'string') return TYPE_INVALID
  const badType = typeProblem(type)
  if (badType) return badType
  if (quantity !== undefined && !(Number.isInteger(quantity) && (quantity as number) >= 0 && (quantity as number) <= 32)) {
    return 'The number of instances must be between 0 and 32.'
  }
  if (port !== undefined && port !== null && !(Number.isInteger(port) && (port as number) >= 1024 && (port as number) <= 65535)) {
    return 'The specified port is invalid, it must be a number between 1024 and 65535.'
  }
  const web = type === 'web'
  if (!web && port) return 'A port was specified for a non-web based application, the port should not be set.'
  if (!web && healthcheck) return 'A healthcheck was specified for a non-web based application, the path should not be set.'
  if (!web && removeHealthcheck) return 'Cannot remove healthcheck on non web based dyno.'
  if (!web && commandRequired && !command) return 'A run command must be specified for any type outside of a web process.'
  // Upstream stores whatever JSON it gets here; a process needs a string.
  if (command !== undefined && command !== null && typeof command !== 'string') return 'The command specified was invalid, it must be a string.'
  if (healthcheck !== undefined && healthcheck !== null && typeof healthcheck !== 'string') return HEALTHCHECK_INVALID
  // An empty command or healthcheck means "none" (create) or "unchanged" (update).
  if (typeof command === 'string' && command !== '') {
    const badCommand = commandProblem(command)
    if (badCommand) return badCommand
  }
  if (typeof healthcheck === 'string' && healthcheck !== '') return healthcheckProblem(healthcheck)
  return undefined
}
