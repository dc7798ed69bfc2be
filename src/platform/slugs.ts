// Slugs: immutable copies of a deployed directory, and the default commands they carry.
import {existsSync, readFileSync, statSync} from 'node:fs'
import {cp, rename, rm} from 'node:fs/promises'
import {basename, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {readProcfile} from '../procfile.js'
import {unprocessable} from './http.js'

export interface Slug {
  dir: string
  /** Commands by type: the Procfile's, else `{web: <package.json start script>}`. */
  defaultCommands: Record<string, string>
}

/** The absolute directory a build's `file://` URL names; 422 when it is not one. */
export function sourceDirectory(url: unknown): string {
  let dir: string
  try {
    if (typeof url !== 'string' || !url.startsWith('file://')) throw new Error('not a file URL')
    dir = fileURLToPath(url)
  } catch {
    throw unprocessable('The build url must be a file:// URL of a directory on this machine, such as file:///home/me/app.')
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw unprocessable(`The directory ${dir} does not exist.`)
  return dir
}

/**
 * Copies `source` to `slugsRoot/id`. `.git` is left out; `node_modules` is kept because the platform
 * installs nothing and the app needs it to run. The copy lands under a temporary name first, so a
 * slug directory is always complete.
 */
export async function createSlug(source: string, slugsRoot: string, id: string): Promise<Slug> {
  const dir = join(slugsRoot, id)
  const partial = `${dir}.partial`
  try {
    await cp(source, partial, {recursive: true, verbatimSymlinks: true, filter: path => basename(path) !== '.git'})
    await rename(partial, dir)
  } catch (error) {
    await rm(partial, {recursive: true, force: true})
    throw error
  }
  return {dir, defaultCommands: defaultCommands(dir)}
}

export async function removeSlug(dir: string): Promise<void> {
  await rm(dir, {recursive: true, force: true})
}

/** `type: command` lines of a Procfile; types that cannot be formation types are skipped (src/procfile.ts). */
export function parseProcfile(text: string): Record<string, string> {
  return readProcfile(text).commands
}

export function defaultCommands(dir: string): Record<string, string> {
  const procfile = join(dir, 'Procfile')
  if (existsSync(procfile)) return parseProcfile(readFileSync(procfile, 'utf8'))
  const manifest = join(dir, 'package.json')
  if (!existsSync(manifest)) return {}
  try {
    const start = (JSON.parse(readFileSync(manifest, 'utf8')) as {scripts?: {start?: unknown}}).scripts?.start
    return typeof start === 'string' && start.trim() !== '' ? {web: start.trim()} : {}
  } catch {
    return {}
  }
}
