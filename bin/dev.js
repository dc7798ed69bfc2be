#!/usr/bin/env node
// Runs aka from src/ (oclif registers tsx). The root plugin is loaded without the built manifest,
// so commands added or changed since the last build show at once. oclif loads after DEBUG is
// cleaned (debug-env.js): its `debug` reads DEBUG once, when it loads. CommonJS, as every file in
// bin/ is (see run.js).
const {join} = require('node:path')

const {onlyOwnDebug, rerunWithoutNodeDebug} = require('./debug-env.js')

rerunWithoutNodeDebug()
onlyOwnDebug(process.env)

async function main() {
  const {execute} = await import('@oclif/core')
  const {Plugin} = await import('@oclif/core/config')
  process.env.NODE_ENV = 'development'
  const root = join(__dirname, '..')
  const self = new Plugin({root, isRoot: true, ignoreManifest: true, type: 'core'})
  await self.load()
  const plugins = new Map([[self.name, self]])
  for (const name of self.pjson.oclif.plugins ?? []) {
    const plugin = new Plugin({root: join(root, 'node_modules', name), type: 'core'})
    await plugin.load()
    plugins.set(plugin.name, plugin)
  }
  await execute({development: true, loadOptions: {root, plugins}})
}

// As an uncaught error at the top level of a module would: printed, exit 1.
main().catch(error => {
  process.exitCode = 1
  console.error(error)
})
