// The generative layer's harness, shared by the fuzz tests (a small seeded budget in `npm test`) and
// scripts/fuzz.ts (10,000 cases). One case = a workspace of connector files, canary secrets, settings
// and a scripted server; it runs src/pipeline.ts runPipeline in process on a virtual clock, then
// produces the channels the way src/action/main.ts publish() does (logger lines through the redactor,
// the rendered summary, the outputs), and reports what went wrong:
//   - a crash: runPipeline, renderSummary or buildOutputs threw;
//   - a hang: the run did not end by its run-timeout (virtual time) plus a margin, or stopped with
//     no sleep pending and no answer (a deadlock);
//   - a leak: a channel holds the canary marker, a canary value, or anything a fresh redactor that
//     knows every canary would still change.
// Nothing here opens a socket: the transport is a function over generated replies.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import type { HttpRequest, HttpResponse, Outcome, Settings, Transport } from '../../src/model/types.js'
import { VOCABULARY_FIELDS } from '../../src/model/types.js'
import { runPipeline } from '../../src/pipeline.js'
import { buildOutputs } from '../../src/report/outputs.js'
import { renderSummary } from '../../src/report/summary.js'
import { Redactor } from '../../src/secrets/redactor.js'
import { capture } from '../../test-support/capture-logger.js'
import { VirtualClock } from '../../test-support/virtual-clock.js'

/** Every canary holds this marker (in each of its lines), so even a partial or re-escaped leak shows. */
export const MARK = 'CNRY'

// ---------------------------------------------------------------- generated strings

/** Characters that break parsers, escapers and encoders. */
const HOSTILE_CHARS = [
  '"',
  "'",
  '\\',
  '%',
  '&',
  '<',
  '>',
  '+',
  '/',
  '*',
  '_',
  '|',
  '`',
  '#',
  '@',
  '$',
  '{',
  '}',
  '[',
  ']',
  '~',
  ':',
  ',',
  ';',
  '=',
  '?',
  ' ',
  '\t',
  '\u0000',
  '\u001b',
  '\u2028',
  '\u00a0',
  '\ufeff',
  'ü',
  '€',
  '漢',
  '🔑',
  '\u0301',
  '\uD800',
  '\uDC00',
  '&amp;',
  '%41',
  '\\u0041',
  '\\n',
  '${{',
  '}}',
  '::',
  '%0A',
  '***'
]

/** A short string of hostile pieces and plain text, lone surrogates included. */
export const hostile = (maxPieces = 8): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_CHARS), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: maxPieces })
    .map(a => a.join(''))

/** A canary: the marker, hostile text, the marker again; multi-line ones carry the marker on every line. */
export const canary: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostile(6).map(h => `${MARK}a${h.replace(/[\r\n]/g, ' ')}${MARK}z`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(hostile(3), { minLength: 2, maxLength: 4 }), fc.constantFrom('\n', '\r\n'))
      .map(([ls, eol]) => ls.map((l, i) => `${MARK}L${i}${l.replace(/[\r\n]/g, ' ')}`).join(eol))
  }
)

/** Words that must not rename a field when a (wasteful but legal) secret equals them. */
export const COMMON_WORDS = ['kafka', 'env', 'key', 'cluster', 'name', 'action', 'error', 'state', 'type', 'config', 'file', 'true', 'a', 'ab']

// ---------------------------------------------------------------- connector files

export interface FileCase {
  /** Workspace-relative path to text (written as UTF-8). */
  files: Record<string, string>
}

const keyName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'topics',
    'kafka.topic',
    'tasks.max',
    'connection.password',
    'database.password',
    'connection.url',
    'aws.secret.access.key',
    'basic.auth.user.info',
    'flush.size',
    'x'
  ),
  hostile(4),
  fc.integer({ min: 1000, max: 20000 }).map(n => 'k'.repeat(n))
)

/** A config value: hostile text, a secret placeholder (alone or inside text), a var; when not `valid`,
 * also a missing placeholder, a number, a boolean, null, an array or an object (each a file problem). */
const configValue = (secretNames: string[], valid: boolean): fc.Arbitrary<unknown> => {
  const good = [
    hostile(6),
    fc.constantFrom(...secretNames).map(n => `\${{ secrets.${n} }}`),
    fc.constantFrom(...secretNames).map(n => `pre-\${{ secrets.${n} }}-post`),
    fc.constant('${{ vars.V1 }}'),
    fc.integer().map(String)
  ]
  if (valid) return fc.oneof(...good)
  return fc.oneof(
    ...good,
    fc.constant('${{ secrets.NOT_SET }}'),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(hostile(2), { maxLength: 3 }),
    fc.dictionary(hostile(2), hostile(2), { maxKeys: 3 })
  )
}

