// Reading what a response says about the server's limits: pure functions of the response, no state.
//
// Every response may carry X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset, where Reset
// is the number of seconds until the window resets (relative, not an epoch), and a 429 adds
// Retry-After (api-notes.md "Rate limits"). Nothing is hard-coded: the numbers come from the headers.
import type { HttpResponse } from '../model/types.js'

/** The longest single wait the headers may ask for. Confluent's windows are seconds long; a larger
 * value is a gateway's epoch time or a fault, and sleeping on it would hold the runner for hours. */
export const MAX_RATE_LIMIT_WAIT_MS = 300_000

export interface RateLimitHeaders {
  limit?: number
  remaining?: number
  resetSeconds?: number
  retryAfterMs?: number
}

function leadingNumber(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^\s*(\d+(?:\.\d+)?)/.exec(value)
  return m ? Number(m[1]) : undefined
}

/**
 * Reads the rate-limit headers of a response (names already lower-case). Missing or malformed values
 * are undefined. X-RateLimit-Reset is relative seconds (api-notes.md); an epoch value (> 1e9) is
 * converted with the response's own Date header; a reset beyond MAX_RATE_LIMIT_WAIT_MS is dropped.
 * Retry-After is seconds or an HTTP date (measured against the response's Date, never our clock).
 * Never throws.
 */
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
    let relative: number | undefined = reset
    if (reset > 1e9) {
      const date = Date.parse(h['date'] ?? '')
      relative = Number.isFinite(date) ? reset - date / 1000 : undefined
    }
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

/**
 * What kind of limit a 429 reports (issue 16; api-notes.md: "Limits are per user and per organization,
 * concurrency limits exist too"):
 * - 'rate': X-RateLimit-Remaining is 0: the window's budget is spent;
 * - 'concurrency': Remaining is above 0: budget is left, so the server refused for too many requests
 *   in flight;
 * - 'unknown': no X-RateLimit-Remaining at all: either; the caller treats it as both.
 * Any other status: undefined.
 */
export function classifyTooManyRequests(res: HttpResponse): 'rate' | 'concurrency' | 'unknown' | undefined {
  if (res.status !== 429) return undefined
  const { remaining } = readRateLimitHeaders(res)
  if (remaining === undefined) return 'unknown'
  return remaining > 0 ? 'concurrency' : 'rate'
}
