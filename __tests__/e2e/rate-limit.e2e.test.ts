// The built action against a rate-limited fake: it paces itself by the X-RateLimit-* headers
// (at most one 429), and without them it still applies everything, led by Retry-After.
import { afterEach, describe, expect, it } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction } from '../../test-support/run-action.js'

const ENV = 'env-rate01'
const CLUSTER = 'lkc-rate01'
let fake: FakeConfluent | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

function connectorFiles(n: number): Record<string, string> {
  const files: Record<string, string> = {}
  for (let i = 0; i < n; i++) {
    const name = `paced-${String(i).padStart(2, '0')}`
    files[`connectors/${name}.json`] = JSON.stringify({ name, 'connector.class': 'DatagenSource', 'kafka.topic': name })
  }
  return files
}

async function run(
  sendHeaders: boolean,
  resetRounding: 'up' | 'down' = 'up',
  extra: { concurrencyLimit?: number; limit?: number; maxConcurrency?: number } = {}
) {
  fake = await startFakeConfluent({
    credentials: [{ key: 'RATEKEY', secret: 'rate-secret' }],
    rateLimit: { limit: extra.limit ?? 4, windowMs: 1000, sendHeaders, resetRounding },
    ...(extra.concurrencyLimit !== undefined ? { concurrencyLimit: extra.concurrencyLimit, latencyMs: 30 } : {})
  })
  fake.addCluster(ENV, CLUSTER)
  const result = await runAction({
    inputs: {
      'api-url': fake.url,
      'api-key': 'RATEKEY',
      'api-secret': 'rate-secret',
      'environment-id': ENV,
      'kafka-cluster-id': CLUSTER,
      'kafka-api-key': 'K',
      'kafka-api-secret': 'rate-kafka-secret',
      'max-concurrency': String(extra.maxConcurrency ?? 3),
      ...(extra.concurrencyLimit !== undefined ? { wait: 'false' } : {})
    },
    workspace: makeWorkspace(connectorFiles(12))
  })
  const statuses = fake.requests.map(r => r.status)
  return { result, statuses }
}

describe('rate limits, end to end', () => {
  it('with X-RateLimit-* headers: waits for the window before a 429 happens, and says so', async () => {
    const { result, statuses } = await run(true)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs.created)).toHaveLength(12)
    expect(statuses.filter(s => s === 429).length).toBeLessThanOrEqual(1)
    expect(statuses.filter(s => s !== 200 && s !== 429)).toEqual([])
    expect(result.stdout).toMatch(/rate limit: 0 of 4 left, waiting \d+(\.\d)? s for the window/)
    expect(result.stdout).toContain('[12/12] created paced-11')
  })

  it('with a server that rounds X-RateLimit-Reset down: at most one 429 per window, everything applied', async () => {
    const { result, statuses } = await run(true, 'down')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs.created)).toHaveLength(12)
    expect(statuses.filter(s => s !== 200 && s !== 429)).toEqual([])
    expect(statuses.filter(s => s === 429).length).toBeLessThanOrEqual(4)
  })

  it('with only Retry-After: every connector is applied, and no error but 429 is seen', async () => {
    const { result, statuses } = await run(false)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs.created)).toHaveLength(12)
    expect(statuses.filter(s => s !== 200 && s !== 429)).toEqual([])
    // Without headers, roughly one 429 per window (3 windows of 4 requests for 13 requests), not a wall.
    expect(statuses.filter(s => s === 429).length).toBeLessThanOrEqual(6)
  })

  it('with a server concurrency limit of 1 and max-concurrency 4: fewer requests in flight, at most 3 such 429s', async () => {
    // A generous rate limit with headers, so each 429 shows budget left: a concurrency limit.
    const { result, statuses } = await run(true, 'up', { concurrencyLimit: 1, limit: 1000, maxConcurrency: 4 })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs.created)).toHaveLength(12)
    expect(statuses.filter(s => s !== 200 && s !== 429)).toEqual([])
    expect(statuses.filter(s => s === 429).length).toBeGreaterThan(0)
    expect(statuses.filter(s => s === 429).length).toBeLessThanOrEqual(3)
    expect(result.stdout).toMatch(/concurrency: 429 with budget left, \d -> \d request\(s\) in flight/)
  })
})
