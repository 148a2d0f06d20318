// Admission: paces requests by what the server says about its rate-limit window, so the action slows
// down before a 429 instead of after a wall of them. The pieces it builds on are pure and live apart:
// header parsing in rate-limit-headers.ts, the window model in rate-window.ts; the retry decision is
// retry-decision.ts and the concurrency limit adaptive-concurrency.ts.
//
// Correct with several requests in flight:
// - acquire() reserves one unit of the known remaining budget; the reservation ends when the
//   request's response is observed (its Remaining then already counts it) or when it failed
//   without a response (release()). Two requests with remaining=1 therefore do not both go.
// - Each observation narrows what is known of the window (rate-window.ts).
// - When the window's latest possible end passes, the budget is unknown again (optimistic) until a
//   response says otherwise, unless a response already described the next window.
// - After a 429, every acquire() waits until Retry-After (or the window's end, or a backoff when
//   the server says neither), and then, while the budget is unknown, only one request goes until
//   one gets through. For a server that sends only Retry-After, the number of requests that got
//   through between two 429s is taken as the window's budget: after a hold, that many go, then one
//   probe at a time (whose 429 tells the next wait), so each window costs one 429, not a wall.
import { formatDuration } from './clock.js'
import { readRateLimitHeaders } from './rate-limit-headers.js'
import { expireWindows, mergeWindow, observedWindow, type WindowBook } from './rate-window.js'
import type { Clock, HttpResponse, Logger } from '../model/types.js'

export class RateLimiter {
  private book: WindowBook = {}
  private limit?: number
  private inFlight = 0
  private holdUntil = 0
  private probing = false
  /** Without rate-limit headers: requests let go, and successes seen, since the last 429. */
  private sentSinceHold = 0
  private okSinceHold = 0
  private learned?: number
  private probeInFlight = false
  private chain: Promise<unknown> = Promise.resolve()
  private changed?: () => void
  private lastLoggedEnd?: number
  private waited = 0
  /** Learned: this server rounds X-RateLimit-Reset down (a 429 came right after a window we had
   * computed to be over), so every window may end up to a second later than it says. */
  private roundsDown = false

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger
  ) {}

  /** Total time acquire() spent waiting for windows and Retry-After (waits never overlap). */
  get waitedMs(): number {
    return this.waited
  }

  /** Requests acquired and not yet observed or released. */
  get inFlightCount(): number {
    return this.inFlight
  }

  /**
   * Waits for permission to send one request and reserves it. Callers are served in call order.
   * Resolves false (reserving nothing) instead of waiting when the wait would end after `deadline`.
   * Every true must be followed by observe() or release().
   */
  acquire(deadline?: number): Promise<boolean> {
    const turn = this.chain.then(() => this.acquireOne(deadline))
    this.chain = turn.catch(() => undefined)
    return turn
  }

  /** Reads the rate-limit headers of a response to a request that acquire() let go at `sentAt`. */
  observe(res: HttpResponse, sentAt: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1)
    if (res.status !== 429) {
      this.probing = false
      this.okSinceHold++
      if (this.probeInFlight) {
        // A probe beyond the learned budget got through: the window has reset; count anew.
        this.sentSinceHold = 1
        this.okSinceHold = 1
      }
    }
    this.probeInFlight = false
    const h = readRateLimitHeaders(res)
    if (h.limit !== undefined) this.limit = h.limit
    const now = this.clock.now()
    const obs = observedWindow(h, sentAt, now, this.roundsDown)
    if (obs) {
      this.expire(now)
      this.book = mergeWindow(this.book, obs)
    }
    this.notify()
  }

  /** Ends a reservation whose request got no response (network error, timeout). */
  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1)
    this.probeInFlight = false
    this.notify()
  }

  /**
   * The wait (ms from now) the server asks for after `res`: its Retry-After, else the time until the
   * current window ends when its budget is spent, else undefined. No side effect.
   */
  serverWaitMs(res: HttpResponse): number | undefined {
    const now = this.clock.now()
    const retryAfter = readRateLimitHeaders(res).retryAfterMs
    if (retryAfter !== undefined) return retryAfter
    const cur = expireWindows(this.book, now).cur
    return cur && cur.remaining <= 0 ? cur.latestEnd - now : undefined
  }

  /**
   * Call after observe() on a 429. Holds every acquire() until Retry-After, else the window's end,
   * else `fallbackMs` (default 1 s) from now. Returns that wait in ms.
   */
  onTooManyRequests(res: HttpResponse, fallbackMs = 1000): number {
    const now = this.clock.now()
    this.expire(now)
    // A 429 within a second after a window we were told had ended: the server rounds down.
    const { cur, last } = this.book
    if (!cur && last && now < last.latestEnd + 1000 && readRateLimitHeaders(res).resetSeconds !== undefined) this.roundsDown = true
    const wait = Math.max(0, this.serverWaitMs(res) ?? fallbackMs)
    this.holdUntil = Math.max(this.holdUntil, now + wait)
    this.probing = true
    if (this.okSinceHold > 0) this.learned = this.okSinceHold
    this.okSinceHold = 0
    this.sentSinceHold = 0
    return wait
  }

  private async acquireOne(deadline?: number): Promise<boolean> {
    for (;;) {
      const now = this.clock.now()
      this.expire(now)
      if (this.holdUntil > now) {
        this.logger.debug(`rate limit: holding requests for ${formatDuration(this.holdUntil - now)} after a 429`)
        if (!(await this.sleepUntil(this.holdUntil, deadline))) return false
        continue
      }
      const w = this.book.cur
      if (w) {
        if (w.remaining - this.inFlight > 0) break
        if (w.remaining <= 0) {
          if (deadline !== undefined && w.latestEnd > deadline) return false
          if (this.lastLoggedEnd !== w.latestEnd) {
            this.lastLoggedEnd = w.latestEnd
            const of = (w.limit ?? this.limit) !== undefined ? ` of ${w.limit ?? this.limit}` : ''
            this.logger.info(`rate limit: ${w.remaining}${of} left, waiting ${formatDuration(w.latestEnd - now)} for the window`)
          }
          if (!(await this.sleepUntil(w.latestEnd, deadline))) return false
          continue
        }
        await this.nextChange() // the rest of the budget is reserved by requests in flight
        continue
      }
      const beyondLearned = this.learned !== undefined && this.sentSinceHold >= this.learned
      const cap = this.probing || beyondLearned ? 1 : this.limit === undefined ? Infinity : Math.max(1, this.limit)
      if (this.inFlight < cap) {
        this.sentSinceHold++
        this.probeInFlight = beyondLearned && !this.probing
        break
      }
      await this.nextChange()
    }
    this.inFlight++
    return true
  }

  private async sleepUntil(target: number, deadline: number | undefined): Promise<boolean> {
    if (deadline !== undefined && target > deadline) return false
    const start = this.clock.now()
    await this.clock.sleep(target - start)
    this.waited += Math.max(0, this.clock.now() - start)
    return true
  }

  private expire(now: number): void {
    this.book = expireWindows(this.book, now)
  }

  private nextChange(): Promise<void> {
    return new Promise<void>(resolve => (this.changed = resolve))
  }

  private notify(): void {
    const wake = this.changed
    this.changed = undefined
    wake?.()
  }
}
