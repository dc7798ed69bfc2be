#!/usr/bin/env node
// Runs aka from src/ (oclif registers tsx). The root plugin is loaded without the built manifest,
// so commands added or changed since the last build show at once. oclif loads after DEBUG is
// cleaned (debug-env.js): its `debug` reads DEBUG once, when it loads.
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {onlyOwnDebug, rerunWithoutNodeDebug} from './debug-env.js'

rerunWithoutNodeDebug()
onlyOwnDebug(process.env)
const {execute} = await import('@oclif/core')
const {Plugin} = await import('@oclif/core/config')
process.env.NODE_ENV = 'development'
const root = fileURLToPath(new URL('..', import.meta.url))
const self = new Plugin({root, isRoot: true, ignoreManifest: true, type: 'core'})
await self.load()
const plugins = new Map([[self.name, self]])
for (const name of self.pjson.oclif.plugins ?? []) {
  const plugin = new Plugin({root: join(root, 'node_modules', name), type: 'core'})
  await plugin.load()
  plugins.set(plugin.name, plugin)
}
await execute({development: true, loadOptions: {root, plugins}})
