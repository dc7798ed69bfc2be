// GET /account: the Akkeris gateway's route (not the controller's), which aka auth:whoami reads.
import type {GatewayAccount} from '../../../api/types.js'
import {sendJson} from '../http.js'
import type {Route} from './context.js'

export const accountRoutes: Route[] = [
  {
    method: 'GET', path: '/account',
    handle(context, {res}) {
      sendJson(res, 200, context.account satisfies GatewayAccount)
    },
  },
]
