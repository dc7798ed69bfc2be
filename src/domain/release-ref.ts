// Which release a command means, with no I/O: `v3`, `3` or a release id, and the default rollback target.
import type {Release} from '../api/types.js'
import {AkaError, UsageError} from '../errors.js'

export type ReleaseRef = {kind: 'version', version: number} | {kind: 'id', id: string}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A usage error before any request for anything that is not `vN`, `N` or a release id. */
export function parseReleaseRef(text: string): ReleaseRef {
  const version = /^v?(\d{1,9})$/i.exec(text.trim())
  if (version && Number(version[1]) > 0) return {kind: 'version', version: Number(version[1])}
  if (UUID.test(text.trim())) return {kind: 'id', id: text.trim().toLowerCase()}
  throw new UsageError(`"${text}" is not a release`, 'give its version (v3 or 3) or its id, as `aka releases` lists them')
}

export function findRelease(releases: Release[], ref: ReleaseRef, app: string): Release {
  const found = ref.kind === 'version' ? releases.find(release => release.version === ref.version) : releases.find(release => release.id === ref.id)
  if (!found) throw new AkaError(`${app} has no release ${ref.kind === 'version' ? `v${ref.version}` : ref.id}`, `\`aka releases -a ${app}\` lists them`)
  return found
}

/** The newest release, by version (the controller lists them oldest first, but say so rather than trust it). */
export function latestRelease(releases: Release[]): Release | undefined {
  return releases.reduce<Release | undefined>((latest, release) => (!latest || release.version > latest.version ? release : latest), undefined)
}

/** The newest release before the latest one whose deployment succeeded, if any. */
export function rollbackCandidate(releases: Release[]): Release | undefined {
  const latest = latestRelease(releases)
  return latestRelease(releases.filter(release => latest && release.version < latest.version && release.status === 'succeeded'))
}

/** Where a plain rollback goes: the rollback candidate, or an error saying why there is none. */
export function defaultRollbackTarget(releases: Release[], app: string): Release {
  const latest = latestRelease(releases)
  if (!latest) throw new AkaError(`${app} has no releases to roll back to`, 'deploy one first')
  const target = rollbackCandidate(releases)
  if (!target) throw new AkaError(`${app} has no release before v${latest.version} that succeeded`, `name the one to return to: \`aka releases:rollback vN -a ${app}\``)
  return target
}
