// Apps: list, create (org and space made on first use), info, delete.
import {HttpError, isObject, readJson, sendJson, unprocessable} from '../http.js'
import {type Context, type Request, requireApp, type Route} from './context.js'
import {removeSlugs} from '../../store/slug-cleanup.js'
import {presentApp} from './present.js'

const DEFAULT_SPACE = 'default'
const DEFAULT_ORG = 'local'

/** An optional space or org name: lower-cased and trimmed as upstream does, then lower-case alphanumeric. */
function groupName(value: unknown, fallback: string, field: 'space' | 'org'): string {
  if (value === undefined || value === null || value === '') return fallback
  const name = typeof value === 'string' ? value.toLowerCase().trim() : ''
  if (!/^[a-z0-9]+$/.test(name)) throw unprocessable(`The application ${field} field was invalid, it must be lower case alpha numeric only.`)
  return name
}

function create(context: Context, body: unknown) {
  const payload = isObject(body) ? body : {}
  const {name} = payload
  if (typeof name !== 'string' || !/^[A-Za-z0-9]+$/.test(name)) {
    throw unprocessable('The application name was invalid or missing, it cannot contain dashes or other special characters.')
  }
  const space = groupName(payload.space, DEFAULT_SPACE, 'space')
  const org = groupName(payload.org, DEFAULT_ORG, 'org')
  if (`${name}-${space}`.length >= 25) {
    throw unprocessable('The application name was too long, the app space and name must be less than 24 characters.')
  }
  const simpleName = name.toLowerCase()
  if (context.store.findApp(`${simpleName}-${space}`)) throw new HttpError(409, 'The requested application already exists.')
  return context.store.createApp(simpleName, space, org)
}

export const appRoutes: Route[] = [
  {
    method: 'GET', path: '/apps',
    handle(context, {res}: Request) {
      sendJson(res, 200, context.store.apps().map(app => presentApp(context.store, context.runtime, app)))
    },
  },
  {
    method: 'POST', path: '/apps',
    async handle(context, {req, res}) {
      const app = create(context, await readJson(req))
      context.runtime.changed(app.id)
      sendJson(res, 201, presentApp(context.store, context.runtime, app))
    },
  },
  {
    method: 'GET', path: '/apps/:app',
    handle(context, {res, params}) {
      sendJson(res, 200, presentApp(context.store, context.runtime, requireApp(context, params[0])))
    },
  },
  {
    method: 'DELETE', path: '/apps/:app',
    async handle(context, {res, params}) {
      const app = requireApp(context, params[0])
      await context.runtime.removeApp(app.id)
      const releases = context.store.deleteApp(app.id)
      await removeSlugs(context.slugsDir, releases.map(release => release.slugDir))
      sendJson(res, 200, {id: app.id, name: app.key, org: app.org, result: 'successful'})
    },
  },
]
