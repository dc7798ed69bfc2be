// Each app's recent log lines (its dynos' stdout and stderr) and the readers tailing them.
import type {LogOptions} from './contract.js'

const LOG_LINES_KEPT = 1500

/** `2026-11-26T22:09:53Z` */
export function isoSeconds(at: number): string {
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z')
}

interface AppLog {
  lines: string[]
  /** Index of the oldest line once the ring is full. */
  next: number
  readers: Set<(line: string) => void>
}

export class LogBook {
  private readonly apps = new Map<string, AppLog>()

  constructor(private readonly kept = LOG_LINES_KEPT) {}

  /** Adds one line from a dyno (`type.name`) of an app. */
  write(appId: string, dyno: string, text: string): void {
    const log = this.appLog(appId)
    const line = `${isoSeconds(Date.now())} ${dyno}: ${text}`
    if (log.lines.length < this.kept) {
      log.lines.push(line)
    } else {
      log.lines[log.next] = line
      log.next = (log.next + 1) % this.kept
    }
    for (const reader of log.readers) {
      try {
        reader(line)
      } catch {
        // A reader whose connection broke stops reading; the dyno must not notice.
        log.readers.delete(reader)
      }
    }
  }

  /** The last `lines` lines, then (tail) each new one; returns the function that stops the tail. */
  read(appId: string, options: LogOptions, write: (line: string) => void): () => void {
    const log = this.appLog(appId)
    const ordered = [...log.lines.slice(log.next), ...log.lines.slice(0, log.next)]
    for (const line of options.lines > 0 ? ordered.slice(-options.lines) : []) write(line)
    if (!options.tail) return () => {}
    log.readers.add(write)
    return () => {
      log.readers.delete(write)
    }
  }

  forget(appId: string): void {
    this.apps.delete(appId)
  }

  private appLog(appId: string): AppLog {
    let log = this.apps.get(appId)
    if (!log) {
      log = {lines: [], next: 0, readers: new Set()}
      this.apps.set(appId, log)
    }
    return log
  }
}

/** Longest line kept whole; output without newlines is cut into lines of this length. */
export const MAX_LINE_LENGTH = 16 * 1024

/** Splits a stream's chunks into lines; the last partial line waits for its end or for `flush`. */
export function lineSplitter(emit: (line: string) => void): {push(chunk: Buffer): void, flush(): void} {
  let pending = ''
  return {
    push(chunk) {
      const parts = (pending + chunk.toString('utf8')).split(/\r?\n/)
      pending = parts.pop() ?? ''
      for (const part of parts) emit(part)
      while (pending.length > MAX_LINE_LENGTH) {
        emit(pending.slice(0, MAX_LINE_LENGTH))
        pending = pending.slice(MAX_LINE_LENGTH)
      }
    },
    flush() {
      if (pending) emit(pending)
      pending = ''
    },
  }
}
