// The controller's one-off checks (`formation_payload_check` after the command rule), in its order.
import {isObject} from './http.js'

export const ONEOFF_WEB = 'A web formation cannot be a one-off formation.'

/** The message of the first one-off rule a formation create breaks, or undefined. */
export function oneoffProblem(type: string, oneoff: unknown, options: unknown): string | undefined {
  if (oneoff && type === 'web') return ONEOFF_WEB
  // Arrays pass, as upstream (`typeof options !== 'object'`); this check runs without oneoff too.
  if (options && typeof options !== 'object') return 'The options specified were not recognized'
  if (!oneoff || !isObject(options) || Object.keys(options).length === 0) return undefined
  const {image, env} = options
  if (image || image === '') {
    if (typeof image !== 'string' || image.trim() === '') return 'The one-off image specified was invalid - must be a non-empty string'
    if (!/^(.+):([a-zA-Z0-9._-]+)$/.test(image.trim())) return 'A tag must be specified for the one-off image option, but no tag was found.'
  }
  if (env || env === '') {
    if (!isObject(env) || Object.keys(env).length === 0) return 'The env option must be an object consisting of at least one key-value pair.'
    if (Object.values(env).some(value => typeof value !== 'string')) return 'Invalid env value: env option must be an object consisting of at least one key-value pair.'
  }
  return undefined
}
