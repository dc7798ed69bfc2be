import {Config} from '@oclif/core'
import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {versionLine} from '../../src/boot/version-line.js'

describe('aka --version without oclif', () => {
  const root = new URL('../..', import.meta.url)

  it("prints exactly oclif's version line", async () => {
    const config = await Config.load(fileURLToPath(root))
    // On WSL oclif says `wsl` and the fast path leaves the answer to it.
    expect(versionLine(root, ['--version'])).to.equal(config.platform === 'wsl' ? undefined : config.userAgent)
  })

  it('leaves every other command line to oclif', () => {
    for (const argv of [[], ['--version', 'ps'], ['ps', '--version'], ['-v'], ['version']]) {
      expect(versionLine(root, argv), argv.join(' ')).to.equal(undefined)
    }
  })

  it('leaves --version to oclif when a hook must run around it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'aka-version-'))
    try {
      writeFileSync(join(folder, 'package.json'), JSON.stringify({name: 'aka', version: '1.0.0', oclif: {hooks: {init: './dist/hooks/init'}}}))
      expect(versionLine(pathToFileURL(folder + '/'), ['--version'])).to.equal(undefined)
    } finally {
      rmSync(folder, {recursive: true, force: true})
    }
  })

  it('is right that no plugin of aka runs a hook around --version', async () => {
    const config = await Config.load(fileURLToPath(root))
    const withHooks = config.getPluginsList().filter(plugin => 'init' in plugin.hooks || 'finally' in plugin.hooks).map(plugin => plugin.name)
    expect(withHooks).to.deep.equal([])
  })
})
