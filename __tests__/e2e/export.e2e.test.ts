// `export-to` (contract 1.1, issue "Drift checks ... adoption of connectors made by hand"): read-only;
// every connector on the targeted clusters that no file declares becomes one wrapped JSON file, masked
// values become `${{ secrets.NAME }}` placeholders, nothing is overwritten, and a dry run over the
// exported files, with those secrets given, plans them `unchanged`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction } from '../../test-support/run-action.js'

const ENV = 'env-exp001'
const CLUSTER = 'lkc-exp001'
const ACCOUNT_KEY = 'CNRY-azure-account-key-value'
const KAFKA_SECRET = 'CNRY-hand-made-kafka-secret'
let fake: FakeConfluent

beforeAll(async () => {
  fake = await startFakeConfluent({ credentials: [{ key: 'EXPKEY', secret: 'exp-secret' }] })
  fake.addCluster(ENV, CLUSTER)
  // Made by hand in the console: no file declares them.
  fake.seed(ENV, CLUSTER, 'blob-archive', {
    name: 'blob-archive',
    'connector.class': 'AzureBlobSink',
    'kafka.api.key': 'HANDKEY',
    'kafka.api.secret': KAFKA_SECRET,
    'azblob.account.name': 'CNRY-acct-name',
    'azblob.account.key': ACCOUNT_KEY,
    'azblob.container.name': 'archive',
    topics: 'orders',
    'input.data.format': 'JSON'
  })
  fake.seed(ENV, CLUSTER, 'clicks-gen', {
    name: 'clicks-gen',
    'connector.class': 'DatagenSource',
    'kafka.api.key': 'HANDKEY',
    'kafka.api.secret': KAFKA_SECRET,
    'kafka.topic': 'clicks'
  })
})
afterAll(async () => fake.close())

const base = () => ({
  'api-url': fake.url,
  'api-key': 'EXPKEY',
  'api-secret': 'exp-secret',
  'environment-id': ENV,
  'kafka-cluster-id': CLUSTER,
  files: 'connectors/**/*.json'
})

