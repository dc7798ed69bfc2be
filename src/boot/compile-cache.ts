// A V8 code cache for start-up. Node 22.1+ has one built in (module.enableCompileCache); on Node 20
// this does what v8-compile-cache did for CommonJS: compiles each module with the code V8 produced
// on an earlier run. @oclif/core, axios's CommonJS build and cli-table3 are CommonJS, so this covers
// most of what aka loads (bench/README.md has the figures).
import Module from 'node:module'
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {Script} from 'node:vm'
import * as zlib from 'node:zlib'

interface Entry {
  /** CRC-32 of the source: V8 itself only checks the length, so an edited file could run stale code. */
  crc: number
  start: number
  end: number
}

type Compile = (this: Module, content: string, filename: string, format?: string) => unknown

interface InternalModule {
  _compile: Compile
}

interface ModuleStatics {
  _resolveFilename(request: string, parent: Module, isMain: boolean, options?: {paths?: string[]}): string
  _resolveLookupPaths(request: string, parent: Module): string[] | null
  _extensions: NodeJS.RequireExtensions
  _cache: NodeJS.Dict<NodeJS.Module>
  wrap(content: string): string
}

/** A cache file larger than this is started afresh (old installs leave entries behind). */
const MAX_BYTES = 64 * 1024 * 1024
const HEADER_BYTES = 4

export interface CompileCache {
  /** Modules served from the cache, and modules compiled afresh, so far. */
  readonly hits: number
  readonly misses: number
  /** Writes the cache if this run compiled anything it did not have. */
  flush(): void
  /** Puts Node's own compiler back. */
  uninstall(): void
}

/** Where aka keeps caches: the XDG cache folder (oclif's choice), ~/Library/Caches on macOS. */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'akkeris')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'akkeris')
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'akkeris')
  return join(homedir(), '.cache', 'akkeris')
}

function readCache(file: string): {index: Record<string, Entry>, blob: Buffer} {
  try {
    const raw = readFileSync(file)
    const length = raw.readUInt32LE(0)
    const index = JSON.parse(raw.subarray(HEADER_BYTES, HEADER_BYTES + length).toString('utf8')) as Record<string, Entry>
    return {index, blob: raw.subarray(HEADER_BYTES + length)}
  } catch {
    return {index: {}, blob: Buffer.alloc(0)}
  }
}

/**
 * Serves CommonJS modules from, and records them into, one cache file. Returns undefined where it
 * cannot work safely: without zlib.crc32 (Node < 20.15) or with source maps enabled.
 */
export function installCompileCache(file: string): CompileCache | undefined {
  const crc32 = (zlib as {crc32?: (data: string) => number}).crc32
  if (!crc32 || process.sourceMapsEnabled) return undefined
  const statics = Module as unknown as ModuleStatics
  const prototype = Module.prototype as unknown as InternalModule
  const original = prototype._compile
  const {index, blob} = readCache(file)
  const compiled = new Map<string, {script: Script, crc: number, cached?: Buffer}>()
  let missed = false
  let hits = 0
  let misses = 0

  prototype._compile = function (this: Module, content: string, filename: string, format?: string) {
    // import() in a vm.Script needs --experimental-vm-modules: such files (oclif's module loader) and
    // anything that is not plain CommonJS keep Node's own compiler.
    if ((format !== undefined && format !== 'commonjs') || content.includes('import(')) {
      return original.call(this, content, filename, format)
    }
    const crc = crc32(content)
    const entry = index[filename]
    const cachedData = entry?.crc === crc ? blob.subarray(entry.start, entry.end) : undefined
    // The wrapper shares the first line, so line numbers in stack traces stay those of the file.
    const source = content.startsWith('#!') ? '//' + content : content
    let script: Script
    try {
      script = new Script(statics.wrap(source), {filename, cachedData})
    } catch {
      // Not CommonJS after all (Node may read it as ESM), or broken: Node's compiler decides and reports.
      return original.call(this, content, filename, format)
    }
    const hit = cachedData !== undefined && !script.cachedDataRejected
    if (hit) hits++
    else {
      misses++
      missed = true
    }
    compiled.set(filename, {script, crc, cached: hit ? cachedData : undefined})
    const wrapper = script.runInThisContext({displayErrors: true}) as (...args: unknown[]) => unknown
    return wrapper.call(this.exports, this.exports, requireFor(this, statics), this, filename, dirname(filename))
  }

  return {
    get hits() {
      return hits
    },
    get misses() {
      return misses
    },
    flush() {
      if (!missed) return
      missed = false
      const parts: Buffer[] = []
      const next: Record<string, Entry> = {}
      let offset = 0
      const add = (name: string, crc: number, data: Buffer) => {
        next[name] = {crc, start: offset, end: offset + data.length}
        offset += data.length
        parts.push(data)
      }
      // Entries of modules this run did not load stay: `aka ps` must not evict what `aka --help` uses.
      if (blob.length < MAX_BYTES) {
        for (const [name, entry] of Object.entries(index)) {
          if (!compiled.has(name)) add(name, entry.crc, blob.subarray(entry.start, entry.end))
        }
      }
      // Made after the run, the cache also holds the functions V8 compiled lazily while it ran.
      for (const [name, {script, crc, cached}] of compiled) add(name, crc, cached ?? script.createCachedData())
      const head = Buffer.from(JSON.stringify(next), 'utf8')
      const length = Buffer.alloc(HEADER_BYTES)
      length.writeUInt32LE(head.length)
      try {
        mkdirSync(dirname(file), {recursive: true})
        const temporary = `${file}.${process.pid}`
        writeFileSync(temporary, Buffer.concat([length, head, ...parts]))
        renameSync(temporary, file)
      } catch {
        // A cache that cannot be written only costs speed.
      }
    },
    uninstall() {
      prototype._compile = original
    },
  }
}

/** The `require` Node gives a module, built from the public pieces Node's own loader uses. */
function requireFor(module: Module, statics: ModuleStatics): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require
  const resolve = ((request: string, options?: {paths?: string[]}) => statics._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve
  resolve.paths = (request: string) => statics._resolveLookupPaths(request, module)
  require.resolve = resolve
  require.main = process.mainModule
  require.extensions = statics._extensions
  require.cache = statics._cache
  return require
}

/**
 * Turns on a compile cache for this process: Node's own where it has one, else the CommonJS one above,
 * written when the process exits. NODE_DISABLE_COMPILE_CACHE (Node's own switch) turns both off.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_DISABLE_COMPILE_CACHE) return
  const folder = cacheFolder(env)
  const builtIn = (Module as {enableCompileCache?: (directory?: string) => unknown}).enableCompileCache
  if (builtIn) {
    builtIn(join(folder, 'node-compile-cache'))
    return
  }
  const cache = installCompileCache(join(folder, `compile-cache-${process.version}-${process.arch}.bin`))
  if (cache) process.once('exit', () => cache.flush())
}
