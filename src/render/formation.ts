// Short texts about formations: the one-line results of the ps commands and the pairs line.
import type {Formation, FormationBatchItem, FormationUpdate} from '../api/types.js'
import {printJson} from './output.js'
import type {Terminal} from './terminal.js'

/** `web=2:gp2 worker=3:gp1`: the formation as pairs that ps:scale takes back. */
export function formationPairs(formations: Formation[]): string {
  return formations.map(formation => `${formation.type}=${formation.quantity}:${formation.size}`).join(' ')
}

/** `web=3, worker=1:gp2`: what a batch change asks for. */
export function describeScale(changes: FormationBatchItem[]): string {
  return changes.map(change => `${change.type}=${change.quantity}${change.size ? `:${change.size}` : ''}`).join(', ')
}

/** `worker=1:gp1, command "node worker.js"` or `web=2:gp2, port 9000, healthcheck /health`. */
export function describeFormation(formation: Formation): string {
  const parts = [`${formation.type}=${formation.quantity}:${formation.size}`]
  if (formation.command) parts.push(`command ${quoted(formation.command)}`)
  if (formation.port !== null) parts.push(`port ${formation.port}`)
  if (formation.healthcheck) parts.push(`healthcheck ${formation.healthcheck}`)
  if (formation.schedule) parts.push(describeSchedule(formation.schedule, formation.timezone))
  return parts.join(', ')
}

/** In double quotes, or single ones around a command that has double quotes (`node -e "…"`), else as JSON writes it. */
function quoted(text: string): string {
  if (!text.includes('"')) return `"${text}"`
  return text.includes("'") ? JSON.stringify(text) : `'${text}'`
}

/** `schedule "0 * * * *" (Europe/Berlin)`; UTC is said too, where a person would otherwise guess local time. */
function describeSchedule(schedule: string, timezone: string | null | undefined): string {
  return `schedule "${schedule}" (${timezone ?? 'UTC'})`
}

/**
 * What a single-type PATCH asked for, from the request: the controller's reply can show a removed
 * healthcheck that is already gone from its database.
 */
export function describeUpdate(update: FormationUpdate): string {
  const parts: string[] = []
  if (update.quantity !== undefined) parts.push(`quantity ${update.quantity}`)
  if (update.size !== undefined) parts.push(`size ${update.size}`)
  if (update.command !== undefined) parts.push(`command ${quoted(update.command)}`)
  if (update['remove-command']) parts.push('command removed')
  if (update.port !== undefined) parts.push(`port ${update.port}`)
  if (update.healthcheck !== undefined) parts.push(`healthcheck ${update.healthcheck}`)
  if (update.removeHealthcheck) parts.push('healthcheck removed')
  if (update.schedule !== undefined) parts.push(`schedule "${update.schedule}"`)
  if (update.timezone !== undefined) parts.push(`time zone ${update.timezone}`)
  if (update.removeSchedule) parts.push('schedule removed')
  return parts.join(', ')
}

/** A command's result: the API's object with --json, else one short sentence. */
export function showResult(term: Terminal, json: boolean | undefined, value: unknown, sentence: string): void {
  if (json) printJson(term, value)
  else term.stdout.write(`${sentence}\n`)
}