describe('export-to', () => {
  it('writes one wrapped file per unmanaged connector with placeholders for masked values; a dry run over them is unchanged', async () => {
    const workspace = makeWorkspace({
      'connectors/managed.json': JSON.stringify({
        name: 'managed-one',
        'connector.class': 'DatagenSource',
        'kafka.api.key': 'K',
        'kafka.api.secret': '${{ secrets.KS }}'
      })
    })
    writeFileSync(path.join(workspace, 'keep.txt'), '')
    fake.resetLog()
    const run = await runAction({ inputs: { ...base(), secrets: JSON.stringify({ KS: 'ks-value-1' }), 'export-to': 'connectors/imported' }, workspace })
    expect(run.code).toBe(0)
    // Read-only: lists (and at most validates), never a change.
    expect(fake.requests.filter(r => r.method === 'DELETE' || (r.method === 'PUT' && !r.path.endsWith('/config/validate')))).toEqual([])
    expect(fake.connector(ENV, CLUSTER, 'managed-one')).toBeUndefined()

    const blob = JSON.parse(readFileSync(path.join(workspace, 'connectors/imported/blob-archive.json'), 'utf8')) as Record<string, unknown>
    expect(blob).toMatchObject({ name: 'blob-archive', environment_id: ENV, kafka_cluster_id: CLUSTER })
    const config = blob.config as Record<string, string>
    expect(config['azblob.account.key']).toBe('${{ secrets.BLOB_ARCHIVE_AZBLOB_ACCOUNT_KEY }}')
    expect(config['kafka.api.secret']).toBe('${{ secrets.BLOB_ARCHIVE_KAFKA_API_SECRET }}')
    expect(config['azblob.container.name']).toBe('archive')
    // A value the action hides by its key's name (shown in clear by the server) is not written either.
    expect(config['kafka.api.key']).toBe('${{ secrets.BLOB_ARCHIVE_KAFKA_API_KEY }}')
    // No server-added key, and no masked value anywhere in the files.
    expect(Object.keys(config).some(k => k.startsWith('cloud.') || k === 'kafka.endpoint')).toBe(false)
    const texts = ['blob-archive.json', 'clicks-gen.json'].map(f => readFileSync(path.join(workspace, 'connectors/imported', f), 'utf8'))
    for (const t of texts) {
      expect(t).not.toContain('**')
      expect(t).not.toContain('CNRY')
    }
    expect(run.summary.replace(/&#95;/g, '_')).toContain('<code>BLOB_ARCHIVE_AZBLOB_ACCOUNT_KEY</code>')
    expect(JSON.parse(run.outputs.unmanaged)).toEqual([
      { name: 'blob-archive', environment_id: ENV, kafka_cluster_id: CLUSTER },
      { name: 'clicks-gen', environment_id: ENV, kafka_cluster_id: CLUSTER }
    ])

    // A second export never overwrites what is there.
    writeFileSync(path.join(workspace, 'connectors/imported/clicks-gen.json'), '{"edited": "by hand"}\n')
    const again = await runAction({ inputs: { ...base(), secrets: JSON.stringify({ KS: 'ks-value-1' }), 'export-to': 'connectors/imported' }, workspace })
    expect(again.code).toBe(1) // the edited file is now a broken connector file: nothing is sent
    expect(readFileSync(path.join(workspace, 'connectors/imported/clicks-gen.json'), 'utf8')).toBe('{"edited": "by hand"}\n')
    writeFileSync(path.join(workspace, 'connectors/imported/clicks-gen.json'), texts[1])

    // The dry run over the exported files, with the secrets they ask for.
    fake.resetLog()
    const plan = await runAction({
      inputs: {
        ...base(),
        'dry-run': 'true',
        secrets: JSON.stringify({
          KS: 'ks-value-1',
          BLOB_ARCHIVE_AZBLOB_ACCOUNT_KEY: ACCOUNT_KEY,
          BLOB_ARCHIVE_KAFKA_API_SECRET: KAFKA_SECRET,
          CLICKS_GEN_KAFKA_API_SECRET: KAFKA_SECRET,
          BLOB_ARCHIVE_AZBLOB_ACCOUNT_NAME: 'CNRY-acct-name',
          BLOB_ARCHIVE_KAFKA_API_KEY: 'HANDKEY',
          CLICKS_GEN_KAFKA_API_KEY: 'HANDKEY'
        })
      },
      workspace
    })
    const results = JSON.parse(plan.outputs.results) as Array<{ name: string; action: string }>
    expect(results.filter(r => r.name !== 'managed-one')).toEqual([
      expect.objectContaining({ name: 'blob-archive', action: 'unchanged' }),
      expect.objectContaining({ name: 'clicks-gen', action: 'unchanged' })
    ])
    expect(JSON.parse(plan.outputs.unmanaged)).toEqual([])
    expect(existsSync(path.join(workspace, 'keep.txt'))).toBe(true)
  })

  it('a value that repeats a known secret under a plain key becomes a placeholder, with a name the secrets input does not have', async () => {
    const cluster = 'lkc-exp002'
    fake.seed(ENV, cluster, 'dup-sink', { name: 'dup-sink', 'connector.class': 'DatagenSource', 'kafka.topic': 'dups', 'my.setting': 'exp-shared-canary' })
    const workspace = makeWorkspace({})
    const secrets = JSON.stringify({ SHARED: 'exp-shared-canary', DUP_SINK_MY_SETTING: 'an-older-secret' })
    const run = await runAction({
      inputs: { ...base(), 'kafka-cluster-id': cluster, secrets, 'export-to': 'connectors/imported' },
      workspace
    })
    expect(run.code).toBe(0)
    const text = readFileSync(path.join(workspace, 'connectors/imported/dup-sink.json'), 'utf8')
    expect(text).not.toContain('exp-shared-canary')
    expect((JSON.parse(text) as { config: Record<string, string> }).config).toMatchObject({
      'kafka.topic': 'dups',
      'my.setting': '${{ secrets.DUP_SINK_MY_SETTING_2 }}'
    })
    expect(run.stdout).toContain('secrets to create: DUP_SINK_MY_SETTING_2')
  })

  it('credentials written inside values (a URL password, a header token) stay out of the files and out of the diff', async () => {
    const cluster = 'lkc-exp003'
    const DG = { 'connector.class': 'DatagenSource', 'kafka.topic': 'x' }
    fake.seed(ENV, cluster, 'hand-url', {
      name: 'hand-url',
      ...DG,
      'connection.url': 'jdbc:postgresql://db/x?user=app&password=EMB-pw-one',
      'mongo.uri': 'mongodb+srv://admin:EMB-pw-two@cluster0.example.net/db',
      'http.headers': 'Authorization: Bearer EMB-pw-3-token-9f2a'
    })
    fake.seed(ENV, cluster, 'managed-url', { name: 'managed-url', ...DG, 'mongo.uri': 'mongodb+srv://admin:EMB-pw-old@cluster0.example.net/db' })
    const workspace = makeWorkspace({
      'connectors/managed.json': JSON.stringify({
        name: 'managed-url',
        ...DG,
        'kafka.api.key': 'K',
        'kafka.api.secret': 'K-secret',
        'mongo.uri': 'mongodb+srv://cluster1.example.net/db'
      })
    })
    const run = await runAction({
      inputs: { ...base(), 'kafka-cluster-id': cluster, 'export-to': 'connectors/imported' },
      workspace
    })
    expect(run.code).toBe(0)
    const text = readFileSync(path.join(workspace, 'connectors/imported/hand-url.json'), 'utf8')
    expect(text).not.toContain('EMB-pw')
    expect((JSON.parse(text) as { config: Record<string, string> }).config).toMatchObject({
      'connection.url': '${{ secrets.HAND_URL_CONNECTION_URL }}',
      'mongo.uri': '${{ secrets.HAND_URL_MONGO_URI }}',
      'http.headers': '${{ secrets.HAND_URL_HTTP_HEADERS }}'
    })
    // The plan's diff shows the old URL, but not the password the server holds in it.
    expect(run.summaryText).toContain('~ mongo.uri = "mongodb+srv://admin:***@cluster0.example.net/db" -> "mongodb+srv://cluster1.example.net/db"')
    // Strong enough to be registered (`::add-mask::`), so it is shown nowhere else either.
    const log = run.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n')
    for (const channel of [run.summary, log, run.outputs.results]) expect(channel).not.toContain('EMB-pw')
    expect(run.stdout).toContain('::add-mask::EMB-pw-old')
  })

  it('with no connector file and no environment-id / kafka-cluster-id, nothing names a cluster: a clear failure, no request', async () => {
    fake.resetLog()
    const { 'environment-id': _e, 'kafka-cluster-id': _k, ...noTarget } = base()
    const run = await runAction({ inputs: { ...noTarget, 'export-to': 'connectors/imported' }, workspace: makeWorkspace({}) })
    expect(run.code).toBe(1)
    expect(run.summaryText).toContain('nothing names a cluster for `export-to` to export from')
    expect(fake.requests).toEqual([])
  })

  it('an export-to that is a file, or a symlink out of the workspace: a clear failure before any request, every output set', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'export-outside-'))
    try {
      for (const [setup, expected] of [
        [(ws: string) => writeFileSync(path.join(ws, 'notadir'), 'x'), 'export-to: "notadir" is a file, not a folder'],
        [(ws: string) => symlinkSync(outside, path.join(ws, 'notadir')), 'export-to: "notadir" is a symbolic link that leads outside the workspace']
      ] as const) {
        fake.resetLog()
        const workspace = makeWorkspace({})
        setup(workspace)
        const run = await runAction({ inputs: { ...base(), 'export-to': 'notadir/imported' }, workspace })
        expect(run.code).toBe(1)
        expect(run.stdout).not.toContain('crashed')
        expect(run.summaryText).toContain(expected)
        expect(run.outputs).toMatchObject({ created: '[]', failed: '[]', changed: 'false', results: '[]' })
        expect(fake.requests).toEqual([])
        expect(readdirSync(outside)).toEqual([])
      }
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })

  it('with dry-run false, says that export-to applies nothing', async () => {
    const workspace = makeWorkspace({})
    const run = await runAction({ inputs: { ...base(), 'export-to': 'connectors/imported', 'dry-run': 'false' }, workspace })
    expect(run.code).toBe(0)
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: 'export-to makes this run read-only: nothing is applied, and the outputs list what a deploy would do, as in a dry run'
      })
    )
  })
})
