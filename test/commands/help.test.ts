// The help of every command: examples render as command then output, usage lines name their values.
import {Config} from '@oclif/core'
import {Plugin} from '@oclif/core/config'
import {Help} from '@oclif/core/help'
import type {Command} from '@oclif/core/command'
import {expect} from 'chai'
import {stripVTControlCharacters} from 'node:util'
import {fileURLToPath} from 'node:url'

/** oclif's help as `aka COMMAND --help` prints it. */
class HelpText extends Help {
  of(command: Command.Loadable): string {
    return this.formatCommand(command)
  }
}

describe('help of every command', () => {
  let config: Config
  let commands: Command.Loadable[]

  before(async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url))
    config = await Config.load(root)
    // From src/, as bin/dev.js loads them (oclif maps dist/ to src/ in development only), so the
    // test never reads a stale build.
    const saved = process.env.NODE_ENV
    process.env.NODE_ENV = 'development'
    try {
      const plugin = new Plugin({root, isRoot: true, ignoreManifest: true, type: 'core'})
      await plugin.load()
      commands = plugin.commands
    } finally {
      process.env.NODE_ENV = saved
    }
  })

  const ours = () => commands

  it('finds the commands', () => {
    expect(ours().map(command => command.id)).to.include.members(['ps', 'ps:scale', 'config:get', 'local:deploy', 'auth:whoami'])
  })

  it('writes an example with output lines as a string, which oclif renders as command then output', () => {
    for (const command of ours()) {
      for (const example of command.examples ?? []) {
        // The object form renders every line of `command` as one shell command joined with `\`.
        if (typeof example !== 'string') expect(example.command, `${command.id}: ${example.description}`).to.not.contain('\n')
      }
    }
  })

  it('renders each example\'s output lines as output, with no <value> placeholder and no odd usage group', async () => {
    for (const command of ours()) {
      const text = stripVTControlCharacters(new HelpText(config, {stripAnsi: true}).of(command))
      // oclif's dependsOn usage read `[--timeout SECONDS --wait] [--interval SECONDS ]`.
      expect(text.replaceAll(/\s+/g, ' '), command.id).to.not.match(/<value>|SECONDS \]|SECONDS --wait\]/)
      for (const example of command.examples ?? []) {
        if (typeof example !== 'string') continue
        // A string example is description, command, then output lines; each output line stands alone.
        for (const output of example.split('\n').slice(2)) expect(text.split('\n').map(line => line.trim()), command.id).to.include(output.trim())
      }
    }
  })
})
