// Adaptive concurrency (issue 16): a 429 with rate-limit budget left lowers the number of requests in
// flight; successes raise it again slowly; never above max-concurrency.
import { afterEach, describe, expect, it } from '@jest/globals'
import { AdaptiveConcurrency, RAISE_AFTER_MS, RAISE_AFTER_SUCCESSES } from '../src/http/adaptive-concurrency.js'
import { RequestEngine } from '../src/http/request-engine.js'
import { nodeTransport } from '../src/http/transport.js'
import { realClock } from '../src/http/clock.js'
import type { HttpResponse, Transport } from '../src/model/types.js'
import { capture } from '../test-support/capture-logger.js'
import { VirtualClock } from '../test-support/virtual-clock.js'
import { startFakeConfluent, type FakeConfluent } from '../test-support/fake-confluent/index.js'

describe('AdaptiveConcurrency', () => {
  it('halves on each concurrency 429 down to 1, logging each change once', () => {
    const { logger, lines } = capture()
    const c = new AdaptiveConcurrency(5, new VirtualClock(), logger)
    for (let i = 0; i < 4; i++) c.onConcurrencyLimited('429 with budget left')
    expect(c.limit).toBe(1)
    expect(lines).toEqual([
      'info: concurrency: 429 with budget left, 5 -> 2 request(s) in flight',
      'info: concurrency: 429 with budget left, 2 -> 1 request(s) in flight'
    ])
  })

  it('raises by one only after enough successes in a row and enough time, never above the max', async () => {
    const clock = new VirtualClock()
    const { logger, lines } = capture()
    const c = new AdaptiveConcurrency(2, clock, logger)
    c.onConcurrencyLimited('429 with budget left')
    for (let i = 0; i < 3 * RAISE_AFTER_SUCCESSES; i++) c.onSuccess()
    expect(c.limit).toBe(1) // successes alone are not enough: too soon after the decrease
    await clock.advance(RAISE_AFTER_MS)
    for (let i = 0; i < RAISE_AFTER_SUCCESSES - 1; i++) c.onSuccess()
    c.onConcurrencyLimited('429 with budget left') // a 429 breaks the run of successes and restarts the time
    await clock.advance(RAISE_AFTER_MS)
    for (let i = 0; i < RAISE_AFTER_SUCCESSES - 1; i++) c.onSuccess()
    expect(c.limit).toBe(1)
    c.onSuccess()
    expect(c.limit).toBe(2)
    for (let i = 0; i < 5 * RAISE_AFTER_SUCCESSES; i++) c.onSuccess()
    expect(c.limit).toBe(2)
    expect(lines.at(-1)).toBe(`info: concurrency: ${RAISE_AFTER_SUCCESSES} successes in a row, 1 -> 2 request(s) in flight`)
  })

  it('hands out permits first come, first served, up to the limit', async () => {
    const c = new AdaptiveConcurrency(2, new VirtualClock(), capture().logger)
    const order: number[] = []
    const all = [1, 2, 3, 4].map(i => c.acquire().then(() => order.push(i)))
    await Promise.resolve()
    await Promise.resolve()
    expect(order).toEqual([1, 2])
    c.onConcurrencyLimited('x') // limit 1: one release lets nobody in (2 still in flight)
    c.release()
    await Promise.resolve()
    expect(order).toEqual([1, 2])
    c.release()
    await Promise.all(all.slice(0, 3))
    expect(order).toEqual([1, 2, 3])
    c.release()
    await Promise.all(all)
    expect(order).toEqual([1, 2, 3, 4])
  })
})

/** A server that refuses a request arriving while `limit` are in flight: 429, Retry-After 1, budget left. */
function concurrencyLimitedServer(clock: VirtualClock, limit: number, headers: boolean) {
  const s = { inFlight: 0, ok: 0, tooMany: 0, maxOkInFlight: 0 }
  const transport: Transport = async () => {
    s.inFlight++
    try {
      await clock.sleep(1)
      const budget: Record<string, string> = headers ? { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '900', 'x-ratelimit-reset': '60' } : {}
      if (s.inFlight > limit) {
        s.tooMany++
        return { status: 429, headers: { ...budget, 'retry-after': '1' }, body: '{"error":{"code":429,"message":"Too many concurrent requests"}}' }
      }
      s.maxOkInFlight = Math.max(s.maxOkInFlight, s.inFlight)
      await clock.sleep(49)
      s.ok++
      return { status: 200, headers: budget, body: '{}' } satisfies HttpResponse
    } finally {
      s.inFlight--
    }
  }
  return { transport, s }
}

