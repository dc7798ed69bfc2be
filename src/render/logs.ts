// `aka logs` lines for a person (each source's label in its own colour, when colour is on) or for
// a script (--json: one object a line), written as the stream arrives.
import type {ChalkInstance} from 'chalk'
import {Transform} from 'node:stream'
import {StringDecoder} from 'node:string_decoder'

import {type LogLine, parseLogLine} from '../domain/log-line.js'

export function jsonLogLine(line: LogLine): string {
  return JSON.stringify(line)
}

/** The platform's lines stand out from the app's own: a person tells "what happened" from "what it said". */
export function colouredLogLine(line: LogLine, color: ChalkInstance): string {
  if (line.dyno === null) return color.dim(line.line)
  const label = line.source === 'platform' ? color.magenta(`platform[${line.dyno}]`) : color.cyan(line.dyno)
  return `${color.dim(line.time ?? '')} ${label}: ${line.line}`
}

/** Turns the stream's lines into `format`'s, keeping the pipeline's backpressure (one line out per line in). */
export function logLineTransform(format: (line: LogLine) => string): Transform {
  const decoder = new StringDecoder('utf8')
  let rest = ''
  const lines = (text: string) => text.split('\n').map(line => `${format(parseLogLine(line))}\n`).join('')
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const text = rest + decoder.write(chunk)
      const end = text.lastIndexOf('\n')
      rest = text.slice(end + 1)
      callback(null, end === -1 ? undefined : lines(text.slice(0, end)))
    },
    flush(callback) {
      const text = rest + decoder.end()
      callback(null, text === '' ? undefined : lines(text))
    },
  })
}
