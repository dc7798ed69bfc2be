// Copying a deployed folder into a slug: folders, regular files and symbolic links only, with
// asynchronous I/O, at most COPY_CONCURRENCY file operations at a time, and buffers of fixed size.
// A file identical to the previous slug's file at the same path is hard-linked from it, not copied.
import {constants, type Stats} from 'node:fs'
import {chmod, type FileHandle, link, lstat, mkdir, open, opendir, readlink, symlink} from 'node:fs/promises'
import {join} from 'node:path'

/** File operations in flight at once: enough to keep the disk busy, few enough to leave libuv's threads to the rest. */
const COPY_CONCURRENCY = 4
const CHUNK = 256 * 1024
/** How many skipped paths a build's note names (it counts them all). */
const SKIPPED_EXAMPLES = 5
// Never block in open (a FIFO), never follow a symbolic link put in the file's place.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK

export interface CopyResult {
  /** Every entry equals the previous slug's, which has no other: the previous slug can serve as it is. */
  identical: boolean
  files: number
  /** Files hard-linked from the previous slug. */
  linked: number
  bytesCopied: number
  /** FIFOs, sockets and devices left out. */
  skipped: number
  skippedExamples: string[]
  /** What a top-level entry left out was (`Procfile` → `FIFO`): a build must not silently ignore its Procfile. */
  skippedTopLevel: Map<string, string>
}

/** Slug files are read-only (hard links share them between slugs); folders stay the owner's to manage. */
const slugFileMode = (mode: number): number => mode & 0o555
const slugDirMode = (mode: number): number => (mode & 0o755) | 0o700

export function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isSymbolicLink()) return 'a symbolic link'
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  return 'a file'
}

/** Runs tasks at most `limit` at a time; `add` waits while it is full, so a walk never queues more. The first failure stops it. */
class TaskPool {
  private readonly running = new Set<Promise<void>>()
  private failure: {error: unknown} | undefined

  constructor(private readonly limit: number) {}

  async add(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running)
    this.rethrow()
    const promise: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= {error}
      })
      .finally(() => this.running.delete(promise))
    this.running.add(promise)
  }

  async drain(): Promise<void> {
    await Promise.all(this.running)
    this.rethrow()
  }

  /** Waits for the tasks in flight whatever they do: nothing may write into a copy that is being removed. */
  async settle(): Promise<void> {
    await Promise.all(this.running)
  }

  private rethrow(): void {
    if (this.failure) throw this.failure.error
  }
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path)
  } catch {
    return undefined
  }
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number, length: number): Promise<number> {
  let done = 0
  while (done < length) {
    const {bytesRead} = await handle.read(buffer, done, length - done, position + done)
    if (bytesRead === 0) break
    done += bytesRead
  }
  return done
}

/** Two buffers of CHUNK bytes: each task in flight has its own pair, so a build's memory stays fixed. */
interface Buffers {
  mine: Buffer
  theirs: Buffer
}

/** Whether the previous slug's file at `previous` has this content (`size` bytes of `source`) and slug mode. */
async function sameFile(source: FileHandle, size: number, mode: number, previous: string, {mine, theirs}: Buffers): Promise<boolean> {
  const stats = await lstatOrUndefined(previous)
  if (!stats?.isFile() || stats.size !== size || (stats.mode & 0o7777) !== mode) return false
  const other = await open(previous, READ_FLAGS)
  try {
    for (let position = 0; position < size; position += CHUNK) {
      const length = Math.min(CHUNK, size - position)
      const [a, b] = await Promise.all([readFully(source, mine, position, length), readFully(other, theirs, position, length)])
      if (a !== length || b !== length || !mine.subarray(0, length).equals(theirs.subarray(0, length))) return false
    }
    return true
  } finally {
    await other.close()
  }
}

/** Copies `size` bytes (the size when opened: a file that keeps growing cannot make the copy endless). */
async function copyContent(source: FileHandle, size: number, dest: string, mode: number, buffer: Buffer): Promise<number> {
  const target = await open(dest, 'wx', 0o600)
  try {
    let position = 0
    while (position < size) {
      const read = await readFully(source, buffer, position, Math.min(buffer.length, size - position))
      if (read === 0) break
      for (let written = 0; written < read;) written += (await target.write(buffer, written, read - written, position + written)).bytesWritten
      position += read
    }
    await target.chmod(mode)
    return position
  } finally {
    await target.close()
  }
}

interface Directory {
  /** Relative to the folder's root ('' for the root). */
  rel: string
  /** The previous slug's folder at the same path, when it is a real folder (never one reached through a symbolic link). */
  previous: string | undefined
}

/** One copy of a folder into a slug, compared entry by entry with the previous slug. */
class TreeCopy {
  readonly result: CopyResult = {identical: false, files: 0, linked: 0, bytesCopied: 0, skipped: 0, skippedExamples: [], skippedTopLevel: new Map()}
  private readonly pool = new TaskPool(COPY_CONCURRENCY)
  private readonly spareBuffers: Buffers[] = Array.from({length: COPY_CONCURRENCY}, () => ({mine: Buffer.alloc(CHUNK), theirs: Buffer.alloc(CHUNK)}))
  /** Folders still to list: the walk is breadth first, so memory holds folder names, never a whole tree. */
  private readonly queue: Directory[] = []

  constructor(private readonly source: string, private readonly dest: string) {}

