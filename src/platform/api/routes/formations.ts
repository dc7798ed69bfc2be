// Formations (reference section 3) with the deliberate differences listed in the platform's README.
import type {AppRecord, FormationRecord} from '../../contract.js'
import {isObject, notFound, readJson, sendJson, unprocessable, HttpError} from '../http.js'
import {oneoffProblem} from '../oneoff.js'
import {DEFAULT_SIZE} from '../../store/sizes.js'
import type {FormationChanges, Store} from '../../store/store.js'
import {TYPE_INVALID} from '../../../domain/formation-rules.js'
import {scheduleShapeProblem} from '../../../domain/schedule-rules.js'
import {BATCH_TYPE_MISSING, formationProblem, type FormationPayload, normalSchedule, normalTimezone, scheduleFieldsProblem} from '../validate.js'
import {refuseCommandless} from '../releasing.js'
import {type Context, requireApp, type Route} from './context.js'
import {presentDeletedFormation, presentFormations} from './present.js'

export const DEFAULT_PORT = 9000

type Change = FormationPayload & {'remove-command'?: unknown} & Record<string, unknown>

const missingFormation = (type: string): HttpError => notFound(`The specified formation ${type} was not found.`)

/** The type itself, compared exactly: upstream looks formations up by type on update and delete. */
function formationOfType(store: Store, app: AppRecord, type: string): FormationRecord | undefined {
  const formation = store.formation(app.id, type)
  return formation?.type === type ? formation : undefined
}

/**
 * Whether an update of this type must carry a command: only a non-web type with neither a command
 * nor a default one from the release (upstream requires it on every update: a deliberate difference).
 */
function commandRequired(store: Store, app: AppRecord, existing: FormationRecord | undefined): boolean {
  if (!existing) return false
  return !existing.command && !store.latestRelease(app.id)?.defaultCommands[existing.type]
}

function checkUpdate(store: Store, app: AppRecord, change: Change, type: string): FormationRecord | undefined {
  const existing = formationOfType(store, app, type)
  const problem = formationProblem({...change, type}, commandRequired(store, app, existing)) ?? scheduleFieldsProblem(change)
  if (problem) throw unprocessable(problem)
  return existing
}

/** A formation's fields after a change, refused (422) when its schedule, time zone and quantity do not fit together. */
function changedFormation(existing: FormationRecord, change: Change): FormationChanges {
  const changes = changesOf(existing, change)
  const problem = scheduleShapeProblem({...existing, ...changes})
  if (problem) throw unprocessable(problem)
  return changes
}

/** What an update changes, as upstream applies it: absent or null fields stay as they are. */
function changesOf(existing: FormationRecord, change: Change): FormationChanges {
  const web = existing.type === 'web'
  const changes: FormationChanges = {}
  if (typeof change.size === 'string') changes.size = change.size
  if (typeof change.quantity === 'number') changes.quantity = change.quantity
  if (web && typeof change.port === 'number') changes.port = change.port
  if (typeof change.command === 'string' && change.command !== '') changes.command = change.command
  if (web && existing.command && change['remove-command']) changes.command = null
  if (web && typeof change.healthcheck === 'string' && change.healthcheck !== '') changes.healthcheck = change.healthcheck
  else if (web && change.removeHealthcheck) changes.healthcheck = null
  if (typeof change.schedule === 'string' && change.schedule.trim() !== '') changes.schedule = normalSchedule(change.schedule)
  if (typeof change.timezone === 'string' && change.timezone.trim() !== '') changes.timezone = normalTimezone(change.timezone)
  if (change.removeSchedule === true) {
    changes.schedule = null
    changes.timezone = null
  }
  return changes
}

/** Whether a change asks for dynos of its type: a quantity above 0, or the command removed. */
const asksForDynos = (change: Change): boolean => (typeof change.quantity === 'number' && change.quantity > 0) || Boolean(change['remove-command'])

function changed(context: Context, app: AppRecord): void {
  context.store.touchApp(app.id)
  context.runtime.changed(app.id)
}

