// Sizes, releases, builds (deploy a directory), config vars and logs.
import type {ServerResponse} from 'node:http'

import type {Build} from '../../api/types.js'
import {typeProblem} from '../../formation-rules.js'
import {configNameProblem, configSizeProblem, configValueProblem} from '../../config-var-syntax.js'
import {build} from '../builds.js'
import type {AppRecord, ReleaseRecord, Runtime} from '../contract.js'
import {HttpError, isObject, readJson, sendJson, unprocessable} from '../http.js'
import {LogDelivery} from '../log-delivery.js'
import {DEFAULT_SIZE, SIZES} from '../sizes.js'
import {sourceDirectory} from '../slugs.js'
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
    // A Procfile type that cannot be a dyno type (too long) gets no formation.
    for (const type of Object.keys(slug.defaultCommands).filter(name => name !== 'web' && !has(name) && !typeProblem(name))) {
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

const MAX_LOG_LINES = 10_000

function logLines(value: string | null): number {
  if (value === null) return 100
  const lines = Number(value)
  if (!Number.isInteger(lines) || lines < 0 || lines > MAX_LOG_LINES) throw unprocessable(`The number of lines must be a whole number from 0 to ${MAX_LOG_LINES}.`)
  return lines
}

/**
 * Log tails open at once on one platform. Every line an app logs is copied to each of its tails, so
 * hundreds of tails (each a few lines of a script) would take the event loop and the memory of the
 * API and of every dyno's supervision; a person watches a few.
 */
export const MAX_LOG_TAILS = 32
const openTails = new WeakMap<Runtime, number>()

/** Counts a tail until its connection closes; 429 when MAX_LOG_TAILS are open. */
function holdTail(context: Context, res: ServerResponse): void {
  const open = openTails.get(context.runtime) ?? 0
  if (open >= MAX_LOG_TAILS) throw new HttpError(429, `Too many log streams are open (at most ${MAX_LOG_TAILS}); end one, then try again.`)
  openTails.set(context.runtime, open + 1)
  res.once('close', () => openTails.set(context.runtime, (openTails.get(context.runtime) ?? 1) - 1))
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
      const source = await sourceDirectory(url, context.slugsDir)
      const recorded = await build(context, app, source, slug => release(context, app, slug, url as string))
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
      const config = patchConfigReleasing(context.store, app.id, configPatch(context.store.config(app.id), await readJson(req)))
      context.store.touchApp(app.id)
      context.runtime.changed(app.id)
      sendJson(res, 200, config)
    },
  },
  {
    method: 'GET', path: '/apps/:app/logs',
    handle(context, {res, params, query}) {
      const app = requireApp(context, params[0])
      const lines = logLines(query.get('lines'))
      const tail = query.get('tail') === 'true'
      if (tail) holdTail(context, res)
      res.writeHead(200, {'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache'})
      res.flushHeaders()
      const delivery = new LogDelivery(res, reason => context.log(`GET /apps/${app.key}/logs: disconnected a reader that stopped reading: ${reason}`))
      const unsubscribe = context.runtime.logs(app.id, {lines, tail}, text => delivery.line(text), () => delivery.end())
      if (!tail) {
        unsubscribe()
        delivery.end()
        return
      }
      res.on('close', () => {
        unsubscribe()
        delivery.close()
      })
    },
  },
]
