// The one confirmation before destroying something of an app (apps:destroy, ps:destroy): the app's
// name again, by --confirm or typed at a prompt. Checked in two steps so that a missing or wrong
// --confirm fails before any request, and a prompt is shown only for something that exists.
import {AkaError, UsageError} from '../errors.js'
import type {Terminal} from '../render/terminal.js'

export interface Destruction {
  app: string
  /** `--confirm` as given. */
  confirm: string | undefined
  /** What is being done, for the usage error: `Destroying shop-prod`. */
  doing: string
  /** What happened when it is refused: `destroyed`. */
  done: string
}

/** A confirmation that does not match is a refusal at run time (exit 1), whether typed or given. */
function mismatch(answer: string, {app, done}: Destruction): AkaError {
  return new AkaError(`Confirmation "${answer}" did not match ${app}: nothing was ${done}`)
}

/** Before any request: off a terminal --confirm is required (exit 2), and it must name the app. */
export function checkConfirmFlag(term: Terminal, destruction: Destruction): void {
  const {app, confirm, doing} = destruction
  if (confirm === undefined && !term.canPrompt) throw new UsageError(`${doing} needs a confirmation`, `add --confirm ${app}`)
  if (confirm !== undefined && confirm !== app) throw mismatch(confirm, destruction)
}

/** Without --confirm, warn and ask for the app's name; call once the thing is known to exist. */
export async function askConfirmation(term: Terminal, destruction: Destruction, warning: string): Promise<void> {
  if (destruction.confirm !== undefined) return
  term.stderr.write(`⚠  ${warning}\n`)
  const {ask} = await import('../render/prompts.js')
  const answer = (await ask(term, `Type ${destruction.app} to confirm:`)).trim()
  if (answer !== destruction.app) throw mismatch(answer, destruction)
}
