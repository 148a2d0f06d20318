// decideRetry as a table: attempt, outcome and server hint in, delay or reason out.
import { describe, expect, it } from '@jest/globals'
import { decideRetry, fullJitterBackoffMs, type RetryDecision, type RetryInput } from '../src/http/retry-decision.js'

const base: Omit<RetryInput, 'outcome'> = { retry: 0, maxRetries: 5, backoffMs: () => 800 }
const status = (s: number, more: Partial<Extract<RetryInput['outcome'], { kind: 'response' }>> = {}): RetryInput['outcome'] => ({
  kind: 'response',
  status: s,
  ...more
})

const table: [string, Partial<RetryInput> & Pick<RetryInput, 'outcome'>, RetryDecision][] = [
  ['200 is final', { outcome: status(200) }, { retry: false, reason: 'final' }],
  ['404 is final', { outcome: status(404) }, { retry: false, reason: 'final' }],
  ['400 is final even with Retry-After', { outcome: status(400), serverWaitMs: 1000 }, { retry: false, reason: 'final' }],
  ['501 is final', { outcome: status(501) }, { retry: false, reason: 'final' }],
  ['503 backs off', { outcome: status(503) }, { retry: true, delayMs: 800, wait: 'backoff' }],
  ['500 that is permanent is final', { outcome: status(500, { permanent: true }) }, { retry: false, reason: 'final' }],
  ['503 with a quota message (permanent) is final', { outcome: status(503, { permanent: true }) }, { retry: false, reason: 'final' }],
  [
    '429 with a quota message (permanent) is final',
    { outcome: status(429, { permanent: true, limit: 'rate' }), serverWaitMs: 1000 },
    { retry: false, reason: 'final' }
  ],
  ['503 out of retries', { outcome: status(503), retry: 5 }, { retry: false, reason: 'retries-spent' }],
  ['503 past the deadline', { outcome: status(503), msToDeadline: -1 }, { retry: false, reason: 'past-deadline' }],
  ['503 backoff cut to the deadline', { outcome: status(503), msToDeadline: 300 }, { retry: true, delayMs: 300, wait: 'backoff' }],
  ['503 exactly at the deadline retries at once', { outcome: status(503), msToDeadline: 0 }, { retry: true, delayMs: 0, wait: 'backoff' }],
  [
    '429 waits what the server asks',
    { outcome: status(429, { limit: 'rate' }), serverWaitMs: 7000, retryAfterMs: 7000 },
    { retry: true, delayMs: 7000, wait: 'rate-limit' }
  ],
  ['429 without a hint backs off', { outcome: status(429, { limit: 'unknown' }) }, { retry: true, delayMs: 800, wait: 'rate-limit' }],
  [
    '429 with budget left is a concurrency limit',
    { outcome: status(429, { limit: 'concurrency' }), serverWaitMs: 1000 },
    { retry: true, delayMs: 1000, wait: 'concurrency' }
  ],
  ['429 out of retries', { outcome: status(429, { limit: 'rate' }), retry: 5, serverWaitMs: 1000 }, { retry: false, reason: 'retries-spent' }],
  ['429 asking for more than 5 minutes', { outcome: status(429), retryAfterMs: 300_001, serverWaitMs: 300_001 }, { retry: false, reason: 'wait-too-long' }],
  [
    '429 asking for exactly 5 minutes',
    { outcome: status(429), retryAfterMs: 300_000, serverWaitMs: 300_000 },
    { retry: true, delayMs: 300_000, wait: 'rate-limit' }
  ],
  [
    '429 whose wait ends after the deadline',
    { outcome: status(429), serverWaitMs: 2000, msToDeadline: 1999 },
    { retry: false, reason: 'wait-after-deadline', holdMs: 2000 }
  ],
  ['429 whose wait ends at the deadline', { outcome: status(429), serverWaitMs: 2000, msToDeadline: 2000 }, { retry: true, delayMs: 2000, wait: 'rate-limit' }],
  ['retryable network error backs off', { outcome: { kind: 'network-error', retryable: true } }, { retry: true, delayMs: 800, wait: 'backoff' }],
  ['other network error stops', { outcome: { kind: 'network-error', retryable: false } }, { retry: false, reason: 'not-retryable' }],
  ['network error out of retries', { outcome: { kind: 'network-error', retryable: true }, retry: 5 }, { retry: false, reason: 'retries-spent' }],
  ['network error past the deadline', { outcome: { kind: 'network-error', retryable: true }, msToDeadline: -5 }, { retry: false, reason: 'past-deadline' }],
  ['maxRetries 0 never retries', { outcome: status(503), maxRetries: 0 }, { retry: false, reason: 'retries-spent' }]
]

describe('decideRetry', () => {
  it.each(table)('%s', (_name, input, expected) => {
    expect(decideRetry({ ...base, ...input })).toEqual(expected)
  })

  it('asks for the backoff only when it uses it', () => {
    let calls = 0
    const backoffMs = () => (calls++, 100)
    decideRetry({ ...base, backoffMs, outcome: status(200) })
    decideRetry({ ...base, backoffMs, outcome: status(429), serverWaitMs: 10 })
    expect(calls).toBe(0)
    decideRetry({ ...base, backoffMs, outcome: status(502) })
    expect(calls).toBe(1)
  })
})

describe('fullJitterBackoffMs', () => {
  it.each([
    [0, 0.5, 500],
    [1, 0.5, 1000],
    [3, 0.5, 4000],
    [10, 0.5, 15_000], // capped at 30 s
    [2, 0, 0],
    [2, 1.5, 4000], // random clamped to [0, 1]
    [2, Number.NaN, 0]
  ])('retry %d, random %d -> %d ms', (retry, random, expected) => {
    expect(fullJitterBackoffMs(retry, random, 1000, 30_000)).toBe(expected)
  })
})
