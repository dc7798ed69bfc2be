// Removing slugs: whatever their modes, only inside the slugs folder, and only those nothing uses.
import {chmod, lstat, opendir, readdir, rm} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

/** Each app keeps the slugs of its last RETAINED_RELEASES releases (plus those a dyno or a recorded definition uses). */
export const RETAINED_RELEASES = 10

const isCode = (error: unknown, ...codes: string[]): boolean => codes.includes((error as NodeJS.ErrnoException).code ?? '')

/** Gives the owner rwx on every folder under `dir` (a folder without them cannot be emptied), never following a link. */
async function makeRemovable(dir: string): Promise<void> {
  const folders = [dir]
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    const stats = await lstat(folder).catch(() => undefined)
    if (!stats?.isDirectory()) continue
    await chmod(folder, (stats.mode & 0o7777) | 0o700)
    for await (const entry of await opendir(folder)) if (entry.isDirectory()) folders.push(join(folder, entry.name))
  }
}

/** Removes a file tree; folders made read-only (by the deployed folder or a dyno) are made writable first. */
export async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, {recursive: true, force: true})
  } catch (error) {
    if (!isCode(error, 'EACCES', 'EPERM', 'ENOTEMPTY')) throw error
    await makeRemovable(dir)
    await rm(dir, {recursive: true, force: true})
  }
}

/** Whether `dir` is an entry of the slugs folder: nothing outside it is ever removed. */
export const inSlugsFolder = (slugsRoot: string, dir: string): boolean => dirname(resolve(dir)) === resolve(slugsRoot)

/** Removes these slugs (each once), leaving alone any path that is not an entry of the slugs folder. */
export async function removeSlugs(slugsRoot: string, dirs: string[]): Promise<void> {
  for (const dir of new Set(dirs.filter(candidate => inSlugsFolder(slugsRoot, candidate)))) await removeTree(dir)
}

/**
 * Removes the slugs among `candidates` that nothing in `inUse` names. Names, not paths, are compared,
 * so a state folder reached by another path (moved, or through a link) never loses a slug in use.
 */
export async function pruneSlugs(slugsRoot: string, candidates: string[], inUse: Iterable<string>): Promise<number> {
  const keep = new Set([...inUse].map(dir => basename(dir)))
  const unused = [...new Set(candidates)].filter(dir => inSlugsFolder(slugsRoot, dir) && !keep.has(basename(dir)))
  let removed = 0
  for (const dir of unused) {
    if (!(await lstat(dir).catch(() => undefined))) continue
    await removeTree(dir)
    removed++
  }
  return removed
}

/**
 * At start, before any build can run: removes every entry of the slugs folder that nothing in
 * `inUse` names, including the `.partial` copies of builds a `kill -9` interrupted. Returns their names.
 */
export async function collectSlugGarbage(slugsRoot: string, inUse: Iterable<string>): Promise<string[]> {
  const keep = new Set([...inUse].map(dir => basename(dir)))
  const garbage = (await readdir(slugsRoot)).filter(name => !keep.has(name))
  for (const name of garbage) await removeTree(join(slugsRoot, name))
  return garbage
}
