// Releases and builds read back, and rollback (reference releases-logs-account §1 and §2), so that
// aka 3.x's `releases`, `releases:info` and `releases:rollback` work against the local platform.
import {basename} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {Build, Release, ReleaseStatuses} from '../../../api/types.js'
import type {AppRecord} from '../../contract.js'
import {HttpError, isObject, notFound, readJson, sendJson, unprocessable} from '../http.js'
import {findRelease, type ReleaseOutcome} from '../../store/release-history.js'
import {appReleases, releaseAgain, rollBack} from '../releasing.js'
import type {BuildRow, Store, StoredRelease} from '../../store/store.js'
import {requireApp, type Route} from './context.js'
import {appRef, stableId} from './present.js'

const LOCAL_USER = {id: stableId('local user'), email: ''}

function presentRelease(app: AppRecord, outcome: ReleaseOutcome): Release {
  const {release} = outcome
  return {
    app: appRef(app),
    created_at: release.created_at,
    description: release.description,
    slug: {id: release.buildId ?? release.id},
    id: release.id,
    status: outcome.status,
    state: 'success',
    user: LOCAL_USER,
    version: release.version,
    current: outcome.current,
    deployments: outcome.deployments,
    process_types: release.defaultCommands,
  }
}

/** A build as the controller's `GET …/builds` sends it; a local build is only ever recorded once released. */
function presentBuild(app: AppRecord, row: BuildRow, release: StoredRelease | undefined): Build {
  return {
    id: row.id,
    app: appRef(app),
    status: 'succeeded',
    release: release ? {id: release.id, version: release.version} : null,
    created_at: row.created_at,
    updated_at: row.created_at,
    source_blob: {checksum: '', url: '', version: '', commit: '', author: null, repo: row.url, message: null},
    slug: {id: row.id},
  }
}

/** `Deploy of hello`: the folder's name says what was deployed. */
export function deployDescription(url: string): string {
  try {
    return `Deploy of ${basename(fileURLToPath(url))}`
  } catch {
    return `Deploy of ${url}`
  }
}

function requireRelease(outcomes: ReleaseOutcome[], ref: string): ReleaseOutcome {
  const found = findRelease(outcomes, ref)
  if (!found) throw notFound(`The specified release ${ref} was not found.`)
  return found
}

function requireBuild(store: Store, app: AppRecord, id: string): BuildRow {
  const row = store.build(id.toLowerCase())
  if (!row || row.app_id !== app.id) throw notFound(`The specified build ${id} was not found.`)
  return row
}

/** The release a `POST …/releases` body asks for: `release` (a rollback) or `slug` (a build to release again). */
function releaseTarget(store: Store, app: AppRecord, outcomes: ReleaseOutcome[], body: unknown): {target: StoredRelease, description?: string} {
  const payload = isObject(body) ? body : {}
  const {release, slug, description} = payload
  if (!release && !slug) throw unprocessable('The specified "slug" (or) "release" field was not provided.')
  if (release && slug) {
    throw unprocessable('The specified request may only contain either a "slug" field for the build to deploy or the "release" field for the release to roll back to, not both.')
  }
  if (release) {
    if (typeof release !== 'string') throw notFound(`The specified release ${String(release)} was not found.`)
    return {target: requireRelease(outcomes, release).release}
  }
  if (typeof slug !== 'string') throw notFound(`The specified build ${String(slug)} was not found.`)
  const build = requireBuild(store, app, slug)
  const target = outcomes.find(outcome => outcome.release.id === build.release_id)?.release
  if (!target) throw new HttpError(409, `The slug ${slug} does not exist or is still in process of building`)
  return {target, description: typeof description === 'string' && description.trim() !== '' ? description.trim() : deployDescription(build.url)}
}

export const releaseHistoryRoutes: Route[] = [
  {
    method: 'GET', path: '/apps/:app/releases',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      sendJson(res, 200, appReleases(context.store, app.id).map(outcome => presentRelease(app, outcome)))
    },
  },
  {
    method: 'GET', path: '/apps/:app/releases/:release',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      sendJson(res, 200, presentRelease(app, requireRelease(appReleases(context.store, app.id), params[1])))
    },
  },
  {
    method: 'GET', path: '/apps/:app/releases/:release/statuses',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      const release = presentRelease(app, requireRelease(appReleases(context.store, app.id), params[1]))
      const answer: ReleaseStatuses = {state: 'success', release, statuses: []}
      sendJson(res, 200, answer)
    },
  },
  {
    method: 'POST', path: '/apps/:app/releases',
    async handle(context, {req, res, params}) {
      const app = requireApp(context, params[0])
      const body = await readJson(req)
      const {store} = context
      const {target, description} = releaseTarget(store, app, appReleases(store, app.id), body)
      const created = description === undefined
        ? await rollBack(store, app.id, target)
        : await releaseAgain(store, app.id, target, {description, config: store.config(app.id)})
      store.touchApp(app.id)
      context.runtime.changed(app.id)
      const outcome = appReleases(store, app.id).find(candidate => candidate.release.id === created.id) as ReleaseOutcome
      sendJson(res, 201, presentRelease(app, outcome))
    },
  },
  {
    method: 'GET', path: '/apps/:app/builds',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      const releases = context.store.releases(app.id)
      sendJson(res, 200, context.store.builds(app.id).map(row => presentBuild(app, row, releases.find(release => release.id === row.release_id))))
    },
  },
  {
    method: 'GET', path: '/apps/:app/builds/:build',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      const row = requireBuild(context.store, app, params[1])
      sendJson(res, 200, presentBuild(app, row, context.store.releases(app.id).find(release => release.id === row.release_id)))
    },
  },
  {
    method: 'GET', path: '/slugs/:slug',
    handle(context, {res, params}) {
      const row = context.store.build(params[0].toLowerCase())
      const app = row && context.store.findApp(row.app_id)
      if (!row || !app) throw notFound(`The specified build ${params[0]} was not found.`)
      sendJson(res, 200, presentBuild(app, row, context.store.releases(app.id).find(release => release.id === row.release_id)))
    },
  },
]
