// The polling loop behind ps:wait and every --wait: look, decide (rollout.ts), show the status,
// sleep, until done, failed or past the deadline. The clock is injectable so tests never sleep.
import type {Api} from '../api/index.js'
import type {Dyno} from '../api/types.js'
import {AkaError, UsageError} from '../errors.js'
import type {Terminal} from '../render/terminal.js'
import {checkRollout, describeProgress, type RolloutTarget, type TypeProgress} from '../domain/rollout.js'

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => {
    setTimeout(resolve, ms)
  }),
}

let clock: Clock = systemClock

/** Tests install a clock whose sleep only moves its own time forward. */
export function useClock(replacement: Clock | undefined): void {
  clock = replacement ?? systemClock
}

export const DEFAULT_TIMEOUT_SECONDS = 600
export const DEFAULT_INTERVAL_SECONDS = 2

/** What ran before a change, so the wait can tell the new dynos and deployment from the old. */
export interface Baseline {
  dynos: Dyno[]
  deployment: string | null
}

/** One look before the change: the dynos only when a redeploy must replace them. */
export async function takeBaseline(api: Api, app: string, withDynos: boolean): Promise<Baseline> {
  const [dynos, deployment] = await Promise.all([withDynos ? api.dynos.list(app) : Promise.resolve([]), api.apps.lastDeployment(app)])
  return {dynos, deployment: deployment?.id ?? null}
}

/** Wait for `type`; when `redeploy`, until each of its dynos in the baseline (or only `dyno`, a `type.name`) is replaced. */
export function target(type: string, baseline: Baseline, redeploy: boolean, dyno?: string): RolloutTarget {
  if (!redeploy) return {type, replacing: new Set()}
  const refs = baseline.dynos.filter(candidate => candidate.type === type).map(candidate => `${candidate.type}.${candidate.name}`)
  return {type, replacing: new Set(dyno ? refs.filter(ref => ref === dyno) : refs)}
}

export interface WaitOptions {
  app: string
  /** The types to wait for; every type of the formation when undefined. */
  targets?: RolloutTarget[]
  previousDeployment?: string | null
  timeoutSeconds?: number
  intervalSeconds?: number
  /** Where the final "is ready" line goes: stderr when stdout carries JSON. */
  resultTo?: 'stdout' | 'stderr'
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`
}

export async function waitForRollout(api: Api, term: Terminal, options: WaitOptions): Promise<TypeProgress[]> {
  const {app} = options
  const timeoutMs = (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000
  const intervalMs = (options.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * 1000
  const deadline = clock.now() + timeoutMs
  const hint = `\`aka ps -a ${app}\` shows the dynos and \`aka logs -a ${app}\` their output`
  let shown: string | undefined
  term.spinner.start(`Waiting for ${app}`)
  for (let poll = 0; ; poll++) {
    const [formations, dynos, deployment] = await Promise.all([api.formations.list(app), api.dynos.list(app), api.apps.lastDeployment(app)])
    const now = clock.now()
    const targets = options.targets ?? formations.map(formation => ({type: formation.type, replacing: new Set<string>()}))
    const verdict = checkRollout({formations, dynos, deployment}, {app, targets, previousDeployment: options.previousDeployment, now})
    if (verdict.kind === 'unknown-types') {
      const types = verdict.types.join(', ')
      if (poll === 0) throw new UsageError(`${app} has no dyno type ${types}`, `its types are: ${verdict.known.join(', ') || 'none'}`)
      throw new AkaError(`The dyno type ${types} of ${app} was destroyed while waiting for it`)
    }
    const line = describeProgress(verdict.progress) || 'no dyno types'
    if (line !== shown) {
      if (term.canSpin) term.spinner.status(line)
      else term.stderr.write(`Waiting for ${app}: ${line}\n`)
      shown = line
    }
    if (verdict.kind === 'failed') throw new AkaError(verdict.reason, hint)
    if (verdict.kind === 'done') {
      term.spinner.stop('done')
      const result = `${app} is ready: ${line}.\n`
      if (options.resultTo === 'stderr') term.stderr.write(result)
      else term.stdout.write(result)
      return verdict.progress
    }
    if (now >= deadline) {
      const missing = describeProgress(verdict.progress.filter(type => !type.done))
      throw new AkaError(`Timed out after ${duration(timeoutMs)} waiting for ${app}: ${missing}`, `wait longer with --timeout SECONDS; ${hint}`)
    }
    await clock.sleep(Math.min(intervalMs, deadline - now))
  }
}

export interface WaitFlags {
  timeout?: number
  interval?: number
  json?: boolean
}

/** `--wait` after a change: the types touched, judged against what ran before it. */
export function waitAfterChange(api: Api, term: Terminal, app: string, baseline: Baseline, targets: RolloutTarget[], flags: WaitFlags): Promise<TypeProgress[]> {
  return waitForRollout(api, term, {
    app,
    targets,
    previousDeployment: baseline.deployment,
    timeoutSeconds: flags.timeout,
    intervalSeconds: flags.interval,
    resultTo: flags.json ? 'stderr' : 'stdout',
  })
}
