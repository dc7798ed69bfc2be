// Builds: deploy a directory, which makes a slug and a release.
import type {Build} from '../../../api/types.js'
import {formationTypeProblem} from '../../../domain/formation-rules.js'
import {build} from '../builds.js'
import type {AppRecord, ReleaseRecord} from '../../contract.js'
import {isObject, readJson, sendJson} from '../http.js'
import {DEFAULT_SIZE} from '../../store/sizes.js'
import {sourceDirectory} from '../../store/slugs.js'
import {type Context, requireApp, type Route} from './context.js'
import {DEFAULT_PORT} from './formations.js'
import {appRef} from './present.js'
import {deployDescription} from './release-history.js'

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
    for (const type of Object.keys(slug.defaultCommands).filter(name => name !== 'web' && !has(name) && !formationTypeProblem(name))) {
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

export const buildRoutes: Route[] = [
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
]
