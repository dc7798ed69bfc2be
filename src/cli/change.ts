// The one sequence of every command that changes dynos: with --wait, look at what runs first; send
// the change under a spinner; show the result; then wait for the types it touched, each judged by
// whether the domain says the change replaces its dynos.
import type {Api} from '../api/index.js'
import {type DynoChange, type PlatformKind, redeploys} from '../domain/redeploys.js'
import type {Terminal} from '../render/terminal.js'
import type {Baseline, WaitFlags} from './wait.js'

export interface ChangeFlags extends WaitFlags {
  wait?: boolean
}

/** A type the change touched; `dyno` narrows a restart to one `type.name`. */
interface Touched {
  type: string
  change: DynoChange
  dyno?: string
}

export interface ChangeSteps<T> {
  app: string
  /** What the spinner says while the request is out. */
  doing: string
  /** The changes known before the request: the baseline holds the dynos when any may be replaced. */
  planned: DynoChange[]
  /** Checks that need the baseline (undefined without --wait), before anything is sent. */
  check?(baseline: Baseline | undefined): Promise<void>
  send(): Promise<T>
  show(result: T): void | Promise<void>
  /** The types to wait for; undefined when there is nothing to wait for. */
  touched(result: T, baseline: Baseline): Promise<Touched[] | undefined> | Touched[] | undefined
}

/** Only the local platform reports deployments (see domain/redeploys.ts). */
function platformOf(baseline: Baseline): PlatformKind {
  return baseline.deployment === null ? 'controller' : 'local'
}

export async function applyChange<T>(api: Api, term: Terminal, flags: ChangeFlags, steps: ChangeSteps<T>): Promise<T> {
  const {app} = steps
  const waiting = flags.wait ? await import('./wait.js') : undefined
  // A controller's answer is the wider one: it redeploys whenever the local platform would.
  const baseline = await waiting?.takeBaseline(api, app, steps.planned.some(change => redeploys(change, 'controller')))
  await steps.check?.(baseline)
  term.spinner.start(steps.doing)
  const result = await steps.send()
  term.spinner.stop()
  await steps.show(result)
  if (waiting && baseline) {
    const touched = await steps.touched(result, baseline)
    if (touched) {
      const targets = touched.map(({type, change, dyno}) => waiting.target(type, baseline, redeploys(change, platformOf(baseline)), dyno))
      await waiting.waitAfterChange(api, term, app, baseline, targets, flags)
    }
  }
  return result
}
