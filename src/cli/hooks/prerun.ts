// Mistakes in the commands of oclif's plugins get aka's one line too. Their errors bypass aka's
// base command and print oclif's text; the ones a user meets (`aka autocomplete fish`, `aka help
// nosuch`) are caught here.
// A prerun hook, not an init one: oclif runs init hooks around --version, which bin/run.js answers
// without oclif only when no plugin has one (version-line.ts).
import type {Hook} from '@oclif/core'

const SHELLS = ['bash', 'zsh', 'powershell']

const hook: Hook<'prerun'> = async function (options) {
  const id = options.Command.id
  if (id !== 'autocomplete' && id !== 'help') return
  const words = options.argv.filter(word => !word.startsWith('-'))
  if (id === 'help') {
    // `aka help ps:scale` and `aka help ps scale` both name a command or a topic.
    const named = [words[0], words.join(':')].filter(name => name !== undefined && name !== '')
    if (named.length === 0 || named.some(name => options.config.findCommand(name) || options.config.findTopic(name))) return
    const [{EXIT_USAGE}, {reportUnknownCommand}] = await Promise.all([import('../../errors.js'), import('./command-not-found.js')])
    reportUnknownCommand(options.config, named[0])
    this.exit(EXIT_USAGE)
  }
  const shell = words[0]
  if (shell === undefined || SHELLS.includes(shell)) return
  // Loaded only here: every other command runs this hook too, and should pay nothing for it.
  const [{EXIT_USAGE}, {terminal}] = await Promise.all([import('../../errors.js'), import('../../render/terminal.js')])
  terminal().stderr.write(`Error: aka completes ${SHELLS.join(', ')}, not "${shell}"; see \`${options.config.bin} autocomplete --help\`\n`)
  this.exit(EXIT_USAGE)
}

export default hook
