// Each app's recent log lines (its dynos' stdout and stderr) and the readers tailing them. Every
// part is bounded: a line's length, the lines kept per app, and how fast a dyno's pipe is read.
import type {Readable} from 'node:stream'
import {StringDecoder} from 'node:string_decoder'

import type {LogOptions} from './contract.js'

/** Lines kept per app, at most; also at most LOG_CHARACTERS_KEPT characters in all. */
export const LOG_LINES_KEPT = 1500
/** The most characters an app's book keeps, so that the lines a reader asks for fit its queue. */
export const LOG_CHARACTERS_KEPT = 1024 * 1024

/** `2026-11-26T22:09:53Z` */
export function isoSeconds(at: number): string {
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z')
}

interface LogReader {
  line: (line: string) => void
  end: () => void
}

interface AppLog {
  /** A ring of `kept` slots; `start` is the oldest line, `count` how many are filled. */
  lines: (string | undefined)[]
  start: number
  count: number
  characters: number
  readers: Set<LogReader>
}

export class LogBook {
  private readonly apps = new Map<string, AppLog>()
  /** A dyno logging thousands of lines a second formats the time once a second, not once a line. */
  private stamp = {second: -1, text: ''}

  constructor(private readonly kept = LOG_LINES_KEPT, private readonly charactersKept = LOG_CHARACTERS_KEPT) {}

  /** Adds one line from a dyno (`type.name`) of an app. */
  write(appId: string, dyno: string, text: string): void {
    const log = this.appLog(appId)
    const line = `${this.now()} ${dyno}: ${text}`
    while (log.count > 0 && (log.count === this.kept || log.characters + line.length > this.charactersKept)) {
      log.characters -= log.lines[log.start]?.length ?? 0
      log.lines[log.start] = undefined
      log.start = (log.start + 1) % this.kept
      log.count--
    }
    log.lines[(log.start + log.count) % this.kept] = line
    log.count++
    log.characters += line.length
    for (const reader of log.readers) {
      try {
        reader.line(line)
      } catch {
        // A reader whose connection broke stops reading; the dyno must not notice.
        log.readers.delete(reader)
      }
    }
  }

  /**
   * The last `lines` lines, then (tail) each new one until `forget` ends the tail; returns the
   * function that stops the tail.
   */
  read(appId: string, options: LogOptions, write: (line: string) => void, end: () => void = () => {}): () => void {
    const log = this.appLog(appId)
    const shown = Math.min(options.lines, log.count)
    for (let index = log.count - shown; index < log.count; index++) write(log.lines[(log.start + index) % this.kept] as string)
    if (!options.tail) return () => {}
    const reader = {line: write, end}
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
      log = {lines: [], start: 0, count: 0, characters: 0, readers: new Set()}
      this.apps.set(appId, log)
    }
    return log
  }
}

/** Longest line kept whole; the rest of a longer line is dropped (see CUT_MARK). */
export const MAX_LINE_LENGTH = 16 * 1024
export const CUT_MARK = ` [cut: the line is longer than ${MAX_LINE_LENGTH} characters]`

/** The first MAX_LINE_LENGTH characters, never ending in half of a surrogate pair. */
function cutLine(text: string): string {
  const end = /[\uD800-\uDBFF]/.test(text.charAt(MAX_LINE_LENGTH - 1)) ? MAX_LINE_LENGTH - 1 : MAX_LINE_LENGTH
  return text.slice(0, end) + CUT_MARK
}

/**
 * Splits a stream's chunks into lines, decoding UTF-8 across chunk boundaries; the last partial
 * line waits for its end or for `flush`. A line longer than MAX_LINE_LENGTH is emitted cut, with
 * CUT_MARK, as soon as it is that long, and the rest of it up to its newline is dropped: a dyno
 * printing a gigabyte without a newline costs the platform no more than one line.
 */
export function lineSplitter(emit: (line: string) => void): {push(chunk: Buffer): void, flush(): void} {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  let cutting = false
  const finish = () => {
    const line = pending.endsWith('\r') ? pending.slice(0, -1) : pending
    if (!cutting) emit(line.length > MAX_LINE_LENGTH ? cutLine(line) : line)
    pending = ''
    cutting = false
  }
  const take = (text: string) => {
    let start = 0
    for (;;) {
      const newline = text.indexOf('\n', start)
      const end = newline === -1 ? text.length : newline
      if (!cutting) {
        // One character of room more than a line may have: a `\r` before its newline is no part of it.
        if (pending.length + end - start > MAX_LINE_LENGTH + 1) {
          emit(cutLine(pending + text.slice(start, start + MAX_LINE_LENGTH)))
          pending = ''
          cutting = true
        } else {
          pending += text.slice(start, end)
        }
      }
      if (newline === -1) return
      finish()
      start = newline + 1
    }
  }
  return {
    push(chunk) {
      take(decoder.write(chunk))
    },
    flush() {
      take(decoder.end())
      if (pending || cutting) finish()
    },
  }
}

/** What the platform reads from one pipe of a dyno in a second, at most; beyond, the pipe waits. */
export const PIPE_BYTES_PER_SECOND = 4 * 1024 * 1024
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
