import {expect} from 'chai'
import {PassThrough} from 'node:stream'

import type {LogFilter} from '../../../src/domain/log-line.js'
import {type BookLimit, CUT_MARK, LogBook, lineSplitter, MAX_LINE_BYTES, PIPE_LINES_PER_SECOND, readLines} from '../../../src/platform/runtime/logs.js'

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /
const ROOMY: BookLimit = {lines: 100, characters: 100_000}

describe('LogBook', () => {
  it('keeps the last lines of each app, oldest first, prefixed with time and dyno', () => {
    const book = new LogBook({app: {lines: 3, characters: 100_000}, platform: ROOMY})
    for (let i = 1; i <= 5; i++) book.write('app-1', 'web.abc-12345', `line ${i}`)
    book.write('app-2', 'worker.def-67890', 'other app')
    const lines: string[] = []
    book.read('app-1', {lines: 10, tail: false}, line => lines.push(line))
    expect(lines.map(line => line.replace(STAMP, ''))).to.deep.equal(['web.abc-12345: line 3', 'web.abc-12345: line 4', 'web.abc-12345: line 5'])
    expect(lines.every(line => STAMP.test(line))).to.equal(true)
  })

  it('keeps at most its characters: long lines push out the oldest', () => {
    const book = new LogBook({app: {lines: 100, characters: 250}, platform: ROOMY})
    for (let i = 1; i <= 5; i++) book.write('app', 'web.a-b', `${i}${'x'.repeat(79)}`)
    const lines: string[] = []
    book.read('app', {lines: 100, tail: false}, line => lines.push(line))
    expect(lines.map(line => line.replace(STAMP, '').slice(0, 10))).to.deep.equal(['web.a-b: 4', 'web.a-b: 5'])
  })

  it('keeps the platform\'s lines in their own share: an app\'s flood never pushes them out, and both read in the order written', () => {
    const book = new LogBook({app: {lines: 3, characters: 100_000}, platform: {lines: 2, characters: 100_000}})
    book.write('app', 'web', 'Deployment of release v2 started', 'platform')
    book.write('app', 'web.a-b', 'GET / 200')
    book.write('app', 'web', 'Deployment of release v2 succeeded', 'platform')
    for (let i = 1; i <= 10; i++) book.write('app', 'web.a-b', `request ${i}`)
    book.write('app', 'web.a-b', 'Process exited with status 0', 'platform')
    book.write('app', 'web.a-b', 'request 11')
    const read = (lines: number, filter?: LogFilter) => {
      const got: string[] = []
      book.read('app', {lines, tail: false, filter}, line => got.push(line.replace(STAMP, '')))
      return got
    }
    expect(read(100)).to.deep.equal([
      'platform[web]: Deployment of release v2 succeeded', 'web.a-b: request 9', 'web.a-b: request 10',
      'platform[web.a-b]: Process exited with status 0', 'web.a-b: request 11',
    ])
    expect(read(2)).to.deep.equal(['platform[web.a-b]: Process exited with status 0', 'web.a-b: request 11'])
    expect(read(100, {source: 'platform'})).to.deep.equal(['platform[web]: Deployment of release v2 succeeded', 'platform[web.a-b]: Process exited with status 0'])
  })

  it('tails new lines to each reader until it stops, and drops a reader that throws', () => {
    const book = new LogBook()
    book.write('app', 'web.a-b', 'before')
    const tailed: string[] = []
    const stop = book.read('app', {lines: 1, tail: true}, line => tailed.push(line.replace(STAMP, '')))
    book.read('app', {lines: 0, tail: true}, () => {
      throw new Error('connection closed')
    })
    book.write('app', 'web.a-b', 'during')
    stop()
    book.write('app', 'web.a-b', 'after')
    expect(tailed).to.deep.equal(['web.a-b: before', 'web.a-b: during'])
  })

  it('marks the platform\'s lines and keeps, past and tailed, only the lines a filter asks for', () => {
    const book = new LogBook()
    book.write('app', 'web.a-b', 'listening')
    book.write('app', 'web.a-b', 'State changed from starting to up', 'platform')
    book.write('app', 'worker.c-d', 'tick')
    book.write('app', 'web', 'Deployment of release v2 succeeded', 'platform')
    book.write('app', 'web.e-f', 'listening')
    const read = (filter: LogFilter, lines = 10) => {
      const got: string[] = []
      book.read('app', {lines, tail: false, filter}, line => got.push(line.replace(STAMP, '')))
      return got
    }
    expect(read({source: 'platform'})).to.deep.equal(['platform[web.a-b]: State changed from starting to up', 'platform[web]: Deployment of release v2 succeeded'])
    expect(read({dyno: 'web'})).to.have.length(4)
    expect(read({dyno: 'web'}, 1)).to.deep.equal(['web.e-f: listening'])
    expect(read({dyno: 'web.a-b', source: 'app'})).to.deep.equal(['web.a-b: listening'])
    expect(read({dyno: 'worker'})).to.deep.equal(['worker.c-d: tick'])
    const tailed: string[] = []
    const everything: string[] = []
    book.read('app', {lines: 0, tail: true, filter: {dyno: 'worker', source: 'app'}}, line => tailed.push(line.replace(STAMP, '')))
    book.read('app', {lines: 0, tail: true}, line => everything.push(line))
    book.write('app', 'web.a-b', 'not for it')
    book.write('app', 'worker.c-d', 'Process exited with status 1', 'platform')
    book.write('app', 'worker.c-d', 'for it')
    expect(tailed).to.deep.equal(['worker.c-d: for it'])
    expect(everything).to.have.length(3)
  })

  it('ends every tail of an app it forgets, and only that app', () => {
    const book = new LogBook()
    const ended: string[] = []
    book.read('gone', {lines: 0, tail: true}, () => {}, () => ended.push('gone'))
    book.read('kept', {lines: 0, tail: true}, () => {}, () => ended.push('kept'))
    book.forget('gone')
    expect(ended).to.deep.equal(['gone'])
  })
})

