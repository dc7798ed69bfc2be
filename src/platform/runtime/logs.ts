// Each app's recent log lines (its dynos' stdout and stderr, and the platform's events about them)
// and the readers tailing them. Every part is bounded: a line's length, the lines kept per app and
// source, and how fast a dyno's pipe is read.
import type {Readable} from 'node:stream'
import {StringDecoder} from 'node:string_decoder'

import {formatLogLine, type LogFilter, type LogLine, type LogSource, matchesLogFilter, parseLogLine} from '../../domain/log-line.js'
import type {LogOptions} from '../contract.js'

/** What an app's book keeps of one source's lines: at most so many lines and characters. */
export interface BookLimit {
  lines: number
  characters: number
}

/**
 * The most characters an app's book keeps, both sources together, so that the lines a reader asks
 * for fit its queue.
 */
export const LOG_CHARACTERS_KEPT = 1024 * 1024

/**
 * Kept per app and source: the platform's events have their own share, so that an app printing a
 * line a request never pushes out why its last deployment failed or that a rollback started.
 */
const LOG_LIMITS: Readonly<Record<LogSource, BookLimit>> = {
  app: {lines: 1500, characters: LOG_CHARACTERS_KEPT * 3 / 4},
  platform: {lines: 500, characters: LOG_CHARACTERS_KEPT / 4},
}

/** `2026-11-26T22:09:53Z` */
export function isoSeconds(at: number): string {
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z')
}

interface LogReader {
  line: (line: string) => void
  end: () => void
  filter: LogFilter | undefined
}

const filtered = (filter: LogFilter | undefined): filter is LogFilter => filter !== undefined && (filter.dyno !== undefined || filter.source !== undefined)

interface Entry {
  /** The line's place among all of the app's lines, whatever their source. */
  order: number
  text: string
}

/** The newest lines of one source, in a ring of `limit.lines` slots. */
class Ring {
  private readonly slots: (Entry | undefined)[] = []
  /** The oldest line's slot. */
  private start = 0
  private count = 0
  private characters = 0

  constructor(private readonly limit: BookLimit) {}

  push(entry: Entry): void {
    while (this.count > 0 && (this.count === this.limit.lines || this.characters + entry.text.length > this.limit.characters)) {
      this.characters -= this.slots[this.start]?.text.length ?? 0
      this.slots[this.start] = undefined
      this.start = (this.start + 1) % this.limit.lines
      this.count--
    }
    this.slots[(this.start + this.count) % this.limit.lines] = entry
    this.count++
    this.characters += entry.text.length
  }

  /** The line `back` places before the newest (0 is the newest), if kept. */
  fromNewest(back: number): Entry | undefined {
    return back < this.count ? this.slots[(this.start + this.count - 1 - back) % this.limit.lines] : undefined
  }
}

interface AppLog {
  rings: Record<LogSource, Ring>
  /** The next line's order. */
  next: number
  readers: Set<LogReader>
}

export class LogBook {
  private readonly apps = new Map<string, AppLog>()
  /** A dyno logging thousands of lines a second formats the time once a second, not once a line. */
  private stamp = {second: -1, text: ''}

  constructor(private readonly limits: Readonly<Record<LogSource, BookLimit>> = LOG_LIMITS) {}

  /** Adds one line from a dyno (`type.name`) of an app, or (source platform) the platform's line about it. */
  write(appId: string, dyno: string, text: string, source: LogSource = 'app'): void {
    const log = this.appLog(appId)
    const line = formatLogLine(this.now(), source, dyno, text)
    log.rings[source].push({order: log.next++, text: line})
    // Parsed once, and only when a reader filters: a flood read by plain tails costs no parsing.
    let parsed: LogLine | undefined
    for (const reader of log.readers) {
      if (filtered(reader.filter) && !matchesLogFilter(parsed ??= parseLogLine(line), reader.filter)) continue
      try {
        reader.line(line)
      } catch {
        // A reader whose connection broke stops reading; the dyno must not notice.
        log.readers.delete(reader)
      }
    }
  }

  /**
   * The last `lines` lines (of those the filter asks for), then (tail) each new one until `forget`
   * ends the tail; returns the function that stops the tail.
   */
  read(appId: string, options: LogOptions, write: (line: string) => void, end: () => void = () => {}): () => void {
    const log = this.appLog(appId)
    const {filter} = options
    // Both sources from the newest back, in the order they were written.
    const shown: string[] = []
    const back: Record<LogSource, number> = {app: 0, platform: 0}
    while (shown.length < options.lines) {
      const app = log.rings.app.fromNewest(back.app)
      const platform = log.rings.platform.fromNewest(back.platform)
      const source: LogSource | undefined = app && (!platform || app.order > platform.order) ? 'app' : platform ? 'platform' : undefined
      if (!source) break
      const entry = (source === 'app' ? app : platform) as Entry
      back[source]++
      if (!filtered(filter) || matchesLogFilter(parseLogLine(entry.text), filter)) shown.push(entry.text)
    }
    for (let index = shown.length - 1; index >= 0; index--) write(shown[index] as string)
    if (!options.tail) return () => {}
    const reader = {line: write, end, filter}
    log.readers.add(reader)
    return () => {
      log.readers.delete(reader)
    }
  }

/** The app is gone: its lines are dropped and every tail ends. */
  forget(appId: string): void {
    const log = this.apps.get(appId)
    this.apps.delete(appId)
    for (const reader of log?.readers ?? []) {
      try {
        reader.end()
      } catch {
        // The reader's connection is already gone: nothing left to end.
      }
    }
  }

