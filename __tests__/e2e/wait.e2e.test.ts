// `wait: true`, end to end against the fake's state machine: RUNNING, a transient FAILED that then
// runs, FAILED for good (with its trace) and a connector that never leaves PROVISIONING.
// The wait-timeout (9 s) is shorter than the wait's grace for a FAILED after a PUT (30 s, GRACE_MS in
// src/stages/wait.ts), so the FAILED connector ends at the timeout, and its error must still carry the
// trace it was last seen with. FAILED judged after the grace: truthful.e2e.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction } from '../../test-support/run-action.js'

const ENV = 'env-wait01'
const CLUSTER = 'lkc-wait01'
let fake: FakeConfluent

beforeAll(async () => {
  fake = await startFakeConfluent({
    credentials: [{ key: 'WAITKEY', secret: 'wait-secret' }],
    behaviours: {
      'runs-fine': { kind: 'running', provisioningMs: 500 },
      'flaky-start': { kind: 'transient-failed', provisioningMs: 500, failedMs: 2500, trace: 'transient: worker not ready' },
      'broken-sink': {
        kind: 'failed',
        provisioningMs: 300,
        trace:
          'org.apache.kafka.connect.errors.ConnectException: <b>Access denied</b> for bucket orders\n\tat io.confluent.S3Sink.start(S3Sink.java:42)\n\tat java.base/java.lang.Thread.run(Thread.java:829)'
      },
      'never-ready': { kind: 'stuck' }
    }
  })
  fake.addCluster(ENV, CLUSTER)
})
afterAll(async () => fake.close())

describe('wait for RUNNING', () => {
  it('reports each state, fails the step for FAILED and the timeout, and polls one list per cluster per round', async () => {
    const names = ['runs-fine', 'flaky-start', 'broken-sink', 'never-ready']
    const files: Record<string, string> = {}
    for (const n of names) files[`connectors/${n}.json`] = JSON.stringify({ name: n, 'connector.class': 'S3_SINK', 'tasks.max': '2' })
    const workspace = makeWorkspace(files)
    fake.resetLog()
    const run = await runAction({
      inputs: {
        'api-url': fake.url,
        'api-key': 'WAITKEY',
        'api-secret': 'wait-secret',
        'environment-id': ENV,
        'kafka-cluster-id': CLUSTER,
        'kafka-api-key': 'K',
        'kafka-api-secret': 'kafka-wait-secret',
        wait: 'true',
        'wait-timeout': '9'
      },
      workspace,
      timeoutMs: 40_000
    })
    expect(run.code).toBe(1)
    const results = JSON.parse(run.outputs.results) as Array<{ name: string; action: string; state: string; error: string; tasks: Array<{ state?: string }> }>
    const by = Object.fromEntries(results.map(r => [r.name, r]))
    expect(by['runs-fine']).toMatchObject({ action: 'created', state: 'RUNNING', error: '' })
    expect(by['runs-fine'].tasks.map(t => t.state)).toEqual(['RUNNING', 'RUNNING'])
    expect(by['flaky-start']).toMatchObject({ action: 'created', state: 'RUNNING', error: '' })
    // A connector that fails its wait is `failed` (contract 1.1), never `created` on the PUT's 200.
    expect(by['broken-sink']).toMatchObject({ action: 'failed', state: 'FAILED' })
    expect(by['broken-sink'].error).toMatch(/timed out after 9 s.*last seen: connector FAILED: .*Access denied/s)
    expect(by['broken-sink'].error).not.toContain('S3Sink.java') // stack frames are cut
    expect(by['never-ready'].error).toMatch(/timed out after 9 s/)
    expect(by['never-ready'].error).not.toContain('last seen') // PROVISIONING is no problem, only slow
    expect(JSON.parse(run.outputs.failed).sort()).toEqual(['broken-sink', 'never-ready'])
    // The trace is escaped in the summary.
    expect(run.summary).toContain('&lt;b&gt;Access denied&lt;/b&gt;')
    expect(run.summary).not.toContain('<b>Access denied')
    // Status polling: only `?expand=status` list calls, one per round, no per-connector status calls.
    const polls = fake.requests.filter(r => r.method === 'GET' && r.query === 'expand=status')
    expect(polls.length).toBeGreaterThanOrEqual(2)
    expect(polls.length).toBeLessThanOrEqual(5)
    expect(fake.requests.filter(r => r.path.endsWith('/status'))).toHaveLength(0)
  })
})
