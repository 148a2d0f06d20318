// Issue 11, end to end: the action tells the truth about what the cloud did with a config, against the
// built bundle and a fake that behaves like Confluent Cloud (api-notes.md, "Learned since"): a PUT 200
// is not a config in force, tasks fail under a RUNNING connector, DEGRADED can stay, a just-created
// connector is missing from the list for a while, FAILED can be transient, CUSTOM connectors get
// server-filled keys, and errors come in three shapes.
//
// The wait's grace for a FAILED/DEGRADED/failed task after a PUT is 30 s (GRACE_MS in
// src/stages/wait.ts) and there is no test seam to shorten it. The three cases that must outlast it
// (a, b, c) each get their own fake and run side by side, started in `beforeAll` and awaited by their
// test, so the file pays the grace once (about 45 s with the wait's poll rounds), not three times.
// Durations are read from the fake's request log (its clock), and are bounded loosely: they tell
// "after the grace" from "at wait-timeout (120 s)", not a speed.
import { beforeAll, describe, expect, it } from '@jest/globals'
import type { FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { fakeStarter, targetInputs, type Target } from '../../test-support/e2e-target.js'
import { makeWorkspace, runAction, type ActionRun } from '../../test-support/run-action.js'

const KEY = 'TRUTHKEY'
const SECRET = 'truth-cloud-secret'
const KAFKA_SECRET = 'truth-kafka-secret'
const ENV = 'env-truth'
const CLUSTER = 'lkc-truth'
const BASE = '/connect/v1/environments/env-truth/clusters/lkc-truth'

interface Res {
  name: string
  action: string
  state: string
  error: string
  restarts: number
  tasks: Array<{ id: number; state: string; trace?: string }>
}

interface Scenario {
  fake: FakeConfluent
  run: ActionRun
}

const TARGET: Target = { key: KEY, secret: SECRET, env: ENV, cluster: CLUSTER, kafkaKey: 'TRUTHKAFKAKEY', kafkaSecret: KAFKA_SECRET }
const fakeWith = fakeStarter(TARGET)
const inputs = (f: FakeConfluent, extra: Record<string, string> = {}): Record<string, string> => targetInputs(f.url, TARGET, { wait: 'true', ...extra })

function file(name: string, config: Record<string, string>): Record<string, string> {
  return { [`connectors/${name}.json`]: JSON.stringify({ name, config }, null, 2) }
}

function results(run: ActionRun): Record<string, Res> {
  return Object.fromEntries((JSON.parse(run.outputs.results ?? '[]') as Res[]).map(r => [r.name, r]))
}

const putsOf = (f: FakeConfluent, name: string) => f.requests.filter(r => r.method === 'PUT' && r.path === `${BASE}/connectors/${name}/config`)
const polls = (f: FakeConfluent) => f.requests.filter(r => r.method === 'GET' && r.query === 'expand=status')

/** Starts a run now; the promise is awaited by its test (a rejection is held until then). */
function start(make: () => Promise<Scenario>): Promise<Scenario> {
  const p = make()
  p.catch(() => undefined)
  return p
}

const SINK = { 'connector.class': 'S3_SINK', topics: 'orders', 's3.bucket.name': 'orders-bucket', 'tasks.max': '2' }
let slow: { a: Promise<Scenario>; b: Promise<Scenario>; c: Promise<Scenario> }

beforeAll(() => {
  slow = {
    // (a) An update the cloud accepts (200) and then shows FAILED with validation_errors: the previous
    // config stays in force. A literal `INVALID` value fails its key in the fake's outside check.
    a: start(async () => {
      const fake = await fakeWith()
      fake.seed(ENV, CLUSTER, 'orders-sink', { name: 'orders-sink', ...SINK, 'kafka.api.key': 'TRUTHKAFKAKEY', 'kafka.api.secret': KAFKA_SECRET })
      const run = await runAction({
        inputs: inputs(fake, { 'wait-timeout': '120' }),
        workspace: makeWorkspace(file('orders-sink', { ...SINK, 's3.bucket.name': 'INVALID', 'flush.size': 'INVALID' })),
        timeoutMs: 110_000
      })
      return { fake, run }
    }),
    // (b) RUNNING, but task 0 FAILED (no restarts allowed).
    b: start(async () => {
      const fake = await fakeWith({
        behaviours: {
          'task-sink': { kind: 'task-failed', taskMsg: 'org.apache.kafka.connect.errors.ConnectException: task-msg-b: bucket orders-bucket is gone' }
        }
      })
      const run = await runAction({ inputs: inputs(fake, { 'wait-timeout': '120' }), workspace: makeWorkspace(file('task-sink', SINK)), timeoutMs: 110_000 })
      return { fake, run }
    }),
    // (c) DEGRADED for good: task 0 of 2 failed. wait-timeout is 120 s; the run must end after the grace.
    c: start(async () => {
      const fake = await fakeWith({
        behaviours: {
          'degraded-sink': {
            kind: 'degraded',
            tasks: 2,
            trace: 'connector degraded: 1 of 2 tasks failed',
            taskMsg: 'org.apache.kafka.connect.errors.DataException: task-msg-c: cannot deserialize offset 42\n\tat io.confluent.Sink.put(Sink.java:7)'
          }
        }
      })
      const run = await runAction({
        inputs: inputs(fake, { 'wait-timeout': '120' }),
        workspace: makeWorkspace(file('degraded-sink', SINK)),
        timeoutMs: 110_000
      })
      return { fake, run }
    })
  }
})

describe('a PUT 200 is not the end: the wait judges what the cloud did (issue 11)', () => {
  it('(a) accept-then-FAIL update: the step fails, the connector is failed, each key: message is in the summary', async () => {
    const { fake, run } = await slow.a
    expect(run.code).toBe(1)
    expect(putsOf(fake, 'orders-sink')).toHaveLength(1)
    expect(putsOf(fake, 'orders-sink')[0].status).toBe(200) // the cloud accepted it
    expect(JSON.parse(run.outputs.failed)).toEqual(['orders-sink'])
    expect(JSON.parse(run.outputs.updated)).toEqual([]) // a 200 alone never makes it `updated`
    const r = results(run)['orders-sink']
    expect(r.action).toBe('failed')
    expect(r.error).toContain('validation errors')
    for (const key of ['s3.bucket.name', 'flush.size']) {
      const line = `${key}: Invalid value INVALID for configuration ${key}: rejected by the outside system`
      expect(r.error).toContain(line)
      expect(run.summaryText).toContain(line)
    }
    // The annotation lands on the line of the first key the validation errors name, not on the document's.
    const firstKey = /validation errors: ([^\s:]+):/.exec(r.error)?.[1] ?? ''
    const text = file('orders-sink', { ...SINK, 's3.bucket.name': 'INVALID', 'flush.size': 'INVALID' })['connectors/orders-sink.json']
    const keyLine = text.split('\n').findIndex(l => l.includes(`"${firstKey}"`)) + 1
    expect(keyLine).toBeGreaterThan(1)
    expect(run.stdout).toMatch(new RegExp(`^::error file=connectors/orders-sink\\.json,line=${keyLine}::orders-sink: the cloud kept`, 'm'))
    expect(run.summary).not.toContain(KAFKA_SECRET)
  }, 120_000)

  it("(b) RUNNING with task 0 FAILED: the step fails with the task's msg in the summary", async () => {
    const { fake, run } = await slow.b
    expect(run.code).toBe(1)
    expect(JSON.parse(run.outputs.failed)).toEqual(['task-sink'])
    const r = results(run)['task-sink']
    expect(r).toMatchObject({ action: 'failed', state: 'RUNNING', restarts: 0 })
    expect(r.error).toMatch(/task 0 FAILED: .*task-msg-b: bucket orders-bucket is gone/)
    expect(r.tasks.map(t => t.state)).toEqual(['FAILED', 'RUNNING'])
    expect(run.summaryText).toContain('task-msg-b: bucket orders-bucket is gone')
    // restart-failed-tasks is 0: nothing was restarted.
    expect(fake.requests.filter(q => q.path.includes('/restart'))).toEqual([])
  }, 120_000)

  it("(c) DEGRADED that stays: fails after the grace with the failed task's error, well before wait-timeout", async () => {
    const { fake, run } = await slow.c
    expect(run.code).toBe(1)
    const r = results(run)['degraded-sink']
    expect(r).toMatchObject({ action: 'failed', state: 'DEGRADED' })
    expect(r.error).toMatch(/DEGRADED with failed task\(s\): task 0 FAILED: .*task-msg-c: cannot deserialize offset 42/)
    expect(r.error).not.toContain('Sink.java') // stack frames are cut
    expect(r.error).not.toMatch(/timed out/)
    expect(run.summaryText).toContain('task-msg-c: cannot deserialize offset 42')
    // By the fake's clock: the verdict came after the 30 s grace and long before wait-timeout (120 s).
    const put = putsOf(fake, 'degraded-sink')[0].time
    const last = polls(fake).at(-1)?.time ?? put
    expect(last - put).toBeGreaterThanOrEqual(30_000)
    expect(last - put).toBeLessThan(90_000)
  }, 120_000)

  it('(d) a connector missing from the list right after its create is not gone: it ends RUNNING, green', async () => {
    // List lag of 3 s outlasts the wait's first round (2 s after the PUT), so that round misses it.
    const fake = await fakeWith({ listLagMs: 3000 })
    const run = await runAction({ inputs: inputs(fake, { 'wait-timeout': '60' }), workspace: makeWorkspace(file('late-listed', SINK)) })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.created)).toEqual(['late-listed'])
    expect(results(run)['late-listed']).toMatchObject({ action: 'created', state: 'RUNNING', error: '' })
    const put = putsOf(fake, 'late-listed')[0].time
    const rounds = polls(fake).map(p => p.time - put)
    expect(rounds[0]).toBeLessThan(3000) // a round ran while the fake left it out of the list
    expect(rounds.at(-1)).toBeGreaterThanOrEqual(3000)
  })

  it('(e) FAILED for a while after the PUT, then RUNNING: green', async () => {
    const fake = await fakeWith({
      behaviours: { 'flaky-start': { kind: 'transient-failed', provisioningMs: 500, failedMs: 6000, trace: 'transient: worker not ready' } }
    })
    const run = await runAction({ inputs: inputs(fake, { 'wait-timeout': '60' }), workspace: makeWorkspace(file('flaky-start', SINK)) })
    expect(run.code).toBe(0)
    expect(results(run)['flaky-start']).toMatchObject({ action: 'created', state: 'RUNNING', error: '' })
    // At least one round saw it FAILED (0.5 s to 6.5 s after the PUT, by the fake's clock).
    const put = putsOf(fake, 'flaky-start')[0].time
    expect(polls(fake).some(p => p.time - put > 500 && p.time - put < 6500)).toBe(true)
    expect(run.stdout).not.toMatch(/::error/)
  })

  it('(f) CUSTOM: server-filled runtime/java keys are no drift (a rerun costs one list); without connector.class a located error and no request', async () => {
    const fake = await fakeWith()
    const custom = {
      'confluent.connector.type': 'CUSTOM',
      'confluent.custom.plugin.id': 'ccp-abc123',
      'connector.class': 'com.acme.OrdersSource',
      'kafka.auth.mode': 'SERVICE_ACCOUNT',
      'kafka.service.account.id': 'sa-123',
      'acme.endpoint': 'https://orders.example'
    }
    fake.seed(ENV, CLUSTER, 'acme-orders', { name: 'acme-orders', ...custom })
    const live = fake.connector(ENV, CLUSTER, 'acme-orders')?.config ?? {}
    expect(live['confluent.custom.connect.plugin.runtime']).toBeDefined() // the fake filled them in
    expect(live['confluent.custom.connect.java.version']).toBeDefined()
    const workspace = makeWorkspace(file('acme-orders', custom))
    const run = await runAction({ inputs: inputs(fake), workspace })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.unchanged)).toEqual(['acme-orders'])
    expect(fake.requests.map(r => `${r.method} ${r.path}?${r.query}`)).toEqual([`GET ${BASE}/connectors?expand=info,status,id`])

    fake.resetLog()
    const noClass = { ...custom } as Record<string, string>
    delete noClass['connector.class']
    const broken = await runAction({ inputs: inputs(fake), workspace: makeWorkspace(file('acme-broken', noClass)) })
    expect(broken.code).toBe(1)
    expect(fake.requests).toEqual([])
    const located = broken.annotations.filter(a => a.level === 'error' && a.file === 'connectors/acme-broken.json')
    expect(located.length).toBeGreaterThan(0)
    expect(located.some(a => /connector\.class/.test(a.message) && (a.line ?? 0) > 0)).toBe(true)
  })

  it('(g) error shapes: the 401 errors[] detail, the 403 End-of-Life message, and a quota 5xx sent once', async () => {
    // 401 in the `errors[]` shape with its own detail: shown, not "unexpected response".
    const f401 = await fakeWith()
    f401.inject({
      kind: 'status',
      status: 401,
      method: 'GET',
      pathIncludes: '/connectors',
      body: JSON.stringify({ errors: [{ status: '401', detail: 'Invalid API key: key TRUTHKEY was revoked' }] })
    })
    const unauthorized = await runAction({ inputs: inputs(f401, { 'max-retries': '3' }), workspace: makeWorkspace(file('any-sink', SINK)) })
    expect(unauthorized.code).toBe(1)
    expect(results(unauthorized)['any-sink'].error).toMatch(/HTTP 401: Invalid API key: key TRUTHKEY was revoked/)
    expect(unauthorized.summaryText).toContain('Invalid API key: key TRUTHKEY was revoked')
    expect(unauthorized.summary).not.toMatch(/unexpected response/i)
    expect(f401.requests).toHaveLength(1) // no retry of a 401, nothing after it

    // 403 End-of-Life on a create, and a quota refusal as a 500 (the cloud's retryable status).
    const fake = await fakeWith({ endOfLifeClasses: ['OldS3Sink'], connectorQuota: { limit: 2, status: 500 } })
    fake.seed(ENV, CLUSTER, 'existing-1', { name: 'existing-1', 'connector.class': 'S3_SINK' })
    const run = await runAction({
      inputs: inputs(fake, { 'max-retries': '3', 'max-concurrency': '1' }),
      workspace: makeWorkspace({ ...file('eol-sink', { ...SINK, 'connector.class': 'OldS3Sink' }), ...file('fits-quota', SINK), ...file('over-quota', SINK) })
    })
    expect(run.code).toBe(1)
    const r = results(run)
    expect(r['eol-sink'].error).toMatch(/HTTP 403: Connector plugin OldS3Sink has reached End-of-Life and cannot be used for new connectors/)
    expect(run.summaryText).toContain('has reached End-of-Life')
    expect(r['fits-quota']).toMatchObject({ action: 'created', state: 'RUNNING', error: '' })
    expect(r['over-quota'].error).toMatch(/HTTP 500: .*is currently limited to 2/)
    expect(putsOf(fake, 'over-quota')).toHaveLength(1) // a quota error is final whatever its status
    expect(putsOf(fake, 'eol-sink')).toHaveLength(1)
    expect(JSON.parse(run.outputs.failed).sort()).toEqual(['eol-sink', 'over-quota'])
  })

  it('(h) wait: false says in the summary that the states are unverified', async () => {
    const fake = await fakeWith()
    const run = await runAction({ inputs: inputs(fake, { wait: 'false' }), workspace: makeWorkspace(file('quick-sink', SINK)) })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.created)).toEqual(['quick-sink'])
    expect(run.summary).toMatch(/`wait` is off: the states below are what the PUT answered or the list showed, not verified/)
    expect(run.summary).toMatch(/\| quick-sink \|.*\(unverified\)/)
    expect(polls(fake)).toEqual([]) // and it did not wait
  })
})
