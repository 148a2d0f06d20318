// A clock for tests whose time moves only when told to: retries, backoff and rate-limit windows are
// tested without waiting. Test-only: it is not part of the bundle.
import type { Clock } from '../src/model/types.js'

interface Timer {
  at: number
  seq: number
  resolve: () => void
}

export interface VirtualClockOptions {
  /** Initial time in ms (default 0). */
  start?: number
  /**
   * How many event-loop turns (setImmediate) to let pass after each wake-up so the woken code can
   * run and schedule its next sleep. Promise-only fakes need 1; the default 2 is a small margin.
   */
  drainTurns?: number
  /** `run()` gives up after this many idle turns with no sleep pending (default 50). */
  maxIdleTurns?: number
}

/** A clock whose time moves only when told to. Sleeps wake in time order, ties in call order. */
export class VirtualClock implements Clock {
  private time: number
  private seq = 0
  private timers: Timer[] = []
  private readonly drainTurns: number
  private readonly maxIdleTurns: number

  constructor(opts: VirtualClockOptions = {}) {
    this.time = opts.start ?? 0
    this.drainTurns = Math.max(1, opts.drainTurns ?? 2)
    this.maxIdleTurns = Math.max(1, opts.maxIdleTurns ?? 50)
  }

  now(): number {
    return this.time
  }

  /** Resolves once time reaches now + ms. A sleep of 0 (or less) still waits for the next step. */
  sleep(ms: number): Promise<void> {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0
    return new Promise<void>(resolve => {
      this.timers.push({ at: this.time + delay, seq: this.seq++, resolve })
    })
  }

  /** Number of sleeps not yet woken. */
  pending(): number {
    return this.timers.length
  }

  /** Time of the earliest pending wake-up, if any. */
  nextWakeUp(): number | undefined {
    return this.earliest()?.at
  }

  /**
   * Moves time forward by `ms`, waking every sleep that ends on the way in order, and letting the
   * woken code run (and sleep again) before the next one. Time ends at exactly now + ms.
   */
  async advance(ms: number): Promise<void> {
    const target = this.time + Math.max(0, ms)
    await this.drain()
    for (let t = this.earliest(); t && t.at <= target; t = this.earliest()) {
      this.fire(t)
      await this.drain()
    }
    this.time = target
    await this.drain()
  }

  /** Wakes sleeps in order, including those scheduled meanwhile, until none is left. */
  async runAll(maxWakeUps = 100_000): Promise<void> {
    await this.drain()
    for (let n = 0, t = this.earliest(); t; t = this.earliest()) {
      if (++n > maxWakeUps) throw new Error(`VirtualClock.runAll: more than ${maxWakeUps} wake-ups; a loop that never ends?`)
      this.fire(t)
      await this.drain()
    }
  }

  /**
   * Auto-advancing mode: runs `scenario` to completion. Whenever all pending work is blocked on
   * sleeps, time jumps to the earliest wake-up. Rejects when the scenario is blocked on something
   * else (no sleep pending for `maxIdleTurns` turns): a deadlock, or real I/O, which this clock
   * cannot drive.
   */
  async run<T>(scenario: Promise<T> | (() => Promise<T>)): Promise<T> {
    const promise = typeof scenario === 'function' ? scenario() : scenario
    let settled = false
    promise.then(
      () => (settled = true),
      () => (settled = true)
    )
    let idle = 0
    for (;;) {
      await this.drain()
      if (settled) return promise
      const t = this.earliest()
      if (t) {
        idle = 0
        this.fire(t)
      } else if (++idle > this.maxIdleTurns) {
        throw new Error('VirtualClock.run: the scenario is blocked and no sleep is pending (deadlock, or real I/O)')
      }
    }
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined
    for (const t of this.timers) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t
    }
    return best
  }

  private fire(t: Timer): void {
    this.timers = this.timers.filter(x => x !== t)
    if (t.at > this.time) this.time = t.at
    t.resolve()
  }

  private async drain(): Promise<void> {
    for (let i = 0; i < this.drainTurns; i++) await new Promise<void>(resolve => setImmediate(resolve))
  }
}
