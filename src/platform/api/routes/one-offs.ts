// One-off dynos (`aka run`): `POST /apps/{app}/dynos` runs one, detached or waiting for its client,
// which then attaches with an HTTP upgrade (`POST {attach_url}`, `Upgrade: aka-attach`) and speaks
// the frames of src/api/attach-frames.ts over the connection.
import type {IncomingMessage} from 'node:http'
import type {Duplex} from 'node:stream'

import {ATTACH_PROTOCOL} from '../../../api/attach-frames.js'
import {configNameProblem, configSizeProblem, configValueProblem} from '../../../domain/config-var-syntax.js'
import {commandProblem, ONEOFF_TYPE} from '../../../domain/formation-rules.js'
import type {OneOffRequest} from '../../contract.js'
import {HttpError, isObject, linger, notFound, readJson, sendJson, unprocessable} from '../http.js'
import {DEFAULT_SIZE, SIZE_NAMES} from '../../store/sizes.js'
import {type Context, requireApp, type Route} from './context.js'

/** The request's one-off, or the first rule it breaks (422). */
function oneOffRequest(body: unknown, config: Record<string, string>): OneOffRequest {
  const payload = isObject(body) ? body : {}
  const {command, size, env, attach} = payload
  if (typeof command !== 'string' || command.trim() === '') throw unprocessable('The command specified was invalid, it must be a non-empty string.')
  const badCommand = commandProblem(command)
  if (badCommand) throw unprocessable(badCommand)
  if (size !== undefined && !(typeof size === 'string' && SIZE_NAMES.includes(size))) throw unprocessable('The payload size was not recognized.')
  if (attach !== undefined && typeof attach !== 'boolean') throw unprocessable('The attach field must be true or false.')
  if (env !== undefined && !isObject(env)) throw unprocessable('The env field must be an object of config var names and string values.')
  const vars: Record<string, string> = {}
  for (const [name, value] of Object.entries(env ?? {})) {
    const problem = configNameProblem(name) ?? (typeof value === 'string' ? configValueProblem(name, value) : `The value of the config var ${name} must be a string.`)
    if (problem) throw unprocessable(problem)
    vars[name] = value as string
  }
  const tooLarge = configSizeProblem(new Map(Object.entries({...config, ...vars})))
  if (tooLarge) throw unprocessable(tooLarge)
  return {command, size: typeof size === 'string' ? size : DEFAULT_SIZE, env: vars, attach: attach === true}
}

export const oneOffRoutes: Route[] = [
  {
    method: 'POST', path: '/apps/:app/dynos',
    async handle(context, {req, res, params}) {
      const app = requireApp(context, params[0])
      const body = await readJson(req)
      const request = oneOffRequest(body, context.store.desired(app.id)?.config ?? {})
      const dyno = context.runtime.runOneOff(app.id, request)
      if (!dyno) throw unprocessable(`The application ${app.key} has no release yet, so it has nothing to run: deploy it first.`)
      const attachUrl = request.attach ? `http://${req.headers.host ?? ''}/apps/${app.key}/dynos/${ONEOFF_TYPE}.${dyno.name}/attach` : ''
      sendJson(res, 201, {...dyno, attach_url: attachUrl})
    },
  },
]

const ATTACH_PATH = /^\/apps\/([A-Za-z0-9_.-]+)\/dynos\/run\.([0-9]+)\/attach$/

/**
 * An upgrade request (only `aka-attach` to an attach URL): checked like every request (the caller
 * has checked Host and token), then the connection is the one-off's. Refusals are one-line HTTP answers.
 */
export function attachUpgrade(context: Context, req: IncomingMessage, socket: Duplex, head: Buffer, lingerMs: number): void {
  try {
    const match = ATTACH_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname)
    if (req.method !== 'POST' || !match || req.headers.upgrade?.toLowerCase() !== ATTACH_PROTOCOL) throw notFound('')
    const app = requireApp(context, match[1])
    const waiting = context.runtime.dynos(app.id).some(dyno => dyno.type === ONEOFF_TYPE && dyno.name === match[2] && dyno.state === 'pending')
    if (!waiting) throw notFound('The specified dyno was not found, or a client is already attached to it.')
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: ${ATTACH_PROTOCOL}\r\nconnection: Upgrade\r\n\r\n`)
    if (!context.runtime.attach(app.id, match[2], socket, head)) socket.destroy()
  } catch (error) {
    refuseUpgrade(socket, error instanceof HttpError ? error : new HttpError(500, 'Internal Server Error'), lingerMs)
  }
}

/** The answer, then a lingering close: node sets no timeout once upgraded, and the connection is half-open after our end. */
export function refuseUpgrade(socket: Duplex, error: HttpError, lingerMs: number): void {
  socket.on('error', () => socket.destroy())
  linger(socket, lingerMs)
  const text = error.message
  socket.end(`HTTP/1.1 ${error.status} ${error.status === 404 ? 'Not Found' : error.status === 401 ? 'Unauthorized' : error.status === 403 ? 'Forbidden' : 'Error'}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`)
}