/** A connector name: when `valid`, printable (letters, digits, `-_.`, non-ASCII letters, a secret). */
const connectorName = (secretNames: string[], valid: boolean): fc.Arbitrary<string> => {
  const printable = fc.array(fc.constantFrom(...'abcxyz019-_.üé漢'.split('')), { minLength: 1, maxLength: 20 }).map(a => `c${a.join('')}`)
  const good = [fc.constantFrom('orders', 'cnx-1', 'a'), printable, fc.constantFrom(...secretNames).map(n => `n-\${{ secrets.${n} }}`)]
  return valid ? fc.oneof(...good) : fc.oneof(...good, hostile(4))
}

const connectorObject = (secretNames: string[], valid: boolean, yaml: boolean): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record({
      name: connectorName(secretNames, valid),
      cls: valid ? fc.constantFrom('DatagenSource', 'MySqlSink', 'S3_SINK', 'HttpSink') : fc.constantFrom('DatagenSource', '', 'X'),
      config: fc.dictionary(yaml ? keyName.filter(k => k.length < 1000) : keyName, configValue(secretNames, valid), { maxKeys: 6 }),
      nested: fc.boolean(),
      extra: valid
        ? fc.dictionary(fc.constantFrom('environment_id', 'kafka_cluster_id'), fc.constantFrom('env-1', 'env-2', 'lkc-1', 'lkc-2'), { maxKeys: 2 })
        : fc.dictionary(fc.constantFrom('environment_id', 'kafka_cluster_id', 'state', 'zz'), fc.oneof(hostile(3), fc.constant('env-1')), { maxKeys: 2 })
    })
    .map(({ name, cls, config, nested, extra }) => {
      const targets = Object.fromEntries(
        Object.entries(extra).map(([k, v]) => [k, k === 'kafka_cluster_id' ? v.replace('env', 'lkc') : v.replace('lkc', 'env')])
      )
      return nested ? { name, ...targets, config: { 'connector.class': cls, ...config } } : { name, 'connector.class': cls, ...config, ...(valid ? {} : extra) }
    })

function yamlScalar(v: unknown): string {
  // JSON is YAML: a quoted scalar carries any string, lone surrogates included (as \u escapes).
  return JSON.stringify(v) ?? 'null'
}

/** A YAML text for a connector: an anchored scalar and its alias, now and then a second document
 * reusing the anchored config; when not `valid`, also a top-level alias and a small alias bomb. */
function toYaml(c: Record<string, unknown>, variant: number, valid: boolean): string {
  const lines = [`# generated`, `name: ${yamlScalar(c.name)}`]
  for (const k of ['environment_id', 'kafka_cluster_id']) if (typeof c[k] === 'string') lines.push(`${k}: ${yamlScalar(c[k])}`)
  const config = (c.config as Record<string, unknown> | undefined) ?? Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'name'))
  lines.push('config: &cfg')
  let anchored = false
  for (const [k, v] of Object.entries(config)) {
    if (!anchored && typeof v === 'string') {
      lines.push(`  ${yamlScalar(k)}: &v ${yamlScalar(v)}`, '  "alias.of.previous": *v')
      anchored = true
    } else lines.push(`  ${yamlScalar(k)}: ${yamlScalar(v)}`)
  }
  if (!valid && variant % 3 === 1) lines.push('copy: *cfg')
  if (!valid && variant % 3 === 2) lines.push('a: &a ["x","x","x","x"]', 'b: &b [*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b]', 'd: [*c,*c,*c,*c]')
  if (variant % 5 === 4) lines.push('---', `name: ${yamlScalar(`${String(c.name)}-2`)}`, 'config: *cfg')
  return `${lines.join('\n')}\n`
}

/** A workspace: JSON files (one object or an array), YAML files (anchors, aliases, a small alias
 * bomb, several documents); mostly valid (so that runs reach the server), now and then broken. */
