#!/usr/bin/env node
// `aka --version` is answered before anything else loads when the answer is certain (see version-line).
// Otherwise aka runs from its bundle (dist/aka.cjs, scripts/bundle.js), compiled with the V8 code cache
// of an earlier run (see compile-cache), which is written once this run is over if it added to it.
import {onlyOwnDebug, rerunWithoutNodeDebug} from './debug-env.js'
import {versionLine} from '../dist/boot/version-line.js'

rerunWithoutNodeDebug()
onlyOwnDebug(process.env)

const root = new URL('..', import.meta.url)
const argv = process.argv.slice(2)
const version = versionLine(root, argv)
if (version) {
  process.stdout.write(`${version}\n`)
} else {
  const {bundleCacheFile, loadBundle} = await import('../dist/boot/compile-cache.js')
  const {fileURLToPath} = await import('node:url')
  const help = argv.includes('--help') || argv.includes('-h')
  const bundle = loadBundle(fileURLToPath(new URL('dist/aka.cjs', root)), {
    cacheFile: bundleCacheFile(),
    run: `${argv[0] ?? ''}${help ? ' --help' : ''}`.slice(0, 64),
  })
  process.once('exit', () => bundle.flush())
  await bundle.exports.run(fileURLToPath(root))
}