  async run(previousSlug: string | undefined): Promise<CopyResult> {
    const rootStats = await lstat(this.source)
    const previousRoot = previousSlug && (await lstatOrUndefined(previousSlug))?.isDirectory() ? previousSlug : undefined
    this.result.identical = previousRoot !== undefined && ((await lstat(previousRoot)).mode & 0o7777) === slugDirMode(rootStats.mode)
    await mkdir(this.dest, {mode: 0o700})
    await chmod(this.dest, slugDirMode(rootStats.mode))
    this.queue.push({rel: '', previous: previousRoot})
    try {
      for (let directory = this.queue.shift(); directory; directory = this.queue.shift()) await this.copyDirectory(directory)
      await this.pool.drain()
    } catch (error) {
      await this.pool.settle()
      throw error
    }
    return this.result
  }

  private differs(): void {
    this.result.identical = false
  }

  private async copyDirectory(directory: Directory): Promise<void> {
    let entries = 0
    for await (const entry of await opendir(join(this.source, directory.rel))) {
      if (entry.name === '.git') continue
      const rel = join(directory.rel, entry.name)
      const previous = directory.previous && join(directory.previous, entry.name)
      const topLevel = directory.rel === ''
      // Folders are made here, in walk order, so that every file's folder exists before its task runs.
      const stats = entry.isFile() || entry.isSymbolicLink() ? undefined : await lstat(join(this.source, rel))
      if (stats?.isDirectory()) {
        entries++
        await this.makeDirectory(rel, previous, stats)
        continue
      }
      if (!stats || stats.isFile() || stats.isSymbolicLink()) entries++
      await this.pool.add(async () => {
        const current = stats ?? await lstat(join(this.source, rel))
        // Counted as a file or link when listed, it is something else now: the trees cannot match.
        if (!stats && !current.isFile() && !current.isSymbolicLink()) this.differs()
        await this.copyEntry(rel, previous, current, topLevel)
      })
    }
    if (this.result.identical && directory.previous && await countEntries(directory.previous) !== entries) this.differs()
  }

  private async makeDirectory(rel: string, previous: string | undefined, stats: Stats): Promise<void> {
    const mode = slugDirMode(stats.mode)
    await mkdir(join(this.dest, rel), {mode: 0o700})
    await chmod(join(this.dest, rel), mode)
    const old = previous ? await lstatOrUndefined(previous) : undefined
    if (!old?.isDirectory() || (old.mode & 0o7777) !== mode) this.differs()
    this.queue.push({rel, previous: old?.isDirectory() ? previous : undefined})
  }

  private async copyEntry(rel: string, previous: string | undefined, stats: Stats, topLevel: boolean): Promise<void> {
    const from = join(this.source, rel)
    const to = join(this.dest, rel)
    if (stats.isSymbolicLink()) {
      const target = await readlink(from)
      await symlink(target, to)
      if (!previous || !(await lstatOrUndefined(previous))?.isSymbolicLink() || (await readlink(previous)) !== target) this.differs()
      return
    }
    if (!stats.isFile()) {
      this.skip(rel, stats, topLevel)
      return
    }
    // The pool runs at most COPY_CONCURRENCY tasks: a pair is always free.
    const buffers = this.spareBuffers.pop() ?? {mine: Buffer.alloc(CHUNK), theirs: Buffer.alloc(CHUNK)}
    try {
      await this.copyFile(rel, previous, topLevel, buffers)
    } finally {
      this.spareBuffers.push(buffers)
    }
  }

  private async copyFile(rel: string, previous: string | undefined, topLevel: boolean, buffers: Buffers): Promise<void> {
    const to = join(this.dest, rel)
    const handle = await open(join(this.source, rel), READ_FLAGS)
    try {
      const opened = await handle.stat()
      if (!opened.isFile()) {
        // Replaced since it was listed: left out like any special file.
        this.skip(rel, opened, topLevel)
        this.differs()
        return
      }
      const mode = slugFileMode(opened.mode)
      this.result.files++
      if (previous && await sameFile(handle, opened.size, mode, previous, buffers) && await this.link(previous, to)) return
      this.differs()
      this.result.bytesCopied += await copyContent(handle, opened.size, to, mode, buffers.mine)
    } finally {
      await handle.close()
    }
  }

  private skip(rel: string, stats: Stats, topLevel: boolean): void {
    const {result} = this
    result.skipped++
    if (result.skippedExamples.length < SKIPPED_EXAMPLES) result.skippedExamples.push(`${rel} (${describeKind(stats).replace(/^an? /, '')})`)
    if (topLevel) result.skippedTopLevel.set(rel, describeKind(stats))
  }

  private async link(previous: string, to: string): Promise<boolean> {
    try {
      await link(previous, to)
      this.result.linked++
      return true
    } catch (error) {
      // Too many links to one file, or another file system: a copy does as well.
      if (['EMLINK', 'EXDEV', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) return false
      throw error
    }
  }
}

/**
 * Copies `source` into `dest` (which must not exist). `.git` folders are left out; FIFOs, sockets and
 * devices are skipped and counted; symbolic links are copied as links, never followed. Files equal
 * to `previousSlug`'s (same path, content and mode) are hard links to its files.
 */
export function copyTree(source: string, dest: string, previousSlug: string | undefined): Promise<CopyResult> {
  return new TreeCopy(source, dest).run(previousSlug)
}

async function countEntries(dir: string): Promise<number> {
  const handle = await opendir(dir)
  try {
    let count = 0
    while ((await handle.read()) !== null) count++
    return count
  } finally {
    await handle.close()
  }
}
