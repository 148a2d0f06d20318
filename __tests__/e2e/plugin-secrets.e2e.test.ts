// Secrets by the plugin's word (issue 13, contract 1.1 step 3): the real API masks a key when the plugin
// types it PASSWORD, and most such keys have harmless names (reference/plugin-password-keys.json:
// `azblob.account.name` of AzureBlobSink, `database.sslcert` of PostgresCdcSourceV2, `ssl.rootcertfile`
// of PostgresSink). One validate per class before the first PUT (and before a dry run shows a diff)
// tells the action which they are. Three paths used to leak a literal value of such a key: a create
// refused with a 400 that echoes the config, a dry run with `validate: false`, and a CUSTOM connector.
// `literal-secrets` annotates such a value written in a file, or fails the run before any change.
import { afterEach, describe, expect, it } from '@jest/globals'
import { describeLeaks, channels, findLeaks, maskedValues } from '../../test-support/channels.js'
import { startFakeConfluent, type FakeConfluent, type FakeOptions } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction, type ActionRun } from '../../test-support/run-action.js'

const ENV = 'env-plug01'
const CLUSTER = 'lkc-plug01'
const ACCOUNT = 'CNRYaccA-acct-name-CNRYaccZ'
const SSLCERT = 'CNRYcrtA-----BEGIN CERTIFICATE-----MIIB-CNRYcrtZ'
const ROOTCERT = 'CNRYrtcA-root-cert-file-CNRYrtcZ'
const CUSTOM_BLOB = 'CNRYcusA-custom-blob-CNRYcusZ'
let fake: FakeConfluent | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function start(opts: FakeOptions = {}): Promise<FakeConfluent> {
  fake = await startFakeConfluent({ credentials: [{ key: 'PLUGKEY', secret: 'plug-secret' }], ...opts })
  fake.addCluster(ENV, CLUSTER)
  return fake
}

function inputs(f: FakeConfluent, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'api-url': f.url,
    'api-key': 'PLUGKEY',
    'api-secret': 'plug-secret',
    'environment-id': ENV,
    'kafka-cluster-id': CLUSTER,
    'kafka-api-key': 'PLUGKAFKA',
    'kafka-api-secret': 'plug-kafka-secret',
    'literal-secrets': 'allow',
    wait: 'false',
    ...extra
  }
}

const j = (o: unknown): string => JSON.stringify(o, null, 2)

/** No canary marker in any channel (escapes undone too), and every canary registered with the runner. */
function expectSealed(run: ActionRun, registered: string[]): void {
  const leaks = findLeaks(channels(run), ['CNRY', ...registered])
  if (leaks.length > 0) throw new Error(`leaked:\n${describeLeaks(leaks)}`)
  const masked = maskedValues(run)
  for (const v of registered) expect(masked).toContain(v)
}

const files = {
  'connectors/blob.json': j({
    name: 'blob-sink',
    'connector.class': 'AzureBlobSink',
    'azblob.account.name': ACCOUNT,
    'azblob.container.name': 'c',
    'flush.size': 'INVALID'
  }),
  'connectors/cdc.json': j({ name: 'cdc-source', 'connector.class': 'PostgresCdcSourceV2', 'database.sslcert': SSLCERT, 'database.hostname': 'db' }),
  'connectors/pg.json': j({ name: 'pg-sink', 'connector.class': 'PostgresSink', 'ssl.rootcertfile': ROOTCERT, topics: 't' })
}

