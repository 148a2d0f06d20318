import { describe, expect, it } from '@jest/globals'
import { formatDuration, realClock } from '../src/http/clock.js'
import { VirtualClock } from '../test-support/virtual-clock.js'
import { RateLimiter } from '../src/http/rate-limiter.js'
import { readRateLimitHeaders } from '../src/http/rate-limit-headers.js'
import { RESET_MARGIN_MS } from '../src/http/rate-window.js'
import type { HttpResponse } from '../src/model/types.js'
import { capture } from '../test-support/capture-logger.js'

function rl(remaining: number, reset: number, limit = 10, status = 200): HttpResponse {
  return {
    status,
    headers: { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(reset) },
    body: ''
  }
}

/** Starts acquire() and reports whether it has resolved, after letting pending work run. */
function track(p: Promise<boolean>): { done: () => boolean; value: () => boolean | undefined } {
  let done = false
  let value: boolean | undefined
  void p.then(v => {
    done = true
    value = v
  })
  return { done: () => done, value: () => value }
}

describe('RateLimiter', () => {
  it('reserves the known budget: two requests with remaining=1 do not both go', async () => {
    const clock = new VirtualClock()
    const { logger, lines } = capture()
    const limiter = new RateLimiter(clock, logger)
    expect(await limiter.acquire()).toBe(true) // unknown budget: optimistic
    limiter.observe(rl(1, 3), 0)
    const a = track(limiter.acquire())
    const b = track(limiter.acquire())
    await clock.advance(0)
    expect(a.done()).toBe(true)
    expect(b.done()).toBe(false) // the last unit is reserved by a
    await clock.advance(40)
    limiter.observe(rl(0, 3), 0) // a's answer: spent; the window ends by 3 s + margin
    await clock.advance(3000 + RESET_MARGIN_MS - 41)
    expect(b.done()).toBe(false)
    await clock.advance(1)
    expect(b.done()).toBe(true)
    expect(lines).toEqual(['info: rate limit: 0 of 10 left, waiting 3 s for the window'])
  })

  it('logs one line per wait episode, not one per queued request', async () => {
    const clock = new VirtualClock()
    const { logger, lines } = capture()
    const limiter = new RateLimiter(clock, logger)
    await limiter.acquire()
    limiter.observe(rl(0, 2, 5), 0)
    const waiting = [1, 2, 3, 4].map(() => track(limiter.acquire()))
    await clock.advance(2000 + RESET_MARGIN_MS)
    expect(waiting.every(w => w.done())).toBe(true) // the window passed: budget unknown, optimistic
    expect(lines.filter(l => l.includes('waiting'))).toEqual(['info: rate limit: 0 of 5 left, waiting 2 s for the window'])
    expect(limiter.waitedMs).toBe(2000 + RESET_MARGIN_MS)
  })

  it('does not let an answer observed out of order raise the remaining budget', async () => {
    const clock = new VirtualClock({ start: 1000 })
    const limiter = new RateLimiter(clock, capture().logger)
    for (let i = 0; i < 2; i++) await limiter.acquire()
    limiter.observe(rl(2, 30), 1000) // the newer answer
    limiter.observe(rl(5, 30), 990) // an older one, arriving late
    const got = [1, 2, 3].map(() => track(limiter.acquire()))
    await clock.advance(0)
    expect(got.map(g => g.done())).toEqual([true, true, false])
  })

  it('forgets the budget when the window has passed, and ignores a late answer from that window', async () => {
    const clock = new VirtualClock()
    const limiter = new RateLimiter(clock, capture().logger)
    await limiter.acquire()
    await limiter.acquire()
    limiter.observe(rl(0, 1, 10), 0)
    await clock.advance(1000 + RESET_MARGIN_MS)
    // A request sent before the window ended answers now: it describes the old window.
    limiter.observe(rl(0, 1, 10), 900)
    const next = track(limiter.acquire())
    await clock.advance(0)
    expect(next.done()).toBe(true)
  })

  it('keeps what a response said about the next window', async () => {
    const clock = new VirtualClock()
    const limiter = new RateLimiter(clock, capture().logger)
    for (let i = 0; i < 3; i++) await limiter.acquire()
    limiter.observe(rl(1, 1), 0) // this window ends within 1.1 s
    await clock.advance(900)
    limiter.observe(rl(0, 5), 890) // the server already counts in a later window, which is spent
    limiter.observe(rl(0, 1), 880) // a late answer, same window as the first
    const a = track(limiter.acquire())
    await clock.advance(2000)
    expect(a.done()).toBe(false) // the first window is over, but the next one is known to be spent
    await clock.advance(4000)
    expect(a.done()).toBe(true)
    expect(clock.now()).toBeGreaterThanOrEqual(900 + 5000 + RESET_MARGIN_MS)
  })

  it('with only a known limit, never has more than `limit` requests in flight', async () => {
    const clock = new VirtualClock()
    const limiter = new RateLimiter(clock, capture().logger)
    await limiter.acquire()
    limiter.observe({ status: 200, headers: { 'x-ratelimit-limit': '2' }, body: '' }, 0)
    const got = [1, 2, 3].map(() => track(limiter.acquire()))
    await clock.advance(0)
    expect(got.map(g => g.done())).toEqual([true, true, false])
    limiter.release() // one failed without a response
    await clock.advance(0)
    expect(got[2].done()).toBe(true)
  })

  it('holds every request after a 429 until Retry-After, then lets one probe through', async () => {
    const clock = new VirtualClock()
    const limiter = new RateLimiter(clock, capture().logger)
    await limiter.acquire()
    const res: HttpResponse = { status: 429, headers: { 'retry-after': '4' }, body: '' }
    limiter.observe(res, 0)
    expect(limiter.onTooManyRequests(res)).toBe(4000)
    const got = [1, 2, 3].map(() => track(limiter.acquire()))
    await clock.advance(3999)
    expect(got.some(g => g.done())).toBe(false)
    await clock.advance(1)
    expect(got.map(g => g.done())).toEqual([true, false, false])
    limiter.observe({ status: 200, headers: {}, body: '' }, 4000)
    await clock.advance(0)
    expect(got.map(g => g.done())).toEqual([true, true, true])
  })

  it('falls back to the window end, then to the given backoff, when a 429 has no Retry-After', () => {
    const clock = new VirtualClock()
    const limiter = new RateLimiter(clock, capture().logger)
    const withReset = rl(0, 2, 10, 429)
    limiter.observe(withReset, 0)
    expect(limiter.onTooManyRequests(withReset, 777)).toBe(2000 + RESET_MARGIN_MS)
    const bare: HttpResponse = { status: 429, headers: {}, body: '' }
    expect(new RateLimiter(clock, capture().logger).onTooManyRequests(bare, 777)).toBe(777)
  })

  it('refuses (without reserving) a wait that would end after the deadline', async () => {
    const clock = new VirtualClock()
    const limiter = new RateLimiter(clock, capture().logger)
    await limiter.acquire()
    limiter.observe(rl(0, 10), 0)
    expect(await limiter.acquire(5000)).toBe(false)
    expect(limiter.inFlightCount).toBe(0)
    expect(clock.now()).toBe(0)
  })
})

