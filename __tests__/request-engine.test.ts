import { describe, expect, it } from '@jest/globals'
import { VirtualClock } from '../test-support/virtual-clock.js'
import { DeadlineError, NetworkError, RequestEngine, type EngineOptions } from '../src/http/request-engine.js'
import { RESET_MARGIN_MS } from '../src/http/rate-window.js'
import type { HttpRequest, HttpResponse, Transport } from '../src/model/types.js'
import { capture } from '../test-support/capture-logger.js'

type Step = Partial<HttpResponse> | { error: string; message?: string }

/** Answers from a script, one step per attempt (the last step repeats); records each attempt. */
function scripted(clock: VirtualClock, steps: Step[], latencyMs = 10) {
  const calls: { req: HttpRequest; at: number }[] = []
  const transport: Transport = async req => {
    calls.push({ req, at: clock.now() })
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]
    await clock.sleep(latencyMs)
    if ('error' in step) throw Object.assign(new Error(step.message ?? `connect ${step.error}`), { code: step.error })
    return { status: step.status ?? 200, headers: step.headers ?? {}, body: step.body ?? '{}' }
  }
  return { transport, calls }
}

/** A fixed-window rate-limited server like Confluent's: counts a request on arrival, 429 does not count. */
function windowServer(clock: VirtualClock, o: { limit: number; windowMs: number; headers: boolean; latency: (i: number) => number }) {
  let start: number | undefined
  let count = 0
  let n = 0
  const s = { inFlight: 0, maxInFlight: 0, ok: 0, tooMany: 0, order: [] as string[] }
  const transport: Transport = async req => {
    const i = n++
    s.inFlight++
    s.maxInFlight = Math.max(s.maxInFlight, s.inFlight)
    await clock.sleep(o.latency(i) / 2)
    const now = clock.now()
    if (start === undefined || now >= start + o.windowMs) {
      start = now
      count = 0
    }
    const allowed = count < o.limit
    if (allowed) count++
    const reset = Math.max(1, Math.ceil((start + o.windowMs - now) / 1000))
    const headers: Record<string, string> = {}
    if (o.headers) {
      headers['x-ratelimit-limit'] = String(o.limit)
      headers['x-ratelimit-remaining'] = String(o.limit - count)
      headers['x-ratelimit-reset'] = String(reset)
    }
    if (!allowed) headers['retry-after'] = String(reset)
    await clock.sleep(o.latency(i) / 2)
    s.inFlight--
    if (allowed) {
      s.ok++
      s.order.push(req.url)
    } else s.tooMany++
    return { status: allowed ? 200 : 429, headers, body: '{}' }
  }
  return { transport, s }
}

function engine(clock: VirtualClock, transport: Transport, extra: Partial<EngineOptions> = {}) {
  const { logger, lines } = capture()
  const e = new RequestEngine({ transport, clock, logger, maxConcurrency: 1, maxRetries: 5, requestTimeoutMs: 30000, random: () => 0.5, ...extra })
  return { e, lines }
}

const URL = 'https://api.example.test/connect/v1/environments/env-1/clusters/lkc-1/connectors/x/config'
const put = { method: 'PUT' as const, url: URL, headers: { authorization: 'Basic c2VjcmV0' }, body: '{"kafka.api.secret":"hunter2"}' }

