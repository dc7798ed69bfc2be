// Tokens from the auth host (`POST /authorizations` with Basic auth), the only call that does not go
// to the API host. It is always https, as aka 3.x did: a password never travels in clear text.
import {hostname} from 'node:os'

import {ApiError} from '../errors.js'
import {ApiClient, type ClientOptions} from './client.js'
import type {Authorization} from './types.js'

export interface Credentials {
  username: string
  password: string
  /** The two-factor header the auth host asked for, and the code the user gave. */
  otp?: {header: string, code: string}
}

/** A token, or the name of the header the auth host wants a two-factor code in. */
export type LoginResult = {token: string} | {otpHeader: string}

/** The auth host's two-factor request: a header named `x-…-otp…` (GitHub's `x-github-otp`). */
function otpHeader(headers: Record<string, string>): string | undefined {
  return Object.keys(headers).find(name => name.startsWith('x-') && name.includes('-otp'))
}

export class Authorizations {
  private readonly client: ApiClient

  constructor(private readonly authHost: string, options: Omit<ClientOptions, 'baseURL' | 'authorization' | 'loginHint'>) {
    this.client = new ApiClient({
      ...options,
      baseURL: `https://${authHost}`,
      loginHint: 'check the username, password and two-factor code',
    })
  }

  async create(credentials: Credentials): Promise<LoginResult> {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')
    const headers: Record<string, string> = {authorization: `Basic ${basic}`}
    if (credentials.otp) headers[credentials.otp.header] = credentials.otp.code
    // The auth host (GitHub's authorizations API) wants a unique note per token.
    const body = {
      note: `Akkeris CLI Token (${new Date().toISOString()})`,
      notes: `Akkeris CLI Token (${hostname()})`,
      notes_url: '',
      fingerprint: '',
      scopes: ['read:user', 'read:org'],
    }
    try {
      const authorization = await this.client.post<Authorization | undefined>('/authorizations', body, {headers})
      if (!authorization?.token) throw new ApiError('bad-response', `https://${this.authHost} answered without a token`)
      return {token: authorization.token}
    } catch (error) {
      const header = error instanceof ApiError && error.status !== undefined && !credentials.otp ? otpHeader(error.headers) : undefined
      if (header) return {otpHeader: header}
      throw error
    }
  }
}
