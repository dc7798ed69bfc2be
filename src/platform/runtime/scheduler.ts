// When reconcile steps run: an app's step soon after anything wakes it (many wakes in one turn of
// the event loop make one step), and every app's on a timer tick.
import type {Clock} from './timing.js'

export class Scheduler {
  private readonly pending = new Set<string>()
  private scheduled = false
  private stopped = false
  private cancelTick: () => void = () => {}

  constructor(
    private readonly step: (appId: string) => void,
    private readonly tick: () => void,
    private readonly tickMs: number,
    private readonly clock: Clock,
  ) {}

  start(): void {
    setImmediate(() => this.onTick())
  }

  wake(appId: string): void {
    if (this.stopped) return
    this.pending.add(appId)
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      const apps = [...this.pending]
      this.pending.clear()
      if (!this.stopped) for (const appId of apps) this.step(appId)
    })
  }

  stop(): void {
    this.stopped = true
    this.cancelTick()
  }

  private onTick(): void {
    if (this.stopped) return
    this.tick()
    this.cancelTick = this.clock.setTimeout(() => this.onTick(), this.tickMs)
  }
}
