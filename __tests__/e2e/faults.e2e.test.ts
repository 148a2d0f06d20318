// Network and server faults, end to end against the built action and the fake: random 503s and
// connection resets, responses slower than the request timeout, bodies that are not JSON, 401, 402,
// 403, 404 and a 500 for an unknown connector class. Each ends as the README documents: transient
// faults are retried until every connector is applied; the rest fail fast with the API's message and
// request id. Every connector appears in the results with its outcome, the exit status is right, and
// a rerun after a partly failed run converges.
//
// The "slower than the request timeout" test sets `request-timeout: 1` (seconds) and makes the fake
// answer after 2.5 s.
//
// Contract 1.1: `wait` is on by default; these tests are about requests, not states, so `inputs` turns
// it off unless a test asks for it. A first run that a rerun must find converged waits (the fake, like
// the cloud, leaves a just-created connector out of the expanded list for 1 s, so a rerun straight
// after a run without wait would plan it as a create again); where the action cannot wait for it (a
// PUT it gave up on), `untilListed` waits until the fake lists it. Each validate (one per connector
// class, before the PUTs) is a request too: counts below name PUTs of `.../config` only.
import { describe, expect, it } from '@jest/globals'
import type { FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { fakeStarter, targetInputs, type Target } from '../../test-support/e2e-target.js'
import { channels, findLeaks, maskedValues } from '../../test-support/channels.js'
import { makeWorkspace, runAction, type ActionRun } from '../../test-support/run-action.js'

const KEY = 'FAULTKEY'
const SECRET = 'faults-cloud-secret'
const ENV = 'env-f1'
const CLUSTER = 'lkc-f1'
const REQUEST_ID = /request id [0-9a-f-]{36}/

interface Result {
  name: string
  action: string
  error: string
  environment_id: string
  kafka_cluster_id: string
}

const TARGET: Target = { key: KEY, secret: SECRET, env: ENV, cluster: CLUSTER, kafkaKey: 'FKAFKAKEY', kafkaSecret: 'faults-kafka-secret' }
const start = fakeStarter(TARGET, 'each')

/** One flat connector file per name on the default cluster; `elsewhere` puts a name on another target. */
function workspaceFor(
  names: string[],
  elsewhere: Record<string, { env: string; cluster: string; cls?: string }> = {},
  cls: Record<string, string> = {}
): string {
  const files: Record<string, string> = {}
  for (const name of names) {
    const target = elsewhere[name]
    const config = { 'connector.class': cls[name] ?? 'DatagenSource', 'kafka.topic': `topic-${name}`, 'tasks.max': '1' }
    files[`connectors/${name}.json`] = JSON.stringify(
      target ? { name, environment_id: target.env, kafka_cluster_id: target.cluster, config } : { name, ...config },
      null,
      2
    )
  }
  return makeWorkspace(files)
}

const inputs = (f: FakeConfluent, extra: Record<string, string> = {}): Record<string, string> => targetInputs(f.url, TARGET, { wait: 'false', ...extra })

function results(run: ActionRun): Result[] {
  return JSON.parse(run.outputs.results ?? '[]') as Result[]
}

function byName(run: ActionRun): Record<string, Result> {
  return Object.fromEntries(results(run).map(r => [r.name, r]))
}

/** Every connector appears exactly once in the results and in the summary's table. */
function expectEveryConnector(run: ActionRun, names: string[]): void {
  expect(
    results(run)
      .map(r => r.name)
      .sort()
  ).toEqual([...names].sort())
  for (const name of names) expect(run.summary).toContain(`| ${name} |`)
  expect(run.stderr).toBe('')
  expect(run.stdout).not.toMatch(/crashed/)
}

function outcomes(run: ActionRun): Record<string, string> {
  return Object.fromEntries(results(run).map(r => [r.name, r.action]))
}

function putsFor(f: FakeConfluent, name: string): number {
  return f.requests.filter(r => r.method === 'PUT' && r.path.endsWith(`/connectors/${name}/config`)).length
}

/** Waits (bounded) until the fake's expanded list shows every name (its list lag is over); the
 * check goes through the fake's HTTP API like the action's own list, then the log is cleared. */
async function untilListed(f: FakeConfluent, names: string[]): Promise<void> {
  const url = `${f.url}/connect/v1/environments/${ENV}/clusters/${CLUSTER}/connectors?expand=id`
  const auth = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`
  const end = Date.now() + 10_000
  for (;;) {
    const listed = (await (await fetch(url, { headers: { authorization: auth } })).json()) as Record<string, unknown>
    if (names.every(n => n in listed)) break
    if (Date.now() > end) throw new Error(`gave up waiting for the fake to list ${names.join(', ')}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  f.resetLog()
}

function listsOf(f: FakeConfluent, env: string, cluster: string): number {
  return f.requests.filter(r => r.method === 'GET' && r.path === `/connect/v1/environments/${env}/clusters/${cluster}/connectors`).length
}

async function until(what: string, done: () => boolean, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs
  while (!done()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

const NAMES = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8']

describe('faults', () => {
  it('random 503s (20%) and connection resets (10%) are retried until every connector is applied; a rerun changes nothing', async () => {
    // One request in flight, so the fake's seeded draws fall on the same requests every run: with
    // seed 7 some requests fail twice in a row, none three times.
    const f = await start({ faults: { rate503: 0.2, rateReset: 0.1, seed: 7 } })
    const workspace = workspaceFor(NAMES)
    // Wait on: the status rounds face the same faults, and the rerun finds every connector listed.
    const run = await runAction({ inputs: inputs(f, { 'max-concurrency': '1', 'max-retries': '6', wait: 'true', 'wait-timeout': '60' }), workspace })
    expectEveryConnector(run, NAMES)
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.created).sort()).toEqual(NAMES)
    expect(JSON.parse(run.outputs.failed)).toEqual([])
    for (const name of NAMES) expect(f.connector(ENV, CLUSTER, name)?.config['kafka.topic']).toBe(`topic-${name}`)
    // The faults did happen, and each was retried.
    const statuses = f.requests.map(r => r.status)
    expect(statuses.filter(s => s === 503).length).toBeGreaterThan(0)
    expect(statuses.filter(s => s === 0).length).toBeGreaterThan(0)
    expect(run.stdout).toMatch(/: 503, retry 1 of 6/)
    expect(run.stdout).toMatch(/: (ECONNRESET|network error)[^\n]*, retry 1 of 6/)

    // Every one was PUT (and validated once for its class) before the wait, and ended RUNNING.
    for (const r of results(run)) expect((r as unknown as { state: string }).state).toBe('RUNNING')
    expect(f.requests.filter(r => r.path.endsWith('/config/validate') && r.status === 200)).toHaveLength(1)

    // A rerun, faults still on: one list (retried as needed), no PUT, all unchanged.
    f.resetLog()
    const again = await runAction({ inputs: inputs(f, { 'max-concurrency': '1', 'max-retries': '6' }), workspace })
    expectEveryConnector(again, NAMES)
    expect(again.code).toBe(0)
    expect(JSON.parse(again.outputs.unchanged).sort()).toEqual(NAMES)
    expect(f.requests.filter(r => r.method === 'PUT')).toEqual([])
    expect(f.requests.filter(r => r.status === 200).map(r => `${r.method} ${r.query}`)).toEqual(['GET expand=info,status,id'])
  })

  it('a response slower than the request timeout is abandoned and retried; one that is always slow fails, and a rerun converges', async () => {
    const f = await start()
    const names = ['c1', 'c2', 'c3']
    const workspace = workspaceFor(names)
    f.inject({ kind: 'slow', delayMs: 2500, method: 'GET', pathIncludes: '/connectors' })
    f.inject({ kind: 'slow', delayMs: 2500, method: 'PUT', pathIncludes: '/connectors/c2/config' })
    f.inject({ kind: 'slow', delayMs: 2500, method: 'PUT', pathIncludes: '/connectors/c3/config', times: 3 })
    const run = await runAction({
      inputs: inputs(f, { 'max-retries': '2', 'request-timeout': '1' }),
      workspace
    })
    expectEveryConnector(run, names)
    expect(run.code).toBe(1)
    expect(outcomes(run)).toEqual({ c1: 'created', c2: 'created', c3: 'failed' })
    expect(byName(run).c3.error).toMatch(/timeout|timed out|ETIMEDOUT|within 1000 ms/i)
    expect(byName(run).c3.error).toMatch(/3 attempts/)
    expect(listsOf(f, ENV, CLUSTER)).toBe(2)
    expect(putsFor(f, 'c2')).toBe(2)
    expect(putsFor(f, 'c3')).toBe(3)

    // The server did apply c3 once its slow answers were done, though the action had given up:
    // the rerun finds it unchanged. Nothing is PUT twice, nothing is lost.
    await until('the fake to finish the slow PUTs', () => f.requests.filter(r => r.method === 'PUT').every(r => r.status !== 0))
    await untilListed(f, names)
    const again = await runAction({ inputs: inputs(f), workspace })
    expectEveryConnector(again, names)
    expect(again.code).toBe(0)
    expect(outcomes(again)).toEqual({ c1: 'unchanged', c2: 'unchanged', c3: 'unchanged' })
    expect(f.requests.filter(r => r.method === 'PUT')).toEqual([])
  })

  it('a body that is not JSON: retried behind a 5xx, a located failure with the request id behind a 2xx', async () => {
    const f = await start()
    f.addCluster(ENV, 'lkc-f2')
    const names = ['c1', 'c2', 'c3', 'c4']
    const workspace = workspaceFor(names, { c4: { env: ENV, cluster: 'lkc-f2' } })
    f.inject({ kind: 'non-json', status: 502, method: 'PUT', pathIncludes: '/connectors/c1/config' })
    f.inject({ kind: 'non-json', status: 200, method: 'PUT', pathIncludes: '/connectors/c2/config' })
    f.inject({ kind: 'non-json', status: 200, method: 'GET', pathIncludes: '/clusters/lkc-f2/connectors' })
    const run = await runAction({ inputs: inputs(f, { 'max-retries': '2' }), workspace })
    expectEveryConnector(run, names)
    expect(run.code).toBe(1)
    expect(outcomes(run)).toEqual({ c1: 'created', c2: 'failed', c3: 'created', c4: 'failed' })
    expect(putsFor(f, 'c1')).toBe(2)
    expect(putsFor(f, 'c2')).toBe(1)
    expect(listsOf(f, ENV, 'lkc-f2')).toBe(1)
    for (const name of ['c2', 'c4']) {
      expect(byName(run)[name].error).toMatch(/not JSON/)
      expect(byName(run)[name].error).toMatch(REQUEST_ID)
    }
    // The failure is annotated on the connector's file.
    expect(run.annotations.some(a => a.level === 'error' && a.file === 'connectors/c2.json' && a.line === 1)).toBe(true)
  })

  it('401 (wrong key): every connector fails with the message and request id, without a retry or a PUT', async () => {
    const f = await start()
    f.addCluster(ENV, 'lkc-f2')
    const names = ['c1', 'c2', 'c3']
    const workspace = workspaceFor(names, { c3: { env: ENV, cluster: 'lkc-f2' } })
    const run = await runAction({ inputs: inputs(f, { 'api-secret': 'not-the-secret', 'max-retries': '3' }), workspace })
    expectEveryConnector(run, names)
    expect(run.code).toBe(1)
    expect(JSON.parse(run.outputs.failed).sort()).toEqual(names)
    for (const r of results(run)) {
      expect(r.error).toMatch(/HTTP 401: Unauthorized/)
      expect(r.error).toMatch(REQUEST_ID)
    }
    expect(listsOf(f, ENV, CLUSTER)).toBe(1)
    expect(listsOf(f, ENV, 'lkc-f2')).toBe(1)
    expect(f.requests).toHaveLength(2)
    // The wrong secret is still a secret: registered with the runner's masking, shown nowhere.
    expect(maskedValues(run)).toContain('not-the-secret')
    expect(findLeaks(channels(run), ['not-the-secret'])).toEqual([])
  })

  it('402, 403, 404 (unknown environment or cluster) and a 500 for an unknown class fail with the API message and request id; the others are applied', async () => {
    const f = await start({ rejectClasses: cls => cls === 'NoSuchConnector' })
    f.addCluster(ENV, 'lkc-f403')
    const names = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']
    const workspace = workspaceFor(
      names,
      {
        c5: { env: ENV, cluster: 'lkc-f403' },
        c6: { env: 'env-missing', cluster: 'lkc-f1' },
        c7: { env: ENV, cluster: 'lkc-missing' }
      },
      { c3: 'NoSuchConnector' }
    )
    f.inject({
      kind: 'status',
      status: 402,
      method: 'PUT',
      pathIncludes: '/connectors/c2/config',
      body: JSON.stringify({ error_code: 402, message: 'Quota exceeded: the organization has reached its limit of connectors' })
    })
    f.inject({
      kind: 'status',
      status: 403,
      method: 'GET',
      pathIncludes: '/clusters/lkc-f403/',
      body: JSON.stringify({ error: { code: 403, message: 'Forbidden: the principal may not manage connectors on lkc-f403' } })
    })
    const run = await runAction({ inputs: inputs(f, { 'max-retries': '2' }), workspace })
    expectEveryConnector(run, names)
    expect(run.code).toBe(1)
    expect(outcomes(run)).toEqual({ c1: 'created', c2: 'failed', c3: 'failed', c4: 'created', c5: 'failed', c6: 'failed', c7: 'failed' })
    const r = byName(run)
    expect(r.c2.error).toMatch(/HTTP 402: Quota exceeded: the organization has reached its limit of connectors/)
    expect(r.c3.error).toMatch(/HTTP 500: Failed to find any class that implements Connector and which name matches NoSuchConnector/)
    expect(r.c5.error).toMatch(/HTTP 403: Forbidden: the principal may not manage connectors on lkc-f403/)
    expect(r.c6.error).toMatch(/HTTP 404: Environment 'env-missing' not found/)
    expect(r.c7.error).toMatch(/HTTP 404: Kafka cluster 'lkc-missing' not found/)
    for (const name of ['c2', 'c3', 'c5', 'c6', 'c7']) expect(r[name].error).toMatch(REQUEST_ID)
    // Each failure is annotated on its connector's file.
    for (const name of ['c2', 'c3']) expect(run.annotations.some(a => a.level === 'error' && a.file === `connectors/${name}.json`)).toBe(true)
    // 4xx: one attempt each, and nothing PUT where the list failed.
    expect(putsFor(f, 'c2')).toBe(1)
    expect(listsOf(f, ENV, 'lkc-f403')).toBe(1)
    expect(listsOf(f, 'env-missing', 'lkc-f1')).toBe(1)
    expect(listsOf(f, ENV, 'lkc-missing')).toBe(1)
    for (const name of ['c5', 'c6', 'c7']) expect(putsFor(f, name)).toBe(0)
  })

  it('a 500 for an unknown connector class fails fast: one PUT, no retries', async () => {
    // The issue lists it with the faults that fail fast; a retry would fail the same way.
    const f = await start({ rejectClasses: cls => cls === 'NoSuchConnector' })
    const workspace = workspaceFor(['c1', 'c2'], {}, { c2: 'NoSuchConnector' })
    const run = await runAction({ inputs: inputs(f, { 'max-retries': '2' }), workspace })
    expectEveryConnector(run, ['c1', 'c2'])
    expect(run.code).toBe(1)
    expect(outcomes(run)).toEqual({ c1: 'created', c2: 'failed' })
    expect(putsFor(f, 'c2')).toBe(1)
  })

  it('a rerun after a partly failed run converges: what was applied is unchanged, what failed is tried again', async () => {
    const f = await start()
    const workspace = workspaceFor(NAMES)
    const status = (n: string, code: number) =>
      f.inject({
        kind: 'status',
        status: code,
        method: 'PUT',
        pathIncludes: `/connectors/${n}/config`,
        body: JSON.stringify({ error: { code, message: `injected ${code}` } })
      })
    status('c3', 402)
    status('c5', 403)
    f.inject({ kind: 'non-json', status: 200, method: 'PUT', pathIncludes: '/connectors/c6/config' })
    f.inject({ kind: 'reset', method: 'PUT', pathIncludes: '/connectors/c7/config', times: 2 })
    const first = await runAction({ inputs: inputs(f, { 'max-retries': '1', wait: 'true', 'wait-timeout': '60' }), workspace })
    expectEveryConnector(first, NAMES)
    expect(first.code).toBe(1)
    const failed = ['c3', 'c5', 'c6', 'c7']
    const applied = NAMES.filter(n => !failed.includes(n))
    expect(JSON.parse(first.outputs.failed).sort()).toEqual(failed)
    expect(JSON.parse(first.outputs.created).sort()).toEqual(applied)
    expect(byName(first).c7.error).toMatch(/ECONNRESET|socket hang up|reset/i)
    const snapshot = (n: string) => {
      const c = f.connector(ENV, CLUSTER, n)
      return { id: c?.id, config: c?.config }
    }
    const before = Object.fromEntries(applied.map(n => [n, snapshot(n)]))

    f.resetLog()
    const second = await runAction({ inputs: inputs(f, { 'max-retries': '1', wait: 'true', 'wait-timeout': '60' }), workspace })
    expectEveryConnector(second, NAMES)
    expect(second.code).toBe(0)
    expect(outcomes(second)).toEqual(Object.fromEntries(NAMES.map(n => [n, failed.includes(n) ? 'created' : 'unchanged'])))
    // Only the failed ones were PUT, once each; the applied ones kept their id and config.
    const put = f.requests.filter(r => r.method === 'PUT' && !r.path.endsWith('/validate')).map(r => r.path.split('/').at(-2))
    expect(put.sort()).toEqual(failed)
    // One validate for their one class, before those PUTs.
    expect(f.requests.filter(r => r.path.endsWith('/connector-plugins/DatagenSource/config/validate'))).toHaveLength(1)
    for (const n of applied) expect(snapshot(n)).toEqual(before[n])
    for (const n of failed) expect(f.connector(ENV, CLUSTER, n)?.config['kafka.topic']).toBe(`topic-${n}`)

    // A third run has nothing left to do.
    f.resetLog()
    const third = await runAction({ inputs: inputs(f), workspace })
    expect(third.code).toBe(0)
    expect(JSON.parse(third.outputs.unchanged).sort()).toEqual(NAMES)
    expect(f.requests.map(r => `${r.method} ${r.query}`)).toEqual(['GET expand=info,status,id'])
  })
})
