// The attached one-off's stream (`aka run`): after an HTTP upgrade to `aka-attach`, both sides send
// frames of one kind byte, a 4-byte big-endian length and the payload. Frames are small (at most
// MAX_FRAME_BYTES), so each side can stop reading while the other end is slow: backpressure is
// the socket's own, frame by frame.

/** The upgrade protocol's name (`Upgrade: aka-attach`). */
export const ATTACH_PROTOCOL = 'aka-attach'

const MAX_FRAME_BYTES = 64 * 1024

export const FrameKind = {
  /** client → dyno: bytes for its stdin */
  stdin: 0x69, // i
  /** client → dyno: its stdin ends */
  stdinEnd: 0x63, // c
  /** client → dyno: a signal name (`SIGINT`) for its process group */
  signal: 0x73, // s
  /** dyno → client: bytes of its stdout */
  stdout: 0x6F, // o
  /** dyno → client: bytes of its stderr */
  stderr: 0x65, // e
  /** dyno → client: it ended, `{"code": N | null, "signal": "SIGX" | null}`; the last frame */
  exit: 0x78, // x
} as const

export type FrameKindValue = typeof FrameKind[keyof typeof FrameKind]

export interface AttachExit {
  code: number | null
  signal: string | null
}

export function encodeFrame(kind: FrameKindValue, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload
  const head = Buffer.alloc(5)
  head[0] = kind
  head.writeUInt32BE(body.length, 1)
  return Buffer.concat([head, body])
}

/** Data frames of any size, cut to MAX_FRAME_BYTES each. */
export function encodeData(kind: FrameKindValue, data: Buffer): Buffer[] {
  const frames: Buffer[] = []
  for (let at = 0; at < data.length; at += MAX_FRAME_BYTES) frames.push(encodeFrame(kind, data.subarray(at, at + MAX_FRAME_BYTES)))
  return frames
}

/** Reassembles frames from a byte stream; a frame over the limit or of an unknown kind is an error. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0)

  /** The complete frames in what arrived so far. */
  push(chunk: Buffer): {kind: number, payload: Buffer}[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    const frames: {kind: number, payload: Buffer}[] = []
    while (this.pending.length >= 5) {
      const length = this.pending.readUInt32BE(1)
      if (length > MAX_FRAME_BYTES) throw new Error(`an attach frame of ${length} bytes is over the limit of ${MAX_FRAME_BYTES}`)
      if (this.pending.length < 5 + length) break
      frames.push({kind: this.pending[0], payload: this.pending.subarray(5, 5 + length)})
      this.pending = this.pending.subarray(5 + length)
    }
    return frames
  }
}
