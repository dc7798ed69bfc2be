// Mistakes in the commands of oclif's plugins get aka's one line too. Their errors bypass aka's
// base command and print oclif's text; the one a user meets (`aka autocomplete fish`) is caught here.
// A prerun hook, not an init one: oclif runs init hooks around --version, which bin/run.js answers
// without oclif only when no plugin has one (version-line.ts).
import type {Hook} from '@oclif/core'

const SHELLS = ['bash', 'zsh', 'powershell']

const hook: Hook<'prerun'> = async function (options) {
  if (options.Command.id !== 'autocomplete') return
  const shell = options.argv.find(word => !word.startsWith('-'))
  if (shell === undefined || SHELLS.includes(shell)) return
  // Loaded only here: every other command runs this hook too, and should pay nothing for it.
  const [{EXIT_USAGE}, {terminal}] = await Promise.all([import('../../errors.js'), import('../../render/terminal.js')])
  terminal().stderr.write(`Error: aka completes ${SHELLS.join(', ')}, not "${shell}"; see \`${options.config.bin} autocomplete --help\`\n`)
  this.exit(EXIT_USAGE)
}

export default hook
