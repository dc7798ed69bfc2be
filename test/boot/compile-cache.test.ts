import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {cacheFolder, type CompileCache, installCompileCache} from '../../src/boot/compile-cache.js'

describe('compile cache', () => {
  let folder: string
  let cacheFile: string
  let cache: CompileCache | undefined
  const requireHere = createRequire(import.meta.url)

  /** Loads a module afresh, as a new process would. */
  function load(file: string): unknown {
    delete requireHere.cache[file]
    return requireHere(file)
  }

  function install(): CompileCache {
    cache?.uninstall()
    const installed = installCompileCache(cacheFile)
    if (!installed) throw new Error('this Node has no zlib.crc32: the compile cache cannot be tested here')
    cache = installed
    return installed
  }

  // tsx turns source maps on, and with them on the cache stands aside (Node maps CommonJS files itself).
  const sourceMaps = process.sourceMapsEnabled
  before(() => process.setSourceMapsEnabled(false))
  after(() => process.setSourceMapsEnabled(sourceMaps))

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'aka-compile-cache-'))
    cacheFile = join(folder, 'cache', 'compile.bin')
  })

  afterEach(() => {
    cache?.uninstall()
    cache = undefined
    rmSync(folder, {recursive: true, force: true})
  })

  it('stands aside while source maps are on', () => {
    process.setSourceMapsEnabled(true)
    try {
      expect(installCompileCache(cacheFile)).to.equal(undefined)
    } finally {
      process.setSourceMapsEnabled(false)
    }
  })

  it('serves a module from the cache on the next run, with the same exports', () => {
    const file = join(folder, 'double.cjs')
    writeFileSync(file, 'module.exports = value => value * 2\n')
    const first = install()
    expect((load(file) as (value: number) => number)(21)).to.equal(42)
    expect([first.hits, first.misses]).to.deep.equal([0, 1])
    first.flush()

    const second = install()
    expect((load(file) as (value: number) => number)(4)).to.equal(8)
    expect([second.hits, second.misses]).to.deep.equal([1, 0])
  })

  it('never runs stale code for an edited file of the same length', () => {
    const file = join(folder, 'answer.cjs')
    writeFileSync(file, 'module.exports = 1\n')
    install()
    expect(load(file)).to.equal(1)
    cache?.flush()

    writeFileSync(file, 'module.exports = 2\n')
    const second = install()
    expect(load(file)).to.equal(2)
    expect(second.misses).to.equal(1)
  })

  it('keeps what other runs cached when a run loads different modules', () => {
    const help = join(folder, 'help.cjs')
    const ps = join(folder, 'ps.cjs')
    writeFileSync(help, 'module.exports = "help"\n')
    writeFileSync(ps, 'module.exports = "ps"\n')
    install()
    load(help)
    cache?.flush()
    install()
    load(ps)
    cache?.flush()

    const third = install()
    expect([load(help), load(ps)]).to.deep.equal(['help', 'ps'])
    expect([third.hits, third.misses]).to.deep.equal([2, 0])
  })

  it('ignores a damaged cache file', () => {
    const file = join(folder, 'plain.cjs')
    writeFileSync(file, 'module.exports = "plain"\n')
    mkdirSync(dirname(cacheFile), {recursive: true})
    writeFileSync(cacheFile, 'not a cache')
    const damaged = install()
    expect(load(file)).to.equal('plain')
    expect(damaged.misses).to.equal(1)
  })

  it('gives a module its require, and keeps a hashbang line and true line numbers', () => {
    writeFileSync(join(folder, 'helper.cjs'), 'module.exports = {name: "helper"}\n')
    const file = join(folder, 'tool.cjs')
    writeFileSync(file, [
      '#!/usr/bin/env node',
      'const helper = require("./helper.cjs")',
      'module.exports = {',
      '  helper: helper.name,',
      '  resolved: require.resolve("./helper.cjs"),',
      '  line: () => new Error("here").stack.split("\\n")[1],',
      '}',
      '',
    ].join('\n'))
    const run = install()
    const tool = load(file) as {helper: string, resolved: string, line: () => string}
    expect(run.misses).to.equal(2)
    expect(tool.helper).to.equal('helper')
    expect(tool.resolved).to.equal(join(folder, 'helper.cjs'))
    expect(tool.line()).to.include(`${file}:6:`)
  })

  it("leaves a module that uses import() to Node's own compiler, where import() works", async () => {
    const file = join(folder, 'lazy.cjs')
    writeFileSync(file, 'module.exports = () => import("node:os")\n')
    const run = install()
    const lazy = load(file) as () => Promise<{platform: () => string}>
    expect((await lazy()).platform()).to.equal(process.platform)
    expect([run.hits, run.misses]).to.deep.equal([0, 0])
  })

  it("leaves a file that does not compile to Node, which reports it as it always does", () => {
    const file = join(folder, 'broken.cjs')
    writeFileSync(file, 'module.exports = {\n')
    const run = install()
    expect(() => load(file)).to.throw(SyntaxError)
    expect([run.hits, run.misses]).to.deep.equal([0, 0])
  })

  it('keeps its file in the XDG cache folder when one is set', () => {
    expect(cacheFolder({XDG_CACHE_HOME: folder})).to.equal(join(folder, 'akkeris'))
  })
})
