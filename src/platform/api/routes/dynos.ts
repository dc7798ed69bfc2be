// Dynos (reference section 5.3): what the runtime runs, restarts, stops and signals.
import {constants} from 'node:os'

import type {Dyno} from '../../../api/types.js'
import {ONEOFF_TYPE} from '../../../domain/formation-rules.js'
import type {AppRecord} from '../../contract.js'
import {HttpError, isObject, notFound, readJson, sendJson, unprocessable} from '../http.js'
import {type Context, requireApp, type Route} from './context.js'

const dynoNotFound = (): HttpError => notFound('The specified dyno was not found.')

/**
 * The one dyno a `type.name` reference names: the type must be one of the app's formations (404
 * as upstream), and, since replacing "no dyno" would replace them all, a dyno of it by that name must run.
 */
function dynoOfType(context: Context, app: AppRecord, ref: string): {type: string, name: string} {
  const dot = ref.indexOf('.')
  const type = ref.slice(0, dot)
  const name = ref.slice(dot + 1)
  // One-off dynos (`run.N`) belong to no formation.
  if (type !== ONEOFF_TYPE) requireType(context, app, type)
  const running = context.runtime.dynos(app.id).some(dyno => dyno.type === type && dyno.name === name && dyno.state !== 'stopping')
  if (!running) throw dynoNotFound()
  return {type, name}
}

function requireType(context: Context, app: AppRecord, type: string): void {
  const formation = context.store.formation(app.id, type)
  if (formation?.type !== type) throw notFound(`The dyno type ${type} was not found.`)
}

/** Upstream answers "not found" for any dyno of an app that was never released. */
function releasedDynos(context: Context, app: AppRecord): Dyno[] {
  if (!context.store.latestRelease(app.id)) throw dynoNotFound()
  return context.runtime.dynos(app.id)
}

const KILL = /^sh -c kill -([0-9]+) -1$/
const KNOWN_SIGNALS = new Set<number>(Object.values(constants.signals))

/** The signal an attach request asks for: only `sh -c kill -N -1` is allowed, as upstream. */
function attachSignal(body: unknown): number {
  const payload = isObject(body) ? body : {}
  if (payload.alias && payload.command) throw new HttpError(400, 'Please specify either an alias OR a command')
  if (payload.alias) {
    if (payload.alias !== 'java_heap_dump') throw new HttpError(403, 'Invalid command alias')
    throw new HttpError(403, 'This operation is not allowed.')
  }
  // Upstream fails with a 500 here.
  if (!payload.command) throw new HttpError(400, 'Please specify either an alias OR a command')
  const match = Array.isArray(payload.command) ? KILL.exec(payload.command.join(' ')) : null
  if (!match) throw new HttpError(403, 'This operation is not allowed.')
  const signal = Number(match[1])
  // 0 sends nothing: the harmless existence check (`kill -0 -1`).
  if (signal !== 0 && !KNOWN_SIGNALS.has(signal)) throw unprocessable(`The signal ${signal} is not one this machine knows.`)
  return signal
}

export const dynoRoutes: Route[] = [
  {
    method: 'GET', path: '/apps/:app/dynos',
    handle(context, {res, params}) {
      sendJson(res, 200, context.runtime.dynos(requireApp(context, params[0]).id))
    },
  },
  {
    method: 'GET', path: '/apps/:app/dynos/:dyno',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      const ref = params[1]
      const dyno = releasedDynos(context, app).find(entry => `${entry.type}.${entry.name}` === ref || entry.name === ref || entry.id === ref)
      if (!dyno) throw dynoNotFound()
      sendJson(res, 200, dyno)
    },
  },
  {
    method: 'DELETE', path: '/apps/:app/dynos',
    handle(context, {res, params}) {
      context.runtime.restart(requireApp(context, params[0]).id)
      sendJson(res, 202, {status: 'pending'})
    },
  },
  {
    method: 'DELETE', path: '/apps/:app/dynos/:dyno',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      const ref = params[1]
      if (ref.includes('.')) {
        const {type, name} = dynoOfType(context, app, ref)
        context.runtime.restart(app.id, {type, name})
        sendJson(res, 202, {status: 'pending', type, dyno: name})
        return
      }
      requireType(context, app, ref)
      context.runtime.restart(app.id, {type: ref})
      sendJson(res, 202, {status: 'pending', type: ref})
    },
  },
  {
    method: 'POST', path: '/apps/:app/dynos/:dyno/actions/stop',
    handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      if (!params[1].includes('.')) throw notFound('The specified dyno id was not found.')
      const {type, name} = dynoOfType(context, app, params[1])
      context.runtime.restart(app.id, {type, name})
      sendJson(res, 200, {status: 'pending', type, dyno: name})
    },
  },
  {
    method: 'POST', path: '/apps/:app/dynos/:dyno/actions/attach',
    async handle(context, {req, res, params}) {
      const app = requireApp(context, params[0])
      const body = await readJson(req)
      const [type, name] = params[1].split('.')
      if (!releasedDynos(context, app).some(dyno => dyno.type === type && dyno.name === name)) throw dynoNotFound()
      const signal = attachSignal(body)
      if (!context.runtime.signal(app.id, type, name, signal)) throw dynoNotFound()
      sendJson(res, 200, {stdout: '', stderr: ''})
    },
  },
]
