// The error types every layer throws; the base command maps each to one stderr line and an exit code.

export const EXIT_RUNTIME = 1
export const EXIT_USAGE = 2
export const EXIT_INTERRUPTED = 130

/** A failure at run time that is not the user's typing: exit 1. */
export class AkaError extends Error {
  readonly exitCode: number = EXIT_RUNTIME
  constructor(message: string, readonly hint?: string) {
    super(message)
    this.name = 'AkaError'
  }
}

/** Bad flags, arguments or input found before any request was sent: exit 2. */
export class UsageError extends AkaError {
  override readonly exitCode = EXIT_USAGE
  constructor(message: string, hint?: string) {
    super(message, hint)
    this.name = 'UsageError'
  }
}

export type ApiErrorKind = 'http' | 'network' | 'timeout' | 'bad-response' | 'config'

/** Any failure talking to the API: an HTTP status, a network error, a timeout or an unreadable body. */
export class ApiError extends AkaError {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
    hint?: string,
    /** The response's headers (lower-case names) when the server answered. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message, hint)
    this.name = 'ApiError'
  }
}
