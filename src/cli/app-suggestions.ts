// An app that does not exist: the apps whose name is near the typed one, as the command-not-found
// hook does for commands (`-a hello` when there is `hello-default`).
import type {Api} from '../api/index.js'
import {ApiError} from '../errors.js'
import {editDistance} from './hooks/command-not-found.js'

const MISSING_APP = /^The specified application (\S+) does not exist/

/** Up to three names within a third of the typed length, by the whole name or by the app's part before `-SPACE`. */
export function nearAppNames(typed: string, names: string[]): string[] {
  const wanted = typed.toLowerCase()
  const limit = Math.max(1, Math.floor(wanted.length / 3))
  return names
    .map(name => ({name, distance: Math.min(editDistance(wanted, name), editDistance(wanted, name.split('-')[0]))}))
    // The name in other letter case is the one meant (app names are lower case), not the name typed.
    .filter(candidate => candidate.distance <= limit && candidate.name !== typed)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map(candidate => candidate.name)
}

/** "did you mean …?" for the API's unknown-app 404, or undefined (also when the apps cannot be listed). */
export async function suggestApps(error: unknown, api: Promise<Api> | undefined): Promise<string | undefined> {
  if (!(error instanceof ApiError && error.status === 404) || !api) return undefined
  const missing = MISSING_APP.exec(error.message)?.[1]
  if (!missing) return undefined
  try {
    const near = nearAppNames(missing, (await (await api).apps.list()).map(app => app.name))
    return near.length > 0 ? `did you mean ${near.join(' or ')}?` : undefined
  } catch {
    return undefined
  }
}
