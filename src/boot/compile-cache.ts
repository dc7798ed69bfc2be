// A V8 code cache for the bundle (dist/aka.cjs). Compiling its 750 kB on every start costs more than
// anything aka does for `aka ps`; V8 can instead take the code it produced on an earlier run. The
// cache is made after a run (not when compiling), so it holds every function that run compiled,
// lazily ones included: Node's own module.enableCompileCache() stores only what compiles eagerly.
//
// A cache is used only for the same bundle (its bytes), the same Node and architecture and the same
// Node options, and only when its data is intact (a CRC-32 of its own): anything else is a miss, and
// the run writes a new one. V8 checks its own version, flags and the source length besides.
import Module, {createRequire} from 'node:module'
import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {Script} from 'node:vm'
import * as zlib from 'node:zlib'

/** Bumped when the file's layout changes, so an old layout is never read as the new one. */
const FORMAT = 'aka-code-cache/1'
const HEADER_BYTES = 4
/**
 * What the bundle calls instead of import() (scripts/bundle.js rewrites its import() calls): a
 * vm.Script's own import() needs --experimental-vm-modules, and after a code cache hit it has no
 * loader at all, so the bundle's dynamic imports (the platform, Node's modules) come through here.
 */
const IMPORT = '__akaImport'
/** A run is named by its command (and --help); the cache is rewritten once for each new kind of run. */
const MAX_RUNS = 64

interface Header {
  format: string
  key: string
  runs: string[]
  /** checksum() of the data, which V8 does not check itself in release builds. */
  checksum: string
  length: number
}

export type CacheState = 'hit' | 'none' | 'stale' | 'damaged' | 'rejected' | 'off'

export interface LoadedBundle {
  exports: unknown
  /** What became of the cache on load: used, none yet, for another bundle/Node, damaged, or refused by V8. */
  state: CacheState
  /** Writes the cache if this run added to it. Call once the run is over: failures are ignored. */
  flush(): void
}

export interface LoadOptions {
  cacheFile: string
  /** The kind of run (e.g. `ps`, `ps --help`): a cache that has not seen it is rewritten after the run. */
  run: string
  env?: NodeJS.ProcessEnv
}

/** Where aka keeps caches: the XDG cache folder (oclif's choice), ~/Library/Caches on macOS. */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'akkeris')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'akkeris')
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'akkeris')
  return join(homedir(), '.cache', 'akkeris')
}

/** The cache file for this Node: one per version and architecture, so switching versions keeps both. */
export function bundleCacheFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheFolder(env), `bundle-${process.version}-${process.arch}.v8cache`)
}

/** A checksum of bytes: zlib's CRC-32 (Node 20.15+), else SHA-1 for older Node 20. */
function checksum(data: Buffer): string {
  const crc32 = (zlib as {crc32?: (data: Buffer) => number}).crc32
  if (crc32) return `crc32:${crc32(data)}`
  const {createHash} = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
  return `sha1:${createHash('sha1').update(data).digest('hex')}`
}

/** What a cache must match: the bundle's bytes, this Node, and the options that change V8's code. */
function cacheKey(source: Buffer, env: NodeJS.ProcessEnv): string {
  return JSON.stringify([checksum(source), source.length, process.version, process.arch, process.execArgv, env.NODE_OPTIONS ?? ''])
}

function readCache(file: string, key: string): {state: CacheState, data?: Buffer, runs: string[]} {
  let raw: Buffer
  try {
    raw = readFileSync(file)
  } catch {
    return {state: 'none', runs: []}
  }
  try {
    const length = raw.readUInt32LE(0)
    const header = JSON.parse(raw.subarray(HEADER_BYTES, HEADER_BYTES + length).toString('utf8')) as Header
    const data = raw.subarray(HEADER_BYTES + length)
    if (header.format !== FORMAT || header.key !== key) return {state: 'stale', runs: []}
    if (data.length !== header.length || checksum(data) !== header.checksum) return {state: 'damaged', runs: []}
    return {state: 'hit', data, runs: Array.isArray(header.runs) ? header.runs : []}
  } catch {
    return {state: 'damaged', runs: []}
  }
}

function writeCache(file: string, header: Header, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`
  try {
    const head = Buffer.from(JSON.stringify(header), 'utf8')
    const length = Buffer.alloc(HEADER_BYTES)
    length.writeUInt32LE(head.length)
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(temporary, Buffer.concat([length, head, data]))
    // A rename replaces the file whole: another aka starting meanwhile reads the old cache or the new.
    renameSync(temporary, file)
  } catch {
    // A cache that cannot be written only costs speed.
    rmSync(temporary, {force: true})
  }
}

/**
 * Evaluates a CommonJS bundle as Node's require would (and registers it in require.cache, so a later
 * require of it gets these exports), compiled with the cached code when the cache fits.
 * NODE_DISABLE_COMPILE_CACHE (Node's own switch) turns the cache off.
 */
export function loadBundle(file: string, options: LoadOptions): LoadedBundle {
  const env = options.env ?? process.env
  const off = Boolean(env.NODE_DISABLE_COMPILE_CACHE)
  const source = readFileSync(file)
  const key = off ? '' : cacheKey(source, env)
  const cached = off ? {state: 'off' as CacheState, runs: []} : readCache(options.cacheFile, key)
  // The wrapper keeps the bundle's first line as line 1, as Node's own module wrapper does.
  const wrapped = `(function (exports, require, module, __filename, __dirname, ${IMPORT}) { ${source.toString('utf8')}\n});`
  const script = new Script(wrapped, {filename: file, cachedData: cached.data})
  const state: CacheState = cached.state === 'hit' && script.cachedDataRejected ? 'rejected' : cached.state
  const require = createRequire(file)
  const module = new Module(file)
  module.filename = file
  require.cache[file] = module
  const evaluate = script.runInThisContext() as (...args: unknown[]) => void
  const base = pathToFileURL(file)
  const importModule = (specifier: string) => import(specifier.startsWith('.') ? new URL(specifier, base).href : specifier)
  evaluate.call(module.exports, module.exports, require, module, file, dirname(file), importModule)
  module.loaded = true

  const runs = state === 'hit' ? cached.runs : []
  let pending = !off && (state !== 'hit' || !runs.includes(options.run))
  return {
    exports: module.exports,
    state,
    flush() {
      if (!pending) return
      pending = false
      try {
        const data = script.createCachedData()
        const header = {format: FORMAT, key, runs: [...runs, options.run].slice(-MAX_RUNS), checksum: checksum(data), length: data.length}
        writeCache(options.cacheFile, header, data)
      } catch {
        // No cache this time: the next run tries again.
      }
    },
  }
}