describe('readRateLimitHeaders', () => {
  it('reads numbers leniently and Retry-After as seconds or an HTTP date', () => {
    expect(readRateLimitHeaders(rl(3, 7, 10))).toEqual({ limit: 10, remaining: 3, resetSeconds: 7 })
    const h = (headers: Record<string, string>): HttpResponse => ({ status: 429, headers, body: '' })
    expect(readRateLimitHeaders(h({ 'x-ratelimit-limit': '100, 100;w=60', 'retry-after': '2.5' }))).toEqual({ limit: 100, retryAfterMs: 2500 })
    expect(readRateLimitHeaders(h({ date: 'Wed, 21 Oct 2026 07:28:00 GMT', 'retry-after': 'Wed, 21 Oct 2026 07:28:09 GMT' }))).toEqual({ retryAfterMs: 9000 })
    expect(readRateLimitHeaders(h({ 'retry-after': 'Wed, 21 Oct 2026 07:28:09 GMT' }))).toEqual({})
    expect(readRateLimitHeaders(h({ 'x-ratelimit-remaining': 'many', 'retry-after': '-1' }))).toEqual({})
  })

  it('turns an epoch-time reset into relative seconds by the response Date, and ignores windows too long to wait for', () => {
    const h = (headers: Record<string, string>): HttpResponse => ({ status: 200, headers, body: '' })
    const date = 'Wed, 21 Oct 2026 07:28:00 GMT'
    const epoch = Date.parse(date) / 1000 + 4
    expect(readRateLimitHeaders(h({ date, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(epoch) }))).toEqual({ remaining: 0, resetSeconds: 4 })
    expect(readRateLimitHeaders(h({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(epoch) }))).toEqual({ remaining: 0 })
    expect(readRateLimitHeaders(h({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '86400' }))).toEqual({ remaining: 0 })
  })
})

describe('VirtualClock', () => {
  it('wakes sleeps in time order (ties in call order) as time advances', async () => {
    const clock = new VirtualClock({ start: 100 })
    const woke: string[] = []
    void clock.sleep(30).then(() => woke.push(`a@${clock.now()}`))
    void clock.sleep(10).then(() => woke.push(`b@${clock.now()}`))
    void clock.sleep(10).then(() => woke.push(`c@${clock.now()}`))
    await clock.advance(20)
    expect(woke).toEqual(['b@110', 'c@110'])
    expect(clock.now()).toBe(120)
    await clock.runAll()
    expect(woke).toEqual(['b@110', 'c@110', 'a@130'])
    expect(clock.pending()).toBe(0)
  })

  it('lets woken code sleep again within the same advance()', async () => {
    const clock = new VirtualClock()
    const ticks: number[] = []
    void (async () => {
      for (let i = 0; i < 5; i++) {
        await clock.sleep(100)
        ticks.push(clock.now())
      }
    })()
    await clock.advance(350)
    expect(ticks).toEqual([100, 200, 300])
    expect(clock.nextWakeUp()).toBe(400)
  })

  it('run() drives a scenario to completion without real waiting', async () => {
    const clock = new VirtualClock()
    const started = realClock.now()
    const result = await clock.run(async () => {
      await Promise.all([clock.sleep(60_000), clock.sleep(3_600_000).then(() => clock.sleep(1))])
      return clock.now()
    })
    expect(result).toBe(3_600_001)
    expect(realClock.now() - started).toBeLessThan(10_000) // a whole virtual hour, no real one
  })

  it('run() rejects when the scenario is blocked on something other than a sleep', async () => {
    const clock = new VirtualClock({ maxIdleTurns: 3 })
    await expect(clock.run(new Promise(() => undefined))).rejects.toThrow(/blocked/)
  })

  it('run() passes the scenario rejection through', async () => {
    const clock = new VirtualClock()
    await expect(
      clock.run(async () => {
        await clock.sleep(5)
        throw new Error('boom')
      })
    ).rejects.toThrow('boom')
  })

  it('formats durations for log lines', () => {
    expect([1300, 3000, 45, 0, 10_000, 12_400, 999].map(formatDuration)).toEqual(['1.3 s', '3 s', '0.05 s', '0 s', '10 s', '12 s', '1 s'])
  })
})
