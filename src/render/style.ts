// Colours for one terminal: chalk at the level the terminal allows (none when colour is off).
import {Chalk, type ChalkInstance} from 'chalk'

import type {Terminal} from './terminal.js'

export function palette(term: Terminal): ChalkInstance {
  return new Chalk({level: term.color ? 2 : 0})
}
