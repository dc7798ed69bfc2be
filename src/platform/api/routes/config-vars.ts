// An app's config vars: read them, and patch them (which makes a release).
import {configNameProblem, configSizeProblem, configValueProblem} from '../../../domain/config-var-syntax.js'
import {isObject, readJson, sendJson, unprocessable} from '../http.js'
import {patchConfigReleasing} from '../releasing.js'
import {requireApp, type Route} from './context.js'

/** A patch of the app's config vars, checked whole against what a process environment can hold once applied. */
function configPatch(current: Record<string, string>, body: unknown): Record<string, string | null> {
  if (!isObject(body)) throw unprocessable('The payload was not an object of config vars.')
  const next = new Map(Object.entries(current))
  for (const [key, value] of Object.entries(body)) {
    const badName = configNameProblem(key)
    if (badName) throw unprocessable(badName)
    const badValue = configValueProblem(key, value)
    if (badValue) throw unprocessable(badValue)
    if (value === null) next.delete(key)
    else next.set(key, value as string)
  }
  const tooLarge = configSizeProblem(next)
  if (tooLarge) throw unprocessable(tooLarge)
  return body as Record<string, string | null>
}

export const configVarRoutes: Route[] = [
  {
    method: 'GET', path: '/apps/:app/config-vars',
    handle(context, {res, params}) {
      sendJson(res, 200, context.store.config(requireApp(context, params[0]).id))
    },
  },
  {
    method: 'PATCH', path: '/apps/:app/config-vars',
    async handle(context, {req, res, params}) {
      const app = requireApp(context, params[0])
      const config = patchConfigReleasing(context.store, app.id, configPatch(context.store.config(app.id), await readJson(req)))
      context.store.touchApp(app.id)
      context.runtime.changed(app.id)
      sendJson(res, 200, config)
    },
  },
]
