// The sizes a formation may use.
import {sendJson} from '../http.js'
import {SIZES} from '../../store/sizes.js'
import type {Route} from './context.js'

export const sizeRoutes: Route[] = [
  {
    method: 'GET', path: '/sizes',
    handle(_context, {res}) {
      sendJson(res, 200, SIZES)
    },
  },
]