export const fileCase = (secretNames: string[]): fc.Arbitrary<FileCase> =>
  fc
    .array(
      fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }).chain(valid =>
        fc.constantFrom('json', 'json-array', 'yaml', 'bom', ...(valid ? [] : ['broken'])).chain(kind =>
          fc.record({
            valid: fc.constant(valid),
            kind: fc.constant(kind),
            connectors: fc.array(connectorObject(secretNames, valid, kind === 'yaml'), { minLength: 1, maxLength: 3 }),
            variant: fc.nat(20),
            junk: hostile(8)
          })
        )
      ),
      { minLength: 1, maxLength: 4 }
    )
    .map(list => {
      const files: Record<string, string> = {}
      // Distinct names (a name defined twice is a file problem, and it stops the run before the server).
      // New objects: fast-check reuses generated values while shrinking, so they must not be mutated.
      const named = list.map((f, i) => ({ ...f, connectors: f.connectors.map((c, j) => ({ ...c, name: `${String(c.name)}-${i}${j}` })) }))
      named.forEach((f, i) => {
        if (f.kind === 'json') files[`connectors/f${i}.json`] = JSON.stringify(f.connectors[0], null, 2)
        else if (f.kind === 'json-array') files[`connectors/f${i}.json`] = JSON.stringify(f.connectors)
        else if (f.kind === 'yaml') files[`connectors/f${i}.yaml`] = toYaml(f.connectors[0], f.variant, f.valid)
        else if (f.kind === 'bom') files[`connectors/f${i}.json`] = `\ufeff${JSON.stringify(f.connectors[0])}`
        else files[`connectors/f${i}.${f.variant % 2 ? 'yaml' : 'json'}`] = `${JSON.stringify(f.connectors[0]).slice(0, f.variant * 7)}${f.junk}`
      })
      return { files }
    })

// ---------------------------------------------------------------- server replies

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** How a reply shows a canary: the encodings servers and proxies use. */
export function encodeAs(value: string, how: number): string {
  const json = (v: string): string => JSON.stringify(v).slice(1, -1)
  const html = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
  const url = (v: string): string => {
    // A lone surrogate cannot be URL-encoded: a server would send the replacement character.
    return encodeURIComponent(v.replace(LONE_SURROGATE, '\ufffd'))
  }
  switch (how % 8) {
    case 0:
      return value
    case 1:
      return json(value)
    case 2:
      return json(json(value))
    case 3:
      return html(value)
    case 4:
      return html(json(value))
    case 5:
      return url(value).replace(/%20/g, '+')
    case 6:
      return url(value).replace(/%[0-9A-F]{2}/g, m => m.toLowerCase())
    default:
      return [...value].map(c => `&#${c.codePointAt(0)};`).join('')
  }
}

export interface Reply {
  status: number
  /** A body template: `@S<n>@` is replaced by canary n (mod count) in encoding n. */
  shape: 'list' | 'put' | 'validate' | 'error' | 'error-code' | 'errors' | 'html' | 'empty' | 'garbage' | 'huge' | 'names'
  echo: Array<{ canary: number; how: number }>
  state: string
  headers: Record<string, string>
}

export const reply: fc.Arbitrary<Reply> = fc.record({
  status: fc.constantFrom(200, 200, 200, 201, 202, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503),
  shape: fc.constantFrom('list', 'put', 'validate', 'error', 'error-code', 'errors', 'html', 'empty', 'garbage', 'huge', 'names'),
  echo: fc.array(fc.record({ canary: fc.nat(50), how: fc.nat(50) }), { maxLength: 3 }),
  state: fc.constantFrom('RUNNING', 'FAILED', 'PROVISIONING', 'PAUSED', 'DEGRADED', 'UNKNOWN', ''),
  headers: fc.dictionary(
    fc.constantFrom('retry-after', 'x-request-id', 'content-type', 'rate-limit-reset', 'x-ratelimit-reset'),
    fc.oneof(fc.constantFrom('0', '1', '5', '-1', '99999999', 'soon', 'Wed, 21 Oct 2099 07:28:00 GMT', 'text/html'), hostile(3)),
    { maxKeys: 3 }
  )
})

