import {expect} from 'chai'

import {LogBook, lineSplitter, MAX_LINE_LENGTH} from '../../../src/platform/logs.js'

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /

describe('LogBook', () => {
  it('keeps the last lines of each app, oldest first, prefixed with time and dyno', () => {
    const book = new LogBook(3)
    for (let i = 1; i <= 5; i++) book.write('app-1', 'web.abc-12345', `line ${i}`)
    book.write('app-2', 'worker.def-67890', 'other app')
    const lines: string[] = []
    book.read('app-1', {lines: 10, tail: false}, line => lines.push(line))
    expect(lines.map(line => line.replace(STAMP, ''))).to.deep.equal(['web.abc-12345: line 3', 'web.abc-12345: line 4', 'web.abc-12345: line 5'])
    expect(lines.every(line => STAMP.test(line))).to.equal(true)
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
})

describe('lineSplitter', () => {
  it('joins partial chunks into lines, flushes the last one, and cuts endless lines', () => {
    const lines: string[] = []
    const splitter = lineSplitter(line => lines.push(line))
    splitter.push(Buffer.from('one\r\ntw'))
    splitter.push(Buffer.from('o\nthr'))
    splitter.flush()
    splitter.push(Buffer.from('x'.repeat(MAX_LINE_LENGTH + 1)))
    splitter.flush()
    expect(lines).to.deep.equal(['one', 'two', 'thr', 'x'.repeat(MAX_LINE_LENGTH), 'x'])
  })
})
