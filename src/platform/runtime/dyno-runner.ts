// One dyno's life: start (a port for web dynos, the process, its probe), crash and start failure,
// restart, signals and stop, as a small state machine on an injected clock, process spawner and
// probe, so tests drive it with fakes in milliseconds. It decides nothing about deployments: it
// tells what happened (observe) and the app's plan decides what to do next.
import type {DynoSpec} from './deployment.js'
import type {DynoHandle, DynoIo, ProcessExit, SpawnOptions} from './dyno-process.js'
import type {ProbeTarget} from './health.js'
import {label, type LiveDyno} from './live-dyno.js'
import type {DynoObservation, DynoPhase} from './plan.js'
import {backoffDelay, type Clock, type RuntimeTiming} from './timing.js'

export interface RunnerContext {
  clock: Clock
  timing: RuntimeTiming
  host: string
  spawn(options: SpawnOptions): DynoHandle
  /** Undefined when the dyno answered well, else what went wrong. */
  probe(target: ProbeTarget, timeoutMs: number): Promise<string | undefined>
  /** A free port, reserved until released. */
  reservePort(): Promise<number>
  releasePort(port: number): void
  /** The dyno's environment: its config, PORT, DYNO and the platform's mark. */
  env(dyno: DynoRunner, port: number | null): Record<string, string>
  recordProcess(dyno: string, pgid: number): void
  forgetProcess(pgid: number): void
  logLine(dyno: string, text: string): void
  /** A platform event of this dyno, for the app's log stream (`platform[type.name]`). */
  event(dyno: string, text: string): void
  log(line: string): void
  /** Its phase or readiness changed: the app's next step may have something to do. */
  changed(): void
  /** One of its processes ended (crash or stop): what it left behind can be looked for now. */
  exited(): void
}

/** A one-off dyno runs once: its end is told here, never a crash to restart. */
export interface OneOffHooks {
  /** Attached: its stdin, stdout and stderr go to the client, not to the log. */
  attach?: (io: DynoIo) => void
  /** Its process ended (or could not start: `error`). */
  ended: (exit: ProcessExit) => void
}

/** One start of the dyno's process. */
interface Run {
  port: number | null
  pgid?: number
  /** The start failed before the process could run: its exit is not the dyno's. */
  abandoned: boolean
  portReleased: boolean
}

export class DynoRunner implements LiveDyno {
  readonly createdAt: number
  startedAt: number
  phase: DynoPhase = 'pending'
  ready = false
  everReady = false
  restarts = 0
  /** Consecutive crashes and start failures. */
  crashes = 0
  exitedAt = 0
  info = ''
  /** Asked to be replaced (restart of one dyno): leaves once a replacement is ready. */
  replace = false
  port: number | null = null
  private process: DynoHandle | undefined
  private current: Run | undefined
  private cancelProbe: () => void = () => {}
  private memoryExceeded: string | undefined
  private probeFault: string | undefined
  /** The last failed probe's reason while it keeps failing (told once, and with a deadline's failure). */
  private probeFailure: string | undefined
  private stopped: Promise<void> | undefined

  constructor(readonly id: string, readonly name: string, readonly spec: DynoSpec, private readonly ctx: RunnerContext, readonly oneoff?: OneOffHooks) {
    this.createdAt = ctx.clock.now()
    this.startedAt = this.createdAt
  }

  get label(): string {
    return label(this)
  }

  /** The process group of its running process, if any. */
  get pgid(): number | undefined {
    return this.process?.running ? this.process.pgid : undefined
  }

