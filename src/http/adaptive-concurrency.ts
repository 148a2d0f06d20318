// Adaptive concurrency (issue 16): how many attempts may be in flight at once, lowered when the server
// says it has a concurrency limit and raised again slowly.
//
// A 429 that arrives while the rate-limit budget is not spent (X-RateLimit-Remaining > 0, or no
// rate-limit headers at all) means a server concurrency limit (api-notes.md: "concurrency limits exist
// too"). Then the limit is halved (at least 1), like TCP's multiplicative decrease. It goes up by one
// only after RAISE_AFTER_SUCCESSES successes in a row AND RAISE_AFTER_MS since the last decrease: a raise
// above the server's limit costs a 429, so probing upward is rare (a 20-minute run probes about 40
// times), never above the configured max-concurrency. Each change is logged once.
//
// Permits are served first come, first served. The engine takes a permit for each attempt (not for the
// backoff or Retry-After wait between attempts), so a request waiting out its 429 does not block others.
import type { Clock, Logger } from '../model/types.js'

/** Successes in a row (since the last change) needed before the limit is raised by one. */
export const RAISE_AFTER_SUCCESSES = 10
/** Time since the last decrease (ms) needed before the limit is raised by one. */
export const RAISE_AFTER_MS = 30_000

export class AdaptiveConcurrency {
  private current: number
  private inFlight = 0
  private okInRow = 0
  private lastDecreaseAt = -Infinity
  private readonly waiting: (() => void)[] = []

  /** `max`: the configured max-concurrency (at least 1); the limit starts there. */
  constructor(
    private readonly max: number,
    private readonly clock: Clock,
    private readonly logger: Logger
  ) {
    this.max = Math.max(1, Math.floor(max) || 1)
    this.current = this.max
  }

  /** The number of attempts allowed in flight now. */
  get limit(): number {
    return this.current
  }

  /** Resolves when an attempt may start; every acquire() must be followed by one release(). */
  acquire(): Promise<void> {
    if (this.inFlight < this.current && this.waiting.length === 0) {
      this.inFlight++
      return Promise.resolve()
    }
    return new Promise<void>(resolve => this.waiting.push(resolve))
  }

  /** Ends an attempt (response or error) and lets waiting attempts start, up to the limit. */
  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1)
    this.pump()
  }

  /** A 429 with budget left (`why` says which kind, for the log): halve the limit, at least 1. */
  onConcurrencyLimited(why: string): void {
    this.okInRow = 0
    this.lastDecreaseAt = this.clock.now()
    const next = Math.max(1, Math.floor(this.current / 2))
    if (next !== this.current) this.change(next, why)
  }

  /** A response that was not a 429: after enough of them in a row, and long enough, raise by one. */
  onSuccess(): void {
    this.okInRow++
    if (this.current >= this.max || this.okInRow < RAISE_AFTER_SUCCESSES) return
    if (this.clock.now() - this.lastDecreaseAt < RAISE_AFTER_MS) return
    this.change(this.current + 1, `${this.okInRow} successes in a row`)
    this.okInRow = 0
    this.pump()
  }

  private change(next: number, why: string): void {
    this.logger.info(`concurrency: ${why}, ${this.current} -> ${next} request(s) in flight`)
    this.current = next
  }

  private pump(): void {
    while (this.inFlight < this.current && this.waiting.length > 0) {
      this.inFlight++
      this.waiting.shift()?.()
    }
  }
}
