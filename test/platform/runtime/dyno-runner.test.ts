// One dyno's state machine on a fake clock, a fake process and a fake probe: no process, no sleep.
import {expect} from 'chai'

import type {DynoDefinition} from '../../../src/platform/contract.js'
import type {DynoHandle, ProcessExit, SpawnOptions} from '../../../src/platform/runtime/dyno-process.js'
import type {ProbeTarget} from '../../../src/platform/runtime/health.js'
import {DynoRunner, type RunnerContext} from '../../../src/platform/runtime/dyno-runner.js'
import {type Clock, DEFAULT_TIMING} from '../../../src/platform/runtime/timing.js'

class FakeClock implements Clock {
  time = 0
  private timers: {at: number, callback: () => void}[] = []
  now(): number {
    return this.time
  }

  setTimeout(callback: () => void, ms: number): () => void {
    const timer = {at: this.time + ms, callback}
    this.timers.push(timer)
    return () => {
      this.timers = this.timers.filter(candidate => candidate !== timer)
    }
  }

  /** Moves time on, firing each timer due on the way, and lets the promises they start settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms
    for (;;) {
      await settle()
      const next = this.timers.filter(timer => timer.at <= end).sort((a, b) => a.at - b.at)[0]
      if (!next) break
      this.timers = this.timers.filter(timer => timer !== next)
      this.time = next.at
      next.callback()
      await settle()
    }
    this.time = end
    await settle()
  }
}

const settle = () => new Promise(resolve => setImmediate(resolve))

class FakeProcess implements DynoHandle {
  running = true
  signals: (NodeJS.Signals | number)[] = []
  constructor(readonly pgid: number, readonly options: SpawnOptions) {}
  signalGroup(signal: NodeJS.Signals | number): boolean {
    this.signals.push(signal)
    return this.running
  }

  async stop(): Promise<void> {
    this.signals.push('SIGTERM')
    this.exit({code: null, signal: 'SIGTERM'})
  }

  exit(exit: ProcessExit): void {
    if (!this.running) return
    this.running = false
    this.options.onExit(exit)
  }
}

const WORKER: DynoDefinition = {type: 'worker', hash: 'aaaaaaaaaa', formationCommand: null, command: 'node worker.js', cwd: '/slug', config: {}, size: 'gp1', healthcheck: null, release: {id: 'r1', version: 1}}
const WEB: DynoDefinition = {...WORKER, type: 'web', command: 'node web.js', healthcheck: '/health'}

function harness(definition: DynoDefinition, probe: (target: ProbeTarget) => Promise<string | undefined> = async () => undefined, spawnFails?: Error) {
  const clock = new FakeClock()
  const processes: FakeProcess[] = []
  const log: string[] = []
  const events: string[] = []
  const released: number[] = []
  let changes = 0
  let nextPort = 5000
  const ctx: RunnerContext = {
    clock, timing: DEFAULT_TIMING, host: '127.0.0.1',
    spawn(options) {
      if (spawnFails) throw spawnFails
      const started = new FakeProcess(100 + processes.length, options)
      options.record(started.pgid as number)
      processes.push(started)
      return started
    },
    probe,
    reservePort: async () => nextPort++,
    releasePort: port => released.push(port),
    env: () => ({}),
    recordProcess: () => {},
    forgetProcess: () => {},
    logLine: () => {},
    event: (dyno, text) => events.push(`${dyno}: ${text}`),
    log: line => log.push(line),
    changed: () => changes++,
    exited: () => {},
  }
  const runner = new DynoRunner('id-1', `${definition.hash}-abcde`, definition, ctx)
  return {clock, processes, log, events, released, runner, changes: () => changes}
}

describe('DynoRunner (one dyno, fake clock)', () => {
  it('a worker is ready once up for the probe timing\'s upMs, not before', async () => {
    const {clock, runner} = harness(WORKER)
    runner.start()
    await clock.advance(0)
    expect([runner.phase, runner.ready]).to.deep.equal(['up', false])
    await clock.advance(DEFAULT_TIMING.probe.upMs - 1)
    expect(runner.ready).to.equal(false)
    await clock.advance(1)
    expect([runner.ready, runner.everReady]).to.deep.equal([true, true])
  })

  it('a web dyno gets a port, is probed on it, and turns not ready after the failure threshold', async () => {
    let healthy = true
    const targets: ProbeTarget[] = []
    const {clock, runner} = harness(WEB, async target => {
      targets.push(target)
      return healthy ? undefined : 'health check /health answered 500'
    })
    runner.start()
    await clock.advance(DEFAULT_TIMING.probe.startingIntervalMs)
    expect(runner.ready).to.equal(true)
    expect(targets[0]).to.deep.equal({host: '127.0.0.1', port: 5000, healthcheck: '/health'})
    healthy = false
    await clock.advance(DEFAULT_TIMING.probe.readyIntervalMs * 2)
    expect(runner.ready).to.equal(true)
    await clock.advance(DEFAULT_TIMING.probe.readyIntervalMs)
    expect(runner.ready).to.equal(false)
  })

  it('a crash is observed with its reason, its crash count and when it happened; restart starts a new process', async () => {
    const {clock, processes, runner, log} = harness(WORKER)
    runner.start()
    await clock.advance(5000)
    processes[0].exit({code: 1, signal: null})
    expect(runner.observe()).to.include({phase: 'crashed', ready: false, reason: 'exited with code 1', crashes: 1, exitedAt: 5000})
    expect(log.at(-1)).to.equal('worker.aaaaaaaaaa-abcde crashed: exited with code 1; restarting in 1 s')
    runner.restart()
    await clock.advance(0)
    expect([runner.phase, runner.restarts, processes.length]).to.deep.equal(['up', 1, 2])
    processes[1].exit({code: 1, signal: null})
    expect(runner.crashes).to.equal(2)
  })

  it('forgets its back-off after a long enough run', async () => {
    const {clock, processes, runner} = harness(WORKER)
    runner.crashes = 5
    runner.start()
    await clock.advance(DEFAULT_TIMING.backoffResetMs)
    processes[0].exit({code: 1, signal: null})
    expect(runner.crashes).to.equal(1)
  })

  it('an early exit 127 is a start failure; a spawn that throws is one too, and the platform goes on', async () => {
    const {clock, processes, runner} = harness(WORKER)
    runner.start()
    await clock.advance(10)
    processes[0].exit({code: 127, signal: null})
    expect(runner.observe()).to.include({phase: 'start-failure', reason: 'the command could not run (exit 127)'})

    const broken = harness(WORKER, undefined, new Error('spawn E2BIG'))
    broken.runner.start()
    await broken.clock.advance(0)
    expect(broken.runner.observe()).to.include({phase: 'start-failure', reason: 'spawn E2BIG'})
  })

  it('a probe that throws marks the dyno with the reason and fails only it', async () => {
    const {clock, runner} = harness(WEB, async () => {
      throw new TypeError('Request path contains unescaped characters')
    })
    runner.start()
    await clock.advance(DEFAULT_TIMING.probe.startingIntervalMs * 3)
    expect(runner.observe()).to.include({phase: 'up', ready: false, reason: 'health check failed: Request path contains unescaped characters'})
  })

  it('a log pipe fault is shown with the dyno, which runs on', async () => {
    const {clock, processes, runner} = harness(WORKER)
    runner.start()
    await clock.advance(0)
    processes[0].options.onFault('log pipe failed: EPIPE')
    expect([runner.phase, runner.info]).to.deep.equal(['up', 'log pipe failed: EPIPE'])
  })

  it('a memory kill crashes it with the reason', async () => {
    const {clock, processes, runner} = harness(WORKER)
    runner.start()
    await clock.advance(0)
    runner.exceededMemory('memory quota exceeded (300 MB used, limit 256 MB)')
    expect(processes[0].signals).to.deep.equal(['SIGKILL'])
    processes[0].exit({code: null, signal: 'SIGKILL'})
    expect(runner.observe()).to.include({phase: 'crashed', reason: 'memory quota exceeded (300 MB used, limit 256 MB)'})
  })

  it('stops: drains a serving web dyno first, releases its port, and a stop is not a crash', async () => {
    const {clock, processes, runner, released} = harness(WEB)
    runner.start()
    await clock.advance(DEFAULT_TIMING.probe.startingIntervalMs)
    let drained = false
    await runner.stop(async () => {
      drained = true
    })
    expect([drained, runner.phase, runner.ready, released, processes[0].signals]).to.deep.equal([true, 'stopping', false, [5000], ['SIGTERM']])
    expect(runner.crashes).to.equal(0)
  })

  it('a stop while it waits for its port starts nothing', async () => {
    const {clock, processes, runner, released} = harness(WEB)
    runner.start()
    const stopped = runner.stop(async () => {})
    await clock.advance(0)
    await stopped
    expect([processes.length, released]).to.deep.equal([0, [5000]])
  })
})

describe('DynoRunner events (the app\'s log stream, fake clock)', () => {
  const dyno = 'web.aaaaaaaaaa-abcde'

  it('tells its command, its state changes, each new health check failure and its exit', async () => {
    let failure: string | undefined = 'nothing answered on $PORT=5000; is the app listening on $PORT?'
    const {clock, processes, runner, events} = harness(WEB, async () => failure)
    runner.start()
    await clock.advance(DEFAULT_TIMING.probe.startingIntervalMs * 3)
    failure = 'health check /health answered 500'
    await clock.advance(DEFAULT_TIMING.probe.startingIntervalMs * 2)
    failure = undefined
    await clock.advance(DEFAULT_TIMING.probe.startingIntervalMs)
    processes[0].exit({code: 3, signal: null})
    expect(events).to.deep.equal([
      `${dyno}: Starting process with command \`node web.js\``,
      `${dyno}: Health check failed: nothing answered on $PORT=5000; is the app listening on $PORT?`,
      `${dyno}: Health check failed: health check /health answered 500`,
      `${dyno}: State changed from starting to up`,
      `${dyno}: Process exited with status 3`,
      `${dyno}: State changed from up to crashed (exited with code 3)`,
    ])
    expect(runner.observe()).to.include({probeFailure: null})
  })

  it('keeps the last health check failure for the deadline\'s reason while it fails', async () => {
    const {clock, runner} = harness(WEB, async () => 'health check /health answered 500')
    runner.start()
    await clock.advance(DEFAULT_TIMING.probe.startingIntervalMs * 2)
    expect(runner.observe()).to.include({ready: false, reason: null, probeFailure: 'health check /health answered 500'})
  })

  it('tells a memory kill with its figures, the signal, and the restart', async () => {
    const {clock, processes, runner, events} = harness(WORKER)
    runner.start()
    await clock.advance(DEFAULT_TIMING.probe.upMs)
    runner.exceededMemory('memory quota exceeded (300 MB used, limit 256 MB)')
    processes[0].exit({code: null, signal: 'SIGKILL'})
    runner.restart()
    expect(events.slice(2).map(event => event.replace(/^worker\.\S+: /, ''))).to.deep.equal([
      'Error: memory quota exceeded (300 MB used, limit 256 MB); stopping its processes with SIGKILL',
      'Process exited by signal SIGKILL',
      'State changed from up to crashed (memory quota exceeded (300 MB used, limit 256 MB))',
      'State changed from crashed to starting',
      'Starting process with command `node worker.js`',
    ])
  })

  it('tells a start failure and a stop', async () => {
    const broken = harness(WORKER, undefined, new Error('spawn E2BIG'))
    broken.runner.start()
    await broken.clock.advance(0)
    expect(broken.events.at(-1)).to.match(/: State changed from starting to failed \(spawn E2BIG\)$/)
    expect(broken.events).to.include('worker.aaaaaaaaaa-abcde: Failed to start: spawn E2BIG')

    const {clock, runner, events} = harness(WEB)
    runner.start()
    await clock.advance(DEFAULT_TIMING.probe.startingIntervalMs)
    await runner.stop(async () => {})
    expect(events.slice(-3)).to.deep.equal([
      `${dyno}: Stopping all processes with SIGTERM`,
      `${dyno}: Process exited by signal SIGTERM`,
      `${dyno}: State changed from up to down`,
    ])
  })
})