describe('RequestEngine with a server concurrency limit', () => {
  for (const headers of [true, false]) {
    it(`limit 1, max-concurrency 4, ${headers ? 'budget left in the headers' : 'no rate-limit headers'}: at most 3 429s, all succeed`, async () => {
      const clock = new VirtualClock()
      const { transport, s } = concurrencyLimitedServer(clock, 1, headers)
      const { logger, lines } = capture()
      const e = new RequestEngine({ transport, clock, logger, maxConcurrency: 4, maxRetries: 5, requestTimeoutMs: 30_000, random: () => 0.5 })
      const all = Promise.all(Array.from({ length: 40 }, (_, i) => e.send({ method: 'GET', url: `https://api.example.test/x/${i}` })))
      const results = await clock.run(all)
      expect(results.every(r => r.status === 200)).toBe(true)
      expect(s.ok).toBe(40)
      expect(s.tooMany).toBeGreaterThan(0)
      expect(s.tooMany).toBeLessThanOrEqual(3)
      expect(e.concurrencyLimit).toBe(1)
      const why = headers ? '429 with budget left' : '429 without rate-limit headers'
      expect(lines).toContain(`info: concurrency: ${why}, 4 -> 2 request(s) in flight`)
      expect(lines).toContain(`info: concurrency: ${why}, 2 -> 1 request(s) in flight`)
    })
  }

  it('a 429 with the budget spent is a rate limit: it does not lower the concurrency', async () => {
    const clock = new VirtualClock()
    let n = 0
    const transport: Transport = async (): Promise<HttpResponse> => {
      await clock.sleep(10)
      return n++ === 0
        ? { status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1', 'retry-after': '1' }, body: '' }
        : { status: 200, headers: {}, body: '' }
    }
    const { logger, lines } = capture()
    const e = new RequestEngine({ transport, clock, logger, maxConcurrency: 4, maxRetries: 5, requestTimeoutMs: 30_000 })
    expect((await clock.run(e.send({ method: 'GET', url: 'https://api.example.test/x' }))).status).toBe(200)
    expect(e.concurrencyLimit).toBe(4)
    expect(lines.some(l => l.includes('concurrency:'))).toBe(false)
  })

  it('a 429 quota message is never retried (isPermanent), whatever its headers', async () => {
    const clock = new VirtualClock()
    let calls = 0
    const transport: Transport = async () => {
      calls++
      await clock.sleep(10)
      return {
        status: 429,
        headers: { 'retry-after': '1' },
        body: '{"error":{"code":429,"message":"Your organization is currently limited to 10 connectors"}}'
      }
    }
    const { isPermanentServerError } = await import('../src/confluent/api-error.js')
    const e = new RequestEngine({
      transport,
      clock,
      logger: capture().logger,
      maxConcurrency: 1,
      maxRetries: 5,
      requestTimeoutMs: 30_000,
      isPermanent: isPermanentServerError
    })
    expect((await clock.run(e.send({ method: 'PUT', url: 'https://api.example.test/x', body: '{}' }))).status).toBe(429)
    expect(calls).toBe(1)
  })
})

describe('against the fake Confluent API with concurrencyLimit 1 (real sockets, 127.0.0.1)', () => {
  let fake: FakeConfluent | undefined
  afterEach(async () => {
    await fake?.close()
    fake = undefined
  })

  it('max-concurrency 4: at most 3 concurrency 429s, every request answered 200', async () => {
    fake = await startFakeConfluent({ credentials: [{ key: 'K', secret: 'S' }], concurrencyLimit: 1, latencyMs: 20 })
    fake.addCluster('env-c1', 'lkc-c1')
    const { logger, lines } = capture()
    const e = new RequestEngine({ transport: nodeTransport(), clock: realClock, logger, maxConcurrency: 4, maxRetries: 5, requestTimeoutMs: 10_000 })
    const url = `${fake.url}/connect/v1/environments/env-c1/clusters/lkc-c1/connectors`
    const authorization = `Basic ${Buffer.from('K:S').toString('base64')}`
    const results = await Promise.all(Array.from({ length: 12 }, () => e.send({ method: 'GET', url, headers: { authorization } })))
    expect(results.map(r => r.status)).toEqual(Array(12).fill(200))
    const tooMany = fake.requests.filter(r => r.status === 429).length
    expect(tooMany).toBeGreaterThan(0)
    expect(tooMany).toBeLessThanOrEqual(3)
    expect(e.concurrencyLimit).toBe(1)
    expect(lines.filter(l => l.includes('concurrency: 429')).length).toBeLessThanOrEqual(2)
  })
})
