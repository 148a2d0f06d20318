// End to end: the built dist/index.js, run as the runner runs it, against the fake Confluent Cloud.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction, writeFiles } from '../../test-support/run-action.js'

const KEY = 'CLOUDKEY1'
const SECRET = 'cloud-secret-canary-1'
const KAFKA_SECRET = 'kafka-secret-canary-2'

let fake: FakeConfluent
beforeAll(async () => {
  fake = await startFakeConfluent({ credentials: [{ key: KEY, secret: SECRET }] })
})
afterAll(async () => fake.close())
beforeEach(() => fake.resetLog())

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'api-url': fake.url,
    'api-key': KEY,
    'api-secret': SECRET,
    'environment-id': 'env-aaa111',
    'kafka-cluster-id': 'lkc-aaa111',
    'kafka-api-key': 'KAFKAKEY1',
    'kafka-api-secret': KAFKA_SECRET,
    ...extra
  }
}

const SHAPES: Record<string, string> = {
  'connectors/flat.json': JSON.stringify({ name: 'flat-json', 'connector.class': 'DatagenSource', 'kafka.topic': 'a', 'tasks.max': 1 }),
  'connectors/wrapped.json': JSON.stringify({
    name: 'wrapped-json',
    config: { 'connector.class': 'GcsSink', topics: 't', 'flush.size': 1000, 'table.name.format': 'kafka_${topic}' }
  }),
  'connectors/array.json': JSON.stringify([
    { name: 'array-one', 'connector.class': 'DatagenSource', 'kafka.topic': 'b' },
    { name: 'array-two', config: { 'connector.class': 'DatagenSource', 'kafka.topic': 'c' } }
  ]),
  'connectors/one.yaml':
    'name: yaml-one\nconfig:\n  connector.class: PostgresCdcSourceV2\n  transforms.k.type: org.apache.kafka.connect.transforms.ExtractField$Key\n  after.state.only: true\n',
  'connectors/multi.yml':
    'name: yaml-multi-1\nconnector.class: DatagenSource\nkafka.topic: d\n---\nname: yaml-multi-2\nconnector.class: DatagenSource\nkafka.topic: e\n',
  'connectors/other-cluster.json': JSON.stringify({
    name: 'other-cluster',
    environment_id: 'env-bbb222',
    kafka_cluster_id: 'lkc-bbb222',
    config: { 'connector.class': 'DatagenSource' }
  })
}

