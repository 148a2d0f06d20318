// Canary secrets, end to end against the built action: unusual values (a multi-line JSON
// service-account key, a PEM key with CRLF lines, quotes, `%`, `$`, backslashes, Markdown and HTML
// characters, unicode) go through every scenario: apply, update, a 400 that echoes the received
// config, a FAILED trace, the dry-run plan with its pull-request comment, validate errors, error
// bodies that echo secrets in every shape (JSON, JSON-escaped, URL-encoded, one line of a multi-line
// value, a non-JSON page), bad inputs. The test fails if any channel (log, annotations, summary,
// outputs, PR comment) holds any canary, or if a canary (and each of its lines) was not registered
// with the runner's masking.
//
// The fake Confluent accepts an invalid value at the PUT and FAILS the connector later by default;
// the tests that need the 400 which echoes the received config ask for `outsideChecks: 'reject-at-put'`.
//
// Every canary holds the marker CNRY, so even a partial leak (a value cut short, or escaped for
// Markdown) is caught: no channel may contain "CNRY" at all, outside `::add-mask::` lines.
import { afterEach, describe, expect, it } from '@jest/globals'
import { channels, describeLeaks, findLeaks, maskedValues } from '../../test-support/channels.js'
import { startFakeConfluent, type FakeConfluent, type FakeOptions } from '../../test-support/fake-confluent/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js'
import { makeWorkspace, runAction, type ActionRun } from '../../test-support/run-action.js'

const MARK = 'CNRY'
const API_SECRET = 'CNRYapiA p@ss"w%25rd $HOME ü€ \\ `x` CNRYapiZ'
const KAFKA_SECRET = `CNRYkfkA'single'"double"%0A$1\${x}🔑CNRYkfkZ`
const DB_PASSWORD = 'CNRYdbA"\'<>&|*_#@[]~`%2F$PATH{x}ß漢字🔑CNRYdbZ'
const GCP_KEY = JSON.stringify(
  {
    type: 'service_account',
    project_id: 'cnry-project',
    private_key_id: 'CNRYgcpKID0123456789abcdef',
    private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQCNRYgcpPK1IBADANBgkqhkiG9w0BAQEFAASC\nCNRYgcpPK2+/aB==\n-----END PRIVATE KEY-----\n',
    client_email: 'cnry-sa@cnry-project.iam.gserviceaccount.com',
    client_id: 'CNRYgcpCID1234567890'
  },
  null,
  2
)
const PEM = '-----BEGIN RSA PRIVATE KEY-----\r\nCNRYpemL1MIIEpAIBAAKCAQEA%2F"q\r\nCNRYpemL2$ü€/+==\r\n-----END RSA PRIVATE KEY-----'
const GITHUB_TOKEN_SECRET = 'ghs_CNRYghsA0123456789abcdefCNRYghsZ'

const SECRETS = { GCP_KEY, PEM, DB_PASSWORD, github_token: GITHUB_TOKEN_SECRET }
const ALL = [API_SECRET, KAFKA_SECRET, DB_PASSWORD, GCP_KEY, PEM, GITHUB_TOKEN_SECRET]

/** The needles: the marker, and every line of the multi-line canaries (they carry no marker each). */
const NEEDLES = [MARK, ...[GCP_KEY, PEM].flatMap(v => v.split(/\r?\n/).map(l => l.trim())).filter(l => l.length >= 8 && !l.includes(MARK))]

const ENV = 'env-cnry01'
const CLUSTER = 'lkc-cnry01'
const KEY = 'CANARYKEY'
const GH_TOKEN = 'gh-test-token-not-a-canary'

let fake: FakeConfluent | undefined
let gh: FakeGitHub | undefined
afterEach(async () => {
  await fake?.close()
  await gh?.close()
  fake = undefined
  gh = undefined
})

async function start(opts: FakeOptions = {}): Promise<FakeConfluent> {
  fake = await startFakeConfluent({ credentials: [{ key: KEY, secret: API_SECRET }], ...opts })
  fake.addCluster(ENV, CLUSTER)
  return fake
}