/** The body of a reply to `req`, echoing canaries as the reply says. Bounded: at most ~300 kB. */
export function bodyOf(r: Reply, req: HttpRequest, canaries: string[], names: string[]): string {
  const echoes = r.echo.map(e => encodeAs(canaries[e.canary % canaries.length], e.how))
  const said = echoes.join(' | ')
  const trace = `java.lang.Exception: ${said}\n\tat x.y(Z.java:1)`
  switch (r.shape) {
    case 'list': {
      const entries: Record<string, unknown> = {}
      for (const [i, n] of names.entries()) {
        entries[n] = {
          id: { id: `lcc-${i}` },
          info: {
            name: n,
            type: 'source',
            config: { 'connector.class': 'DatagenSource', name: n, password: echoes[i % Math.max(1, echoes.length)] ?? '****', 'kafka.api.secret': '****' }
          },
          status: {
            name: n,
            connector: { state: r.state, trace, ...(r.state === 'UNKNOWN' ? { validation_errors: echoes } : {}) },
            tasks: [{ id: 0, state: r.state, msg: trace }]
          }
        }
      }
      return JSON.stringify(entries)
    }
    case 'names':
      return JSON.stringify([...names, ...echoes])
    case 'put': {
      let config: Record<string, unknown>
      try {
        config = JSON.parse(req.body ?? '{}') as Record<string, unknown>
      } catch {
        config = {}
      }
      return JSON.stringify({ name: 'x', type: 'sink', config: { ...config, 'connection.password': '****', echo: said }, tasks: [{ connector: 'x', task: 0 }] })
    }
    case 'validate':
      return JSON.stringify({
        name: 'x',
        error_count: 1,
        configs: [
          { definition: { name: 'connection.password', type: 'PASSWORD' }, value: { name: 'connection.password', errors: echoes } },
          { definition: { name: 'flush.size', type: 'INT' }, value: { name: 'flush.size', value: said, errors: [`Invalid value ${said}`] } }
        ]
      })
    case 'error':
      return JSON.stringify({ error: { code: r.status, message: `Invalid config: ${said}` } })
    case 'error-code':
      return JSON.stringify({ error_code: r.status, message: `Conflict: ${said}` })
    case 'errors':
      return JSON.stringify({ errors: [{ status: String(r.status), detail: `Bad: ${said}` }, { title: said }] })
    case 'html':
      return `<html><body><h1>${r.status}</h1><pre>${'x'.repeat(150)}${said}</pre></body></html>`
    case 'empty':
      return ''
    case 'garbage':
      return `{"error": ${said}`
    default:
      return `{"error":{"message":"${'y'.repeat(300_000)} ${echoes.map(e => JSON.stringify(e).slice(1, -1)).join(' ')}"}}`
  }
}

// ---------------------------------------------------------------- one case

export interface Case {
  canaries: string[]
  /** Secret names, in the order of `canaries` (then the common words, unused by files). */
  commonWords: string[]
  files: FileCase
  replies: Reply[]
  /** Every `networkEvery`-th request rejects (0: none). */
  networkEvery: number
  dryRun: boolean
  wait: boolean
  maxRetries: number
  /** A healthy server (every request answered 200 with a plausible body) instead of `replies`. */
  healthy: boolean
}

export const SECRET_NAMES = ['S0', 'S1', 'S2', 'S3']

export const caseOf = (opts: { healthyOnly?: boolean } = {}): fc.Arbitrary<Case> =>
  fc.record({
    canaries: fc.array(canary, { minLength: SECRET_NAMES.length + 2, maxLength: SECRET_NAMES.length + 2 }),
    commonWords: fc.subarray(COMMON_WORDS, { maxLength: 5 }),
    files: fileCase(SECRET_NAMES),
    replies: fc.array(reply, { minLength: 1, maxLength: 12 }),
    networkEvery: fc.constantFrom(0, 0, 0, 2, 5),
    dryRun: fc.boolean(),
    wait: fc.boolean(),
    maxRetries: fc.constantFrom(0, 1, 3),
    healthy: opts.healthyOnly ? fc.constant(true) : fc.boolean()
  })

/** A full Settings object (src/model/settings.ts) for a case; api-url is loopback and never dialled. */
export function settingsFor(c: Case, workspace: string): Settings {
  const secrets: Record<string, string> = {}
  SECRET_NAMES.forEach((n, i) => (secrets[n] = c.canaries[i]))
  c.commonWords.forEach((w, i) => (secrets[`W${i}`] = w))
  return {
    workspace,
    files: ['connectors/**/*.json', 'connectors/**/*.yaml', 'connectors/**/*.yml'],
    auth: { kind: 'api-key', apiKey: 'FUZZKEY', apiSecret: c.canaries[SECRET_NAMES.length] },
    environmentId: 'env-1',
    kafkaClusterId: 'lkc-1',
    kafkaApiKey: 'FUZZKAFKAKEY',
    kafkaApiSecret: c.canaries[SECRET_NAMES.length + 1],
    secrets,
    vars: { V1: 'var-value' },
    dryRun: c.dryRun,
    validate: true,
    force: false,
    wait: c.wait,
    waitTimeoutSeconds: 60,
    restartFailedTasks: 1,
    maxConcurrency: 2,
    maxRetries: c.maxRetries,
    requestTimeoutMs: 5_000,
    runTimeoutSeconds: 300,
    apiUrl: 'http://127.0.0.1:1',
    failOnEmpty: true,
    prune: false,
    pruneMatch: [],
    maxDeletions: 5,
    literalSecrets: 'warn',
    driftIssue: false,
    exportTo: '',
    comment: false,
    githubToken: '',
    userAgent: 'apply-connectors/fuzz'
  }
}