describe('password keys come from the plugin, not from names', () => {
  it('a create refused with a 400 that echoes the config shows none of the non-obvious PASSWORD values', async () => {
    const f = await start({ echoConfigInErrors: true, outsideChecks: 'reject-at-put' })
    const run = await runAction({ inputs: inputs(f), workspace: makeWorkspace(files) })
    expect(run.code).toBe(1)
    expect(JSON.parse(run.outputs.failed)).toEqual(['blob-sink'])
    // One validate per class, each before the first PUT of that class.
    const validates = f.requests.filter(r => r.path.endsWith('/config/validate')).map(r => r.path.split('/').at(-3))
    expect(validates.sort()).toEqual(['AzureBlobSink', 'PostgresCdcSourceV2', 'PostgresSink'])
    for (const cls of ['AzureBlobSink', 'PostgresCdcSourceV2', 'PostgresSink']) {
      const v = f.requests.findIndex(r => r.path.endsWith(`/connector-plugins/${cls}/config/validate`))
      const body = (r: { body?: unknown }) => r.body as Record<string, string> | undefined
      const put = f.requests.findIndex(r => r.path.endsWith('/config') && body(r)?.['connector.class'] === cls)
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThan(put)
    }
    expectSealed(run, [ACCOUNT, SSLCERT, ROOTCERT])
    // A rerun that changes nothing costs one list and nothing more.
    f.resetLog()
    const clean = { ...files, 'connectors/blob.json': files['connectors/blob.json'].replace('INVALID', '100') }
    // This run waits until every connector runs (past the fake's list lag after a create, as in the cloud).
    expect((await runAction({ inputs: inputs(f, { wait: 'true' }), workspace: makeWorkspace(clean) })).code).toBe(0)
    f.resetLog()
    const rerun = await runAction({ inputs: inputs(f), workspace: makeWorkspace(clean) })
    expect(rerun.code).toBe(0)
    expect(JSON.parse(rerun.outputs.unchanged).sort()).toEqual(['blob-sink', 'cdc-source', 'pg-sink'])
    expect(f.requests.map(r => `${r.method} ${r.path.split('/').slice(-1)[0]}`)).toEqual(['GET connectors'])
    expectSealed(rerun, [])
  })

  it('a dry run with validate: false still learns the password keys and shows (sensitive)', async () => {
    const f = await start()
    const run = await runAction({ inputs: inputs(f, { 'dry-run': 'true', validate: 'false' }), workspace: makeWorkspace(files) })
    expect(run.code).toBe(0)
    expect(run.summary).toContain('azblob.account.name')
    expect(run.summaryText).toMatch(/azblob\.account\.name = \(sensitive\)/)
    expect(run.summaryText).toMatch(/ssl\.rootcertfile = \(sensitive\)/)
    expect(run.summaryText).toMatch(/database\.sslcert = \(sensitive\)/)
    expect(f.requests.filter(r => r.method === 'PUT' && !r.path.endsWith('/config/validate'))).toEqual([])
    expectSealed(run, [ACCOUNT, SSLCERT, ROOTCERT])
  })

  it('a CUSTOM connector: what the server masks is hidden from the plan and the apply', async () => {
    // A custom plugin masks what its uploader declared sensitive; validate does not describe it.
    const f = await start({ passwordKeys: ['acme.blob'], echoConfigInErrors: true, outsideChecks: 'reject-at-put' })
    const custom = (value: string, extra: Record<string, string> = {}) => ({
      name: 'acme-sink',
      'connector.class': 'com.acme.BlobSink',
      'confluent.connector.type': 'CUSTOM',
      'confluent.custom.plugin.id': 'ccp-acme01',
      'acme.blob': value,
      ...extra
    })
    f.seed(ENV, CLUSTER, 'acme-sink', { ...custom('CNRYoldA-old-CNRYoldZ'), 'kafka.api.key': 'PLUGKAFKA', 'kafka.api.secret': 'plug-kafka-secret' })
    const workspace = makeWorkspace({ 'connectors/acme.json': j(custom(CUSTOM_BLOB, { 'flush.size': 'INVALID' })) })
    const plan = await runAction({ inputs: inputs(f, { 'dry-run': 'true' }), workspace })
    expect(plan.summaryText).toMatch(/acme\.blob = \(sensitive[;)]/)
    // Validate does not describe CUSTOM plugins: no call for them.
    expect(f.requests.filter(r => r.path.endsWith('/config/validate'))).toEqual([])
    expectSealed(plan, [CUSTOM_BLOB])
    const apply = await runAction({ inputs: inputs(f), workspace })
    expect(apply.code).toBe(1)
    expectSealed(apply, [CUSTOM_BLOB])
  })
})

describe('literal-secrets', () => {
  const literal = {
    'connectors/blob.json': `{
  "name": "blob-sink",
  "connector.class": "AzureBlobSink",
  "azblob.account.name": "${ACCOUNT}",
  "azblob.account.key": "\${{ secrets.AZ_KEY }}",
  "azblob.container.name": "c"
}
`
  }
  it('warn (the default): an annotation on the line of a password written literally; placeholders and references pass', async () => {
    const f = await start()
    const run = await runAction({
      inputs: { ...inputs(f, { 'dry-run': 'true', secrets: JSON.stringify({ AZ_KEY: 'CNRYazkA-key-CNRYazkZ' }) }), 'literal-secrets': 'warn' },
      workspace: makeWorkspace(literal)
    })
    expect(run.code).toBe(0)
    const warnings = run.annotations.filter(a => a.level === 'warning' && /password key/.test(a.message))
    expect(warnings).toEqual([expect.objectContaining({ file: 'connectors/blob.json', line: 4 })])
    expect(warnings[0].message).toContain('"azblob.account.name"')
    expectSealed(run, [ACCOUNT, 'CNRYazkA-key-CNRYazkZ'])
  })

  it('error: the run fails before any change is sent (the validate calls that tell password keys may precede it)', async () => {
    const f = await start()
    const run = await runAction({
      inputs: { ...inputs(f, { secrets: JSON.stringify({ AZ_KEY: 'CNRYazkA-key-CNRYazkZ' }) }), 'literal-secrets': 'error' },
      workspace: makeWorkspace(literal)
    })
    expect(run.code).toBe(1)
    expect(run.annotations.filter(a => a.level === 'error' && a.file === 'connectors/blob.json' && a.line === 4)).toHaveLength(1)
    expect(f.requests.filter(r => r.method !== 'GET' && !r.path.endsWith('/config/validate'))).toEqual([])
    expect(f.connector(ENV, CLUSTER, 'blob-sink')).toBeUndefined()
    // Not created, and no output says it was.
    expect([run.outputs.created, run.outputs.changed, run.outputs.failed]).toEqual(['[]', 'false', '["blob-sink"]'])
    expectSealed(run, [ACCOUNT])
  })

  it('a kafka.api.secret written in the file is a literal too (PASSWORD for every plugin); one from the kafka-api-secret input is not', async () => {
    const f = await start()
    const files = {
      'connectors/literal.json': `{
  "name": "pg-literal",
  "connector.class": "PostgresCdcSourceV2",
  "kafka.api.key": "KAFKAKEY1",
  "kafka.api.secret": "LiteralKafka98!",
  "database.hostname": "db.example.com"
}
`,
      'connectors/from-input.json': '{"name": "dg-input", "connector.class": "DatagenSource", "kafka.topic": "t"}\n'
    }
    for (const validate of ['true', 'false']) {
      const run = await runAction({ inputs: { ...inputs(f, { 'dry-run': 'true', validate }), 'literal-secrets': 'error' }, workspace: makeWorkspace(files) })
      expect(run.code).toBe(1)
      const errors = run.annotations.filter(a => a.level === 'error' && a.file !== undefined && /password key/.test(a.message))
      expect(errors).toEqual([expect.objectContaining({ file: 'connectors/literal.json', line: 5 })])
      expect(errors[0].message).toContain('"kafka.api.secret"')
      expectSealed(run, ['LiteralKafka98!'])
    }
  })
})