describe('RequestEngine pacing', () => {
  for (const concurrency of [1, 4]) {
    it(`never exceeds the limit per window (concurrency ${concurrency})`, async () => {
      const clock = new VirtualClock()
      // Varied latencies so that, with concurrency, answers arrive out of order.
      const { transport, s } = windowServer(clock, { limit: 5, windowMs: 10_000, headers: true, latency: i => 40 + ((i * 37) % 90) })
      const { e, lines } = engine(clock, transport, { maxConcurrency: concurrency })
      const urls = Array.from({ length: 23 }, (_, i) => `https://h.test/c/${i}`)
      const res = await clock.run(Promise.all(urls.map(url => e.send({ method: 'GET', url }))))
      expect(res.every(r => r.status === 200)).toBe(true)
      expect(s.tooMany).toBe(0)
      expect(s.ok).toBe(23)
      expect(s.maxInFlight).toBeLessThanOrEqual(concurrency)
      // 23 requests at 5 a window need 5 windows; waiting much longer would mean over-cautious pacing.
      expect(clock.now()).toBeGreaterThanOrEqual(40_000)
      expect(clock.now()).toBeLessThan(47_000)
      const waits = lines.filter(l => l.startsWith('info: rate limit: 0 of 5 left, waiting'))
      expect(waits).toHaveLength(4) // one line per window waited for, not one per queued request
      expect(e.stats()).toMatchObject({ requests: 23, retries: 0, tooManyRequests: 0 })
      expect(e.stats().waitedMs).toBeGreaterThan(30_000)
      if (concurrency === 1) expect(s.order).toEqual(urls)
    })
  }

  it('finishes against a server that sends only Retry-After, holding every request after a 429', async () => {
    const clock = new VirtualClock()
    const server = windowServer(clock, { limit: 3, windowMs: 5000, headers: false, latency: () => 20 })
    const sends: number[] = []
    const holds: { from: number; until: number }[] = []
    const transport: Transport = async req => {
      sends.push(clock.now())
      const res = await server.transport(req)
      if (res.status === 429) holds.push({ from: clock.now(), until: clock.now() + Number(res.headers['retry-after']) * 1000 })
      return res
    }
    const { e } = engine(clock, transport, { maxConcurrency: 4, maxRetries: 10 })
    const res = await clock.run(Promise.all(Array.from({ length: 30 }, (_, i) => e.send({ method: 'GET', url: `https://h.test/${i}` }))))
    expect(res.every(r => r.status === 200)).toBe(true)
    expect(server.s.ok).toBe(30)
    // Nothing is sent after a 429 arrived and before its Retry-After is over (only requests that
    // left at the very instant the 429 came back could not know of it).
    for (const h of holds) expect(sends.filter(t => t > h.from && t < h.until)).toEqual([])
    // 30 requests at 3 a window: 10 windows. The first burst of 4 meets 3 slots and the three sent
    // at the instant the first 429 arrived fail too; after that, at most one probe per window.
    // (Without learning the budget, nearly every request would meet a 429.)
    expect(server.s.tooMany).toBeLessThanOrEqual(4 + 9)
    expect(e.stats().tooManyRequests).toBe(server.s.tooMany)
  })
})

