// What became of each release: its status, derived from the deployments the runtime recorded, and
// which release is current. A pure function of store rows, so the API never keeps a second truth.
import type {Release, ReleaseDeployment} from '../../api/types.js'
import type {FormationRecord} from '../contract.js'
import type {DeploymentHistoryRow, StoredRelease} from './store.js'

export interface ReleaseOutcome {
  release: StoredRelease
  status: Release['status']
  /** Each dyno type's deployment of this release. */
  deployments: ReleaseDeployment[]
  current: boolean
}

/** The runtime's reason for a deployment that a newer one replaced before it finished (reconcile.ts). */
const SUPERSEDED = /^superseded\b/

/**
 * The release a deployment ran: the one its recorded definition names, else (a definition that could
 * not run records none) the newest release created at or before the deployment started, since the
 * runtime always deploys the latest release.
 */
export function releaseOf(row: DeploymentHistoryRow, releases: StoredRelease[]): StoredRelease | undefined {
  if (row.releaseId !== null) return releases.find(release => release.id === row.releaseId)
  return releases.filter(release => release.created_at <= row.created_at).at(-1)
}

/**
 * One type's outcome over its deployments of a release (oldest first): succeeded once any of them
 * did (its dynos served, and a failed restart or command change later keeps them), else the last
 * one that was not superseded, else superseded.
 */
function typeOutcome(type: string, rows: DeploymentHistoryRow[]): ReleaseDeployment {
  const succeeded = rows.find(row => row.state === 'succeeded')
  if (succeeded) return {type, state: 'succeeded', reason: null}
  const decisive = rows.filter(row => !(row.state === 'failed' && SUPERSEDED.test(row.reason ?? ''))).at(-1)
  if (decisive) return {type, state: decisive.state, reason: decisive.reason}
  return {type, state: 'superseded', reason: rows.at(-1)?.reason ?? null}
}

function statusOf(deployments: ReleaseDeployment[], latest: boolean): Release['status'] {
  if (deployments.some(deployment => deployment.state === 'failed')) return 'failed'
  if (deployments.some(deployment => deployment.state === 'in-progress')) return 'pending'
  if (deployments.some(deployment => deployment.state === 'superseded')) return 'unknown'
  // An older release no deployment ever ran for was replaced before the runtime got to it.
  return deployments.length > 0 || latest ? 'succeeded' : 'unknown'
}

/**
 * Every release of an app, oldest first, with its status. `formations` are the app's current ones:
 * a type of the latest release that should run dynos and has no deployment yet is still deploying.
 * The current release is the newest that succeeded: its dynos are the ones that serve.
 */
export function releaseOutcomes(releases: StoredRelease[], rows: DeploymentHistoryRow[], formations: FormationRecord[]): ReleaseOutcome[] {
  const byRelease = new Map<string, DeploymentHistoryRow[]>()
  for (const row of rows) {
    const release = releaseOf(row, releases)
    if (release) byRelease.set(release.id, [...(byRelease.get(release.id) ?? []), row])
  }
  const outcomes = releases.map((release, index) => {
    const latest = index === releases.length - 1
    const ofRelease = byRelease.get(release.id) ?? []
    const types = [...new Set(ofRelease.map(row => row.type))]
    const deployments = types.map(type => typeOutcome(type, ofRelease.filter(row => row.type === type)))
    if (latest) {
      for (const formation of formations) {
        // A scheduled type deploys nothing: its runs take the latest release as they start.
        if (formation.quantity > 0 && formation.schedule === null && !types.includes(formation.type)) deployments.push({type: formation.type, state: 'in-progress', reason: null})
      }
    }
    return {release, status: statusOf(deployments, latest), deployments, current: false}
  })
  const current = outcomes.findLast(outcome => outcome.status === 'succeeded')
  if (current) current.current = true
  return outcomes
}

/** `v3`, `3` or a release id. */
export function findRelease(outcomes: ReleaseOutcome[], ref: string): ReleaseOutcome | undefined {
  const version = /^v?(\d+)$/i.exec(ref)
  if (version) return outcomes.find(outcome => outcome.release.version === Number(version[1]))
  return outcomes.find(outcome => outcome.release.id === ref.toLowerCase())
}