function create(context: Context, app: AppRecord, body: unknown): FormationRecord {
  const payload = isObject(body) ? body : {}
  // Upstream answers a missing type with a 500; it is the client's mistake.
  if (typeof payload.type !== 'string') throw unprocessable(TYPE_INVALID)
  const type = payload.type.toLowerCase().trim()
  const web = type === 'web'
  const fields = {
    type,
    size: payload.size || DEFAULT_SIZE,
    // Upstream turns a quantity of 0 into 1 (`quantity || 1`); only an absent one defaults here.
    quantity: payload.quantity === undefined || payload.quantity === null ? 1 : payload.quantity,
    command: payload.command || null,
    port: web && (payload.port === undefined || payload.port === null) ? DEFAULT_PORT : payload.port,
    healthcheck: payload.healthcheck || null,
    removeHealthcheck: payload.removeHealthcheck,
  }
  // A one-off needs no command: upstream skips that rule for it.
  const problem = formationProblem(fields, !payload.oneoff) ?? oneoffProblem(type, payload.oneoff, payload.options)
    ?? scheduleFieldsProblem({schedule: payload.schedule, timezone: payload.timezone, removeSchedule: payload.removeSchedule})
  if (problem) throw unprocessable(problem)
  const schedule = typeof payload.schedule === 'string' && payload.schedule.trim() !== '' ? normalSchedule(payload.schedule) : null
  const timezone = typeof payload.timezone === 'string' && payload.timezone.trim() !== '' ? normalTimezone(payload.timezone) : null
  const badShape = scheduleShapeProblem({type, quantity: fields.quantity as number, schedule, timezone})
  if (badShape) throw unprocessable(badShape)
  // Nothing runs one-offs here yet: storing one as a type would run it as an ordinary dyno type.
  if (payload.oneoff) throw new HttpError(501, 'The local platform does not run one-off formations yet; create the type without oneoff.')
  const {store} = context
  if (formationOfType(store, app, type)) throw new HttpError(409, `The process of type ${type} already exists.`)
  refuseCommandless(store, app.id, [{type, command: fields.command as string | null, quantity: fields.quantity as number}])
  return store.transaction(() => {
    if (!web && !formationOfType(store, app, 'web')) {
      store.insertFormation(app.id, {type: 'web', command: null, quantity: 0, size: DEFAULT_SIZE, port: DEFAULT_PORT, healthcheck: null})
    }
    return store.insertFormation(app.id, {
      type,
      command: fields.command as string | null,
      quantity: fields.quantity as number,
      size: fields.size as string,
      port: web ? fields.port as number : null,
      healthcheck: web ? fields.healthcheck as string | null : null,
      schedule,
      timezone,
    })
  })
}

function batchUpdate(context: Context, app: AppRecord, body: unknown): FormationRecord[] {
  if (!Array.isArray(body)) throw unprocessable('The payload was not an array of formation changes.')
  const items = body.map((item: unknown) => {
    if (!isObject(item) || !item.type) throw unprocessable(BATCH_TYPE_MISSING)
    // Refused before any lookup: the store binds an array as several parameters.
    if (typeof item.type !== 'string') throw unprocessable(TYPE_INVALID)
    // checkUpdate rejects a type that is not a lower-case alphanumeric string before it changes anything.
    return item as Change & {type: string}
  })
  const existing = items.map(item => checkUpdate(context.store, app, item, item.type))
  // Upstream applies what it can and then fails on an unknown type; here nothing is applied.
  const unknown = items.find((_item, index) => !existing[index])
  if (unknown) throw missingFormation(unknown.type)
  const changes = items.map((item, index) => changedFormation(existing[index] as FormationRecord, item))
  refuseCommandless(context.store, app.id, items.flatMap((item, index) => asksForDynos(item) ? [{...existing[index] as FormationRecord, ...changes[index]}] : []))
  return context.store.transaction(() => items.map(item => {
    const current = formationOfType(context.store, app, item.type) as FormationRecord
    return context.store.updateFormation(current, changesOf(current, item))
  }))
}

export const formationRoutes: Route[] = [
  {
    method: 'GET', path: '/apps/:app/formation',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      sendJson(res, 200, presentFormations(context.store, context.runtime, app))
    },
  },
  {
    method: 'GET', path: '/apps/:app/formation/:type',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      const formation = context.store.formation(app.id, params[1])
      if (!formation) throw missingFormation(params[1])
      sendJson(res, 200, presentFormations(context.store, context.runtime, app, [formation])[0])
    },
  },
  {
    method: 'POST', path: '/apps/:app/formation',
    async handle(context, {req, res, params}) {
      const app = requireApp(context, params[0])
      const formation = create(context, app, await readJson(req))
      changed(context, app)
      sendJson(res, 201, presentFormations(context.store, context.runtime, app, [formation])[0])
    },
  },
  {
    method: 'PATCH', path: '/apps/:app/formation',
    async handle(context, {req, res, params}) {
      const app = requireApp(context, params[0])
      const formations = batchUpdate(context, app, await readJson(req))
      changed(context, app)
      sendJson(res, 200, presentFormations(context.store, context.runtime, app, formations))
    },
  },
  {
    method: 'PATCH', path: '/apps/:app/formation/:type',
    async handle(context, {req, res, params}) {
      const app = requireApp(context, params[0])
      const body = await readJson(req)
      // Upstream ignores a body that is not an object (its first acceptance test sends an array).
      const change: Change = isObject(body) ? body : {}
      const existing = checkUpdate(context.store, app, change, params[1])
      if (!existing) throw missingFormation(params[1])
      const changes = changedFormation(existing, change)
      if (asksForDynos(change)) refuseCommandless(context.store, app.id, [{...existing, ...changes}])
      const formation = context.store.updateFormation(existing, changes)
      changed(context, app)
      sendJson(res, 200, presentFormations(context.store, context.runtime, app, [formation])[0])
    },
  },
  {
    method: 'DELETE', path: '/apps/:app/formation/:type',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      const existing = formationOfType(context.store, app, params[1])
      if (!existing) throw missingFormation(params[1])
      context.store.deleteFormation(existing.id)
      changed(context, app)
      sendJson(res, 200, [presentDeletedFormation(app, existing)])
    },
  },
]
