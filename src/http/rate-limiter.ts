// Paces requests by what the server says about its rate-limit window, so the action slows down
// before a 429 instead of after a wall of them.
//
// Every response may carry X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset, where
// Reset is the number of seconds until the window resets (relative, not an epoch), and a 429 adds
// Retry-After. Nothing is hard-coded: the numbers come from the headers (api-notes.md).
//
// Correct with several requests in flight:
// - acquire() reserves one unit of the known remaining budget; the reservation ends when the
//   request's response is observed (its Remaining then already counts it) or when it failed
//   without a response (release()). Two requests with remaining=1 therefore do not both go.
// - Each observation gives an interval for its window's end: the server computed Reset as a whole
//   number of seconds, rounded up, at some moment between sending and receiving, so the end lies in
//   (sentAt + (Reset-1) s, receivedAt + Reset s]. Observations whose intervals overlap describe the
//   same window and are merged by taking the lowest Remaining: an answer that arrives out of order
//   never raises the budget above a newer one. An interval wholly before the current one is a late
//   answer from an earlier window and is ignored; one wholly after is kept for the next window.
// - When the window's latest possible end passes, the budget is unknown again (optimistic) until a
//   response says otherwise, unless a response already described the next window.
// - After a 429, every acquire() waits until Retry-After (or the window's end, or a backoff when
//   the server says neither), and then, while the budget is unknown, only one request goes until
//   one gets through. For a server that sends only Retry-After, the number of requests that got
//   through between two 429s is taken as the window's budget: after a hold, that many go, then one
//   probe at a time (whose 429 tells the next wait), so each window costs one 429, not a wall.
import { formatDuration } from './clock.js'
import type { Clock, HttpResponse, Logger } from '../model/types.js'

/**
 * Added to the latest possible window end before sending again. That end is already computed from
 * the moment the answer was received and the rounded-up Reset, so it is never early for a server
 * that rounds up; 25 ms covers a server whose clock for the window runs slightly behind the moment
 * it answered (a load balancer's time, request queuing) at a cost of 2.5% of a one-second window
 * (the benchmark measured 100 ms as 5% lost on a 2 s window). A server that rounds down instead is
 * handled by its 429 and Retry-After.
 */
export const RESET_MARGIN_MS = 25

/** The longest single wait the headers may ask for. Confluent's windows are seconds long; a larger
 * value is a gateway's epoch time or a fault, and sleeping on it would hold the runner for hours. */
export const MAX_RATE_LIMIT_WAIT_MS = 300_000

export interface RateLimitHeaders {
  limit?: number
  remaining?: number
  resetSeconds?: number
  retryAfterMs?: number
}

interface Window {
  remaining: number
  limit?: number
  /** The window ends after this (ms, our clock)... */
  earliestEnd: number
  /** ...and, margin included, no later than this: the time to wait for. */
  latestEnd: number
}

function leadingNumber(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^\s*(\d+(?:\.\d+)?)/.exec(value)
  return m ? Number(m[1]) : undefined
}

/** Reads the rate-limit headers (names already lower-case); missing or malformed values are undefined. */
export function readRateLimitHeaders(res: HttpResponse): RateLimitHeaders {
  const h = res.headers
  const out: RateLimitHeaders = {}
  const limit = leadingNumber(h['x-ratelimit-limit'])
  const remaining = leadingNumber(h['x-ratelimit-remaining'])
  const reset = leadingNumber(h['x-ratelimit-reset'])
  if (limit !== undefined) out.limit = Math.floor(limit)
  if (remaining !== undefined) out.remaining = Math.floor(remaining)
  if (reset !== undefined) {
    // Relative seconds per the spec; some gateways send an epoch time instead: convert it with the
    // response's own Date header. A window longer than any wait we make is ignored (429s then pace).
    const date = Date.parse(h['date'] ?? '')
    const relative = reset > 1e9 ? (Number.isFinite(date) ? reset - date / 1000 : undefined) : reset
    if (relative !== undefined && relative >= 0 && relative * 1000 <= MAX_RATE_LIMIT_WAIT_MS) out.resetSeconds = relative
  }
  const ra = h['retry-after']?.trim()
  if (ra) {
    if (/^\d+(\.\d+)?$/.test(ra)) out.retryAfterMs = Math.round(Number(ra) * 1000)
    else {
      // An HTTP date: measured against the response's own Date header, never our clock.
      const at = Date.parse(ra)
      const date = Date.parse(h['date'] ?? '')
      if (Number.isFinite(at) && Number.isFinite(date)) out.retryAfterMs = Math.max(0, at - date)
    }
  }
  return out
}

function overlaps(a: Window, b: Window): boolean {
  return a.earliestEnd < b.latestEnd && b.earliestEnd < a.latestEnd
}

function intersect(a: Window, b: Window): Window {
  const limit = b.limit ?? a.limit
  return {
    remaining: Math.min(a.remaining, b.remaining),
    ...(limit !== undefined ? { limit } : {}),
    earliestEnd: Math.max(a.earliestEnd, b.earliestEnd),
    latestEnd: Math.min(a.latestEnd, b.latestEnd)
  }
}

export class RateLimiter {
  private cur?: Window
  private next?: Window
  private last?: Window
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
    if (h.remaining !== undefined && h.resetSeconds !== undefined) {
      const now = this.clock.now()
      this.expire(now)
      this.merge({
        remaining: h.remaining,
        ...(h.limit !== undefined ? { limit: h.limit } : {}),
        earliestEnd: Math.min(sentAt, now) + (h.resetSeconds - 1) * 1000,
        latestEnd: now + (h.resetSeconds + (this.roundsDown ? 1 : 0)) * 1000 + RESET_MARGIN_MS
      })
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
   * Call after observe() on a 429. Holds every acquire() until Retry-After, else the window's end,
   * else `fallbackMs` (default 1 s) from now. Returns that wait in ms.
   */
  onTooManyRequests(res: HttpResponse, fallbackMs = 1000): number {
    const now = this.clock.now()
    this.expire(now)
    // A 429 within a second after a window we were told had ended: the server rounds down.
    if (!this.cur && this.last && now < this.last.latestEnd + 1000 && readRateLimitHeaders(res).resetSeconds !== undefined) this.roundsDown = true
    let wait = readRateLimitHeaders(res).retryAfterMs
    if (wait === undefined && this.cur && this.cur.remaining <= 0) wait = this.cur.latestEnd - now
    wait = Math.max(0, wait ?? fallbackMs)
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
      const w = this.cur
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
    if (this.cur && now >= this.cur.latestEnd) {
      this.last = this.cur
      this.cur = this.next && this.next.latestEnd > now ? this.next : undefined
      this.next = undefined
    }
  }

  private merge(obs: Window): void {
    const cur = this.cur
    if (!cur) {
      // Possibly a late answer from the window that just ended: stay optimistic rather than wait.
      if (this.last && overlaps(obs, this.last)) return
      this.cur = obs
    } else if (overlaps(obs, cur)) {
      this.cur = intersect(cur, obs)
    } else if (obs.earliestEnd >= cur.latestEnd) {
      if (!this.next) this.next = obs
      else if (overlaps(obs, this.next)) this.next = intersect(this.next, obs)
      else if (obs.latestEnd <= this.next.earliestEnd) this.next = obs
    }
    // else: wholly before the current window, a late answer from an earlier one.
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