describe('lineSplitter', () => {
  const split = (...chunks: Buffer[]) => {
    const lines: string[] = []
    const splitter = lineSplitter(line => lines.push(line))
    for (const chunk of chunks) splitter.push(chunk)
    splitter.flush()
    return lines
  }

  it('joins partial chunks into lines and flushes the last one', () => {
    expect(split(Buffer.from('one\r\ntw'), Buffer.from('o\nthr'))).to.deep.equal(['one', 'two', 'thr'])
  })

  it('decodes a character split across chunks', () => {
    const text = Buffer.from('é ✓ 😀\n')
    expect(split(...[...text].map(byte => Buffer.from([byte])))).to.deep.equal(['é ✓ 😀'])
  })

  it('cuts a line longer than the limit and drops its rest up to the newline', () => {
    const lines = split(Buffer.from('x'.repeat(MAX_LINE_BYTES)), Buffer.from('\n'), Buffer.from('y'.repeat(MAX_LINE_BYTES + 1)), Buffer.from('y'.repeat(100_000)), Buffer.from('y\nnext\n'))
    expect(lines).to.deep.equal(['x'.repeat(MAX_LINE_BYTES), 'y'.repeat(MAX_LINE_BYTES) + CUT_MARK, 'next'])
  })

  it('gives one cut line for a line that never ends', () => {
    const lines: string[] = []
    const splitter = lineSplitter(line => lines.push(line))
    const chunk = Buffer.alloc(64 * 1024, 'z')
    for (let i = 0; i < 4096; i++) splitter.push(chunk)
    expect(lines).to.deep.equal(['z'.repeat(MAX_LINE_BYTES) + CUT_MARK])
  })

  it('never cuts a character in half', () => {
    const [line] = split(Buffer.from('a'.repeat(MAX_LINE_BYTES - 1) + '😀'.repeat(10) + '\n'))
    expect(line).to.equal('a'.repeat(MAX_LINE_BYTES - 1) + CUT_MARK)
  })
})

describe('readLines', () => {
  it('pauses a pipe that gives more lines than the limit in a second', async () => {
    const stream = new PassThrough()
    const lines: string[] = []
    readLines(stream, line => lines.push(line), () => 5_000)
    stream.write('a\n'.repeat(PIPE_LINES_PER_SECOND - 1))
    await new Promise(resolve => setImmediate(resolve))
    expect([lines.length, stream.isPaused()]).to.deep.equal([PIPE_LINES_PER_SECOND - 1, false])
    stream.write('a\nb\n')
    await new Promise(resolve => setImmediate(resolve))
    expect([lines.length, stream.isPaused()]).to.deep.equal([PIPE_LINES_PER_SECOND + 1, true])
    stream.destroy()
  })
})
