import {expect} from 'chai'

import {type DeliveryLimits, LogDelivery, type LogSink, QueueBudget, type Schedule, skippedMarker} from '../../../src/platform/runtime/log-delivery.js'

/** A connection whose buffer holds `room` characters until the test drains it. */
class FakeSink implements LogSink {
  written = ''
  buffered = 0
  ended = false
  destroyed = false
  private drains: (() => void)[] = []

  constructor(private readonly room: number) {}

  write(text: string): boolean {
    this.written += text
    this.buffered += text.length
    return this.buffered < this.room
  }

  end(): void {
    this.ended = true
  }

  destroy(): void {
    this.destroyed = true
  }

  once(_event: 'drain', listener: () => void): this {
    this.drains.push(listener)
    return this
  }

  /** The client read everything. */
  drain(): void {
    this.buffered = 0
    for (const listener of this.drains.splice(0)) listener()
  }
}

/** A clock the test moves by hand: scheduled callbacks run when their time comes. */
function fakeSchedule(): {schedule: Schedule, advance(ms: number): void} {
  let now = 0
  let timers: {at: number, callback: () => void}[] = []
  return {
    schedule(callback, ms) {
      const timer = {at: now + ms, callback}
      timers.push(timer)
      return () => {
        timers = timers.filter(other => other !== timer)
      }
    },
    advance(ms) {
      now += ms
      const due = timers.filter(timer => timer.at <= now)
      timers = timers.filter(timer => timer.at > now)
      for (const timer of due) timer.callback()
    },
  }
}

const limits: DeliveryLimits = {queueCharacters: 100, stallMs: 60_000, stallCharacters: 1000}
const line = (n: number) => `line ${String(n).padStart(4, '0')}`

describe('LogDelivery', () => {
  it('writes every line to a reader that keeps up', () => {
    const sink = new FakeSink(1_000_000)
    const delivery = new LogDelivery(sink, () => {}, limits)
    for (let n = 1; n <= 50; n++) delivery.line(line(n))
    expect(sink.written).to.equal(Array.from({length: 50}, (_, i) => `${line(i + 1)}\n`).join(''))
  })

  it('stops writing when the connection is full, keeps only the newest lines, and marks the gap', () => {
    const sink = new FakeSink(20)
    const delivery = new LogDelivery(sink, () => {}, limits)
    for (let n = 1; n <= 40; n++) delivery.line(line(n))
    // `line 0001\n` filled the buffer: nothing more was written, and at most 100 characters wait.
    expect(sink.written).to.equal(`${line(1)}\n${line(2)}\n`)
    expect(delivery.queuedCharacters).to.be.at.most(limits.queueCharacters)
    sink.drain()
    expect(sink.written).to.equal(`${line(1)}\n${line(2)}\n${skippedMarker(28)}\n${[31, 32, 33, 34, 35, 36, 37, 38, 39, 40].map(n => `${line(n)}\n`).join('')}`)
    expect(delivery.queuedCharacters).to.equal(0)
  })

  it('disconnects a reader that reads nothing while too much is skipped', () => {
    const sink = new FakeSink(20)
    const reasons: string[] = []
    const delivery = new LogDelivery(sink, reason => reasons.push(reason), limits)
    for (let n = 1; n <= 200 && !sink.destroyed; n++) delivery.line(line(n))
    expect(sink.destroyed).to.equal(true)
    expect(reasons).to.have.length(1)
    expect(reasons[0]).to.match(/^it read nothing while \d+ characters of log lines were skipped$/)
    delivery.line('after')
    sink.drain()
    expect(sink.written).to.not.include('after')
  })

  it('disconnects a reader that reads nothing for the stall time, and not one that reads', () => {
    const clock = fakeSchedule()
    const slow = new FakeSink(3)
    const stalled = new FakeSink(3)
    const reasons: string[] = []
    new LogDelivery(slow, () => reasons.push('slow'), limits, clock.schedule).line('one')
    new LogDelivery(stalled, reason => reasons.push(reason), limits, clock.schedule).line('one')
    clock.advance(59_999)
    slow.drain()
    clock.advance(1)
    expect([slow.destroyed, stalled.destroyed, reasons]).to.deep.equal([false, true, ['it read nothing for 60 s']])
  })

  it('ends the stream after the queued lines, once the connection takes them', () => {
    const sink = new FakeSink(3)
    const delivery = new LogDelivery(sink, () => {}, limits)
    delivery.line('one')
    delivery.line('two')
    delivery.end()
    delivery.line('late')
    expect([sink.written, sink.ended]).to.deep.equal(['one\n', false])
    sink.drain()
    expect([sink.written, sink.ended]).to.deep.equal(['one\ntwo\n', true])
  })

  it('bounds what many stalled readers queue together, then skips each ahead with its marker', () => {
    const budget = new QueueBudget(1000)
    const sinks = Array.from({length: 100}, () => new FakeSink(20))
    const deliveries = sinks.map(sink => new LogDelivery(sink, () => {}, limits, undefined, budget))
    for (let n = 1; n <= 40; n++) for (const delivery of deliveries) delivery.line(line(n))
    const queued = deliveries.reduce((sum, delivery) => sum + delivery.queuedCharacters, 0)
    // Each reader keeps at least its newest line; together they stay within the budget otherwise.
    expect(queued).to.be.at.most(budget.characters + deliveries.length * `${line(40)}\n`.length)
    expect(budget.used).to.equal(queued)
    sinks[99]?.drain()
    const written = sinks[99]?.written ?? ''
    expect(written).to.include(' skipped (reader too slow) ...\n')
    expect(written.endsWith(`${line(40)}\n`)).to.equal(true)
    for (const delivery of deliveries) delivery.close()
    expect(budget.used).to.equal(0)
  })
})
