// One line of an app's log stream, as the local platform writes it and `aka logs` reads it:
// `TIME type.name: text` from a dyno's stdout or stderr, `TIME platform[type.name]: text` (or
// `platform[type]` for a type's deployment) from the platform about that dyno. The filters a
// reader may ask for are checked here, by the CLI before it sends them and by the platform.

export type LogSource = 'app' | 'platform'
export const LOG_SOURCES: readonly LogSource[] = ['app', 'platform']

export interface LogLine {
  /** Null for a line of another format. */
  time: string | null
  source: LogSource
  /** `type.name`, or a type for a deployment's events; null for a line of another format. */
  dyno: string | null
  line: string
}

export interface LogFilter {
  /** A type (`web`: its dynos and its deployments) or one dyno (`web.abc12-3def4`). */
  dyno?: string
  source?: LogSource
}

const LINE = /^(\S+Z) (?:platform\[([^\]\s]+)\]|(\S+)): /

/** The line's parts; a line of another format (a marker, another platform's) counts as the app's, of no dyno. */
export function parseLogLine(text: string): LogLine {
  const match = LINE.exec(text)
  if (!match) return {time: null, source: 'app', dyno: null, line: text}
  const platform = match[2] !== undefined
  return {time: match[1], source: platform ? 'platform' : 'app', dyno: (platform ? match[2] : match[3]) ?? null, line: text.slice(match[0].length)}
}

export function formatLogLine(time: string, source: LogSource, dyno: string, text: string): string {
  return source === 'platform' ? `${time} platform[${dyno}]: ${text}` : `${time} ${dyno}: ${text}`
}

export function matchesLogFilter(line: LogLine, filter: LogFilter): boolean {
  if (filter.source && line.source !== filter.source) return false
  if (!filter.dyno) return true
  if (line.dyno === null) return false
  // A type's filter takes its dynos (`web.x`) and its deployments' events (`web`); a dyno's takes that dyno.
  return line.dyno === filter.dyno || (!filter.dyno.includes('.') && line.dyno.startsWith(`${filter.dyno}.`))
}

/** Why a `dyno` filter is not one, or undefined; the same text from the CLI and the platform. */
export function dynoFilterProblem(value: string): string | undefined {
  return /^[a-z0-9]{1,63}(\.[a-z0-9-]{1,63})?$/.test(value)
    ? undefined
    : 'The dyno filter must be a dyno type such as web, or one dyno such as web.abc12-3def4.'
}

export function sourceFilterProblem(value: string): string | undefined {
  return (LOG_SOURCES as readonly string[]).includes(value) ? undefined : 'The source filter must be app or platform.'
}