describe('apply, end to end', () => {
  it('applies every file shape on two clusters (waiting for RUNNING), then a rerun changes nothing, then one edit makes one PUT', async () => {
    fake.addCluster('env-aaa111', 'lkc-aaa111')
    fake.addCluster('env-bbb222', 'lkc-bbb222')
    const workspace = makeWorkspace(SHAPES)

    // With wait (the contract's default): the run ends once every connector is RUNNING, so the list lag
    // of the fake (a just-created connector is missing from the expanded list for 1 s) is over too.
    const first = await runAction({ inputs: inputs({ wait: 'true', 'wait-timeout': '60' }), workspace })
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const created = JSON.parse(first.outputs.created) as string[]
    expect(created.sort()).toEqual(['array-one', 'array-two', 'flat-json', 'other-cluster', 'wrapped-json', 'yaml-multi-1', 'yaml-multi-2', 'yaml-one'])
    expect(JSON.parse(first.outputs.failed)).toEqual([])
    // Plan: one list per cluster. Then one validate per distinct class per cluster (to learn its
    // PASSWORD keys), before that class's first PUT there. Then one PUT per connector. Then the wait's
    // status rounds: `?expand=status` lists only, never one call per connector.
    const key = (r: { method: string; path: string; query: string }): string => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`
    const planLists = fake.requests.filter(r => r.method === 'GET' && r.query === 'expand=info,status,id')
    expect(planLists.map(key).sort()).toEqual([
      'GET /connect/v1/environments/env-aaa111/clusters/lkc-aaa111/connectors?expand=info,status,id',
      'GET /connect/v1/environments/env-bbb222/clusters/lkc-bbb222/connectors?expand=info,status,id'
    ])
    const validates = fake.requests.filter(r => r.path.endsWith('/config/validate'))
    expect(validates.map(r => r.path.replace('/connect/v1/environments/', '')).sort()).toEqual([
      'env-aaa111/clusters/lkc-aaa111/connector-plugins/DatagenSource/config/validate',
      'env-aaa111/clusters/lkc-aaa111/connector-plugins/GcsSink/config/validate',
      'env-aaa111/clusters/lkc-aaa111/connector-plugins/PostgresCdcSourceV2/config/validate',
      'env-bbb222/clusters/lkc-bbb222/connector-plugins/DatagenSource/config/validate'
    ])
    const puts = fake.requests.filter(r => r.method === 'PUT' && r.path.endsWith('/config') && !r.path.endsWith('/validate'))
    expect(puts).toHaveLength(8)
    // Each PUT follows the validate of its own class on its own cluster (product.md step 3). The clusters
    // proceed side by side, so one cluster's PUTs may go before the other cluster's validates.
    for (const put of puts) {
      const cluster = put.path.slice(0, put.path.indexOf('/connectors/'))
      const cls = (put.body as Record<string, string>)['connector.class']
      const v = validates.find(x => x.path === `${cluster}/connector-plugins/${cls}/config/validate`)
      expect(v ? fake.requests.indexOf(v) < fake.requests.indexOf(put) : `no validate of ${cls} on ${cluster}`).toBe(true)
    }
    const polls = fake.requests.filter(r => r.method === 'GET' && r.query === 'expand=status')
    expect(polls.length).toBeGreaterThanOrEqual(2) // at least one round per cluster
    expect(fake.requests).toHaveLength(2 + 4 + 8 + polls.length)
    expect(fake.requests.filter(r => r.path.endsWith('/status'))).toEqual([])

    // Values arrive as strings, placeholders of others untouched, credentials filled in.
    const wrapped = fake.connector('env-aaa111', 'lkc-aaa111', 'wrapped-json')
    expect(wrapped?.config['flush.size']).toBe('1000')
    expect(wrapped?.config['table.name.format']).toBe('kafka_${topic}')
    expect(wrapped?.config['kafka.api.secret']).toBe(KAFKA_SECRET)
    expect(fake.connector('env-aaa111', 'lkc-aaa111', 'yaml-one')?.config['transforms.k.type']).toBe('org.apache.kafka.connect.transforms.ExtractField$Key')
    expect(fake.connector('env-aaa111', 'lkc-aaa111', 'yaml-one')?.config['after.state.only']).toBe('true')
    expect(fake.connector('env-bbb222', 'lkc-bbb222', 'other-cluster')).toBeDefined()
    expect(fake.connector('env-aaa111', 'lkc-aaa111', 'other-cluster')).toBeUndefined()

    // results output: one object per connector with the contract's fields, state as the wait saw it.
    const results = JSON.parse(first.outputs.results) as Array<Record<string, unknown>>
    expect(results).toHaveLength(8)
    const flat = results.find(r => r.name === 'flat-json')
    expect(flat).toMatchObject({
      file: 'connectors/flat.json',
      environment_id: 'env-aaa111',
      kafka_cluster_id: 'lkc-aaa111',
      action: 'created',
      type: 'source',
      state: 'RUNNING',
      tasks: [{ id: 0, state: 'RUNNING' }],
      restarts: 0,
      error: ''
    })
    expect(Object.keys(flat ?? {}).sort()).toEqual([
      'action',
      'environment_id',
      'error',
      'file',
      'kafka_cluster_id',
      'name',
      'restarts',
      'state',
      'tasks',
      'type'
    ])
    expect(first.outputs.changed).toBe('true')

    // Summary: counts and a table row per connector; the states were verified.
    expect(first.summary).toContain('8 created')
    expect(first.summary).toContain('| yaml-multi-2 |')
    expect(first.summary).not.toContain('unverified')
    // The default `secrets: {}` parses and holds no value: its text is not masked (that hid every `{}`).
    expect(first.stdout).not.toContain('::add-mask::{}')
    for (const run of [first]) {
      for (const secret of [SECRET, KAFKA_SECRET]) {
        // `::add-mask::` lines hand the value to the runner's masking; nothing else may hold it.
        expect(run.stdout).toContain(`::add-mask::${secret}`)
        expect(
          run.stdout
            .split('\n')
            .filter(l => !l.startsWith('::add-mask::'))
            .join('\n')
        ).not.toContain(secret)
        expect(run.summary).not.toContain(secret)
        expect(JSON.stringify(run.outputs)).not.toContain(secret)
      }
    }

    // Rerun, wait on: nothing changed, so nothing to validate, PUT or wait for: exactly one list per
    // cluster and no other request.
    fake.resetLog()
    const second = await runAction({ inputs: inputs({ wait: 'true' }), workspace })
    expect(second.code).toBe(0)
    expect(JSON.parse(second.outputs.unchanged)).toHaveLength(8)
    expect(second.outputs.changed).toBe('false')
    expect(fake.requests.map(key).sort()).toEqual(planLists.map(key).sort())

    // One changed value: one validate of its class, exactly one PUT, for that connector (wait off:
    // this step is about the plan, not the wait).
    fake.resetLog()
    writeFiles(workspace, {
      'connectors/flat.json': JSON.stringify({ name: 'flat-json', 'connector.class': 'DatagenSource', 'kafka.topic': 'a2', 'tasks.max': 1 })
    })
    const third = await runAction({ inputs: inputs({ wait: 'false' }), workspace })
    expect(third.code).toBe(0)
    expect(JSON.parse(third.outputs.updated)).toEqual(['flat-json'])
    expect(fake.requests.filter(r => r.method === 'PUT').map(r => r.path)).toEqual([
      '/connect/v1/environments/env-aaa111/clusters/lkc-aaa111/connector-plugins/DatagenSource/config/validate',
      '/connect/v1/environments/env-aaa111/clusters/lkc-aaa111/connectors/flat-json/config'
    ])
    expect(fake.requests).toHaveLength(2 + 2) // two plan lists, the validate, the PUT
    expect(fake.connector('env-aaa111', 'lkc-aaa111', 'flat-json')?.config['kafka.topic']).toBe('a2')
    expect(third.summary).toContain('kafka.topic')

    // force: every connector is PUT again (after one validate per class per cluster).
    fake.resetLog()
    const forced = await runAction({ inputs: inputs({ force: 'true', wait: 'false' }), workspace })
    expect(forced.code).toBe(0)
    expect(fake.requests.filter(r => r.method === 'PUT' && r.path.endsWith('/validate'))).toHaveLength(4)
    expect(fake.requests.filter(r => r.method === 'PUT' && !r.path.endsWith('/validate'))).toHaveLength(8)
  })

  it('stops before any request when a file is broken, with one annotation per problem on its line', async () => {
    const workspace = makeWorkspace({
      'connectors/good.json': JSON.stringify({ name: 'good', 'connector.class': 'DatagenSource' }),
      'connectors/dup.json': '{\n  "name": "dup",\n  "connector.class": "DatagenSource",\n  "name": "dup2"\n}\n',
      'connectors/missing.yaml': 'name: needs-secret\nconnector.class: DatagenSource\npassword: ${{ secrets.NOT_GIVEN }}\n'
    })
    const run = await runAction({ inputs: inputs(), workspace })
    expect(run.code).toBe(1)
    expect(fake.requests).toHaveLength(0)
    const errors = run.annotations.filter(a => a.level === 'error' && a.file)
    expect(errors.find(a => a.file === 'connectors/dup.json')?.line).toBe(4)
    const missing = errors.find(a => a.file === 'connectors/missing.yaml')
    expect(missing?.line).toBe(3)
    expect(missing?.message).toContain('NOT_GIVEN')
    expect(run.summary).toContain('Nothing was sent')
    expect(JSON.parse(run.outputs.results ?? '[]')).toEqual([])
  })

  it('fails on an empty match unless fail-on-empty is false', async () => {
    const workspace = makeWorkspace({ 'README.md': 'nothing here' })
    const strict = await runAction({ inputs: inputs(), workspace })
    expect(strict.code).toBe(1)
    const lenient = await runAction({ inputs: inputs({ 'fail-on-empty': 'false' }), workspace })
    expect(lenient.code).toBe(0)
    expect(fake.requests).toHaveLength(0)
  })

  it('reports a failed connector with the API message and request id and still applies the others', async () => {
    fake.addCluster('env-ccc333', 'lkc-ccc333')
    fake.setOptions({ rejectClasses: cls => cls === 'NoSuchConnector' })
    const workspace = makeWorkspace({
      'connectors/a.json': JSON.stringify({ name: 'bad-class', 'connector.class': 'NoSuchConnector' }),
      'connectors/b.json': JSON.stringify({ name: 'fine', 'connector.class': 'DatagenSource' })
    })
    const run = await runAction({ inputs: inputs({ 'environment-id': 'env-ccc333', 'kafka-cluster-id': 'lkc-ccc333', wait: 'false' }), workspace })
    fake.setOptions({ rejectClasses: () => false })
    expect(run.code).toBe(1)
    expect(JSON.parse(run.outputs.failed)).toEqual(['bad-class'])
    expect(JSON.parse(run.outputs.created)).toEqual(['fine'])
    const bad = (JSON.parse(run.outputs.results) as Array<{ name: string; error: string }>).find(r => r.name === 'bad-class')
    expect(bad?.error).toMatch(/HTTP 500: Failed to find any class.*request id/)
    expect(run.summary).toContain('bad-class')
  })

  it('fails every connector of an unknown cluster with the 404 message', async () => {
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'lost', 'connector.class': 'DatagenSource' }) })
    const run = await runAction({ inputs: inputs({ 'environment-id': 'env-nope', 'kafka-cluster-id': 'lkc-nope', wait: 'false' }), workspace })
    expect(run.code).toBe(1)
    expect(JSON.parse(run.outputs.failed)).toEqual(['lost'])
    expect(run.outputs.results).toContain('HTTP 404')
    expect(fake.requests.filter(r => r.method === 'PUT')).toHaveLength(0)
    expect(fake.requests).toHaveLength(1) // the list, and nothing after it failed
  })
})
