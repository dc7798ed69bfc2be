// Slugs: immutable copies of a deployed directory, and the default commands they carry.
import {constants} from 'node:fs'
import {lstat, open, realpath, rename, stat} from 'node:fs/promises'
import {join, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

import {readProcfile} from '../../domain/procfile.js'
import {unprocessable} from '../api/http.js'
import {copyTree, type CopyResult, describeKind} from './slug-copy.js'
import {removeTree} from './slug-cleanup.js'

const PROCFILE_LIMIT = 64 * 1024
const PACKAGE_JSON_LIMIT = 1024 * 1024

export interface Slug {
  dir: string
  /** Commands by type: the Procfile's, else `{web: <package.json start script>}`. */
  defaultCommands: Record<string, string>
  /** The folder had not changed: `dir` is the previous release's slug, shared. */
  shared: boolean
  copy: CopyResult
}

const isCode = (error: unknown, ...codes: string[]): boolean => codes.includes((error as NodeJS.ErrnoException).code ?? '')

/** The absolute directory a build's `file://` URL names (symbolic links resolved); 422 when it is not one. */
export async function sourceDirectory(url: unknown, slugsRoot: string): Promise<string> {
  let dir: string
  try {
    if (typeof url !== 'string' || !url.startsWith('file://')) throw new Error('not a file URL')
    dir = fileURLToPath(url)
  } catch {
    throw unprocessable('The build url must be a file:// URL of a directory on this machine, such as file:///home/me/app.')
  }
  let real: string
  try {
    real = await realpath(dir)
  } catch {
    throw unprocessable(`The directory ${dir} does not exist.`)
  }
  if (!(await stat(real)).isDirectory()) throw unprocessable(`The path ${dir} is not a directory.`)
  const slugs = await realpath(slugsRoot)
  if (`${slugs}${sep}`.startsWith(`${real}${sep}`)) throw unprocessable(`The directory ${dir} holds the local platform's state folder; deploy a folder outside it.`)
  return real
}

/**
 * Copies `source` to `slugsRoot/id`, comparing with `previous` (the app's latest slug): when nothing
 * changed the new release shares `previous`; otherwise unchanged files are hard links to its files.
 * The copy lands under a temporary name first, so a slug directory is always complete, and a
 * failure (including a bad Procfile) leaves nothing behind.
 */
export async function createSlug(source: string, slugsRoot: string, id: string, previous: string | undefined): Promise<Slug> {
  const dir = join(slugsRoot, id)
  const partial = `${dir}.partial`
  try {
    const copy = await copyTree(source, partial, previous)
    const shared = copy.identical && previous !== undefined
    const defaults = await defaultCommands(partial, source, copy.skippedTopLevel)
    if (shared) await removeTree(partial)
    else await rename(partial, dir)
    return {dir: shared ? previous : dir, defaultCommands: defaults, shared, copy}
  } catch (error) {
    await removeTree(partial)
    throw error
  }
}

/** `type: command` lines of a Procfile; types that cannot be formation types are skipped (src/procfile.ts). */
function parseProcfile(text: string): Record<string, string> {
  return readProcfile(text).commands
}

/**
 * The slug's default commands, from its top-level Procfile, else package.json. `skipped` names
 * top-level entries the copy left out (a Procfile that was a FIFO must not be silently ignored).
 */
async function defaultCommands(slugDir: string, source: string, skipped: Map<string, string>): Promise<Record<string, string>> {
  const procfile = await readSlugFile(slugDir, source, 'Procfile', PROCFILE_LIMIT, skipped)
  if (procfile !== undefined) return parseProcfile(procfile)
  const manifest = await readSlugFile(slugDir, source, 'package.json', PACKAGE_JSON_LIMIT, skipped)
  if (manifest === undefined) return {}
  try {
    const start = (JSON.parse(manifest) as {scripts?: {start?: unknown}}).scripts?.start
    return typeof start === 'string' && start.trim() !== '' ? {web: start.trim()} : {}
  } catch {
    return {}
  }
}

/**
 * A top-level file of the slug as text; undefined when there is none. 422 when it is not a regular
 * file, is a symbolic link that leads out of the slug (or to nothing), or is over `limit` bytes.
 * It is opened without following a link and without blocking, and checked again once open.
 */
async function readSlugFile(slugDir: string, source: string, name: string, limit: number, skipped: Map<string, string>): Promise<string | undefined> {
  const bad = (what: string) => unprocessable(`The ${name} in ${source} ${what}; make it a regular file.`)
  const kind = skipped.get(name)
  if (kind) throw bad(`is ${kind}`)
  const path = join(slugDir, name)
  let real: string
  try {
    real = await realpath(path)
  } catch (error) {
    if (!isCode(error, 'ENOENT', 'ELOOP')) throw error
    if ((await lstat(path).catch(() => undefined)) === undefined) return undefined
    throw bad('is a symbolic link to nothing in the folder')
  }
  if (!real.startsWith(`${await realpath(slugDir)}${sep}`)) throw bad('is a symbolic link that leads out of the folder')
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw bad(`is ${describeKind(info)}`)
    const tooLarge = unprocessable(`The ${name} in ${source} is larger than ${limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MiB` : `${limit / 1024} KiB`}.`)
    if (info.size > limit) throw tooLarge
    const buffer = Buffer.alloc(limit + 1)
    let length = 0
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = (await handle.read(buffer, length, buffer.length - length, length)).bytesRead
    }
    if (length > limit) throw tooLarge
    return buffer.subarray(0, length).toString('utf8')
  } finally {
    await handle.close()
  }
}