/** A scripted transport: the n-th request gets reply n (mod the list), or a healthy answer. */
export function scriptedTransport(c: Case): { transport: Transport; requests: HttpRequest[] } {
  const requests: HttpRequest[] = []
  const names = new Set<string>()
  const transport: Transport = async req => {
    requests.push(req)
    const n = requests.length
    const m = /\/connectors\/([^/?]+)/.exec(req.url)
    if (m) {
      try {
        names.add(decodeURIComponent(m[1]))
      } catch {
        names.add(m[1])
      }
    }
    if (c.networkEvery > 0 && n % c.networkEvery === 0) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    if (c.healthy) return healthyReply(req, [...names])
    const r = c.replies[(n - 1) % c.replies.length]
    const res: HttpResponse = { status: r.status, headers: { 'content-type': 'application/json', ...r.headers }, body: bodyOf(r, req, c.canaries, [...names]) }
    return res
  }
  return { transport, requests }
}

function healthyReply(req: HttpRequest, names: string[]): HttpResponse {
  const ok = (body: unknown, status = 200): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (req.method === 'GET') {
    const entries: Record<string, unknown> = {}
    for (const n of names)
      entries[n] = {
        id: { id: 'lcc-1' },
        info: { name: n, type: 'source', config: { name: n } },
        status: { name: n, connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] }
      }
    return ok(entries)
  }
  if (req.url.includes('/config/validate')) return ok({ name: 'x', error_count: 0, configs: [] })
  if (req.method === 'PUT' && req.url.endsWith('/config')) return ok({ name: 'x', type: 'source', config: JSON.parse(req.body ?? '{}') as unknown, tasks: [] })
  return ok({}, 202)
}

// ---------------------------------------------------------------- run and judge

export interface Verdict {
  problems: string[]
  outcome?: Outcome
  requests: number
}

/** Real time with no sleep pending and no answer before a run counts as deadlocked. */
const IDLE_LIMIT_MS = 10_000

/** Runs `promise` on `clock` until it settles; a deadlock or virtual time past `limitMs` is reported. */
async function drive<T>(clock: VirtualClock, promise: Promise<T>, limitMs: number): Promise<{ value?: T; error?: unknown; stuck?: string }> {
  let settled: { value?: T; error?: unknown } | undefined
  promise.then(
    value => (settled = { value }),
    error => (settled = { error })
  )
  // Idle (no sleep pending): the run waits on real I/O (reading the files); give it real time, and call
  // it a deadlock only after IDLE_LIMIT_MS of real time with nothing pending.
  let idleSince: number | undefined
  for (let step = 0; step < 200_000; step++) {
    await clock.advance(0)
    if (settled) return settled
    const next = clock.nextWakeUp()
    if (next === undefined) {
      idleSince ??= Date.now()
      if (Date.now() - idleSince > IDLE_LIMIT_MS) return { stuck: 'deadlock: no answer and no sleep pending' }
      await new Promise<void>(resolve => setTimeout(resolve, 1))
      continue
    }
    idleSince = undefined
    if (next > limitMs) return { stuck: `hang: still running at ${Math.round(clock.now() / 1000)} s virtual (next wake-up at ${Math.round(next / 1000)} s)` }
    await clock.advance(next - clock.now())
  }
  return { stuck: 'hang: more than 200000 steps' }
}

/** Every canary value, each of its lines, and the marker, against every channel. */
export function leaksIn(channels: Record<string, string>, canaries: string[]): string[] {
  const fresh = new Redactor()
  for (const v of canaries) fresh.add(v)
  const out: string[] = []
  for (const [name, text] of Object.entries(channels)) {
    const at = text.indexOf(MARK)
    if (at >= 0) out.push(`${name} holds the marker: …${JSON.stringify(text.slice(Math.max(0, at - 60), at + 60))}…`)
    for (const v of canaries) if (v.length >= 4 && text.includes(v)) out.push(`${name} holds a canary: ${JSON.stringify(v)}`)
    if (fresh.redact(text) !== text) out.push(`${name} holds an encoded canary: ${JSON.stringify(text.slice(0, 300))}`)
  }
  return out
}

