// The one HTTP client: one axios instance with the host, credentials, timeout and error mapping.
import type {AxiosError, AxiosInstance, AxiosResponse, Method} from 'axios'
import type {Readable} from 'node:stream'

import {ApiError} from '../errors.js'
import axios from './axios.js'
import {FEATURES_HEADER, parseFeatures} from './features.js'

export interface ClientOptions {
  baseURL: string
  /** Whole Authorization header value; never logged. */
  authorization?: string
  userAgent: string
  timeoutMs: number
  /** What to tell a user whose request got a 401. */
  loginHint: string
  /** What to tell a user whose connection was refused. */
  unreachableHint: string
  /** Receives one line per request when debugging is on. */
  debug?: (line: string) => void
}

const DEFAULT_TIMEOUT_MS = 30_000

export interface RequestOptions {
  /** Headers for this request only (e.g. another Authorization, a two-factor code). */
  headers?: Record<string, string>
}

/** `AKKERIS_API_TIMEOUT` in seconds, else 30 s. */
export function timeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.AKKERIS_API_TIMEOUT
  if (value === undefined || value === '') return DEFAULT_TIMEOUT_MS
  const seconds = Number(value)
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new ApiError('config', `AKKERIS_API_TIMEOUT must be a number of seconds above 0, not "${value}"`)
  }
  return Math.round(seconds * 1000)
}

/** Joins path segments, encoding each: `apiPath('apps', app, 'dynos')` → `/apps/my-app/dynos`. */
export function apiPath(...segments: string[]): string {
  return '/' + segments.map(segment => encodeURIComponent(segment)).join('/')
}

function serverMessage(body: string): string {
  const text = body.trim()
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as {message?: unknown, error_description?: unknown, error?: unknown}
      if (typeof parsed.message === 'string') return parsed.message
      if (typeof parsed.error_description === 'string') return `${parsed.error_description} (${String(parsed.error)})`
    } catch {
      // not JSON after all: the text itself is the message
    }
  }
  return text
}

function headerRecord(response: AxiosResponse): Record<string, string> {
  return Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), String(value)]))
}

export class ApiClient {
  private readonly http: AxiosInstance
  /** What the API's latest answer listed beyond the controller's API (features.ts). */
  features = new Set<string>()

  constructor(private readonly options: ClientOptions) {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-encoding': 'gzip',
      'user-agent': options.userAgent,
    }
    if (options.authorization) headers.authorization = options.authorization
    this.http = axios.create({
      baseURL: options.baseURL,
      headers,
      timeout: options.timeoutMs,
      responseType: 'text',
      transformResponse: [(body: unknown) => body],
      validateStatus: () => true,
      // The API never redirects; with 0, axios uses node:http itself and not follow-redirects,
      // whose debug output would print the request's headers, the token among them.
      maxRedirects: 0,
    })
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path)
  }

  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, body, options)
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body)
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path)
  }

  /** A streaming GET (logs): the body as it arrives. */
  async stream(path: string): Promise<Readable> {
    const response = await this.send('GET', path, undefined, {responseType: 'stream', timeout: 0})
    if (response.status >= 200 && response.status < 300) return response.data as Readable
    const chunks: Buffer[] = []
    for await (const chunk of response.data as Readable) chunks.push(Buffer.from(chunk as Buffer))
    throw this.statusError('GET', path, response.status, Buffer.concat(chunks).toString('utf8'))
  }

  async request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, body, {headers: options.headers})
    const text = typeof response.data === 'string' ? response.data : ''
    if (response.status < 200 || response.status >= 300) {
      throw this.statusError(method, path, response.status, text, headerRecord(response))
    }
    if (text.trim() === '') return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ApiError('bad-response', `${this.options.baseURL} answered ${method} ${path} with a body that is not JSON`, response.status, 'check that AKKERIS_API_HOST points at an Akkeris API')
    }
  }

  private async send(method: Method, path: string, body: unknown, extra: {responseType?: 'stream', timeout?: number, headers?: Record<string, string>} = {}): Promise<AxiosResponse> {
    const started = Date.now()
    const {headers: requestHeaders, ...rest} = extra
    try {
      const response = await this.http.request({
        method,
        url: path,
        data: body === undefined ? undefined : JSON.stringify(body),
        headers: {...(body === undefined ? {} : {'content-type': 'application/json'}), ...requestHeaders},
        ...rest,
      })
      this.options.debug?.(`${method} ${this.options.baseURL}${path} ${response.status} ${Date.now() - started}ms`)
      const features: unknown = response.headers[FEATURES_HEADER]
      this.features = parseFeatures(typeof features === 'string' ? features : undefined)
      return response
    } catch (error) {
      this.options.debug?.(`${method} ${this.options.baseURL}${path} failed ${Date.now() - started}ms`)
      throw this.networkError(error as AxiosError)
    }
  }

  private statusError(method: string, path: string, status: number, body: string, headers: Record<string, string> = {}): ApiError {
    const message = serverMessage(body)
    if (status === 401) {
      return new ApiError('http', `Not logged in: ${this.options.baseURL} refused the credentials (HTTP 401)`, status, this.options.loginHint, headers)
    }
    if (status === 403) {
      return new ApiError('http', `Not permitted: ${message || 'Forbidden'} (HTTP 403)`, status, undefined, headers)
    }
    const text = message || `${method} ${path} failed`
    return new ApiError('http', `${text} (HTTP ${status})`, status, undefined, headers)
  }

  private networkError(error: AxiosError): ApiError {
    const {baseURL} = this.options
    const code = error.code ?? ''
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || error.message.includes('timeout')) {
      return new ApiError('timeout', `No answer from ${baseURL} within ${this.options.timeoutMs / 1000} s`, undefined, 'set AKKERIS_API_TIMEOUT (seconds) to wait longer')
    }
    if (code === 'ECONNREFUSED') {
      return new ApiError('network', `Could not connect to ${baseURL}: connection refused`, undefined, this.options.unreachableHint)
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new ApiError('network', `Could not resolve the host of ${baseURL}`, undefined, this.options.unreachableHint)
    }
    return new ApiError('network', `Could not reach ${baseURL}: ${error.message}`, undefined, this.options.unreachableHint)
  }
}
