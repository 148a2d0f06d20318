// Real connector configurations from public repositories (`__tests__/fixtures/real-configs/`, copied from the shared reference material), each
// run through the built action on its own (dry run, validate on, against the fake). Each must be
// either planned exactly as written (every value byte for byte, `${topic}`, `${file:...}`, `$Key`
// untouched; numbers and booleans as their string form; the Kafka credentials filled from the
// inputs where the file lacks them) or rejected with an error located on the file and its line,
// and none may crash the action. The table in TESTING.md pins the result per file: a change in
// outcome fails the last test until the table is updated, so it shows up in review.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { ROOT, runAction, type ActionRun } from '../../test-support/run-action.js'

const DIR = path.join(ROOT, '__tests__', 'fixtures', 'real-configs')
const KAFKA_KEY = 'RCKAFKAKEY'
const KAFKA_SECRET = 'real-configs-kafka-secret'

const TABLE_HEADING = 'Real configurations: outcome per file'

/** Outcome per file, from the table in TESTING.md (the one place it is written down). `planned`:
 * every connector planned and validated clean; `planned; validate: k`: planned, and the fake's
 * validate reported errors on key k (the step fails, as documented); `rejected: reason @line`:
 * stopped before any request, with that located error. */
function outcomeTable(): Record<string, string> {
  const doc = readFileSync(path.join(ROOT, 'TESTING.md'), 'utf8')
  const section = doc.split(/^## /m).find(s => s.startsWith(TABLE_HEADING)) ?? ''
  const rows: Record<string, string> = {}
  for (const m of section.matchAll(/^\|\s*`([^`]+)`\s*\|\s*([^|]*?)\s*\|/gm)) rows[m[1]] = m[2]
  return rows
}

interface Entry {
  /** Name in the table: the fixture's file name, or `<name> (as .json)` for a renamed copy. */
  label: string
  source: string
  /** Path in the workspace. */
  file: string
}

const ENTRIES: Entry[] = readdirSync(DIR)
  .filter(f => f !== 'INDEX.md')
  .sort()
  .flatMap(f => {
    const base: Entry = { label: f, source: f, file: `connectors/${f}` }
    // `.config` files are JSON connector configs under another extension: also try them renamed.
    if (!f.endsWith('.config')) return [base]
    return [base, { label: `${f} (as .json)`, source: f, file: `connectors/${f.replace(/\.config$/, '.json')}` }]
  })

const REASONS: Array<[RegExp, string]> = [
  [/second top-level object/, 'two top-level objects'],
  [/not valid JSON/, 'not valid JSON'],
  [/not valid YAML/, 'not valid YAML'],
  [/Kubernetes/, 'Kubernetes resource'],
  [/Terraform/, 'Terraform configuration'],
  [/not a supported format/, 'unsupported format'],
  [/no "name"/, 'no name'],
  [/missing "connector\.class"/, 'no connector.class'],
  [/missing "confluent\.custom\.plugin\.id"/, 'CUSTOM without plugin id'],
  [/duplicate key/, 'duplicate key'],
  [/unexpected key/, 'unexpected key next to config'],
  [/does not look like a connector/, 'not a connector'],
  [/config values must be strings/, 'non-string value'],
  [/placeholder|\$\{\{/, 'placeholder'],
  [/defined twice/, 'defined twice']
]

function reason(message: string): string {
  return REASONS.find(([re]) => re.test(message))?.[1] ?? message
}

interface Observed {
  entry: Entry
  run: ActionRun
  env: string
}

let fake: FakeConfluent
const observed = new Map<string, Observed>()

async function inBatches<T>(items: T[], size: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))
}

beforeAll(async () => {
  fake = await startFakeConfluent({ credentials: [{ key: 'RCKEY', secret: 'real-configs-secret' }] })
  await inBatches(ENTRIES, 8, async (entry, i) => {
    const env = `env-rc${i}`
    fake.addCluster(env, 'lkc-rc')
    const run = await runAction({
      inputs: {
        'api-url': fake.url,
        'api-key': 'RCKEY',
        'api-secret': 'real-configs-secret',
        'environment-id': env,
        'kafka-cluster-id': 'lkc-rc',
        'kafka-api-key': KAFKA_KEY,
        'kafka-api-secret': KAFKA_SECRET,
        'dry-run': 'true',
        validate: 'true',
        // The contract's default (1.1); a dry run must not wait for anything.
        wait: 'true',
        files: entry.file
      },
      files: { [entry.file]: readFileSync(path.join(DIR, entry.source), 'utf8') }
    })
    observed.set(entry.label, { entry, run, env })
  })
}, 150_000)
afterAll(async () => fake.close())

/** The outcome as the table states it. */
function outcome(o: Observed): string {
  const errors = o.run.annotations.filter(a => a.level === 'error' && a.file === o.entry.file)
  const results = JSON.parse(o.run.outputs.results ?? '[]') as Array<{ name: string; action: string; error: string }>
  if (results.length === 0) {
    const reasons = [...new Set(errors.map(a => `${reason(a.message)}${a.line ? ` @${a.line}` : ''}`))]
    return `rejected: ${reasons.join(', ') || '(no located error)'}`
  }
  const keys = [...new Set(errors.map(a => /^[^:]+: "([^"]+)": /.exec(a.message)?.[1] ?? '(general)'))].sort()
  const n = results.length > 1 ? ` (${results.length} connectors)` : ''
  return keys.length > 0 ? `planned${n}; validate: ${keys.join(', ')}` : `planned${n}`
}

interface Want {
  body: Record<string, string>
  /** Values written as numbers, which may be sent as written (`1.0`), not as JSON.parse prints them. */
  numbers: Record<string, number>
}

/** What the file says each connector is, computed here independently of the action's parser. */
function expectedBodies(text: string, file: string): Want[] {
  let docs: unknown[]
  try {
    docs = [JSON.parse(text)]
  } catch {
    docs = parseAllDocuments(text).map(d => d.toJS() as unknown)
  }
  const items = docs.flatMap(d => (Array.isArray(d) ? d : [d])).filter(d => d !== null && d !== undefined)
  return items.map(item => {
    const doc = item as Record<string, unknown>
    const inner = doc.config as Record<string, unknown>
    const source = typeof inner === 'object' && inner !== null ? { ...inner, name: doc.name ?? inner.name } : doc
    const want: Want = { body: {}, numbers: {} }
    for (const [k, v] of Object.entries(source)) {
      if (typeof v === 'object' && v !== null) throw new Error(`${file}: ${k} is not a scalar, yet the action planned it`)
      want.body[k] = String(v)
      if (typeof v === 'number') want.numbers[k] = v
    }
    if (String(want.body['kafka.auth.mode'] ?? '').toUpperCase() !== 'SERVICE_ACCOUNT') {
      want.body['kafka.api.key'] ??= KAFKA_KEY
      want.body['kafka.api.secret'] ??= KAFKA_SECRET
    }
    return want
  })
}

function sameValue(sent: string | undefined, want: Want, key: string): boolean {
  if (sent === want.body[key]) return true
  return key in want.numbers && sent !== undefined && Number(sent) === want.numbers[key]
}

describe('real connector configurations', () => {
  it('ran every fixture without a crash and with an exit status that matches its outcome', () => {
    expect(observed.size).toBe(ENTRIES.length)
    for (const o of observed.values()) {
      const what = `${o.entry.label}:\n${o.run.stdout}\n${o.run.stderr}`
      expect({ what, stderr: o.run.stderr }).toEqual({ what, stderr: '' })
      expect(o.run.stdout).not.toMatch(/crashed|TypeError|ReferenceError/)
      const results = JSON.parse(o.run.outputs.results ?? '[]') as Array<{ error: string }>
      // Exit 0 exactly when every connector was planned and validated clean.
      expect({ what, code: o.run.code }).toEqual({ what, code: results.length > 0 && results.every(r => r.error === '') ? 0 : 1 })
    }
  })

  it('rejected files: stopped before any request, each error on the file and (past discovery) a line', () => {
    for (const o of observed.values()) {
      const results = JSON.parse(o.run.outputs.results ?? '[]') as unknown[]
      if (results.length > 0) continue
      const sent = fake.requests.filter(r => r.path.includes(`/environments/${o.env}/`))
      expect({ file: o.entry.label, sent: sent.length }).toEqual({ file: o.entry.label, sent: 0 })
      const errors = o.run.annotations.filter(a => a.level === 'error' && a.file !== undefined)
      expect({ file: o.entry.label, located: errors.length > 0 }).toEqual({ file: o.entry.label, located: true })
      for (const e of errors) {
        expect(e.file).toBe(o.entry.file)
        if (!/not a supported format/.test(e.message))
          expect({ file: o.entry.label, message: e.message, line: (e.line ?? 0) > 0 }).toMatchObject({ line: true })
      }
    }
  })

  it('planned files: every value reached Confluent (validate) exactly as written, and no PUT to a connector', () => {
    // A dry run sends the plan's list and validates, nothing else (no status rounds though wait is on);
    // each config is validated once: the per-class answer that tells the PASSWORD keys is reused.
    let checked = 0
    for (const o of observed.values()) {
      const results = JSON.parse(o.run.outputs.results ?? '[]') as Array<{ name: string; action: string }>
      if (results.length === 0) continue
      const requests = fake.requests.filter(r => r.path.includes(`/environments/${o.env}/`))
      expect(requests.filter(r => r.method === 'PUT' && !r.path.includes('/connector-plugins/'))).toEqual([])
      expect(requests.filter(r => !(r.method === 'GET' && r.query === 'expand=info,status,id') && !r.path.endsWith('/config/validate'))).toEqual([])
      expect(requests.filter(r => r.method === 'GET')).toHaveLength(1)
      const text = readFileSync(path.join(DIR, o.entry.source), 'utf8')
      const bodies = expectedBodies(text, o.entry.label)
      expect(results.map(r => r.name).sort()).toEqual(bodies.map(b => b.body.name).sort())
      for (const r of results) expect(r.action).toBe('create')
      for (const want of bodies) {
        if (String(want.body['confluent.connector.type'] ?? '').toUpperCase() === 'CUSTOM') continue // validate is skipped for CUSTOM
        const all = requests.filter(r => r.path.endsWith('/config/validate') && (r.body as Record<string, string>)?.name === want.body.name)
        expect({ file: o.entry.label, connector: want.body.name, validates: all.length }).toMatchObject({ validates: 1 })
        const sent = all[0]
        const body = sent?.body as Record<string, string>
        expect(Object.keys(body).sort()).toEqual(Object.keys(want.body).sort())
        for (const [k, v] of Object.entries(want.body)) {
          if (!sameValue(body[k], want, k)) expect({ file: o.entry.label, key: k, sent: body[k] }).toEqual({ file: o.entry.label, key: k, sent: v })
        }
        checked++
      }
    }
    expect(checked).toBeGreaterThan(0)
  })

  it('placeholders of others are sent untouched wherever a file holds them', () => {
    const seen = new Set<string>()
    for (const o of observed.values()) {
      for (const r of fake.requests.filter(q => q.path.includes(`/environments/${o.env}/`) && q.path.endsWith('/config/validate'))) {
        for (const v of Object.values(r.body as Record<string, string>)) {
          for (const m of v.match(/\$\{topic\}|\$\{file:[^}]*\}|\$\{secrets:[^}]*\}|\$\{var\.[^}]*\}|\w\$(Key|Value)\b|\$[A-Z_]{3,}/g) ?? [])
            seen.add(m.replace(/^\w(?=\$)/, ''))
        }
      }
    }
    // Each family reached the API verbatim in at least one planned fixture.
    const families = ['${topic}', '${file:', '$Key', '$Value', '${var.', '$CLOUD_KEY']
    for (const f of families) expect({ family: f, seen: [...seen].some(s => s.startsWith(f)) }).toEqual({ family: f, seen: true })
  })

  it('matches the outcome table in TESTING.md, file by file', () => {
    const actual: Record<string, string> = {}
    for (const [label, o] of observed) actual[label] = outcome(o)
    expect(actual).toEqual(outcomeTable())
  })
})
