// Questions to a person (inquirer), on the terminal's own streams; callers check canPrompt first.
import {input, password, search} from '@inquirer/prompts'

import type {Terminal} from './terminal.js'

export function pickApp(term: Terminal, names: string[]): Promise<string> {
  return search({
    message: 'Select an app',
    source: (typed: string | undefined) => names
      .filter(name => !typed || name.includes(typed.toLowerCase()))
      .map(name => ({value: name})),
  }, {input: term.stdin, output: term.stderr})
}

export function ask(term: Terminal, message: string, defaultAnswer?: string): Promise<string> {
  return input({message, default: defaultAnswer}, {input: term.stdin, output: term.stderr})
}

/** A secret (password, two-factor code): masked as it is typed. */
export function askSecret(term: Terminal, message: string): Promise<string> {
  return password({message, mask: true}, {input: term.stdin, output: term.stderr})
}