  start(): void {
    if (this.phase === 'stopping') return
    this.phase = 'pending'
    this.everReady = false
    this.memoryExceeded = undefined
    this.probeFault = undefined
    this.probeFailure = undefined
    const run: Run = {port: null, abandoned: false, portReleased: false}
    this.current = run
    this.launch(run).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error)
      this.ctx.log(`${this.label} could not be started: ${message}`)
      this.event(`Failed to start: ${message}`)
      run.abandoned = true
      this.releasePort(run)
      if (this.current !== run) return
      if (this.oneoff) this.oneoff.ended({code: null, signal: null, error: error instanceof Error ? error : new Error(message)})
      else if (this.phase !== 'stopping') this.failed('start-failure', message, 0)
    })
  }

  /** A crashed dyno's next start, once the plan says its back-off is over. */
  restart(): void {
    this.restarts++
    this.event(`State changed from ${this.phase === 'start-failure' ? 'failed' : 'crashed'} to starting`)
    this.start()
  }

  /** Sends a signal to its processes; false when it has none running (waiting to restart). */
  signal(signal: NodeJS.Signals | number): boolean {
    return this.process?.running ? this.process.signalGroup(signal) : false
  }

  /** Its memory is over the size's limit: killed, and its crash says why. */
  exceededMemory(info: string): void {
    if (this.phase !== 'up' || !this.process?.running) return
    this.memoryExceeded = info
    this.ctx.log(`${this.label}: ${info}`)
    this.event(`Error: ${info}; stopping its processes with SIGKILL`)
    this.process.signalGroup('SIGKILL')
  }

  /**
   * Leaves (after `drain`, when it was serving), then SIGTERM and the grace period; resolves once
   * its processes are gone. Never rejects; a second call gets the first one's promise.
   */
  stop(drain: () => Promise<void>): Promise<void> {
    this.stopped ??= this.halt(drain)
    return this.stopped
  }

  observe(): DynoObservation {
    const failed = this.phase === 'crashed' || this.phase === 'start-failure'
    return {
      id: this.id, label: this.label, definition: this.spec, createdAt: this.createdAt, phase: this.phase, ready: this.ready,
      reason: failed ? this.info : this.probeFault ?? null, probeFailure: this.probeFailure ?? null, crashes: this.crashes, exitedAt: this.exitedAt, replace: this.replace,
      runsOnce: this.oneoff !== undefined,
    }
  }

  private async halt(drain: () => Promise<void>): Promise<void> {
    const wasServing = this.ready && this.spec.type === 'web'
    const from = this.state()
    this.phase = 'stopping'
    this.cancelProbe()
    this.ready = false
    this.ctx.changed()
    try {
      if (wasServing) await drain()
    } catch (error) {
      this.ctx.log(`${this.label} drain failed: ${(error as Error).message}`)
    }
    if (this.process?.running) this.event(`Stopping all processes with SIGTERM`)
    await this.process?.stop(this.ctx.timing.stopGraceMs)
    this.ctx.log(`${this.label} stopped`)
    this.event(`State changed from ${from} to down`)
  }

  private async launch(run: Run): Promise<void> {
    if (this.spec.type === 'web') {
      run.port = await this.ctx.reservePort()
      if (this.current !== run || this.phase !== 'pending') {
        this.releasePort(run)
        return
      }
    }
    this.port = run.port
    this.startedAt = this.ctx.clock.now()
    this.info = ''
    const label = this.label
    this.event(`Starting process with command \`${this.spec.command}\``)
    this.process = this.ctx.spawn({
      command: this.spec.command,
      cwd: this.spec.cwd,
      env: this.ctx.env(this, run.port),
      record: pgid => {
        run.pgid = pgid
        this.ctx.recordProcess(label, pgid)
      },
      onLine: text => {
        try {
          this.ctx.logLine(label, text)
        } catch (error) {
          this.fault(`log pipe failed: ${(error as Error).message}`)
        }
      },
      onFault: reason => this.fault(reason),
      onExit: exit => this.exited(run, exit),
      ...(this.oneoff?.attach ? {attach: this.oneoff.attach} : {}),
    })
    this.phase = 'up'
    // With "is ready" below, the platform's log tells each dyno's own start-to-ready time.
    this.ctx.log(`${label} started${run.port === null ? '' : ` on port ${run.port}`}`)
    this.probe(run, {host: this.ctx.host, port: run.port, healthcheck: this.spec.healthcheck})
  }

  /** Web dynos: probes until stopped; others: ready once up for the probe timing's `upMs`. */
  private probe(run: Run, target: ProbeTarget): void {
    const timing = this.ctx.timing.probe
    let failures = 0
    const schedule = (delayMs: number) => {
      this.cancelProbe = this.ctx.clock.setTimeout(() => {
        probeOnce().catch((error: unknown) => this.fault(`probe failed: ${(error as Error).message}`))
      }, delayMs)
    }
    const probeOnce = async () => {
      if (target.port === null) {
        this.setReady(run, true)
        return
      }
      let failure: string | undefined
      try {
        failure = await this.ctx.probe(target, timing.timeoutMs)
        this.probeFault = undefined
      } catch (error) {
        // A probe that cannot even be sent (a healthcheck path it refuses) fails this dyno's deployment, nothing else.
        this.probeFault = `health check failed: ${(error as Error).message}`
        failure = this.probeFault
      }
      if (this.current !== run || this.phase !== 'up') return
      // Told when it starts failing and when the reason changes, not at every probe.
      if (failure !== undefined && failure !== this.probeFailure) this.event(`Health check failed: ${failure}`)
      this.probeFailure = failure
      const ok = failure === undefined
      failures = ok ? 0 : failures + 1
      if (ok) this.setReady(run, true)
      else if (!this.ready || failures >= timing.failureThreshold) this.setReady(run, false)
      if (this.probeFault) this.ctx.changed()
      schedule(this.ready ? timing.readyIntervalMs : timing.startingIntervalMs)
    }
    schedule(target.port === null ? timing.upMs : timing.startingIntervalMs)
  }

  private setReady(run: Run, ready: boolean): void {
    if (this.current !== run || this.phase !== 'up' || this.ready === ready) return
    this.ready = ready
    if (ready) this.everReady = true
    this.ctx.log(`${this.label} ${ready ? 'is ready' : 'is not ready'}`)
    this.event(ready ? `State changed from starting to up` : `State changed from up to starting (it fails its health checks)`)
    this.ctx.changed()
  }

  /** A failure of this dyno's plumbing: shown with the dyno, and the platform goes on. */
  private fault(reason: string): void {
    this.info = reason
    this.ctx.log(`${this.label}: ${reason}`)
  }

  private exited(run: Run, exit: ProcessExit): void {
    try {
      if (run.pgid !== undefined) this.ctx.forgetProcess(run.pgid)
    } catch (error) {
      // A record left behind costs nothing: the next start checks it against the process's mark.
      this.ctx.log(`${this.label}: could not forget process group ${run.pgid}: ${(error as Error).message}`)
    }
    this.releasePort(run)
    this.ctx.exited()
    if (run.abandoned || this.current !== run) return
    this.event(exit.error ? `Process could not run: ${exit.error.message}` : exit.signal ? `Process exited by signal ${exit.signal}` : `Process exited with status ${exit.code}`)
    this.cancelProbe()
    const from = this.state()
    this.ready = false
    if (this.oneoff) {
      this.exitedAt = this.ctx.clock.now()
      this.oneoff.ended(exit)
      return
    }
    if (this.phase === 'stopping') return
    const uptime = this.ctx.clock.now() - this.startedAt
    if (exit.error || ((exit.code === 126 || exit.code === 127) && uptime < this.ctx.timing.startFailureWindowMs)) {
      this.failed('start-failure', exit.error ? exit.error.message : `the command could not run (exit ${exit.code})`, uptime, from)
      return
    }
    this.failed('crashed', this.memoryExceeded ?? (exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`), uptime, from)
  }

  private failed(phase: 'crashed' | 'start-failure', info: string, uptime: number, from = this.state()): void {
    if (uptime >= this.ctx.timing.backoffResetMs) this.crashes = 0
    this.event(`State changed from ${from} to ${phase === 'crashed' ? 'crashed' : 'failed'} (${info})`)
    this.phase = phase
    this.info = info
    this.ready = false
    this.crashes++
    this.exitedAt = this.ctx.clock.now()
    const delay = backoffDelay(this.crashes, this.ctx.timing)
    this.ctx.log(`${this.label} ${phase === 'crashed' ? 'crashed' : 'failed to start'}: ${info}; restarting in ${delay < 1000 ? `${delay} ms` : `${Math.round(delay / 1000)} s`}`)
    this.ctx.changed()
  }

  /** The dyno's state in Heroku's words, for its events. */
  private state(): string {
    if (this.phase === 'up' && this.ready) return 'up'
    return this.phase === 'crashed' ? 'crashed' : this.phase === 'start-failure' ? 'failed' : 'starting'
  }

  private event(text: string): void {
    this.ctx.event(this.label, text)
  }

  private releasePort(run: Run): void {
    if (run.port === null || run.portReleased) return
    run.portReleased = true
    this.ctx.releasePort(run.port)
  }
}
