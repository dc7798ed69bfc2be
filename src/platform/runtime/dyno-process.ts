// One dyno's operating-system side: a shell running the command in the slug directory, as the
// leader of its own process group, so that signals, memory and clean-up cover everything it forks.
import {spawn, type ChildProcess} from 'node:child_process'
import {createServer} from 'node:net'
import type {Readable, Writable} from 'node:stream'

import {readLines} from './logs.js'
import {liveMember} from './proc.js'

/** Variables of the platform's own environment a dyno inherits; everything else comes from the app. */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ']

export interface ProcessExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** The process could not be spawned at all. */
  error?: Error
}

export interface SpawnOptions {
  command: string
  cwd: string
  env: Record<string, string>
  /** Records the new process group before the command may run (see GATE). */
  record: (pgid: number) => void
  onLine: (text: string) => void
  /** A failure of the dyno's own plumbing (a log pipe): the dyno runs on, marked with the reason. */
  onFault: (reason: string) => void
  onExit: (exit: ProcessExit) => void
  /**
   * An attached one-off: its stdin, stdout and stderr are handed over raw once the gate is open
   * (nothing goes to `onLine`), and its stdin stays open for the client.
   */
  attach?: (io: DynoIo) => void
}

export interface DynoIo {
  stdin: Writable
  stdout: Readable
  stderr: Readable
}

/** A started dyno process as the runner drives it (DynoProcess; a fake one in tests). */
export interface DynoHandle {
  readonly pgid: number | undefined
  readonly running: boolean
  signalGroup(signal: NodeJS.Signals | number): boolean
  /** SIGTERM, then SIGKILL after the grace period; resolves when the group is gone. Never rejects. */
  stop(graceMs: number): Promise<void>
}

/**
 * The shell waits for one line on stdin before it runs the command, and exits at end of file. The
 * platform writes that line only once the process group is recorded, so a platform killed between
 * the fork and the record leaves nothing behind that the next start would not find.
 */
const GATE = 'read -r go && exec sh -c "$1"'

/**
 * The platform's variables come last: a config var cannot hide the dyno's own PORT, DYNO or
 * RELEASE_VERSION, nor the mark (the platform's and the dyno's ids) by which every process the
 * dyno starts is found again, even one that left the dyno's process group.
 */
export function dynoEnv(config: Record<string, string>, dyno: string, port: number | null, releaseVersion: number, mark: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of INHERITED_ENV) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  return {...env, ...config, ...(port === null ? {} : {PORT: String(port)}), DYNO: dyno, RELEASE_VERSION: String(releaseVersion), ...mark}
}

export class DynoProcess implements DynoHandle {
  readonly pgid: number | undefined
  private readonly child: ChildProcess
  private readonly exited: Promise<void>
  private stopping = false
  private done = false

  constructor(options: SpawnOptions) {
    this.child = spawn('sh', ['-c', GATE, 'dyno', options.command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    this.pgid = this.child.pid
    // The gate's stdin breaks if the shell is already gone; its exit says why.
    this.child.stdin?.on('error', () => {})
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue
      if (!options.attach) readLines(stream, options.onLine)
      stream.on('error', error => options.onFault(`log pipe failed: ${error.message}`))
    }
    this.exited = new Promise(resolve => {
      const finish = (exit: ProcessExit) => {
        if (this.done) return
        this.done = true
        // A crash takes whatever the leader left in its group with it; a stop gives them the grace period.
        if (!this.stopping) this.signalGroup('SIGKILL')
        options.onExit(exit)
        resolve()
      }
      this.child.once('error', error => finish({code: null, signal: null, error}))
      this.child.once('exit', (code, signal) => finish({code, signal}))
    })
    if (this.pgid === undefined) return
    try {
      options.record(this.pgid)
    } catch (error) {
      this.signalGroup('SIGKILL')
      throw error
    }
    const {stdin, stdout, stderr} = this.child
    if (options.attach && stdin && stdout && stderr) {
      // The gate reads its line byte by byte (a pipe cannot be read back), so what follows is the command's.
      stdin.write('go\n')
      options.attach({stdin, stdout, stderr})
    } else {
      stdin?.end('go\n')
    }
  }

  get running(): boolean {
    return !this.done
  }

  /** Sends a signal to every process of the dyno; false when there is none left. */
  signalGroup(signal: NodeJS.Signals | number): boolean {
    if (this.pgid === undefined) return false
    try {
      process.kill(-this.pgid, signal)
      return true
    } catch {
      return false
    }
  }

  /** SIGTERM to the group, SIGKILL to what is left after the grace period; resolves when the group is gone. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true
    const deadline = Date.now() + graceMs
    this.signalGroup('SIGTERM')
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs)
    await this.exited
    let member: number | undefined
    while (Date.now() < deadline && this.pgid !== undefined && (member = liveMember(this.pgid, member)) !== undefined) await sleep(50)
    clearTimeout(timer)
    this.signalGroup('SIGKILL')
  }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/**
 * A free TCP port on the loopback interface, avoiding the ones already handed out, and added to
 * them before it is returned: two dynos starting at once never get the same port.
 */
export async function freePort(host: string, taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer()
      server.once('error', reject)
      server.listen(0, host, () => {
        const address = server.address()
        const found = typeof address === 'object' && address ? address.port : 0
        // Reserved while this server still holds it: no other caller can come between the two.
        const fresh = found !== 0 && !taken.has(found)
        if (fresh) taken.add(found)
        server.close(() => resolve(fresh ? found : 0))
      })
    })
    if (port) return port
  }
  throw new Error('no free port')
}
