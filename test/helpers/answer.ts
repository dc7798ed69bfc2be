// Answers a command's prompts in order: waits until each question is on stderr, then types the reply.
import type {PassThrough} from 'node:stream'

import type {TestTerminal} from '../../src/render/terminal.js'

/** Ctrl-C, as a reply. */
export const CTRL_C = '\u0003'

/** For runCommand's `interact`: each step waits for `shown` on stderr (5 s at most), then types `reply` and Enter. */
export function answer(...steps: [shown: string, reply: string][]): (term: TestTerminal) => void {
  return term => {
    const deadline = Date.now() + 5000
    const run = async () => {
      let from = 0
      for (const [shown, reply] of steps) {
        let at = term.err().indexOf(shown, from)
        while (at === -1) {
          if (Date.now() > deadline) return
          await new Promise(resolve => setTimeout(resolve, 5))
          at = term.err().indexOf(shown, from)
        }
        from = at + shown.length
        if (reply === CTRL_C) (term.stdin as PassThrough).write(CTRL_C)
        else term.type(reply)
      }
    }
    void run()
  }
}
