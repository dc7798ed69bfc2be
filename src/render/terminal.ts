// The one place that knows what the terminal can do (after gh's iostreams): built once from the
// real process, or from buffers in tests. Nothing else reads isTTY, NO_COLOR or FORCE_COLOR.
import {PassThrough, type Readable, type Writable} from 'node:stream'

interface Spinner {
  start(text: string): void
  /** Replaces the text shown after the running spinner (a live status line). */
  status(text: string): void
  stop(result?: string): void
}

export interface Terminal {
  stdout: Writable
  stderr: Writable
  stdin: Readable
  stdoutIsTTY: boolean
  stderrIsTTY: boolean
  stdinIsTTY: boolean
  /** Colour on stdout (and stderr) is wanted. */
  color: boolean
  /** Width of the screen in columns, 80 when unknown. */
  columns: number
  /** Spinners and live status lines: only when a person watches both streams. */
  canSpin: boolean
  /** Questions may be asked: stdin, stdout and stderr (where prompts are drawn) are TTYs. */
  canPrompt: boolean
  spinner: Spinner
  /** The environment commands read (the process's, or a test's): nothing in a command reads process.env itself. */
  env: NodeJS.ProcessEnv
}

export function colorWanted(env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean {
  const forced = env.FORCE_COLOR
  if (forced === '0' || forced === 'false') return false
  if (forced !== undefined) return true
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return stdoutIsTTY && env.TERM !== 'dumb'
}

type Ux = typeof import('@oclif/core/ux').ux

/**
 * oclif's spinner, loaded on first use. Once loaded every call is synchronous, so a spinner
 * stopped before a result is printed is gone from the screen before that result appears.
 */
class OclifSpinner implements Spinner {
  private ux?: Ux
  private text?: string
  private latestStatus?: string

  start(text: string): void {
    this.text = text
    this.latestStatus = undefined
    if (this.ux) {
      this.ux.action.start(text)
      return
    }
    import('@oclif/core/ux').then(({ux}) => {
      this.ux = ux
      if (this.text !== undefined) ux.action.start(this.text, this.latestStatus)
    })
  }

  status(text: string): void {
    this.latestStatus = text
    if (this.text !== undefined && this.ux?.action.running) this.ux.action.status = text
  }

  stop(result = 'done'): void {
    if (this.text === undefined) return
    this.text = undefined
    if (this.ux?.action.running) this.ux.action.stop(result)
  }
}

/** Without a TTY a spinner says nothing: progress is for people watching. */
const silentSpinner: Spinner = {start() {}, status() {}, stop() {}}

function systemTerminal(env: NodeJS.ProcessEnv = process.env): Terminal {
  const stdoutIsTTY = Boolean(process.stdout.isTTY)
  const stderrIsTTY = Boolean(process.stderr.isTTY)
  const stdinIsTTY = Boolean(process.stdin.isTTY)
  const canSpin = stdoutIsTTY && stderrIsTTY
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdoutIsTTY,
    stderrIsTTY,
    stdinIsTTY,
    color: colorWanted(env, stdoutIsTTY),
    columns: process.stdout.columns || 80,
    canSpin,
    canPrompt: stdinIsTTY && stdoutIsTTY && stderrIsTTY,
    spinner: canSpin ? new OclifSpinner() : silentSpinner,
    env,
  }
}

export interface TestTerminal extends Terminal {
  /** Everything written to stdout so far. */
  out(): string
  /** Everything written to stderr so far. */
  err(): string
  /** Feeds a line to stdin, as if typed. */
  type(line: string): void
}

function collector(): {stream: PassThrough, text: () => string} {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  // Like process.stdout and stderr, which pipe() never ends: a prompt pipes into stderr and ends its
  // side when answered, and the command must still be able to write after it.
  stream.end = ((...args: unknown[]) => {
    const callback = args.find(arg => typeof arg === 'function') as (() => void) | undefined
    if (callback) process.nextTick(callback)
    return stream
  }) as typeof stream.end
  return {stream, text: () => Buffer.concat(chunks).toString('utf8')}
}

/** A terminal over buffers: `tty` makes it behave as a person's screen (spinners record to stderr). */
export function testTerminal(options: {tty?: boolean, color?: boolean, columns?: number, env?: NodeJS.ProcessEnv} = {}): TestTerminal {
  const tty = options.tty ?? false
  const stdout = collector()
  const stderr = collector()
  const stdin = new PassThrough()
  let spinning: string | undefined
  let shownStatus: string | undefined
  const spinner: Spinner = tty
    ? {
      start(text) {
        spinning = text
        shownStatus = undefined
      },
      // Each new status as a line, so tests see every state the live line went through.
      status(text) {
        if (spinning === undefined || text === shownStatus) return
        shownStatus = text
        stderr.stream.write(`${spinning}... ${text}\n`)
      },
      stop(result = 'done') {
        if (spinning !== undefined) stderr.stream.write(`${spinning}... ${result}\n`)
        spinning = undefined
      },
    }
    : silentSpinner
  return {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin,
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    stdinIsTTY: tty,
    color: options.color ?? false,
    columns: options.columns ?? 100,
    canSpin: tty,
    canPrompt: tty,
    spinner,
    env: options.env ?? {},
    out: stdout.text,
    err: stderr.text,
    type(line) {
      stdin.write(`${line}\n`)
    },
  }
}

let current: Terminal | undefined

/** The terminal commands write to: the real one, unless a test installed its own. */
export function terminal(): Terminal {
  current ??= systemTerminal()
  return current
}

export function useTerminal(replacement: Terminal | undefined): void {
  current = replacement
}
