// What a dyno type should run, reduced to one hash: the deployment id and the first part of
// every dyno name. Any change of release, config vars, command, port, healthcheck or size (or a
// rolling restart) changes the hash, and the reconcile step rolls the type toward it.
import {createHash, randomInt} from 'node:crypto'

import {configNameProblem, configSizeProblem, configValueProblem} from '../../domain/config-var-syntax.js'
import {commandProblem, formationTypeProblem, healthcheckProblem, ONEOFF_TYPE} from '../../domain/formation-rules.js'
import type {DesiredApp, DynoDefinition, FormationRecord, OneOffRequest} from '../contract.js'

/** Everything needed to start one dyno of a type. */
export type DynoSpec = DynoDefinition

/** Why a formation's dynos cannot run; `hash` when it is a definition (a deployment that fails at once). */
export interface Unrunnable {
  missing: string
  hash?: string
}

const DEPLOYMENT_HASH_LENGTH = 10

/**
 * The spec of a formation's dynos under the app's current release, or an explanation of why it
 * cannot run: no release, or no command for the type (then with the hash of that definition).
 * `restartToken` is the type's latest rolling restart: it is part of the hash, so a restart is a deployment like any other.
 */
export function dynoSpec(desired: DesiredApp, formation: FormationRecord, restartToken: string | undefined): DynoSpec | Unrunnable {
  const release = desired.release
  if (!release) return {missing: 'no release'}
  const command = formation.command ?? release.defaultCommands[formation.type]
  const definition = {
    release: release.id,
    config: Object.fromEntries(Object.entries(desired.config).sort(([a], [b]) => a.localeCompare(b))),
    // The formation's own command counts even when it equals the default: dynos show it.
    command: formation.command ?? {default: command},
    port: formation.port,
    healthcheck: formation.healthcheck,
    size: formation.size,
    ...(restartToken ? {restart: restartToken} : {}),
  }
  const hash = createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, DEPLOYMENT_HASH_LENGTH)
  if (!command) return {missing: `release v${release.version} has no command for ${formation.type} (no Procfile line, and the formation has none)`, hash}
  const problem = runProblem(formation, command, desired.config)
  if (problem) return {missing: `it cannot run: ${problem}`, hash}
  return {
    type: formation.type,
    hash,
    formationCommand: formation.command,
    command,
    cwd: release.slugDir,
    config: desired.config,
    size: formation.size,
    healthcheck: formation.type === 'web' ? formation.healthcheck : null,
    release: {id: release.id, version: release.version},
  }
}

/** A one-off dyno of the app's current release: its config vars and the request's, its command and size; undefined without a release. */
export function oneOffSpec(desired: DesiredApp, request: OneOffRequest): DynoSpec | undefined {
  const release = desired.release
  if (!release) return undefined
  return {
    type: ONEOFF_TYPE,
    hash: ONEOFF_TYPE,
    formationCommand: request.command,
    command: request.command,
    cwd: release.slugDir,
    config: {...desired.config, ...request.env},
    size: request.size,
    healthcheck: null,
    release: {id: release.id, version: release.version},
  }
}

/**
 * What the API refuses today but a store written by an older version may hold: such a definition
 * fails its deployment with the rule's reason (never the value) instead of failing every spawn.
 */
function runProblem(formation: FormationRecord, command: string, config: Record<string, string>): string | undefined {
  const entries = Object.entries(config)
  return formationTypeProblem(formation.type)
    ?? commandProblem(command)
    ?? (formation.type === 'web' && formation.healthcheck ? healthcheckProblem(formation.healthcheck) : undefined)
    ?? entries.map(([name, value]) => configNameProblem(name) ?? configValueProblem(name, value)).find(Boolean)
    ?? configSizeProblem(new Map(entries))
}

const NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** `<hash>-<5 random lower-case alphanumerics>`, as Kubernetes names a replica set's pods. */
export function dynoName(hash: string): string {
  let suffix = ''
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)]
  return `${hash}-${suffix}`
}

/** The controller's dyno id: 16 bytes of sha256(name) written like a UUID (not a valid v4 one). */
export function dynoId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 32)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