  private now(): string {
    const second = Math.floor(Date.now() / 1000)
    if (second !== this.stamp.second) this.stamp = {second, text: isoSeconds(second * 1000)}
    return this.stamp.text
  }

  private appLog(appId: string): AppLog {
    let log = this.apps.get(appId)
    if (!log) {
      log = {rings: {app: new Ring(this.limits.app), platform: new Ring(this.limits.platform)}, next: 0, readers: new Set()}
      this.apps.set(appId, log)
    }
    return log
  }
}

/** Longest line kept whole, in bytes; the rest of a longer line is dropped (see CUT_MARK). */
export const MAX_LINE_BYTES = 16 * 1024
export const CUT_MARK = ` [cut: the line is longer than ${MAX_LINE_BYTES} bytes]`

/**
 * Splits a stream's chunks into lines, working in bytes: a newline byte is never part of a
 * multi-byte UTF-8 character, so each line is decoded whole, from its own bytes, and a character
 * split between two chunks arrives intact (each line is also a string of its own, holding no
 * chunk in memory). The last partial line waits for its end or for `flush`. A line longer than
 * MAX_LINE_BYTES is emitted cut, with CUT_MARK, as soon as it is that long, and the rest of it up
 * to its newline is dropped: a dyno printing a gigabyte without a newline costs one line.
 */
export function lineSplitter(emit: (line: string) => void): {push(chunk: Buffer): void, flush(): void} {
  let pending: Buffer[] = []
  let pendingBytes = 0
  let cutting = false
  const finish = () => {
    if (!cutting) {
      const bytes = Buffer.concat(pending, pendingBytes)
      const end = bytes.at(-1) === 0x0D ? bytes.length - 1 : bytes.length
      // A line of exactly MAX_LINE_BYTES and its `\r` fit; one byte more does not.
      emit(end > MAX_LINE_BYTES ? cut(bytes) : bytes.toString('utf8', 0, end))
    }
    pending = []
    pendingBytes = 0
    cutting = false
  }
  return {
    push(chunk) {
      let start = 0
      for (;;) {
        const newline = chunk.indexOf(0x0A, start)
        const end = newline === -1 ? chunk.length : newline
        if (!cutting && newline !== -1 && pendingBytes === 0 && end - start <= MAX_LINE_BYTES) {
          // The common case, a whole short line inside one chunk: decoded straight from the chunk.
          emit(chunk.toString('utf8', start, chunk[end - 1] === 0x0D ? end - 1 : end))
          start = newline + 1
          continue
        }
        if (!cutting) {
          if (pendingBytes + end - start > MAX_LINE_BYTES + 1) {
            emit(cut(Buffer.concat([...pending, chunk.subarray(start, start + MAX_LINE_BYTES)])))
            pending = []
            pendingBytes = 0
            cutting = true
          } else if (end > start) {
            // A copy: a slice would keep the whole chunk in memory for as long as the line waits.
            pending.push(Buffer.from(chunk.subarray(start, end)))
            pendingBytes += end - start
          }
        }
        if (newline === -1) return
        finish()
        start = newline + 1
      }
    },
    flush() {
      if (pendingBytes > 0 || cutting) finish()
    },
  }
}

/** The first MAX_LINE_BYTES of a line, never ending in part of a character, and CUT_MARK. */
function cut(bytes: Buffer): string {
  return new StringDecoder('utf8').write(bytes.subarray(0, MAX_LINE_BYTES)) + CUT_MARK
}

/** What the platform reads from one pipe of a dyno in a second, at most; beyond, the pipe waits. */
const PIPE_BYTES_PER_SECOND = 1024 * 1024
export const PIPE_LINES_PER_SECOND = 10_000

/**
 * Reads a dyno's stdout or stderr as lines. A dyno that logs faster than the limits above is
 * paused until the next second (its writes wait, as on a slow terminal), so that however fast it
 * logs, the platform's work, memory and event loop stay bounded.
 */
export function readLines(stream: Readable, emit: (line: string) => void, now: () => number = Date.now): void {
  let second = -1
  let bytes = 0
  let lines = 0
  const splitter = lineSplitter(line => {
    lines++
    emit(line)
  })
  stream.on('data', (chunk: Buffer) => {
    const current = Math.floor(now() / 1000)
    if (current !== second) {
      second = current
      bytes = 0
      lines = 0
    }
    bytes += chunk.length
    splitter.push(chunk)
    if (bytes >= PIPE_BYTES_PER_SECOND || lines >= PIPE_LINES_PER_SECOND) {
      stream.pause()
      setTimeout(() => stream.resume(), (second + 1) * 1000 - now()).unref()
    }
  })
  stream.on('end', () => splitter.flush())
}