function inputs(f: FakeConfluent, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'api-url': f.url,
    'api-key': KEY,
    'api-secret': API_SECRET,
    'environment-id': ENV,
    'kafka-cluster-id': CLUSTER,
    'kafka-api-key': 'CANARYKAFKAKEY',
    'kafka-api-secret': KAFKA_SECRET,
    secrets: JSON.stringify(SECRETS),
    'max-retries': '0',
    ...extra
  }
}

/** No channel holds a canary, and each canary and each of its lines was registered with add-mask. */
function expectSealed(run: ActionRun, opts: { comments?: string[]; registered?: string[] } = {}): void {
  const leaks = describeLeaks(findLeaks(channels(run, { comments: opts.comments }), NEEDLES))
  const masked = new Set(maskedValues(run))
  const unregistered: string[] = []
  for (const value of opts.registered ?? ALL) {
    if (!masked.has(value)) unregistered.push(value)
    // Each line too; lines as short as "{" or "}" carry no secret, and whether they are registered
    // (which would mask every brace in the job's log) is left to the action.
    for (const line of value.split(/\r?\n/).map(l => l.trim())) if (line.length >= 4 && !masked.has(line)) unregistered.push(line)
  }
  // One expectation, so a failure lists every leak and every missing registration at once.
  expect({ leaks, unregistered: [...new Set(unregistered)] }).toEqual({ leaks: '', unregistered: [] })
}

function results(run: ActionRun): Array<{ name: string; action: string; error: string }> {
  return JSON.parse(run.outputs.results ?? '[]') as Array<{ name: string; action: string; error: string }>
}

const j = (v: unknown): string => JSON.stringify(v, null, 2)

const htmlEscape = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
/** Java's URLEncoder.encode: `+` for a space, `!'()~` encoded. */
const javaUrlEncode = (v: string): string =>
  encodeURIComponent(v)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
/** Every UTF-16 unit as a JSON `\uXXXX` escape. */
const unicodeEscapes = (v: string, upper = false): string =>
  Array.from({ length: v.length }, (_, i) => {
    const hex = v.charCodeAt(i).toString(16).padStart(4, '0')
    return `\\u${upper ? hex.toUpperCase() : hex}`
  }).join('')

/** Files using every canary through placeholders; `extra` adds or replaces files. */
function canaryFiles(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connectors/gcs.json': j({
      name: 'cnry-gcs',
      'connector.class': 'GcsSink',
      topics: 'orders',
      'gcs.credentials.config': '${{ secrets.GCP_KEY }}',
      'ssl.key.pem': '${{ secrets.PEM }}',
      'tasks.max': 1
    }),
    'connectors/db.yaml': [
      'name: cnry-db',
      'config:',
      '  connector.class: PostgresSource',
      '  connection.url: "jdbc:postgresql://db:5432/app?user=app&password=${{ secrets.DB_PASSWORD }}"',
      '  connection.password: "${{ secrets.DB_PASSWORD }}"',
      '  poll.interval.ms: "5000"',
      ''
    ].join('\n'),
    ...extra
  }
}

function seedDb(f: FakeConfluent): void {
  f.seed(ENV, CLUSTER, 'cnry-db', {
    name: 'cnry-db',
    'connector.class': 'PostgresSource',
    'connection.url': `jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}`,
    'connection.password': DB_PASSWORD,
    'poll.interval.ms': '1000',
    'kafka.api.key': 'CANARYKAFKAKEY',
    'kafka.api.secret': KAFKA_SECRET
  })
}

