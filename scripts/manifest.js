// Writes oclif.manifest.json from the built commands, with @oclif/core's own manifest builder.
import {Plugin} from '@oclif/core/config'
import {writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
// Without a recorded file path oclif loads each command from the configured commands folder:
// dist/ when built, src/ under bin/dev.js, so a manifest never makes development run stale code.
for (const command of Object.values(plugin.manifest.commands)) {
  delete command.relativePath
  delete command.isESM
}
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), JSON.stringify(plugin.manifest, null, 2) + '\n')
console.log(`wrote oclif.manifest.json (${Object.keys(plugin.manifest.commands).length} commands)`)
