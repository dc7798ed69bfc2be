// One log reader's side of a log stream: a bounded queue between the app's log book and the
// client's connection. A reader that keeps up gets every line; a slow one is skipped ahead to the
// newest lines with a marker saying how many it missed; one that stops reading is disconnected.
import {LOG_CHARACTERS_KEPT} from './logs.js'

export interface DeliveryLimits {
  /** Characters queued for the client while its connection's buffer is full; older lines are skipped. */
  queueCharacters: number
  /** A client whose connection stays full this long is disconnected. */
  stallMs: number
  /** ...and so is one that has had this many characters skipped since its connection filled. */
  stallCharacters: number
}

export const DELIVERY_LIMITS: DeliveryLimits = {
  // Twice the book, so that the last lines a reader asks for are never skipped on a slow start.
  queueCharacters: 2 * LOG_CHARACTERS_KEPT,
  stallMs: 60_000,
  stallCharacters: 16 * 1024 * 1024,
}

/**
 * The characters queued by all deliveries together. Each reader's own limit bounds one reader; this
 * bounds many: hundreds of stalled readers would otherwise hold hundreds of full queues. A reader
 * that queues a line while the total is over it is skipped ahead, as when its own queue is full.
 */
export class QueueBudget {
  used = 0
  constructor(readonly characters: number) {}
}

/** Four readers' full queues; the platform's memory stays bounded whatever the number of readers. */
const SHARED_BUDGET = new QueueBudget(4 * DELIVERY_LIMITS.queueCharacters)

/** What a delivery writes to: a ServerResponse, or a fake in tests. */
export interface LogSink {
  /** false: the sink's buffer is over its mark; write more only after 'drain'. */
  write(text: string): boolean
  end(): void
  destroy(): void
  once(event: 'drain', listener: () => void): unknown
}

/** `... 3 lines skipped (reader too slow) ...` */
export function skippedMarker(lines: number): string {
  return `... ${lines} ${lines === 1 ? 'line' : 'lines'} skipped (reader too slow) ...`
}

/** Runs `callback` after `ms` unless the returned function is called first. */
export type Schedule = (callback: () => void, ms: number) => () => void

const realSchedule: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms)
  // A stalled reader must not keep a stopping platform alive.
  timer.unref()
  return () => clearTimeout(timer)
}

/** Lines are written in batches of about this many characters. */
const BATCH_CHARACTERS = 16 * 1024

export class LogDelivery {
  private queue: string[] = []
  private head = 0
  private queued = 0
  private skipped = 0
  private skippedCharacters = 0
  private waiting = false
  private ending = false
  private closed = false
  private cancelStallTimer = () => {}

  constructor(
    private readonly sink: LogSink,
    /** Told once when the client is disconnected for not reading, with the reason. */
    private readonly onStalled: (reason: string) => void,
    private readonly limits: DeliveryLimits = DELIVERY_LIMITS,
    private readonly schedule: Schedule = realSchedule,
    private readonly budget: QueueBudget = SHARED_BUDGET,
  ) {}

  /** Queues one line (without its newline) and writes what the connection takes. */
  line(text: string): void {
    if (this.closed || this.ending) return
    const line = text.endsWith('\n') ? text : `${text}\n`
    this.queue.push(line)
    this.queued += line.length
    this.budget.used += line.length
    while ((this.queued > this.limits.queueCharacters || this.budget.used > this.budget.characters) && this.head < this.queue.length - 1) {
      const dropped = this.take()
      this.skipped++
      this.skippedCharacters += dropped.length
    }
    if (!this.waiting) {
      this.flush()
    } else if (this.skippedCharacters > this.limits.stallCharacters) {
      this.disconnect(`it read nothing while ${this.skippedCharacters} characters of log lines were skipped`)
    }
  }

  /** Ends the stream once the queued lines are written (the app was destroyed, or no tail). */
  end(): void {
    if (this.closed || this.ending) return
    this.ending = true
    if (!this.waiting) this.flush()
  }

  /** The client went away: drop everything. */
  close(): void {
    this.closed = true
    this.budget.used -= this.queued
    this.queued = 0
    this.queue = []
    this.head = 0
    this.cancelStallTimer()
  }

  /** Lines waiting for the connection (the observable bound of the queue, for tests). */
  get queuedCharacters(): number {
    return this.queued
  }

  private take(): string {
    const text = this.queue[this.head] as string
    this.head++
    this.queued -= text.length
    this.budget.used -= text.length
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    return text
  }

  private flush(): void {
    while (!this.closed && this.head < this.queue.length) {
      let text = ''
      if (this.skipped > 0) {
        text = `${skippedMarker(this.skipped)}\n`
        this.skipped = 0
      }
      while (this.head < this.queue.length && text.length < BATCH_CHARACTERS) text += this.take()
      // The last lines of an ending stream need no drain: end() sends what the connection holds.
      if (!this.sink.write(text) && !(this.ending && this.head === this.queue.length)) {
        this.wait()
        return
      }
    }
    if (this.ending && !this.closed) {
      this.closed = true
      this.sink.end()
    }
  }

  private wait(): void {
    this.waiting = true
    this.skippedCharacters = 0
    this.cancelStallTimer = this.schedule(() => this.disconnect(`it read nothing for ${this.limits.stallMs / 1000} s`), this.limits.stallMs)
    this.sink.once('drain', () => {
      this.cancelStallTimer()
      this.waiting = false
      this.flush()
    })
  }

  private disconnect(reason: string): void {
    if (this.closed) return
    this.close()
    this.sink.destroy()
    this.onStalled(reason)
  }
}
