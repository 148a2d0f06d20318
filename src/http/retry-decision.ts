// The retry decision, as one pure function (after got's calculate-retry-delay): given the attempt, what
// it got (a response or a network error) and the server's hint, it says how long to wait before the
// next attempt, or why to stop. No clock, no I/O: the request engine's loop gathers the inputs, acts
// on the answer, and logs. The rules (and their sources):
// - 429: wait Retry-After, else the spent window's end, else backoff (api-notes.md "Rate limits").
//   A wait longer than MAX_RATE_LIMIT_WAIT_MS, or one ending after the deadline, is not started: an
//   attempt before the server's window resets would only earn another 429.
// - 5xx other than 501, and retryable network errors: capped exponential backoff with full jitter,
//   cut to end at the deadline (one last attempt is made then).
// - Anything else (2xx, 3xx, 4xx, 501, a permanent 5xx or a quota message) is final.
// - Every kind counts against maxRetries.
import { MAX_RATE_LIMIT_WAIT_MS } from './rate-limit-headers.js'

export type AttemptOutcome =
  /** `limit` for a 429 only: what classifyTooManyRequests() says. `permanent`: a status that no
   * retry changes whatever its code (unknown class, quota message; src/confluent/api-error.ts). */
  { kind: 'response'; status: number; permanent?: boolean; limit?: 'rate' | 'concurrency' | 'unknown' } | { kind: 'network-error'; retryable: boolean }

export interface RetryInput {
  /** Retries already made for this request: 0 after the first attempt. */
  retry: number
  maxRetries: number
  outcome: AttemptOutcome
  /** The server's own Retry-After, in ms (only to refuse waits beyond MAX_RATE_LIMIT_WAIT_MS). */
  retryAfterMs?: number
  /** The wait the server asks for in ms: Retry-After, else the spent window's end (RateLimiter.serverWaitMs). */
  serverWaitMs?: number
  /** The full-jitter backoff for this retry in ms (called at most once, only when a backoff is needed). */
  backoffMs: () => number
  /** ms until the deadline (negative: past it); undefined without a deadline. */
  msToDeadline?: number
}

export type StopReason =
  | 'final' // a status that is never retried (2xx, 4xx, 501, permanent)
  | 'not-retryable' // a network error that a retry will not cure
  | 'retries-spent'
  | 'wait-too-long' // Retry-After beyond MAX_RATE_LIMIT_WAIT_MS
  | 'wait-after-deadline' // the rate-limit wait would end after the deadline
  | 'past-deadline'

export type RetryDecision =
  /** `wait`: 'rate-limit' (every request waits: RateLimiter.onTooManyRequests), 'concurrency' (only
   * this request waits, the concurrency limit is lowered) or 'backoff'. */
  | { retry: true; delayMs: number; wait: 'rate-limit' | 'concurrency' | 'backoff' }
  /** `holdMs`: for 'wait-after-deadline', the wait the server asked for (other requests still honour it). */
  | { retry: false; reason: StopReason; holdMs?: number }

/** 5xx other than 501 (Not Implemented will not change on a retry). 429 is handled on its own. */
export function isRetryableServerStatus(status: number): boolean {
  return status >= 500 && status <= 599 && status !== 501
}

/** Full jitter over a capped exponential: random() * min(maxMs, baseMs * 2^retry), in ms. */
export function fullJitterBackoffMs(retry: number, random: number, baseMs: number, maxMs: number): number {
  const r = Math.min(Math.max(Number.isFinite(random) ? random : 0, 0), 1)
  return r * Math.min(maxMs, baseMs * 2 ** retry)
}

/** Decides whether to retry and after how long (ms). Pure; never throws. */
export function decideRetry(input: RetryInput): RetryDecision {
  const { retry, maxRetries, outcome, msToDeadline } = input
  const past = msToDeadline !== undefined && msToDeadline < 0
  const backoff = (): RetryDecision => {
    let delayMs = Math.max(0, input.backoffMs())
    if (msToDeadline !== undefined) delayMs = Math.max(0, Math.min(delayMs, msToDeadline))
    return { retry: true, delayMs, wait: 'backoff' }
  }

  if (outcome.kind === 'network-error') {
    if (!outcome.retryable) return { retry: false, reason: 'not-retryable' }
    if (retry >= maxRetries) return { retry: false, reason: 'retries-spent' }
    if (past) return { retry: false, reason: 'past-deadline' }
    return backoff()
  }

  if (outcome.status === 429 && !outcome.permanent) {
    if (retry >= maxRetries) return { retry: false, reason: 'retries-spent' }
    if (input.retryAfterMs !== undefined && input.retryAfterMs > MAX_RATE_LIMIT_WAIT_MS) return { retry: false, reason: 'wait-too-long' }
    const wait = Math.max(0, input.serverWaitMs ?? input.backoffMs())
    if (msToDeadline !== undefined && wait > msToDeadline) return { retry: false, reason: 'wait-after-deadline', holdMs: wait }
    return { retry: true, delayMs: wait, wait: outcome.limit === 'concurrency' ? 'concurrency' : 'rate-limit' }
  }

  if (!isRetryableServerStatus(outcome.status) || outcome.permanent) return { retry: false, reason: 'final' }
  if (retry >= maxRetries) return { retry: false, reason: 'retries-spent' }
  if (past) return { retry: false, reason: 'past-deadline' }
  return backoff()
}
