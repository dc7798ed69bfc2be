import {expect} from 'chai'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {bundleCacheFile, cacheFolder, loadBundle, type LoadedBundle} from '../../src/boot/compile-cache.js'

describe('code cache of the bundle', () => {
  let folder: string
  let bundle: string
  let cacheFile: string
  const requireHere = createRequire(import.meta.url)

  /** One process's start: the bundle evaluated afresh, then its cache written as the process ends. */
  function start(run = 'ps', env: NodeJS.ProcessEnv = {}): LoadedBundle & {answer: number} {
    delete requireHere.cache[bundle]
    const loaded = loadBundle(bundle, {cacheFile, run, env})
    const answer = (loaded.exports as {answer: () => number}).answer()
    loaded.flush()
    return {...loaded, answer}
  }

  function writeBundle(body: string): void {
    // Enough functions that V8 has real code to cache, one of them compiled lazily when called.
    writeFileSync(bundle, `'use strict'\n${body}\nexports.answer = function answer() { return value() }\n`)
  }

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'aka-code-cache-'))
    bundle = join(folder, 'aka.cjs')
    cacheFile = join(folder, 'cache', 'bundle.v8cache')
    writeBundle('function value() { return 42 }')
  })

  afterEach(() => {
    delete requireHere.cache[bundle]
    rmSync(folder, {recursive: true, force: true})
  })

  it('compiles the first run afresh, writes the cache after it, and the next run uses it', () => {
    const first = start()
    expect([first.state, first.answer]).to.deep.equal(['none', 42])
    const second = start()
    expect([second.state, second.answer]).to.deep.equal(['hit', 42])
  })

  it('registers the bundle as Node would, so a require of it gets the same exports', () => {
    const loaded = loadBundle(bundle, {cacheFile, run: 'ps', env: {}})
    expect(requireHere(bundle)).to.equal(loaded.exports)
  })

  it('never uses the cache of another bundle, even one of the same length', () => {
    start()
    writeBundle('function value() { return 43 }')
    const edited = start()
    expect([edited.state, edited.answer]).to.deep.equal(['stale', 43])
    expect(start().state).to.equal('hit')
  })

  it('never uses a cache made under other Node options', () => {
    start()
    const other = start('ps', {NODE_OPTIONS: '--max-old-space-size=100'})
    expect([other.state, other.answer]).to.deep.equal(['stale', 42])
  })

  it("gives the bundle an import() that works with the cache too, relative to the bundle's folder", async () => {
    writeFileSync(join(folder, 'helper.mjs'), 'export const name = "helper"\n')
    writeBundle('function value() { return 42 }\nexports.helper = () => __akaImport("./helper.mjs")')
    for (const state of ['none', 'hit']) {
      const loaded = start()
      expect(loaded.state).to.equal(state)
      expect(await (loaded.exports as {helper: () => Promise<{name: string}>}).helper()).to.deep.include({name: 'helper'})
    }
  })

  it('detects a damaged cache, runs anyway and writes a good one', () => {
    start()
    const raw = readFileSync(cacheFile)
    raw[raw.length - 10] ^= 0xff
    writeFileSync(cacheFile, raw)
    const damaged = start()
    expect([damaged.state, damaged.answer]).to.deep.equal(['damaged', 42])
    expect(start().state).to.equal('hit')

    writeFileSync(cacheFile, 'not a cache')
    expect(start().state).to.equal('damaged')
    writeFileSync(cacheFile, readFileSync(cacheFile).subarray(0, 100))
    expect(start().state).to.equal('damaged')
  })

  it('rewrites the cache once for each new kind of run, so every command gets its lazily compiled code', () => {
    start('ps')
    const written = () => readFileSync(cacheFile)
    const afterPs = written()
    start('ps')
    expect(written().equals(afterPs), 'a run the cache has seen leaves it alone').to.equal(true)
    start('ps:scale')
    expect(written().equals(afterPs), 'a new kind of run rewrites it').to.equal(false)
    const afterScale = written()
    expect(start('ps').state).to.equal('hit')
    expect(written().equals(afterScale)).to.equal(true)
  })

  it('runs without a cache where none can be written', () => {
    mkdirSync(dirname(cacheFile), {recursive: true})
    writeFileSync(join(folder, 'cache', 'blocker'), '')
    cacheFile = join(folder, 'cache', 'blocker', 'bundle.v8cache')
    expect(start().answer).to.equal(42)
    expect(start().state).to.equal('none')
  })

  it('stays off with NODE_DISABLE_COMPILE_CACHE', () => {
    const off = start('ps', {NODE_DISABLE_COMPILE_CACHE: '1'})
    expect([off.state, off.answer]).to.deep.equal(['off', 42])
    expect(start().state).to.equal('none')
  })

  it('keeps one file per Node version in the XDG cache folder when one is set', () => {
    expect(cacheFolder({XDG_CACHE_HOME: folder})).to.equal(join(folder, 'akkeris'))
    expect(bundleCacheFile({XDG_CACHE_HOME: folder})).to.equal(join(folder, 'akkeris', `bundle-${process.version}-${process.arch}.v8cache`))
  })
})
