// Fixed-window rate limit per API key. A 429 does not consume budget.
import type { FakeOptions } from './types.js'

export interface RateDecision {
  allowed: boolean
  limit: number
  remaining: number
  /** Seconds until the window resets, for X-RateLimit-Reset: relative, integer, rounded up (at least 1)
   * or, with `resetRounding: 'down'`, rounded down (may be 0), as some servers do. */
  resetSeconds: number
  /** Seconds for Retry-After: always rounded up, so waiting that long is enough. */
  retryAfterSeconds: number
  sendHeaders: boolean
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()

  /** Counts one request for `key` at time `now`; undefined when no limit is configured. */
  take(key: string, cfg: FakeOptions['rateLimit'], now: number): RateDecision | undefined {
    if (!cfg) return undefined
    let w = this.windows.get(key)
    if (!w || now >= w.start + cfg.windowMs || now < w.start) {
      w = { start: now, count: 0 }
      this.windows.set(key, w)
    }
    const allowed = w.count < cfg.limit
    if (allowed) w.count++
    return {
      allowed,
      limit: cfg.limit,
      remaining: Math.max(0, cfg.limit - w.count),
      resetSeconds:
        cfg.resetRounding === 'down' ? Math.floor((w.start + cfg.windowMs - now) / 1000) : Math.max(1, Math.ceil((w.start + cfg.windowMs - now) / 1000)),
      retryAfterSeconds: Math.max(1, Math.ceil((w.start + cfg.windowMs - now) / 1000)),
      sendHeaders: cfg.sendHeaders ?? true
    }
  }

  /** The decision `take` would give, without counting a request (for a 429 of the concurrency limit). */
  peek(key: string, cfg: FakeOptions['rateLimit'], now: number): RateDecision | undefined {
    if (!cfg) return undefined
    const w = this.windows.get(key)
    const fresh = !w || now >= w.start + cfg.windowMs || now < w.start
    const start = fresh ? now : w.start
    const count = fresh ? 0 : w.count
    return {
      allowed: true,
      limit: cfg.limit,
      remaining: Math.max(0, cfg.limit - count),
      resetSeconds:
        cfg.resetRounding === 'down' ? Math.floor((start + cfg.windowMs - now) / 1000) : Math.max(1, Math.ceil((start + cfg.windowMs - now) / 1000)),
      retryAfterSeconds: Math.max(1, Math.ceil((start + cfg.windowMs - now) / 1000)),
      sendHeaders: cfg.sendHeaders ?? true
    }
  }

  reset(): void {
    this.windows.clear()
  }
}

export function rateLimitHeaders(d: RateDecision | undefined): Record<string, string> {
  const h: Record<string, string> = {}
  if (!d) return h
  if (d.sendHeaders) {
    h['X-RateLimit-Limit'] = String(d.limit)
    h['X-RateLimit-Remaining'] = String(d.remaining)
    h['X-RateLimit-Reset'] = String(d.resetSeconds)
  }
  if (!d.allowed) h['Retry-After'] = String(d.retryAfterSeconds)
  return h
}
