#!/usr/bin/env node
// `aka --version` is answered before oclif loads when the answer is certain (see version-line).
// Otherwise the compile cache goes first, so that what loads after it (oclif, axios, cli-table3)
// can use it; the subpath import keeps @oclif/core's root index (and the semver it loads) out.
import {onlyOwnDebug, rerunWithoutNodeDebug} from './debug-env.js'
import {versionLine} from '../dist/version-line.js'

rerunWithoutNodeDebug()
onlyOwnDebug(process.env)

const root = new URL('..', import.meta.url)
const version = versionLine(root, process.argv.slice(2))
if (version) {
  process.stdout.write(`${version}\n`)
} else {
  const {enableCompileCache} = await import('../dist/compile-cache.js')
  enableCompileCache()
  const {execute} = await import('@oclif/core/execute')
  await execute({dir: import.meta.url})
}
