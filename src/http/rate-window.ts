// The rate-limit window model: pure functions from observations to what we know of the server's
// current and next fixed window. No clock, no state of its own; RateLimiter (admission) holds a
// WindowBook and calls these.
//
// Each observation gives an interval for its window's end: the server computed X-RateLimit-Reset as
// a whole number of seconds, rounded up, at some moment between sending and receiving, so the end
// lies in (sentAt + (Reset-1) s, receivedAt + Reset s]. Observations whose intervals overlap describe
// the same window and are merged by taking the lowest Remaining: an answer that arrives out of order
// never raises the budget above a newer one. An interval wholly before the current one is a late
// answer from an earlier window and is ignored; one wholly after is kept for the next window.
import type { RateLimitHeaders } from './rate-limit-headers.js'

/**
 * Added to the latest possible window end before sending again. That end is already computed from
 * the moment the answer was received and the rounded-up Reset, so it is never early for a server
 * that rounds up; 25 ms covers a server whose clock for the window runs slightly behind the moment
 * it answered (a load balancer's time, request queuing) at a cost of 2.5% of a one-second window
 * (the benchmark measured 100 ms as 5% lost on a 2 s window). A server that rounds down instead is
 * handled by its 429 and Retry-After.
 */
export const RESET_MARGIN_MS = 25

export interface RateWindow {
  remaining: number
  limit?: number
  /** The window ends after this (ms, our clock)... */
  earliestEnd: number
  /** ...and, margin included, no later than this: the time to wait for. */
  latestEnd: number
}

/** What is known of the windows: the current one, the next one (an early answer), the last one. */
export interface WindowBook {
  cur?: RateWindow
  next?: RateWindow
  last?: RateWindow
}

/**
 * The window an answer describes, or undefined when it lacks Remaining or Reset. `sentAt` and
 * `receivedAt` are ms on our clock; `roundsDown` (learned: the server rounds Reset down) adds 1 s
 * to the latest end.
 */
export function observedWindow(h: RateLimitHeaders, sentAt: number, receivedAt: number, roundsDown = false): RateWindow | undefined {
  if (h.remaining === undefined || h.resetSeconds === undefined) return undefined
  return {
    remaining: h.remaining,
    ...(h.limit !== undefined ? { limit: h.limit } : {}),
    earliestEnd: Math.min(sentAt, receivedAt) + (h.resetSeconds - 1) * 1000,
    latestEnd: receivedAt + (h.resetSeconds + (roundsDown ? 1 : 0)) * 1000 + RESET_MARGIN_MS
  }
}

/** True when two windows' end intervals overlap: they describe the same window. */
export function overlaps(a: RateWindow, b: RateWindow): boolean {
  return a.earliestEnd < b.latestEnd && b.earliestEnd < a.latestEnd
}

/** The same window seen twice: the lower Remaining, the narrower end interval. */
export function intersect(a: RateWindow, b: RateWindow): RateWindow {
  const limit = b.limit ?? a.limit
  return {
    remaining: Math.min(a.remaining, b.remaining),
    ...(limit !== undefined ? { limit } : {}),
    earliestEnd: Math.max(a.earliestEnd, b.earliestEnd),
    latestEnd: Math.min(a.latestEnd, b.latestEnd)
  }
}

/** At `now` (ms): once the current window's latest end has passed, it becomes `last` and the next
 * one (if still ahead) becomes current; otherwise the budget is unknown again. */
export function expireWindows(book: WindowBook, now: number): WindowBook {
  if (!book.cur || now < book.cur.latestEnd) return book
  const cur = book.next && book.next.latestEnd > now ? book.next : undefined
  return { ...(cur ? { cur } : {}), last: book.cur }
}

/** Adds one observation (already expired to its arrival time). */
export function mergeWindow(book: WindowBook, obs: RateWindow): WindowBook {
  const { cur, next } = book
  if (!cur) {
    // Possibly a late answer from the window that just ended: stay optimistic rather than wait.
    if (book.last && overlaps(obs, book.last)) return book
    return { ...book, cur: obs }
  }
  if (overlaps(obs, cur)) return { ...book, cur: intersect(cur, obs) }
  if (obs.earliestEnd >= cur.latestEnd) {
    if (!next) return { ...book, next: obs }
    if (overlaps(obs, next)) return { ...book, next: intersect(next, obs) }
    if (obs.latestEnd <= next.earliestEnd) return { ...book, next: obs }
  }
  // else: wholly before the current window, a late answer from an earlier one.
  return book
}
