// The platform's end of an attached one-off (`aka run`): the client's socket after the upgrade,
// bridged to the dyno's stdin, stdout and stderr with backpressure both ways (a slow client pauses
// the dyno's output pipes; a dyno that does not read pauses the socket), and its exit as the last frame.
import {constants} from 'node:os'
import type {Duplex, Readable} from 'node:stream'

import {type AttachExit, encodeData, encodeFrame, FrameDecoder, FrameKind} from '../../api/attach-frames.js'
import type {DynoIo} from './dyno-process.js'

export interface AttachTarget {
  /** Sends a signal to the dyno's process group. */
  signal(signal: NodeJS.Signals): void
  /** The client left before the dyno ended: the dyno stops. */
  abandoned(): void
}

export class AttachSession {
  private io: DynoIo | undefined
  private openOutputs = 2
  private exit: AttachExit | undefined
  private finished = false
  private readonly decoder = new FrameDecoder()

  /** `head`: what the client sent right after its upgrade request. */
  constructor(private readonly socket: Duplex, private readonly target: AttachTarget, private readonly head: Buffer) {
    // Nothing is read from the client before the dyno's stdin exists.
    socket.pause()
    socket.on('data', (chunk: Buffer) => this.fromClient(chunk))
    socket.on('error', () => socket.destroy())
    // The client never half-closes: its end means it is gone (killed, its terminal closed). The
    // API's sockets allow half-open connections, so without this no 'close' would ever come.
    socket.on('end', () => {
      if (!this.finished) socket.destroy()
    })
    socket.on('close', () => {
      if (!this.finished) target.abandoned()
    })
  }

  /** The dyno's process started: its pipes are the session's from now on. */
  wire(io: DynoIo): void {
    this.io = io
    io.stdin.on('error', () => {})
    this.pipeOutput(io.stdout, FrameKind.stdout)
    this.pipeOutput(io.stderr, FrameKind.stderr)
    if (this.head.length > 0) this.fromClient(this.head)
    this.socket.resume()
  }

  /**
   * The dyno ended: its exit is sent once all of its output is, then the connection closes. Its
   * pipes end with it: the rest of its process group is killed when it exits, and a process that
   * left the group is found by its mark and killed. `why`, when it could not start, goes to the
   * client's stderr first.
   */
  end(exit: AttachExit, why?: string): void {
    this.exit = exit
    if (!this.io) this.openOutputs = 0
    // A dyno that could not start printed nothing: without its reason the client would only see the code.
    if (why !== undefined && !this.finished) for (const frame of encodeData(FrameKind.stderr, Buffer.from(`${why}\n`))) this.socket.write(frame)
    this.finishWhenDrained()
  }

  private pipeOutput(stream: Readable, kind: typeof FrameKind.stdout | typeof FrameKind.stderr): void {
    stream.on('data', (chunk: Buffer) => {
      if (this.finished) return
      let room = true
      for (const frame of encodeData(kind, chunk)) room = this.socket.write(frame) && room
      if (!room) {
        this.io?.stdout.pause()
        this.io?.stderr.pause()
        this.socket.once('drain', () => {
          this.io?.stdout.resume()
          this.io?.stderr.resume()
        })
      }
    })
    const closed = () => {
      this.openOutputs--
      this.finishWhenDrained()
    }
    stream.once('end', closed)
    stream.on('error', () => {})
  }

  private finishWhenDrained(): void {
    if (this.finished || this.exit === undefined || this.openOutputs > 0) return
    this.finished = true
    this.socket.end(encodeFrame(FrameKind.exit, JSON.stringify(this.exit)))
  }

  private fromClient(chunk: Buffer): void {
    const {io} = this
    if (!io) return
    let frames
    try {
      frames = this.decoder.push(chunk)
    } catch {
      // Not this protocol: the client is gone as far as the dyno is concerned.
      this.socket.destroy()
      return
    }
    for (const {kind, payload} of frames) {
      if (kind === FrameKind.stdin) {
        if (!io.stdin.writable) continue
        if (!io.stdin.write(payload)) {
          this.socket.pause()
          io.stdin.once('drain', () => this.socket.resume())
        }
      } else if (kind === FrameKind.stdinEnd) {
        io.stdin.end()
      } else if (kind === FrameKind.signal) {
        const name = payload.toString('utf8')
        if (Object.hasOwn(constants.signals, name)) this.target.signal(name as NodeJS.Signals)
      }
    }
  }
}