describe('RequestEngine retries', () => {
  it('honours Retry-After on 429 and counts it', async () => {
    const clock = new VirtualClock()
    const { transport, calls } = scripted(clock, [{ status: 429, headers: { 'retry-after': '7' } }, { status: 200 }])
    const { e, lines } = engine(clock, transport)
    const res = await clock.run(e.send(put))
    expect(res.status).toBe(200)
    expect(calls.map(c => c.at)).toEqual([0, 7010]) // answer at 10 ms + 7 s
    expect(e.stats()).toEqual({ requests: 2, retries: 1, tooManyRequests: 1, waitedMs: 7000 })
    expect(lines).toContain('info: PUT /connect/v1/environments/env-1/clusters/lkc-1/connectors/x/config: 429, retry 1 of 5 in 7 s')
  })

  it('waits for the window reset on a 429 without Retry-After', async () => {
    const clock = new VirtualClock()
    const h = { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4' }
    const { transport, calls } = scripted(clock, [{ status: 429, headers: h }, { status: 200 }])
    const { e } = engine(clock, transport)
    await clock.run(e.send(put))
    expect(calls[1].at).toBe(10 + 4000 + RESET_MARGIN_MS) // reset plus the safety margin
  })

  it('retries 5xx with full jitter: random 0 retries at once, 0.999 waits almost the full capped delay', async () => {
    for (const [random, expected] of [
      [0, [0, 10, 20, 30, 40, 50]],
      [0.999, [0, 1009, 3017, 7023, 12028, 17033]]
    ] as const) {
      const clock = new VirtualClock()
      const { transport, calls } = scripted(clock, [{ status: 503 }])
      const { e } = engine(clock, transport, { random: () => random, maxBackoffMs: 5000 })
      const res = await clock.run(e.send(put))
      expect(res.status).toBe(503)
      // 0.999 * min(5000, 1000 * 2^n): 999, 1998, 3996, 4995, 4995 plus 10 ms latency each.
      expect(calls.map(c => c.at)).toEqual(expected)
      expect(e.stats()).toMatchObject({ requests: 6, retries: 5, tooManyRequests: 0 })
    }
  })

  it('counts retries against maxRetries and logs each with its reason, never headers or body', async () => {
    const clock = new VirtualClock()
    const { transport, calls } = scripted(clock, [{ status: 502 }, { error: 'ECONNRESET' }, { status: 504 }])
    const { e, lines } = engine(clock, transport, { maxRetries: 3, random: () => 0.65 })
    const res = await clock.run(e.send(put))
    expect(res.status).toBe(504)
    expect(calls).toHaveLength(4)
    const path = 'PUT /connect/v1/environments/env-1/clusters/lkc-1/connectors/x/config'
    expect(lines).toEqual([
      `info: ${path}: 502, retry 1 of 3 in 0.65 s`,
      `info: ${path}: ECONNRESET, retry 2 of 3 in 1.3 s`,
      `info: ${path}: 504, retry 3 of 3 in 2.6 s`
    ])
    expect(lines.join('\n')).not.toMatch(/c2VjcmV0|hunter2|authorization/i)
    expect(calls[0].req.headers.authorization).toBe('Basic c2VjcmV0')
    expect(calls[0].req.body).toBe(put.body)
    expect(calls[0].req.timeoutMs).toBe(30000)
  })

  for (const status of [400, 401, 402, 403, 404, 409, 422, 501]) {
    it(`returns ${status} at once, never retried`, async () => {
      const clock = new VirtualClock()
      const { transport, calls } = scripted(clock, [{ status, body: '{"error_code":1}' }, { status: 200 }])
      const { e } = engine(clock, transport)
      const res = await clock.run(e.send(put))
      expect(res.status).toBe(status)
      expect(calls).toHaveLength(1)
      expect(e.stats().retries).toBe(0)
    })
  }

  it('retries network errors, then succeeds', async () => {
    const clock = new VirtualClock()
    const { transport, calls } = scripted(clock, [
      { error: 'ECONNREFUSED' },
      { error: 'X', message: 'socket hang up' },
      { error: 'EAI_AGAIN' },
      { status: 200 }
    ])
    const { e } = engine(clock, transport)
    expect((await clock.run(e.send(put))).status).toBe(200)
    expect(calls).toHaveLength(4)
  })

  it('rejects with NetworkError when network failures exhaust the retries', async () => {
    const clock = new VirtualClock()
    const { transport, calls } = scripted(clock, [{ error: 'ETIMEDOUT' }])
    const { e } = engine(clock, transport, { maxRetries: 2 })
    const err = await clock.run(e.send(put)).catch((x: unknown) => x)
    expect(err).toBeInstanceOf(NetworkError)
    expect(err).toMatchObject({ code: 'ETIMEDOUT', attempts: 3 })
    expect(calls).toHaveLength(3)
  })

  it('does not retry a network error it does not know to be transient', async () => {
    const clock = new VirtualClock()
    const { transport, calls } = scripted(clock, [{ error: 'CERT_HAS_EXPIRED' }])
    const { e } = engine(clock, transport)
    await expect(clock.run(e.send(put))).rejects.toMatchObject({ name: 'NetworkError', code: 'CERT_HAS_EXPIRED', attempts: 1 })
    expect(calls).toHaveLength(1)
  })
})

describe('RequestEngine concurrency and order', () => {
  it('never has more than maxConcurrency requests in flight, and starts them in send() order', async () => {
    const clock = new VirtualClock()
    let inFlight = 0
    let max = 0
    const started: number[] = []
    const transport: Transport = async req => {
      started.push(Number(req.url.split('/').pop()))
      inFlight++
      max = Math.max(max, inFlight)
      await clock.sleep(5 + ((started.length * 53) % 41))
      inFlight--
      return { status: 200, headers: {}, body: '' }
    }
    const { e } = engine(clock, transport, { maxConcurrency: 3 })
    const ids = Array.from({ length: 20 }, (_, i) => i)
    await clock.run(Promise.all(ids.map(i => e.send({ method: 'GET', url: `https://h.test/${i}` }))))
    expect(max).toBe(3)
    expect(started).toEqual(ids)
  })

  it('keeps a slot through retries, so later sends wait (FIFO)', async () => {
    const clock = new VirtualClock()
    const seen: string[] = []
    let first = true
    const transport: Transport = async req => {
      seen.push(req.url)
      await clock.sleep(1)
      if (req.url.endsWith('/a') && first) {
        first = false
        return { status: 500, headers: {}, body: '' }
      }
      return { status: 200, headers: {}, body: '' }
    }
    const { e } = engine(clock, transport)
    await clock.run(Promise.all(['a', 'b', 'c'].map(x => e.send({ method: 'GET', url: `https://h.test/${x}` }))))
    expect(seen).toEqual(['https://h.test/a', 'https://h.test/a', 'https://h.test/b', 'https://h.test/c'])
  })
})

describe('RequestEngine bounds', () => {
  it('does not sleep on a Retry-After longer than it ever waits: the 429 is returned at once, with a warning', async () => {
    const clock = new VirtualClock()
    const { transport, calls } = scripted(clock, [{ status: 429, headers: { 'retry-after': '86400' } }, { status: 200 }])
    const { e, lines } = engine(clock, transport)
    const res = await clock.run(e.send(put))
    expect(res.status).toBe(429)
    expect(calls).toHaveLength(1)
    expect(clock.now()).toBeLessThan(1000)
    expect(lines.some(l => l.startsWith('warning:') && l.includes('not retried'))).toBe(true)
    // Other requests are not held by it either.
    const next = await clock.run(e.send(put))
    expect(next.status).toBe(200)
    expect(clock.now()).toBeLessThan(1000)
  })
})

describe('RequestEngine deadline', () => {
  it('cuts a backoff to the deadline, makes no attempt after it and returns the last response', async () => {
    const clock = new VirtualClock()
    const { transport, calls } = scripted(clock, [{ status: 503 }])
    const { e } = engine(clock, transport, { random: () => 0.999, deadline: 2500 })
    const res = await clock.run(e.send(put))
    expect(res.status).toBe(503)
    expect(calls.map(c => c.at)).toEqual([0, 1009, 2500])
  })

  it('takes a deadline per request too, and the earlier of the two wins', async () => {
    const clock = new VirtualClock()
    const { transport, calls } = scripted(clock, [{ status: 503 }])
    const { e } = engine(clock, transport, { random: () => 0.999, deadline: 60_000 })
    const res = await clock.run(e.send(put, { deadline: 2500 }))
    expect(res.status).toBe(503)
    expect(calls.map(c => c.at)).toEqual([0, 1009, 2500])
  })

  it('does not start a rate-limit wait that would end after the deadline', async () => {
    const clock = new VirtualClock()
    const { transport, calls } = scripted(clock, [{ status: 429, headers: { 'retry-after': '60' } }, { status: 200 }])
    const { e } = engine(clock, transport, { deadline: 10_000 })
    const res = await clock.run(e.send(put))
    expect(res.status).toBe(429)
    expect(calls).toHaveLength(1)
    expect(clock.now()).toBe(10)
    // A request queued behind it is refused at once as well: the window is held past the deadline.
    await expect(clock.run(e.send(put))).rejects.toBeInstanceOf(DeadlineError)
    expect(calls).toHaveLength(1)
  })

  it('rejects with DeadlineError (a NetworkError) when network failures run into the deadline', async () => {
    const clock = new VirtualClock()
    const { transport, calls } = scripted(clock, [{ error: 'ECONNRESET' }], 1000)
    const { e } = engine(clock, transport, { random: () => 0.999, deadline: 1500, maxRetries: 9 })
    const err = await clock.run(e.send(put)).catch((x: unknown) => x)
    expect(err).toBeInstanceOf(DeadlineError)
    expect(err).toBeInstanceOf(NetworkError)
    expect(err).toMatchObject({ code: 'EDEADLINE', attempts: 2 })
    expect(String((err as Error).message)).toContain('ECONNRESET')
    expect(calls.map(c => c.at)).toEqual([0, 1500])
  })

  it('sends nothing once the deadline has passed', async () => {
    const clock = new VirtualClock({ start: 5000 })
    const { transport, calls } = scripted(clock, [{ status: 200 }])
    const { e } = engine(clock, transport, { deadline: 4999 })
    await expect(clock.run(e.send(put))).rejects.toMatchObject({ name: 'DeadlineError', attempts: 0 })
    expect(calls).toHaveLength(0)
  })
})
