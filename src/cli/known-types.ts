// One answer for a dyno type the app does not have, in every command: exit 2 with the app's types.
import type {Api} from '../api/index.js'
import type {Formation} from '../api/types.js'
import {ApiError, UsageError} from '../errors.js'

export function noSuchType(app: string, missing: string[], known: string[]): UsageError {
  return new UsageError(`${app} has no dyno type ${missing.join(', ')}`, `its types are: ${known.join(', ') || 'none'}`)
}

/**
 * The formation of one type; when the API says there is none, the app's types are listed instead of
 * its 404 (an unknown app keeps its own error, which the list request gives again).
 */
export async function formationOfType(api: Api, app: string, type: string): Promise<Formation> {
  try {
    return await api.formations.get(app, type)
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error
    const known = (await api.formations.list(app)).map(formation => formation.type)
    if (known.includes(type)) throw error
    throw noSuchType(app, [type], known)
  }
}
