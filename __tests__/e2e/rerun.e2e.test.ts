// A rerun must not turn a failed run green (contract 1.1: a green step means the connectors in Git are
// running as written). A connector whose config is already as written but whose status is not as written
// (FAILED, a failed task, validation errors, still PROVISIONING, ...) is watched by the wait like an applied
// one, and fails the step if it does not come up. And a PUT that went through counts as a change (`changed: true`) even when the
// connector then fails its wait.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction } from '../../test-support/run-action.js'

const ENV = 'env-rerun1'
const CLUSTER = 'lkc-rerun1'
const CONFIG = { name: 'stuck-sink', 'connector.class': 'DatagenSource', 'kafka.topic': 'a', 'kafka.api.key': 'K', 'kafka.api.secret': 'rerun-kafka' }
let fake: FakeConfluent
beforeAll(async () => {
  fake = await startFakeConfluent({ credentials: [{ key: 'RERUNKEY', secret: 'rerun-secret' }] })
  fake.addCluster(ENV, CLUSTER)
  fake.seed(ENV, CLUSTER, 'stuck-sink', CONFIG, { state: 'FAILED', trace: 'org.apache.kafka.connect.errors.ConnectException: bucket gone' })
  fake.seed(ENV, CLUSTER, 'fine-sink', { ...CONFIG, name: 'fine-sink' })
})
afterAll(async () => fake.close())

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'api-url': fake.url,
  'api-key': 'RERUNKEY',
  'api-secret': 'rerun-secret',
  'environment-id': ENV,
  'kafka-cluster-id': CLUSTER,
  'wait-timeout': '3',
  ...extra
})

describe('reruns tell the truth', () => {
  it('an unchanged connector that is FAILED fails the step; a healthy unchanged one costs nothing', async () => {
    const workspace = makeWorkspace({
      'connectors/stuck.json': JSON.stringify(CONFIG),
      'connectors/fine.json': JSON.stringify({ ...CONFIG, name: 'fine-sink' })
    })
    fake.resetLog()
    const run = await runAction({ inputs: inputs(), workspace })
    expect(run.code).toBe(1)
    expect(JSON.parse(run.outputs.unchanged)).toEqual(['fine-sink'])
    expect(JSON.parse(run.outputs.failed)).toEqual(['stuck-sink'])
    const stuck = (JSON.parse(run.outputs.results) as Array<{ name: string; error: string }>).find(r => r.name === 'stuck-sink')
    expect(stuck?.error).toMatch(/the config is as written, but the connector does not run as written|FAILED/)
    expect(run.summaryText).toContain('bucket gone')
    // No PUT: the config is as written; only the list and the status polls.
    expect(fake.requests.filter(r => r.method !== 'GET')).toEqual([])
    expect(run.outputs.changed).toBe('false')
  })

  it('an unchanged connector still PROVISIONING (an earlier wait timed out) is waited for again, not called done', async () => {
    fake.seed(ENV, CLUSTER, 'slow-sink', { ...CONFIG, name: 'slow-sink' }, { state: 'PROVISIONING' })
    const workspace = makeWorkspace({ 'connectors/slow.json': JSON.stringify({ ...CONFIG, name: 'slow-sink' }) })
    fake.resetLog()
    const run = await runAction({ inputs: inputs(), workspace })
    expect(run.code).toBe(1)
    expect(JSON.parse(run.outputs.unchanged)).toEqual([])
    expect(JSON.parse(run.outputs.failed)).toEqual(['slow-sink'])
    const slow = (JSON.parse(run.outputs.results) as Array<{ name: string; error: string }>).find(r => r.name === 'slow-sink')
    expect(slow?.error).toMatch(/timed out after 3 s waiting for RUNNING \(state PROVISIONING\)/)
    // Watched: the wait polled the status; and still no PUT, the config is as written.
    expect(fake.requests.filter(r => r.method === 'GET' && r.query === 'expand=status').length).toBeGreaterThan(0)
    expect(fake.requests.filter(r => r.method !== 'GET')).toEqual([])
  })

  it('a value that starts with ** (a glob) is a setting, not a mask: its change is applied', async () => {
    fake.seed(ENV, CLUSTER, 'glob-src', { ...CONFIG, name: 'glob-src', 'input.file.pattern': '**/*.csv' })
    // The Kafka credentials come from the inputs: written in the file, kafka.api.secret is a literal password.
    const { 'kafka.api.key': _key, 'kafka.api.secret': _secret, ...fromFile } = CONFIG
    const workspace = makeWorkspace({ 'connectors/glob.json': JSON.stringify({ ...fromFile, name: 'glob-src', 'input.file.pattern': '**/*.json' }) })
    const run = await runAction({ inputs: inputs({ wait: 'false', 'kafka-api-key': 'K', 'kafka-api-secret': 'rerun-kafka' }), workspace })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.updated)).toEqual(['glob-src'])
    expect(fake.connector(ENV, CLUSTER, 'glob-src')?.config['input.file.pattern']).toBe('**/*.json')
    expect(run.stdout).not.toContain('is a password key')
  })

  it('with wait off, what the list showed is not hidden: a FAILED or PROVISIONING unchanged connector is unverified', async () => {
    fake.seed(ENV, CLUSTER, 'off-failed', { ...CONFIG, name: 'off-failed' }, { state: 'FAILED', trace: 'bucket gone for off-failed' })
    fake.seed(ENV, CLUSTER, 'off-slow', { ...CONFIG, name: 'off-slow' }, { state: 'PROVISIONING' })
    const only = (name: string) =>
      runAction({ inputs: inputs({ wait: 'false' }), workspace: makeWorkspace({ [`connectors/${name}.json`]: JSON.stringify({ ...CONFIG, name }) }) })
    // Not failed: a FAILED seen once may be the way up after an earlier run's PUT, and only a wait can tell.
    for (const [name, state] of [
      ['off-failed', 'FAILED'],
      ['off-slow', 'PROVISIONING']
    ]) {
      const run = await only(name)
      expect(run.code).toBe(0)
      expect(JSON.parse(run.outputs.unchanged)).toEqual([name])
      expect(run.summaryText).toContain('`wait` is off')
      expect(run.summaryText).toMatch(new RegExp(`\\| ${name} \\|.*\\| ${state} \\(unverified\\) \\|`))
    }
  })

  it('a PUT that went through is a change even when the connector then fails its wait', async () => {
    fake.setOptions({ behaviours: { 'broken-new': { kind: 'failed', provisioningMs: 100, trace: 'never runs' } } })
    const workspace = makeWorkspace({ 'connectors/broken.json': JSON.stringify({ ...CONFIG, name: 'broken-new' }) })
    const run = await runAction({ inputs: inputs(), workspace })
    expect(run.code).toBe(1)
    expect(JSON.parse(run.outputs.failed)).toEqual(['broken-new'])
    expect(JSON.parse(run.outputs.created)).toEqual([])
    expect(run.outputs.changed).toBe('true')
  })
})
