// The platform's own log: platform.log when detached, the terminal in the foreground. Writing it
// must never stop the platform, so a line that cannot be written (ENOSPC on a full disk, EPIPE from
// a closed pipe, EAGAIN, anything) is dropped and counted, and the next line that can be written
// is preceded by how many were lost and why. Nothing is buffered: memory stays bounded whatever
// the destination does.
import {writeSync} from 'node:fs'

export interface PlatformLogOptions {
  /** Where to write; default 2 (stderr). */
  fd?: number
  now?: () => Date
  /** Writes bytes, returns how many were written (fs.writeSync's contract); tests fake a full disk. */
  write?: (fd: number, data: Buffer) => number
}

export function platformLog(options: PlatformLogOptions = {}): (line: string) => void {
  const fd = options.fd ?? 2
  const now = options.now ?? (() => new Date())
  const write = options.write ?? ((target: number, data: Buffer) => writeSync(target, data))
  let dropped = 0
  let reason = ''
  // A failed write may have left half a line: the next one starts on a line of its own.
  let midLine = false
  return line => {
    const stamp = now().toISOString()
    const lost = dropped === 0 ? '' : `${midLine ? '\n' : ''}${stamp} (${dropped} line${dropped === 1 ? '' : 's'} of this log lost: ${reason})\n`
    const data = Buffer.from(`${lost}${stamp} ${line}\n`)
    let offset = 0
    try {
      while (offset < data.length) offset += write(fd, data.subarray(offset))
      dropped = 0
      midLine = false
    } catch (error) {
      dropped++
      reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      if (offset > 0) midLine = data[offset - 1] !== 0x0A
    }
  }
}