describe('canary secrets reach no channel', () => {
  it('apply: a create, an update, a 400 that echoes the received config, and a connector that goes FAILED with a trace quoting secrets', async () => {
    // The wait stage judges FAILED only after its 30 s grace (src/stages/wait.ts GRACE_MS), so within
    // this 3 s wait-timeout the connector is reported as timed out in state FAILED, and its trace is
    // not shown; the trace's redaction (raw, JSON, HTML-escaped) is tested in process, with a virtual
    // clock, in __tests__/fuzz/replies.fuzz.test.ts.
    const f = await start({
      echoConfigInErrors: true,
      outsideChecks: 'reject-at-put',
      behaviours: {
        'cnry-failing': {
          kind: 'failed',
          provisioningMs: 100,
          trace: [
            // A worker that HTML-escapes what it quotes (an error page folded into the trace).
            `<pre>${htmlEscape(JSON.stringify({ password: DB_PASSWORD, secret: KAFKA_SECRET, key: GCP_KEY }))}</pre>`,
            `java.sql.SQLException: Access denied for user 'app' (using password: ${DB_PASSWORD})`,
            `config: ${JSON.stringify({ pem: PEM, key: GCP_KEY })}`,
            '\tat com.mysql.Driver.connect(Driver.java:1)'
          ].join('\n')
        }
      }
    })
    seedDb(f)
    const workspace = makeWorkspace(
      canaryFiles({
        'connectors/bad.json': j({
          name: 'cnry-bad',
          'connector.class': 'S3_SINK',
          'flush.size': 'INVALID',
          'aws.secret.access.key': '${{ secrets.DB_PASSWORD }}',
          'gcs.credentials.config': '${{ secrets.GCP_KEY }}',
          'ssl.key.pem': '${{ secrets.PEM }}'
        }),
        'connectors/failing.json': j({ name: 'cnry-failing', 'connector.class': 'MySqlSink', 'connection.password': '${{ secrets.DB_PASSWORD }}' })
      })
    )
    const run = await runAction({ inputs: inputs(f, { wait: 'true', 'wait-timeout': '3' }), workspace, timeoutMs: 30_000 })
    expect(run.code).toBe(1)
    const byName = Object.fromEntries(results(run).map(r => [r.name, r]))
    expect(byName['cnry-gcs'].action).toBe('created')
    expect(byName['cnry-db'].action).toBe('updated')
    expect(byName['cnry-bad'].action).toBe('failed')
    expect(byName['cnry-bad'].error).toMatch(/HTTP 400/)
    expect(byName['cnry-failing'].error).toMatch(/state FAILED/)
    // The secrets really went through: the fake holds them, and its 400 echoed them back.
    expect(f.connector(ENV, CLUSTER, 'cnry-gcs')?.config['gcs.credentials.config']).toBe(GCP_KEY)
    expect(f.connector(ENV, CLUSTER, 'cnry-gcs')?.config['ssl.key.pem']).toBe(PEM)
    expect(f.connector(ENV, CLUSTER, 'cnry-db')?.config['connection.password']).toBe(DB_PASSWORD)
    expect(f.requests.some(r => r.status === 400 && r.path.includes('/cnry-bad/'))).toBe(true)
    expectSealed(run)
  })

  it('dry run on a pull request: the plan, its diff, validate errors and an echoing validate error, and the comment', async () => {
    const f = await start()
    gh = await startFakeGitHub({ token: GH_TOKEN })
    seedDb(f)
    const echo = `Invalid configuration. Received: ${JSON.stringify({ 'gcs.credentials.config': GCP_KEY, 'ssl.key.pem': PEM, password: DB_PASSWORD })}`
    f.inject({
      kind: 'status',
      status: 400,
      method: 'PUT',
      pathIncludes: '/connector-plugins/GcsSink/',
      body: JSON.stringify({ error: { code: 400, message: echo } })
    })
    const workspace = makeWorkspace(
      canaryFiles({
        'connectors/new.json': j({
          name: 'cnry-new',
          'connector.class': 'HttpSink',
          'flush.size': 'INVALID',
          'basic.auth.user.info': '${{ secrets.DB_PASSWORD }}',
          'http.api.url': 'https://example.invalid/x'
        })
      })
    )
    const event = { name: 'pull_request', payload: { pull_request: { number: 7 } } }
    const run = await runAction({
      inputs: inputs(f, { 'dry-run': 'true', 'github-token': GH_TOKEN }),
      workspace,
      event,
      env: { GITHUB_API_URL: gh.url }
    })
    expect(run.code).toBe(1)
    expect(results(run).map(r => [r.name, r.action])).toEqual([
      ['cnry-db', 'update'],
      ['cnry-gcs', 'create'],
      ['cnry-new', 'create']
    ])
    expect(f.requests.filter(r => r.method === 'PUT' && r.path.endsWith('/config') && !r.path.includes('/connector-plugins/'))).toEqual([])
    expect(gh.comments).toHaveLength(1)
    expect(run.summary).toContain('(sensitive)')
    expectSealed(run, { comments: gh.comments.map(c => c.body) })
  })

  it('error bodies that echo secrets in every shape: both JSON shapes, JSON-escaped, URL-encoded, one line of a key, a non-JSON page, HTML entities, \\u escapes, Java URL encoding', async () => {
    const f = await start()
    f.addCluster(ENV, 'lkc-cnry02')
    const names = ['e-raw', 'e-json', 'e-url', 'e-line', 'e-code', 'e-html', 'e-ent', 'e-uesc', 'e-java', 'e-page', 'e-b64']
    const files: Record<string, string> = {}
    for (const name of names) files[`connectors/${name}.json`] = j({ name, 'connector.class': 'DatagenSource', 'kafka.topic': name })
    files['connectors/other.json'] = j({ name: 'e-list', environment_id: ENV, kafka_cluster_id: 'lkc-cnry02', config: { 'connector.class': 'DatagenSource' } })
    const body400 = (message: string) => JSON.stringify({ error: { code: 400, message } })
    const on = (name: string, status: number, body: string, kind: 'status' | 'non-json' = 'status') =>
      f.inject({ kind, status, body, method: 'PUT', pathIncludes: `/connectors/${name}/config` })
    on('e-raw', 400, body400(`Invalid value ${DB_PASSWORD} for database.password; kafka secret ${KAFKA_SECRET}`))
    on('e-json', 400, body400(`Received config: ${JSON.stringify({ key: GCP_KEY, pem: PEM, secret: KAFKA_SECRET })}`))
    on(
      'e-url',
      400,
      body400(`Bad request /x?p=${encodeURIComponent(DB_PASSWORD)}&k=${encodeURIComponent(API_SECRET).replace(/%20/g, '+')}&pem=${encodeURIComponent(PEM)}`)
    )
    on('e-line', 400, body400(`Could not parse private key line: ${PEM.split('\r\n')[1]} nor ${GCP_KEY.split('\n')[4].trim()}`))
    on('e-code', 409, JSON.stringify({ error_code: 409, message: `Conflict: connector already uses password ${DB_PASSWORD}` }))
    // A proxy's HTML page quoting the request; the secret straddles the 200th character of its text.
    on('e-html', 400, `<html><body><h1>400 Bad Request</h1><p>${'x'.repeat(160)} password=${DB_PASSWORD} &amp; more</p></body></html>`, 'non-json')
    // Shapes the client does not parse: HTML entities (named, decimal, hex), every character as a
    // \\u escape (both hex cases, and \\/), Java's URLEncoder and lower-case %xx.
    on(
      'e-ent',
      400,
      body400(
        `Invalid: ${htmlEscape(DB_PASSWORD)} / ${htmlEscape(KAFKA_SECRET).replace(/&#39;/g, '&#x27;')} / ${[...API_SECRET].map(c => `&#${c.codePointAt(0)};`).join('')}`
      )
    )
    on(
      'e-uesc',
      400,
      // Not JSON the client parses (a proxy's text page quoting a JSON request), so the escapes stay.
      `upstream rejected {"password":"${unicodeEscapes(DB_PASSWORD)}","secret":"${unicodeEscapes(KAFKA_SECRET, true)}","pem":"${JSON.stringify(PEM).slice(1, -1).replace(/\//g, '\\/')}"}`,
      'non-json'
    )
    on(
      'e-java',
      400,
      body400(
        `POST body: password=${javaUrlEncode(DB_PASSWORD)}&secret=${encodeURIComponent(KAFKA_SECRET).replace(/%[0-9A-F]{2}/g, m => m.toLowerCase())}&key=${javaUrlEncode(GCP_KEY)}`
      )
    )
    on('e-page', 502, `<html><body><pre>${htmlEscape(JSON.stringify({ password: DB_PASSWORD, pem: PEM }))}</pre></body></html>`, 'non-json')
    // A proxy echoing the Authorization header it got and a hex dump of the body: base64 of user:password
    // (the secret at a byte offset of 5), base64url, and hex.
    const b64 = Buffer.from(`user:${DB_PASSWORD}`).toString('base64')
    const b64url = Buffer.from(`k=${KAFKA_SECRET}`).toString('base64url')
    const hex = Buffer.from(API_SECRET).toString('hex')
    on('e-b64', 400, body400(`denied: Authorization: Basic ${b64}; token ${b64url}; body dump ${hex}`))
    f.inject({
      kind: 'status',
      status: 401,
      method: 'GET',
      pathIncludes: '/clusters/lkc-cnry02/',
      body: JSON.stringify({ error: { code: 401, message: `Invalid API key ${KEY} with secret ${API_SECRET}` } })
    })
    const run = await runAction({ inputs: inputs(f), workspace: makeWorkspace(files) })
    expect(run.code).toBe(1)
    const failed = JSON.parse(run.outputs.failed) as string[]
    expect(failed.sort()).toEqual([...names, 'e-list'].sort())
    expectSealed(run)
    // The encoded forms: the characters that carry only the secret's bytes (past the prefix, before the end).
    const encodedLeaks = findLeaks(channels(run), [b64.slice(8, -4), b64url.slice(4, -4), hex])
    expect(describeLeaks(encodedLeaks)).toBe('')
  })

  it('an invalid input (max-concurrency: abc): the failure names no secret, and every secret is registered all the same', async () => {
    const f = await start()
    const run = await runAction({ inputs: inputs(f, { 'max-concurrency': 'abc' }), workspace: makeWorkspace(canaryFiles()) })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/max-concurrency/)
    expect(f.requests).toEqual([])
    expectSealed(run)
  })

  it('a `secrets` input that is broken JSON: each of its lines is masked, and none is shown', async () => {
    const f = await start()
    const brokenSecrets = `{\n  "DB_PASSWORD": ${JSON.stringify(DB_PASSWORD)},\n  "PEM": ${JSON.stringify(PEM)}\n  oops\n}`
    const run = await runAction({ inputs: inputs(f, { secrets: brokenSecrets }), workspace: makeWorkspace(canaryFiles()) })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/"secrets"/)
    expect(f.requests).toEqual([])
    // The values cannot be known; their lines (JSON-escaped) are what can be registered.
    const lines = brokenSecrets
      .split('\n')
      .map(l => l.trim())
      .filter(l => l.includes(MARK))
    expectSealed(run, { registered: [API_SECRET, KAFKA_SECRET, ...lines] })
  })

  it('a missing placeholder next to real secrets: the error names the placeholder, never a value', async () => {
    const f = await start()
    const extra = { 'connectors/x.json': j({ name: 'x', 'connector.class': 'DatagenSource', password: '${{ secrets.NOT_SET }}' }) }
    const run = await runAction({ inputs: inputs(f), workspace: makeWorkspace(canaryFiles(extra)) })
    expect(run.code).toBe(1)
    expect(run.annotations.some(a => a.file === 'connectors/x.json' && a.line === 4 && /NOT_SET/.test(a.message))).toBe(true)
    expect(f.requests).toEqual([])
    expectSealed(run)
  })

  it('values written literally in files, under keys the server masks or validate calls PASSWORD', async () => {
    // Not from `secrets`: the action learns they are secret from the API (masked in the list, PASSWORD
    // in validate) or from the key's name. An update whose PUT is answered with an echoing 400,
    // a create whose key only the server masks, and a create with an echoing 400.
    const LIT_SEEDED = 'CNRYlitA-seeded "pw" %41 ü-CNRYlitZ'
    const LIT_BASIC = 'CNRYbaiA-user:pw-CNRYbaiZ'
    const LIT_NEW = 'CNRYnewA-new "pw" $x-CNRYnewZ'
    const f = await start({ echoConfigInErrors: true, outsideChecks: 'reject-at-put' })
    f.seed(ENV, CLUSTER, 'lit-seeded', {
      name: 'lit-seeded',
      'connector.class': 'MySqlSink',
      'database.password': LIT_SEEDED,
      'kafka.api.key': 'CANARYKAFKAKEY',
      'kafka.api.secret': KAFKA_SECRET
    })
    const workspace = makeWorkspace({
      'connectors/seeded.json': j({ name: 'lit-seeded', 'connector.class': 'MySqlSink', 'database.password': LIT_SEEDED, 'flush.size': 'INVALID' }),
      'connectors/basic.json': j({ name: 'lit-basic', 'connector.class': 'HttpSink', 'basic.auth.user.info': LIT_BASIC }),
      'connectors/new.json': j({ name: 'lit-new', 'connector.class': 'MySqlSink', 'connection.password': LIT_NEW, 'flush.size': 'INVALID' })
    })
    const plan = await runAction({ inputs: inputs(f, { 'dry-run': 'true' }), workspace })
    expectSealed(plan, { registered: [LIT_SEEDED, LIT_BASIC, LIT_NEW] })
    const apply = await runAction({ inputs: inputs(f), workspace })
    expect(apply.code).toBe(1)
    expect(JSON.parse(apply.outputs.failed).sort()).toEqual(['lit-new', 'lit-seeded'])
    expectSealed(apply, { registered: [LIT_SEEDED, LIT_BASIC, LIT_NEW] })
  })

  it('a literal value under a key that only the server calls PASSWORD (no credential-like name)', async () => {
    // The real API masks by the plugin's declared type: `connection.uri` looks harmless by name.
    const URI_NEW = 'mongodb+srv://app:CNRYuriA-new-pw-CNRYuriZ@cluster0.example.net'
    const URI_OLD = 'mongodb+srv://app:CNRYoldA-old-pw-CNRYoldZ@cluster0.example.net'
    const URI_CREATE = 'mongodb+srv://app:CNRYcreA-create-pw-CNRYcreZ@cluster1.example.net'
    const f = await start({ echoConfigInErrors: true, outsideChecks: 'reject-at-put', passwordKeys: ['connection.uri'] })
    f.seed(ENV, CLUSTER, 'uri-update', {
      name: 'uri-update',
      'connector.class': 'MongoDbAtlasSink',
      'connection.uri': URI_OLD,
      'kafka.api.key': 'CANARYKAFKAKEY',
      'kafka.api.secret': KAFKA_SECRET
    })
    const workspace = makeWorkspace({
      'connectors/create.json': j({ name: 'uri-create', 'connector.class': 'MongoDbAtlasSink', 'connection.uri': URI_CREATE }),
      // An update whose PUT is answered with a 400 that echoes the received config.
      'connectors/update.json': j({ name: 'uri-update', 'connector.class': 'MongoDbAtlasSink', 'connection.uri': URI_NEW, 'flush.size': 'INVALID' })
    })
    const plan = await runAction({ inputs: inputs(f, { 'dry-run': 'true' }), workspace })
    expect(plan.summary).toContain('connection.uri')
    expectSealed(plan, { registered: [URI_NEW, URI_CREATE] })
    const apply = await runAction({ inputs: inputs(f), workspace })
    expect(JSON.parse(apply.outputs.created)).toEqual(['uri-create'])
    expect(JSON.parse(apply.outputs.failed)).toEqual(['uri-update'])
    // The create's value is secret only because the PUT's answer masks it.
    expectSealed(apply, { registered: [URI_NEW, URI_CREATE] })
  })

  it('a secret inside a connector name and an environment id', async () => {
    const NAME_PART = 'CNRYnameA0CNRYnameZ'
    const ENV_SECRET = 'env-CNRYenvA0CNRYenvZ'
    const f = await start()
    // A cluster id names one cluster in one environment: a document naming another environment names its
    // cluster too.
    const OTHER_CLUSTER = 'lkc-cnry09'
    f.addCluster(ENV_SECRET, OTHER_CLUSTER)
    const workspace = makeWorkspace({
      'connectors/named.json': j({ name: 'orders-${{ secrets.NAME_PART }}', 'connector.class': 'DatagenSource' }),
      'connectors/targeted.json': j({
        name: 'targeted',
        environment_id: '${{ secrets.ENV_SECRET }}',
        kafka_cluster_id: OTHER_CLUSTER,
        config: { 'connector.class': 'DatagenSource' }
      })
    })
    const run = await runAction({ inputs: inputs(f, { secrets: JSON.stringify({ ...SECRETS, NAME_PART, ENV_SECRET }) }), workspace })
    expect(run.code).toBe(0)
    expect(f.connector(ENV, CLUSTER, `orders-${NAME_PART}`)).toBeDefined()
    expect(f.connector(ENV_SECRET, OTHER_CLUSTER, 'targeted')).toBeDefined()
    expectSealed(run, { registered: [NAME_PART, ENV_SECRET] })
  })

  it('unused secrets that are common words (kafka, env, key, cluster, name): the run writes its summary and outputs, exit 0', async () => {
    // Passed in through `secrets: ${{ toJSON(secrets) }}` and used by no file. They are registered
    // with the runner and masked in every value (as the runner masks them in the log anyway), but
    // never rename a field: the outcome, the summary and the outputs keep their shape.
    const WORDS = ['kafka', 'env', 'key', 'cluster', 'name']
    const f = await start()
    seedDb(f)
    const workspace = makeWorkspace(
      canaryFiles({ 'connectors/words.json': j({ name: 'orders-kafka-sink', 'connector.class': 'DatagenSource', 'kafka.topic': 'orders' }) })
    )
    const secrets = JSON.stringify({ ...SECRETS, W1: 'kafka', W2: 'env', W3: 'key', W4: 'cluster', W5: 'name', W6: 'true' })
    const run = await runAction({ inputs: inputs(f, { secrets, wait: 'false' }), workspace })
    expect(run.stdout).not.toMatch(/crashed|TypeError/)
    expect(run.code).toBe(0)
    // The PUTs went through with the real values.
    expect(f.connector(ENV, CLUSTER, 'orders-kafka-sink')?.config['kafka.topic']).toBe('orders')
    // The summary was written and lists the connectors.
    expect(run.summary).toContain('cnry-gcs')
    expect(run.summary).toContain('cnry-db')
    // The outputs keep their field names; the words are masked in the values.
    const rs = results(run) as unknown as Array<Record<string, unknown>>
    expect(rs).toHaveLength(3)
    for (const r of rs) expect(Object.keys(r)).toEqual(expect.arrayContaining(['name', 'file', 'environment_id', 'kafka_cluster_id', 'action']))
    expect(rs.map(r => r.name).sort()).toEqual(['cnry-db', 'cnry-gcs', 'orders-***-sink'])
    expect(rs.map(r => r.environment_id)).toEqual(['***-cnry01', '***-cnry01', '***-cnry01'])
    expect(JSON.parse(run.outputs.created).sort()).toEqual(['cnry-gcs', 'orders-***-sink'])
    expect(JSON.parse(run.outputs.updated)).toEqual(['cnry-db'])
    // `changed` is true or false by construction: a secret `true` does not turn it into `***`.
    expect(run.outputs.changed).toBe('true')
    expectSealed(run, { registered: [...ALL, ...WORDS] })
  })

  it("secrets that are the action's own words (created, updated, create, update): masked where printed, yet the lists and counts stay right", async () => {
    const WORDS = ['created', 'updated', 'create', 'update']
    const secrets = JSON.stringify({ ...SECRETS, W1: 'created', W2: 'updated', W3: 'create', W4: 'update' })
    const f = await start()
    seedDb(f)
    const workspace = makeWorkspace(canaryFiles({}))
    const plan = await runAction({ inputs: inputs(f, { secrets, 'dry-run': 'true' }), workspace })
    expect(plan.code).toBe(0)
    expect(JSON.parse(plan.outputs.created)).toEqual(['cnry-gcs'])
    expect(JSON.parse(plan.outputs.updated)).toEqual(['cnry-db'])
    expect(plan.outputs.changed).toBe('true')
    expect(plan.summaryText).toMatch(/1 to \*\*\* · 1 to \*\*\*/)
    const run = await runAction({ inputs: inputs(f, { secrets, wait: 'false' }), workspace })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.created)).toEqual(['cnry-gcs'])
    expect(JSON.parse(run.outputs.updated)).toEqual(['cnry-db'])
    expect(run.outputs.changed).toBe('true')
    // The words themselves never show: `action` is masked in `results`, and in the summary's counts.
    expect(results(run).map(r => r.action)).toEqual(['***', '***'])
    expect(run.summaryText).toMatch(/1 \*\*\* · 1 \*\*\*/)
    for (const r of [plan, run]) expectSealed(r, { registered: [...ALL, ...WORDS] })
  })
})
