// Releases that reuse a build: a config change and a rollback. Each is a new version the runtime
// rolls out like a deploy, because the store's latest release and config vars are the desired state.
import {stat} from 'node:fs/promises'

import type {FormationRecord} from '../contract.js'
import {HttpError, unprocessable} from './http.js'
import {releaseOf, releaseOutcomes, type ReleaseOutcome} from '../store/release-history.js'
import type {Store, StoredRelease} from '../store/store.js'

/** Every release of the app, oldest first, with its status. */
export function appReleases(store: Store, appId: string): ReleaseOutcome[] {
  return releaseOutcomes(store.releases(appId), store.deploymentHistory(appId), store.formations(appId))
}

type Wanted = Pick<FormationRecord, 'type' | 'command' | 'quantity'>

/** The release a recorded deployment deploys. */
export function deploymentRelease(store: Store, appId: string, deployment: {id: string, type: string}): {id: string, version: number} | null {
  const [row] = store.deploymentHistory(appId, deployment)
  const release = row && releaseOf(row, store.releases(appId))
  return release ? {id: release.id, version: release.version} : null
}

/** The types that should run dynos (quantity above 0) but have no command in the formation or in `commands`. */
function commandlessTypes(formations: Wanted[], commands: Record<string, string>): string[] {
  return formations.filter(formation => formation.quantity > 0 && !formation.command && !commands[formation.type]).map(formation => formation.type)
}

/**
 * No split truth: dynos asked of a type that the latest release cannot run (no command in the
 * formation and none in its Procfile) are refused before anything starts. Without a release nothing runs yet.
 */
export function refuseCommandless(store: Store, appId: string, wanted: Wanted[]): void {
  const release = store.latestRelease(appId)
  const types = release ? commandlessTypes(wanted, release.defaultCommands) : []
  if (!release || types.length === 0) return
  const [type] = types
  throw unprocessable(`The dyno type ${type} cannot run: release v${release.version} has no command for it (no Procfile line, and the formation has none); deploy a folder whose Procfile has a ${type} line, or give ${type} a command.`)
}

function sameConfig(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every(key => b[key] === a[key])
}

/** `Set GREETING, PORT; unset DEBUG`: the names only, never a value. */
function describeConfigChange(before: Record<string, string>, after: Record<string, string>): string {
  const set = Object.keys(after).filter(key => before[key] !== after[key])
  const unset = Object.keys(before).filter(key => !(key in after))
  if (unset.length === 0) return `Set ${set.join(', ')}`
  return set.length === 0 ? `Unset ${unset.join(', ')}` : `Set ${set.join(', ')}; unset ${unset.join(', ')}`
}

/**
 * Applies a config patch. Once the app has a release, a change that changes something is a new
 * release of the same build with the new config vars; before its first release there is nothing to run.
 */
export function patchConfigReleasing(store: Store, appId: string, patch: Record<string, string | null>): Record<string, string> {
  return store.transaction(() => {
    const before = store.config(appId)
    const after = store.patchConfig(appId, patch)
    const latest = store.latestRelease(appId)
    if (latest && !sameConfig(before, after)) store.insertDerivedRelease(appId, latest, after, describeConfigChange(before, after))
    return after
  })
}

/**
 * A new release of `target`'s build with these config vars. Refused, with nothing changed, when its
 * slug is no longer kept or when a type that runs dynos has no command in it (it could not run there).
 */
export async function releaseAgain(store: Store, appId: string, target: StoredRelease, change: {description: string, config: Record<string, string>}): Promise<StoredRelease> {
  try {
    await stat(target.slugDir)
  } catch {
    throw new HttpError(409, `The code of v${target.version} is no longer kept on this machine; deploy its folder again instead.`)
  }
  const commandless = commandlessTypes(store.formations(appId), target.defaultCommands)
  if (commandless.length > 0) {
    const types = commandless.join(', ')
    throw unprocessable(`v${target.version} has no command for ${types}, which runs dynos: scale ${types} to 0 first, or give the type a command.`)
  }
  return store.insertDerivedRelease(appId, target, change.config, change.description)
}

/** A rollback: `target`'s build and the config vars it was released with (the current ones for a release older than that record). */
export function rollBack(store: Store, appId: string, target: StoredRelease): Promise<StoredRelease> {
  return releaseAgain(store, appId, target, {description: `Rollback to v${target.version}`, config: target.config ?? store.config(appId)})
}
