// Writing data and notices: data to stdout, everything else to stderr.
import type {Terminal} from './terminal.js'

export function printJson(term: Terminal, value: unknown): void {
  term.stdout.write(JSON.stringify(value, null, 2) + '\n')
}

export function print(term: Terminal, text: string): void {
  term.stdout.write(text.endsWith('\n') ? text : text + '\n')
}

export function notice(term: Terminal, text: string): void {
  term.stderr.write(text.endsWith('\n') ? text : text + '\n')
}
