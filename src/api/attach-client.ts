// `aka run`'s end of an attached one-off: the upgrade to `aka-attach` on the dyno's attach URL,
// then our stdin to its stdin and its stdout and stderr to ours, frame by frame, each side paused
// while the other is slow, until its exit frame gives the exit code.
import {request as httpRequest, type IncomingMessage} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {constants} from 'node:os'
import type {Readable, Writable} from 'node:stream'

import {ATTACH_PROTOCOL, type AttachExit, encodeData, encodeFrame, FrameDecoder, FrameKind} from './attach-frames.js'
import {AkaError} from '../errors.js'

export interface AttachStreams {
  stdin: Readable
  stdout: Writable
  stderr: Writable
}

/** The upgraded connection, or the API's refusal as an error. */
function connect(url: string, authorization: string | undefined): Promise<{socket: import('node:net').Socket, head: Buffer}> {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      headers: {connection: 'Upgrade', upgrade: ATTACH_PROTOCOL, ...(authorization ? {authorization} : {})},
    })
    request.on('upgrade', (_response: IncomingMessage, socket, head: Buffer) => resolve({socket, head}))
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8').trim().split('\n')[0]
        reject(new AkaError(`Could not attach to the one-off dyno: the API answered ${response.statusCode}${text ? ` (${text})` : ''}`))
      })
    })
    request.on('error', error => reject(new AkaError(`Could not attach to the one-off dyno: ${error.message}`)))
    request.end()
  })
}

/** The exit code `aka run` ends with: the dyno's, or 128 + N when a signal N ended it. */
export function exitCode(exit: AttachExit): number {
  if (exit.code !== null) return exit.code
  const number = exit.signal ? (constants.signals as Record<string, number>)[exit.signal] : undefined
  return number === undefined ? 1 : 128 + number
}

/**
 * Attaches to the dyno and relays until it ends. `interrupts` lets the caller forward Ctrl-C:
 * the first sends SIGINT to the dyno, the next ones SIGKILL.
 */
export async function attach(url: string, authorization: string | undefined, io: AttachStreams, interrupts: (handler: () => void) => () => void): Promise<AttachExit> {
  const {socket, head} = await connect(url, authorization)
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder()
    let exit: AttachExit | undefined
    let pressCount = 0
    const send = (frames: Buffer[]): boolean => frames.reduce((room, frame) => socket.write(frame) && room, true)
    const stopInterrupts = interrupts(() => {
      pressCount++
      if (!socket.writable) return
      socket.write(encodeFrame(FrameKind.signal, pressCount === 1 ? 'SIGINT' : 'SIGKILL'))
    })
    const onInput = (chunk: Buffer) => {
      if (!socket.writable) return
      if (!send(encodeData(FrameKind.stdin, chunk))) {
        io.stdin.pause()
        socket.once('drain', () => io.stdin.resume())
      }
    }
    const onInputEnd = () => {
      if (socket.writable) socket.write(encodeFrame(FrameKind.stdinEnd))
    }
    io.stdin.on('data', onInput)
    io.stdin.once('end', onInputEnd)
    io.stdin.on('error', () => {})
    const finish = () => {
      stopInterrupts()
      io.stdin.off('data', onInput)
      io.stdin.off('end', onInputEnd)
      io.stdin.pause()
    }
    const received = (chunk: Buffer) => {
      let frames
      try {
        frames = decoder.push(chunk)
      } catch (error) {
        socket.destroy(error as Error)
        return
      }
      for (const {kind, payload} of frames) {
        if (kind === FrameKind.exit) {
          exit = JSON.parse(payload.toString('utf8')) as AttachExit
        } else if (kind === FrameKind.stdout || kind === FrameKind.stderr) {
          const out = kind === FrameKind.stdout ? io.stdout : io.stderr
          if (!out.write(payload)) {
            socket.pause()
            out.once('drain', () => socket.resume())
          }
        }
      }
    }
    socket.on('data', received)
    socket.on('error', () => {})
    socket.on('close', () => {
      finish()
      if (exit) resolve(exit)
      else reject(new AkaError('The connection to the one-off dyno was lost before it ended', 'its output may be in `aka logs`; `aka ps` shows whether it still runs'))
    })
    if (head.length > 0) received(head)
  })
}
