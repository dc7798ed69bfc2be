// Sizes, releases, builds (deploy a directory), config vars and logs.
import {randomUUID} from 'node:crypto'

import type {Build} from '../../api/types.js'
import type {AppRecord, ReleaseRecord} from '../contract.js'
import {isObject, readJson, sendJson, unprocessable} from '../http.js'
import {DEFAULT_SIZE, SIZES} from '../sizes.js'
import {createSlug, removeSlug, sourceDirectory} from '../slugs.js'
import {type Context, requireApp, type Route} from './context.js'
import {DEFAULT_PORT} from './formations.js'
import {appRef} from './present.js'
import {deployDescription} from './release-history.js'
import {patchConfigReleasing} from '../releasing.js'

/**
 * Records the release and gives the app the slug's types: `web` (quantity 1 on the first release when
 * the slug has a web command, else 0) and each other Procfile type with quantity 0 and its default command.
 */
function release(context: Context, app: AppRecord, slug: {id: string, dir: string, defaultCommands: Record<string, string>}, url: string) {
  const {store} = context
  return store.transaction(() => {
    const recorded = store.insertRelease(app.id, {id: slug.id, slugDir: slug.dir, defaultCommands: slug.defaultCommands, description: deployDescription(url)}, url)
    const has = (type: string) => store.formation(app.id, type)?.type === type
    if (!has('web')) {
      const quantity = recorded.release.version === 1 && slug.defaultCommands.web ? 1 : 0
      store.insertFormation(app.id, {type: 'web', command: null, quantity, size: DEFAULT_SIZE, port: DEFAULT_PORT, healthcheck: null})
    }
    for (const type of Object.keys(slug.defaultCommands).filter(name => name !== 'web' && !has(name))) {
      store.insertFormation(app.id, {type, command: null, quantity: 0, size: DEFAULT_SIZE, port: null, healthcheck: null})
    }
    return recorded
  })
}

function presentBuild(app: AppRecord, buildId: string, recorded: ReleaseRecord): Build {
  return {
    id: buildId,
    app: appRef(app),
    status: 'succeeded',
    release: {id: recorded.id, version: recorded.version},
    created_at: recorded.created_at,
    updated_at: recorded.created_at,
  }
}

const CONFIG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

function configPatch(body: unknown): Record<string, string | null> {
  if (!isObject(body)) throw unprocessable('The payload was not an object of config vars.')
  for (const [key, value] of Object.entries(body)) {
    if (!CONFIG_NAME.test(key)) throw unprocessable(`The config var name ${key} is invalid, it may contain only letters, digits and underscores.`)
    if (value !== null && typeof value !== 'string') throw unprocessable(`The value of the config var ${key} must be a string, or null to remove it.`)
  }
  return body as Record<string, string | null>
}

const MAX_LOG_LINES = 10_000

function logLines(value: string | null): number {
  if (value === null) return 100
  const lines = Number(value)
  if (!Number.isInteger(lines) || lines < 0 || lines > MAX_LOG_LINES) throw unprocessable(`The number of lines must be a whole number from 0 to ${MAX_LOG_LINES}.`)
  return lines
}

export const releaseRoutes: Route[] = [
  {
    method: 'GET', path: '/sizes',
    handle(_context, {res}) {
      sendJson(res, 200, SIZES)
    },
  },
  {
    method: 'POST', path: '/apps/:app/builds',
    async handle(context, {req, res, params}) {
      const app = requireApp(context, params[0])
      const body = await readJson(req)
      const url = isObject(body) ? body.url : undefined
      const source = sourceDirectory(url)
      const id = randomUUID()
      let slug
      try {
        slug = await createSlug(source, context.slugsDir, id)
      } catch (error) {
        throw unprocessable(`The directory ${source} could not be copied: ${(error as Error).message}`)
      }
      let recorded
      try {
        recorded = release(context, app, {id, ...slug}, url as string)
      } catch (error) {
        await removeSlug(slug.dir)
        throw error
      }
      context.store.touchApp(app.id)
      context.runtime.changed(app.id)
      sendJson(res, 201, presentBuild(app, recorded.buildId, recorded.release))
    },
  },
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
      const config = patchConfigReleasing(context.store, app.id, configPatch(await readJson(req)))
      context.store.touchApp(app.id)
      context.runtime.changed(app.id)
      sendJson(res, 200, config)
    },
  },
  {
    method: 'GET', path: '/apps/:app/logs',
    handle(context, {req, res, params, query}) {
      const app = requireApp(context, params[0])
      const lines = logLines(query.get('lines'))
      const tail = query.get('tail') === 'true'
      res.writeHead(200, {'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache'})
      res.flushHeaders()
      const unsubscribe = context.runtime.logs(app.id, {lines, tail}, line => res.write(line.endsWith('\n') ? line : `${line}\n`))
      if (!tail) {
        unsubscribe()
        res.end()
        return
      }
      req.on('close', unsubscribe)
    },
  },
]
