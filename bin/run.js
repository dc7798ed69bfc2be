#!/usr/bin/env node
// `aka --version` is answered before anything else loads when the answer is certain (see version-line).
// Otherwise aka runs from its bundle (dist/aka.cjs, scripts/bundle.js), compiled with the V8 code cache
// of an earlier run (see compile-cache), which is written once this run is over if it added to it.
// CommonJS (bin/package.json), as is dist/boot.cjs: Node starts an ES module entry about 7 ms later.
const {join} = require('node:path')
const {pathToFileURL} = require('node:url')
const {onlyOwnDebug, rerunWithoutNodeDebug} = require('./debug-env.js')

rerunWithoutNodeDebug()
onlyOwnDebug(process.env)

const {bundleCacheFile, loadBundle, versionLine} = require('../dist/boot.cjs')

const root = join(__dirname, '..')
const argv = process.argv.slice(2)
const version = versionLine(pathToFileURL(`${root}/`), argv)
if (version) {
  process.stdout.write(`${version}\n`)
} else {
  const help = argv.includes('--help') || argv.includes('-h')
  const bundle = loadBundle(join(root, 'dist', 'aka.cjs'), {
    cacheFile: bundleCacheFile(),
    run: `${argv[0] ?? ''}${help ? ' --help' : ''}`.slice(0, 64),
  })
  process.once('exit', () => bundle.flush())
  bundle.exports.run(root)
}
