// The ps:scale grammar, with no I/O: `type=N`, `type+N`, `type-N`, each optionally `:size`.
// A pair that does not parse is an error naming it; the old CLI and Heroku silently dropped it.
import type {Formation, FormationBatchItem, Release} from '../api/types.js'
import {UsageError} from '../errors.js'
import {formationType, MAX_QUANTITY} from './formation-rules.js'

export interface ScalePair {
  /** As typed, for messages. */
  text: string
  type: string
  operator: '=' | '+' | '-'
  amount: number
  size?: string
}

const PAIR = /^([a-z0-9]+)([=+-])(\d+)(?::([a-z0-9][a-z0-9-]*))?$/i
const GRAMMAR = 'expected TYPE=N, TYPE+N or TYPE-N, optionally followed by :SIZE (e.g. web=2 or worker+1:gp2)'

export function parsePair(text: string): ScalePair {
  const match = PAIR.exec(text.trim())
  if (!match) throw new UsageError(`Cannot read the scale pair "${text}"`, GRAMMAR)
  const [, type, operator, amount, size] = match
  // `type=N` and `type+N` above 32 are wrong whatever the formation holds: refused before any request.
  if (operator !== '-' && Number(amount) > MAX_QUANTITY) {
    throw new UsageError(`Cannot scale "${text}": the number of instances must be between 0 and ${MAX_QUANTITY}`)
  }
  return {text, type: formationType(type), operator: operator as ScalePair['operator'], amount: Number(amount), size}
}

/** Every pair parsed, each type at most once (which of two should win is a guess, so neither does). */
export function parsePairs(texts: string[]): ScalePair[] {
  const pairs = texts.map(text => parsePair(text))
  const seen = new Map<string, ScalePair>()
  for (const pair of pairs) {
    const first = seen.get(pair.type)
    if (first) throw new UsageError(`The dyno type ${pair.type} is scaled twice: "${first.text}" and "${pair.text}"`, 'give each type once')
    seen.set(pair.type, pair)
  }
  return pairs
}

/**
 * The batch PATCH for these pairs against the current formation. Non-web types carry their
 * current command because controllers since 2021 refuse a non-web PATCH without one.
 */
export function scaleChanges(pairs: ScalePair[], formations: Formation[]): FormationBatchItem[] {
  return pairs.map(pair => {
    const current = formations.find(formation => formation.type === pair.type)
    if (!current) {
      const types = formations.map(formation => formation.type).join(', ') || 'none'
      throw new UsageError(`Cannot scale "${pair.text}": there is no dyno type ${pair.type}`, `the types are: ${types}`)
    }
    const quantity = pair.operator === '=' ? pair.amount
      : pair.operator === '+' ? current.quantity + pair.amount
        : Math.max(0, current.quantity - pair.amount)
    if (quantity > MAX_QUANTITY) {
      const result = pair.operator === '=' ? '' : ` (${current.quantity} ${pair.operator} ${pair.amount} = ${quantity})`
      throw new UsageError(`Cannot scale "${pair.text}"${result}: the number of instances must be between 0 and ${MAX_QUANTITY}`)
    }
    const change: FormationBatchItem = {type: pair.type, quantity}
    if (pair.size) change.size = pair.size
    if (pair.type !== 'web' && current.command) change.command = current.command
    return change
  })
}

/**
 * Whether to ask for the latest release beside the formation, before it is known to be needed: web is
 * the type whose formation may have no command on any Akkeris (controllers refuse every other type
 * without one), so scaling it to anything but 0 usually needs the release, and asking at once saves a
 * round trip. Other types need it only on the local platform (Procfile types), and ask after.
 */
export function asksReleaseEarly(pairs: ScalePair[]): boolean {
  return pairs.some(pair => pair.type === 'web' && !(pair.operator === '=' && pair.amount === 0))
}

/** The changes that ask for dynos of a type whose formation has no command of its own: the release must give one. */
export function needsReleaseCommand(changes: FormationBatchItem[], formations: Formation[]): FormationBatchItem[] {
  return changes.filter(change => (change.quantity ?? 0) > 0 && !change.command && !formations.find(formation => formation.type === change.type)?.command)
}

/**
 * No split truth, before anything is sent: a type the latest release has no command for cannot run
 * dynos. Only a platform that lists a release's process types (the local one) lets the CLI know;
 * elsewhere the platform decides.
 */
export function refuseCommandless(changes: FormationBatchItem[], release: Release | undefined): void {
  const types = release?.process_types
  if (!release || !types) return
  const missing = changes.find(change => !types[change.type])
  if (!missing) return
  const {type} = missing
  throw new UsageError(`The dyno type ${type} cannot run: release v${release.version} has no command for it (no Procfile line, and the formation has none)`,
    `deploy a folder whose Procfile has a ${type} line, or give ${type} a command with \`aka ps:update ${type} -c COMMAND\``)
}
