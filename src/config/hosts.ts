// Which Akkeris the CLI talks to, and with which credentials (compatible with aka 3.x).
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {ApiError} from '../errors.js'
import {akkerisHome, readLocalPlatform, readLocalToken} from './local.js'
import {netrcPath, readNetrcEntry} from './netrc.js'

export interface Endpoint {
  /** Scheme, host and port, no trailing slash: `https://apps.example.io`. */
  apiUrl: string
  /** Host with its port when it has one: the `~/.netrc` machine name. */
  apiHost: string
  authHost?: string
  source: 'env' | 'config' | 'local'
}

export interface Credentials {
  /** The whole `Authorization` header value; undefined sends none. */
  authorization?: string
  source?: 'API_AUTH' | 'API_TOKEN' | 'netrc' | 'local'
}

export interface ProfileFile {
  auth?: string
  apps?: string
  updates?: string
  /** `local`: talk to the local platform although hosts are kept (`aka auth:profile --local`); aka 3.x ignores it. */
  platform?: 'local'
}

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(akkerisHome(env), 'config.json')
}

/** Lower-cases and trims a host; a scheme is dropped (keeping the port) and `http://` marks it insecure. */
function normaliseHost(value: string): {host: string, insecure: boolean} {
  const trimmed = value.trim().toLowerCase()
  if (/^https?:\/\//.test(trimmed)) {
    const url = new URL(trimmed)
    return {host: url.host, insecure: url.protocol === 'http:'}
  }
  return {host: trimmed.replace(/\/+$/, ''), insecure: false}
}

export function readProfile(env: NodeJS.ProcessEnv = process.env): ProfileFile | undefined {
  const file = configFilePath(env)
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ProfileFile
  } catch {
    throw new ApiError('config', `${file} is not valid JSON`, undefined, 'fix it, or run `aka auth:profile` to write it again')
  }
}

function endpoint(apiHost: string, authHost: string | undefined, source: Endpoint['source'], env: NodeJS.ProcessEnv): Endpoint {
  const api = normaliseHost(apiHost)
  const insecure = api.insecure || Boolean(env.AKKERIS_API_INSECURE)
  return {
    apiUrl: `${insecure ? 'http' : 'https'}://${api.host}`,
    apiHost: api.host,
    authHost: authHost ? normaliseHost(authHost).host : undefined,
    source,
  }
}

/** The running local platform, whatever else is configured (`local:*` commands); a config ApiError when it is not running. */
export function localEndpoint(env: NodeJS.ProcessEnv = process.env): Endpoint {
  const local = readLocalPlatform(env)
  if (!local) throw new ApiError('config', 'The local platform is not running', undefined, 'start it with `aka local:start --detach`')
  return {apiUrl: local.url, apiHost: new URL(local.url).host, source: 'local'}
}

/**
 * The API to use: both environment variables, else ~/.akkeris/config.json (whose `platform: local`
 * means the local platform), else a running local platform.
 * Throws a config ApiError saying what to run when there is none.
 */
export function resolveEndpoint(env: NodeJS.ProcessEnv = process.env): Endpoint {
  if (env.AKKERIS_API_HOST && env.AKKERIS_AUTH_HOST) {
    return endpoint(env.AKKERIS_API_HOST, env.AKKERIS_AUTH_HOST, 'env', env)
  }
  const profile = readProfile(env)
  if (profile?.platform === 'local') return localEndpoint(env)
  if (profile?.apps) return endpoint(profile.apps, profile.auth, 'config', env)
  if (readLocalPlatform(env)) return localEndpoint(env)
  throw new ApiError(
    'config',
    'No Akkeris API is configured',
    undefined,
    'run `aka local:start --detach` for the local platform, or `aka auth:profile` to use an Akkeris',
  )
}

/** The local platform's own token, whatever API_TOKEN or API_AUTH say. */
export function localCredentials(env: NodeJS.ProcessEnv = process.env): Credentials {
  const token = readLocalToken(env)
  return token ? {authorization: `Bearer ${token}`, source: 'local'} : {}
}

/** The Authorization header for an endpoint: API_AUTH, else API_TOKEN, else ~/.netrc (or the local platform's token). */
export function resolveCredentials(target: Endpoint, env: NodeJS.ProcessEnv = process.env): Credentials {
  if (env.API_AUTH) return {authorization: env.API_AUTH, source: 'API_AUTH'}
  if (env.API_TOKEN) return {authorization: `Bearer ${env.API_TOKEN}`, source: 'API_TOKEN'}
  if (target.source === 'local') return localCredentials(env)
  const entry = readNetrcEntry(target.apiHost, netrcPath(env))
  return entry?.password ? {authorization: `Bearer ${entry.password}`, source: 'netrc'} : {}
}