/** Runs one case in process and judges it. Writes the files to a fresh temporary folder (removed). */
export async function runCase(c: Case): Promise<Verdict> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fuzz-'))
  try {
    for (const [rel, text] of Object.entries(c.files.files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
      writeFileSync(path.join(dir, rel), text)
    }
    const settings = settingsFor(c, dir)
    // As src/action/main.ts registerSecretInputs: every value, and each line of the raw `secrets` input.
    const redactor = new Redactor()
    const registered: string[] = []
    redactor.onRegister(v => registered.push(v))
    const secretsInput = JSON.stringify(settings.secrets, null, 2)
    for (const v of Object.values(settings.secrets)) redactor.add(v)
    for (const line of secretsInput.split(/\r?\n/)) if (line.trim().length >= 4) redactor.add(line.trim())
    redactor.add(settings.kafkaApiSecret)
    if (settings.auth.kind === 'api-key') redactor.add(settings.auth.apiSecret)
    const { logger, lines } = capture()
    const clock = new VirtualClock()
    const { transport, requests } = scriptedTransport(c)
    const problems: string[] = []
    const limit = (settings.runTimeoutSeconds + 120) * 1000
    const run = await drive(clock, runPipeline(settings, { logger, clock, transport, redactor, random: () => 0.5 }), limit)
    if (run.stuck) return { problems: [run.stuck], requests: requests.length }
    if (run.error !== undefined) {
      const e = run.error
      return {
        problems: [`runPipeline rejected: ${redactor.redact(e instanceof Error ? (e.stack ?? e.message) : JSON.stringify(e))}`],
        requests: requests.length
      }
    }
    const outcome = run.value as Outcome
    const channels: Record<string, string> = {}
    try {
      // As publish() (src/action/main.ts): redact the outcome's values once; the summary is rendered from
      // them and its text redacted again; the outputs are built from them and set as they are.
      const redacted = redactor.redactDeep(outcome, VOCABULARY_FIELDS)
      channels.summary = redactor.redact(renderSummary(redacted))
      for (const [name, value] of Object.entries(buildOutputs(redacted, { redact: w => redactor.redact(w) }))) channels[`output ${name}`] = value
    } catch (e) {
      problems.push(`publishing crashed: ${redactor.redact(e instanceof Error ? (e.stack ?? e.message) : String(e))}`)
    }
    channels.log = lines.map(l => redactor.redact(l)).join('\n')
    // The outputs are JSON their readers parse: redaction must keep them JSON, with their field names.
    for (const name of ['created', 'updated', 'failed', 'results', 'unmanaged']) {
      const text = channels[`output ${name}`]
      if (text === undefined) continue
      try {
        const parsed = JSON.parse(text) as unknown
        if (name === 'results')
          for (const r of parsed as Array<Record<string, unknown>>)
            if (!('name' in r && 'action' in r)) problems.push(`output results lost a field name: ${text.slice(0, 200)}`)
      } catch {
        problems.push(`output ${name} is not JSON after redaction: ${text.slice(0, 200)}`)
      }
    }
    problems.push(...leaksIn(channels, c.canaries))
    // Every canary and each of its lines (4+ characters) was registered with the runner's masking.
    const reg = new Set(registered)
    for (const v of c.canaries) {
      if (!reg.has(v)) problems.push(`not registered: ${JSON.stringify(v)}`)
      for (const line of v.split(/\r?\n/).map(l => l.trim()))
        if (line.length >= 4 && !reg.has(line)) problems.push(`line not registered: ${JSON.stringify(line)}`)
    }
    return { problems, outcome, requests: requests.length }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The property both layers check: a case runs with no crash, no hang and no leak. Throws the problems. */
export async function checkCase(c: Case): Promise<void> {
  const v = await runCase(c)
  if (v.problems.length > 0) throw new Error(v.problems.join('\n'))
}

/** numRuns for a fuzz run: FUZZ_RUNS when set (scripts/fuzz.ts), else `fallback`. */
export function numRuns(fallback: number): number {
  const n = Number(process.env.FUZZ_RUNS)
  return Number.isInteger(n) && n > 0 ? n : fallback
}

/** The seed: FUZZ_SEED when set, else `fallback` (fixed, so `npm test` is reproducible). */
export function seed(fallback: number): number {
  const n = Number(process.env.FUZZ_SEED)
  return Number.isInteger(n) ? n : fallback
}
