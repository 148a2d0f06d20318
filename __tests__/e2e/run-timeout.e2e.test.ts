// `run-timeout` (contract 1.1; issue "Hostile input and hostile servers", item 12): under a sustained
// 429 storm each request is bounded, but many connectors at `Retry-After: 60` would add up past GitHub's
// six-hour job limit, which kills the job with no summary. The run ends at its deadline instead: nothing
// new is sent, what was not applied is reported failed ("not applied: ... run-timeout"), and the summary and
// outputs are still written.
import { afterEach, describe, expect, it } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction } from '../../test-support/run-action.js'

const ENV = 'env-dead01'
const CLUSTER = 'lkc-dead01'
let fake: FakeConfluent | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe('run-timeout', () => {
  it('ends a run held by a 60 s rate-limit window in time, with the summary and every connector in the outputs', async () => {
    // Three requests a minute, no headers: the list, one validate and one PUT get through; every later
    // request is answered 429 with Retry-After: 60.
    fake = await startFakeConfluent({
      credentials: [{ key: 'DEADKEY', secret: 'dead-secret' }],
      rateLimit: { limit: 3, windowMs: 60_000, sendHeaders: false }
    })
    fake.addCluster(ENV, CLUSTER)
    const files: Record<string, string> = {}
    for (let i = 0; i < 6; i++) {
      const name = `held-${i}`
      files[`connectors/${name}.json`] = JSON.stringify({ name, 'connector.class': 'DatagenSource', 'kafka.topic': name })
    }
    const started = Date.now()
    const run = await runAction({
      inputs: {
        'api-url': fake.url,
        'api-key': 'DEADKEY',
        'api-secret': 'dead-secret',
        'environment-id': ENV,
        'kafka-cluster-id': CLUSTER,
        'kafka-api-key': 'K',
        'kafka-api-secret': 'dead-kafka-secret',
        'max-concurrency': '1',
        'run-timeout': '4',
        wait: 'false'
      },
      workspace: makeWorkspace(files),
      timeoutMs: 30_000
    })
    const elapsed = Date.now() - started
    expect(run.code).toBe(1)
    // Not a timed assertion of speed: a 60 s window would hold the run for minutes without the deadline.
    expect(elapsed).toBeLessThan(20_000)
    const results = JSON.parse(run.outputs.results) as Array<{ name: string; action: string; error: string }>
    expect(results.map(r => r.name).sort()).toEqual(
      Object.keys(files)
        .map(f => f.slice('connectors/'.length, -'.json'.length))
        .sort()
    )
    const notApplied = results.filter(r => r.action === 'failed')
    expect(notApplied.length).toBeGreaterThanOrEqual(4)
    // Held by a window that ends after the deadline: said so at once, not only when the deadline comes.
    const NOT_APPLIED = /^not applied: (run-timeout reached|the API's rate-limit wait( \(Retry-After \d+ s\))? would end after run-timeout)$/
    for (const r of notApplied) expect(r.error).toMatch(NOT_APPLIED)
    expect(notApplied.some(r => r.error.includes('rate-limit wait'))).toBe(true)
    expect(JSON.parse(run.outputs.failed)).toHaveLength(notApplied.length)
    expect(run.summaryText).toContain('would end after run-timeout')
    // Nothing was sent after the deadline.
    const last = Math.max(...fake.requests.map(r => r.time))
    const first = Math.min(...fake.requests.map(r => r.time))
    expect(last - first).toBeLessThanOrEqual(4_500)
  })
})
