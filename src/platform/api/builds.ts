// Builds: a deployed folder becomes a slug and a release, one build of an app at a time, and each
// successful build prunes the app's slugs that nothing uses any more.
import {randomUUID} from 'node:crypto'
import {resolve, sep} from 'node:path'

import type {AppRecord} from '../contract.js'
import {HttpError, unprocessable} from './http.js'
import type {Context} from './routes/context.js'
import {inSlugsFolder, pruneSlugs, removeSlugs, RETAINED_RELEASES} from '../store/slug-cleanup.js'
import {createSlug, type Slug} from '../store/slugs.js'

/** What the route records once the slug is ready (a release, in one transaction). */
export type RecordRelease<T> = (slug: {id: string, dir: string, defaultCommands: Record<string, string>}) => T

/** The builds waiting or running, per slugs folder and app; an entry goes when its last build ends. */
const queues = new Map<string, Promise<void>>()

/**
 * Runs `work` once the app's earlier builds have ended. Builds of one app are serialized rather than
 * refused: each compares with the release before it (so unchanged files are shared), and versions
 * follow the order the builds were asked for.
 */
function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const result = (queues.get(key) ?? Promise.resolve()).then(work)
  const settled = result.then(() => undefined, () => undefined)
  queues.set(key, settled)
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key)
  })
  return result
}

const destroyed = (app: AppRecord) => new HttpError(409, `The application ${app.key} was destroyed during its build; nothing was released.`)

/** Whether a failed fs call was about the deployed folder (then the folder is at fault, not the platform's state folder). */
function aboutSource(error: unknown, source: string): boolean {
  const path = (error as NodeJS.ErrnoException).path
  return typeof path === 'string' && (resolve(path) === source || resolve(path).startsWith(`${source}${sep}`))
}

function describeCopy(slug: Slug): string {
  const {copy} = slug
  if (slug.shared) return `the folder had not changed, its slug is shared with the previous release (${copy.files} files compared)`
  const mib = (copy.bytesCopied / 1024 / 1024).toFixed(1)
  return `${copy.files} files: ${copy.linked} hard-linked from the previous slug, ${copy.files - copy.linked} copied (${mib} MiB)`
}

/**
 * Builds `source` for `app` and records its release with `record`: 409 when the app is destroyed
 * meanwhile, 422 when the folder cannot be read or its Procfile or package.json is bad. A failed
 * build leaves no slug behind.
 */
export function build<T>(context: Context, app: AppRecord, source: string, record: RecordRelease<T>): Promise<T> {
  return oneAtATime(`${context.slugsDir}\0${app.id}`, async () => {
    const {store} = context
    if (!store.findApp(app.id)) throw destroyed(app)
    const started = Date.now()
    const id = randomUUID()
    // Only a slug of this folder can lend its files: nothing outside it is known to be immutable.
    const previous = store.latestRelease(app.id)?.slugDir
    let slug: Slug
    try {
      slug = await createSlug(source, context.slugsDir, id, previous && inSlugsFolder(context.slugsDir, previous) ? previous : undefined)
    } catch (error) {
      if (!store.findApp(app.id)) throw destroyed(app)
      if (error instanceof HttpError) throw error
      // The slug mirrors the folder one level deeper than its name: a path too long there comes
      // from the folder's depth or names, whichever side the system refused it on (not a 500).
      if ((error as NodeJS.ErrnoException).code === 'ENAMETOOLONG') {
        throw unprocessable(`The directory ${source} could not be copied: a path in it is too long for this machine (ENAMETOOLONG); deploy a shallower folder.`)
      }
      if (aboutSource(error, source)) throw unprocessable(`The directory ${source} could not be copied: ${(error as Error).message}`)
      throw error
    }
    let recorded: T
    try {
      // Checked in the same synchronous step as the insert: no request can delete the app in between.
      if (!store.findApp(app.id)) throw destroyed(app)
      recorded = record({id, dir: slug.dir, defaultCommands: slug.defaultCommands})
    } catch (error) {
      if (!slug.shared) await removeSlugs(context.slugsDir, [slug.dir])
      throw error
    }
    const {copy} = slug
    context.log(`${app.key} build: ${describeCopy(slug)}, ${Date.now() - started} ms`)
    if (copy.skipped > 0) {
      context.log(`${app.key} build: left out ${copy.skipped} special files (FIFOs, sockets, devices), such as ${copy.skippedExamples.join(', ')}`)
    }
    await prune(context, app)
    return recorded
  })
}

/** Removes the app's slugs beyond its last releases that no recorded definition or dyno uses. */
async function prune(context: Context, app: AppRecord): Promise<void> {
  const {store, runtime} = context
  const releases = store.releases(app.id)
  const running = new Set(runtime.dynos(app.id).map(dyno => dyno.release.id))
  const inUse = [...store.slugDirsInUse(RETAINED_RELEASES), ...releases.filter(release => running.has(release.id)).map(release => release.slugDir)]
  try {
    const removed = await pruneSlugs(context.slugsDir, releases.map(release => release.slugDir), inUse)
    if (removed > 0) context.log(`${app.key} build: removed ${removed} slugs of releases before the last ${RETAINED_RELEASES}`)
  } catch (error) {
    // The release is recorded; the next build or start tries again.
    context.log(`${app.key} build: could not remove old slugs: ${(error as Error).message}`)
  }
}
