// Stage 2: turn one file's text into connector documents. YAML goes through the YAML 1.2 parser, JSON
// through a linear fast path that builds the same nodes (parse-json.ts); both know every node's position,
// so each problem lands on its line.
// Values are never echoed in messages: only key names, and the connector's name.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, YAMLMap } from 'yaml'
import type { Document, YAMLError } from 'yaml'
import { jsonProblem, MAX_DEPTH, tooDeep, unclosedQuoteAt } from './parse-guards.js'
import { countLines, fastJson } from './parse-json.js'
import { deref, describeNode, locate, quoteKey, rangeStart, report, resolveAliases, toConfigString, type Ctx, type Entry } from './parse-nodes.js'
import type { DeclaredState, Location, Problem, RawConnector } from '../model/types.js'

/** Most keys one mapping may hold: far above any connector (the largest real ones have a few hundred),
 * low enough that a hostile file cannot make the later stages slow (issue 12). */
export const MAX_KEYS = 10_000
export { MAX_ALIASES } from './parse-nodes.js'
/** The states a wrapped document may declare (product.md 1.1, issue 14), exactly as written. */
const STATES: readonly DeclaredState[] = ['RUNNING', 'PAUSED']
const WRAPPED_KEYS = ['name', 'config', 'environment_id', 'kafka_cluster_id', 'state']
const EXPECTED = 'expected {"name": ..., "config": {...}} or a flat config with "name" and "connector.class"'

/** The keys of a mapping, in order, with duplicate and non-string keys reported. */
function entries(ctx: Ctx, map: YAMLMap): Entry[] {
  const seen = new Map<string, number>()
  const out: Entry[] = []
  for (const [i, pair] of map.items.entries()) {
    const keyNode = deref(ctx, pair.key)
    const at = rangeStart(pair.key) ?? rangeStart(pair.value) ?? rangeStart(map) ?? 0
    if (i >= MAX_KEYS) {
      report(ctx, at, `more than ${MAX_KEYS} keys in one object; a connector config has far fewer`)
      break
    }
    if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
      // A non-string scalar key is a number, boolean or timestamp: String() shows it as written.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      const shown = isScalar(keyNode) && keyNode.value !== null ? ` (${String(keyNode.value).slice(0, 40)})` : ''
      report(ctx, at, `every key must be a string; this key is ${describeNode(keyNode)}${shown}: quote it`)
      continue
    }
    const key = keyNode.value
    // A lone (unpaired) UTF-16 surrogate, such as one from a JSON `\ud800` escape, cannot be sent as UTF-8.
    if (!key.isWellFormed()) {
      report(ctx, at, 'a key is not well-formed Unicode (a lone surrogate, e.g. from a "\\ud800" escape); it cannot be sent')
      continue
    }
    const first = seen.get(key)
    if (first !== undefined) {
      report(ctx, at, `duplicate key ${quoteKey(key)} (first on line ${locate(ctx, first).line})`)
      continue
    }
    seen.set(key, at)
    out.push({ key, at, value: pair.value })
  }
  return out
}

/** Converts config entries into strings and locations, reporting values that are not scalars. */
function convertEntries(ctx: Ctx, list: Entry[], config: Record<string, string>, locations: Record<string, Location>, prefix = ''): void {
  for (const e of list) {
    if (e.key === '__proto__') {
      report(ctx, e.at, 'the key "__proto__" is not a connector setting and cannot be kept')
      continue
    }
    const c = toConfigString(ctx, e.value)
    if ('what' in c) {
      const hint = e.key === '<<' ? ' (YAML merge keys are not supported)' : ''
      report(ctx, rangeStart(e.value) ?? e.at, `value of ${quoteKey(prefix + e.key)} is ${c.what}; config values must be strings${hint}`)
      continue
    }
    if (!c.value.isWellFormed()) {
      report(
        ctx,
        rangeStart(e.value) ?? e.at,
        `value of ${quoteKey(prefix + e.key)} is not well-formed Unicode (a lone surrogate, e.g. from a "\\ud800" escape); it cannot be sent`
      )
      continue
    }
    config[e.key] = c.value
    locations[e.key] = locate(ctx, e.at)
  }
}

/** Says what a mapping looks like when it is clearly not a connector, or undefined. */
function notAConnector(ctx: Ctx, keys: Map<string, Entry>): string | undefined {
  if (keys.has('apiVersion') && keys.has('kind')) {
    const kind = toConfigString(ctx, keys.get('kind')?.value)
    const name = 'value' in kind && /^[A-Za-z0-9.]{1,60}$/.test(kind.value) ? `${kind.value} ` : ''
    return `this looks like a Kubernetes ${name}resource (apiVersion/kind), not a connector config; copy its connector settings into a file of their own: ${EXPECTED}`
  }
  for (const k of ['resource', 'terraform', 'provider']) {
    if (keys.has(k) && isMap(deref(ctx, keys.get(k)?.value))) {
      return `this looks like a Terraform configuration ("${k}"), not a connector config; ${EXPECTED}`
    }
  }
  if (!['name', 'config', 'connector.class', 'confluent.custom.plugin.id'].some(k => keys.has(k))) {
    return `this does not look like a connector: it has none of "name", "config", "connector.class"; ${EXPECTED}`
  }
  return undefined
}

function wrapped(ctx: Ctx, raw: RawConnector, list: Entry[], keys: Map<string, Entry>): void {
  for (const e of list) {
    if (!WRAPPED_KEYS.includes(e.key)) {
      report(
        ctx,
        e.at,
        `unexpected key ${quoteKey(e.key)} next to "config": a wrapped connector has only name, config, environment_id, kafka_cluster_id and state; put connector settings inside "config"`
      )
    }
  }
  const outer: Record<string, string> = {}
  const outerLocations: Record<string, Location> = {}
  convertEntries(
    ctx,
    list.filter(e => e.key !== 'config' && WRAPPED_KEYS.includes(e.key)),
    outer,
    outerLocations
  )
  const configEntry = keys.get('config') as Entry
  const configNode = deref(ctx, configEntry.value)
  if (!isMap(configNode)) {
    report(ctx, rangeStart(configEntry.value) ?? configEntry.at, `"config" is ${describeNode(configNode)}; it must be an object of connector settings`)
    return
  }
  const inner: Record<string, string> = {}
  const innerLocations: Record<string, Location> = {}
  convertEntries(ctx, entries(ctx, configNode), inner, innerLocations, 'config.')
  if (outer.name !== undefined && inner.name !== undefined && outer.name !== inner.name) {
    const at = innerLocations.name
    ctx.problems.push({ file: ctx.file, ...at, message: `config.name ${quoteKey(inner.name)} differs from name ${quoteKey(outer.name)}; they must be equal` })
  }
  const name = outer.name ?? inner.name
  if (name !== undefined) {
    raw.name = name
    raw.config.name = name
    raw.locations.name = outerLocations.name ?? innerLocations.name
  }
  for (const [k, v] of Object.entries(inner)) {
    if (k === 'name') continue
    raw.config[k] = v
    raw.locations[k] = innerLocations[k]
  }
  if (outer.environment_id !== undefined) raw.environmentId = outer.environment_id
  if (outer.kafka_cluster_id !== undefined) raw.kafkaClusterId = outer.kafka_cluster_id
  if (outer.state !== undefined) {
    const state = STATES.find(s => s === outer.state)
    if (state) {
      raw.state = state
      raw.locations.state = outerLocations.state
    } else {
      const shown = /^[A-Za-z_]{1,20}$/.test(outer.state) ? ` ${quoteKey(outer.state)}` : ''
      ctx.problems.push({ file: ctx.file, ...outerLocations.state, message: `"state"${shown} must be RUNNING or PAUSED (in capitals)` })
    }
  }
}

function flat(ctx: Ctx, raw: RawConnector, list: Entry[]): void {
  for (const e of list) {
    if (e.key === 'environment_id' || e.key === 'kafka_cluster_id' || e.key === 'state') {
      report(
        ctx,
        e.at,
        `${quoteKey(e.key)} belongs to the wrapped shape {"name", "config", "${e.key}"}; in a flat config it would be sent to Confluent as a connector setting`
      )
    }
  }
  convertEntries(ctx, list, raw.config, raw.locations)
  if (raw.config.name !== undefined) raw.name = raw.config.name
}

function parseDocument(ctx: Ctx, node: unknown, index: number, what: string): RawConnector | undefined {
  const resolved = deref(ctx, node)
  const at = rangeStart(node) ?? 0
  if (!isMap(resolved)) {
    const looksLikeProperties = isScalar(resolved) && typeof resolved.value === 'string' && /^[\w.-]+\s*=/m.test(resolved.value)
    const hint = looksLikeProperties ? ' (it looks like a Java .properties file)' : ''
    report(ctx, at, `${what} is ${describeNode(resolved)}${hint}, not a connector; ${EXPECTED}`)
    return undefined
  }
  const before = ctx.problems.length
  const list = entries(ctx, resolved)
  const keys = new Map(list.map(e => [e.key, e]))
  const looksLike = notAConnector(ctx, keys)
  if (looksLike) {
    report(ctx, at, looksLike)
    return undefined
  }
  const raw: RawConnector = { file: ctx.file, index, line: locate(ctx, at).line, config: {}, locations: {} }
  if (keys.has('config')) wrapped(ctx, raw, list, keys)
  else flat(ctx, raw, list)
  return ctx.problems.length === before ? raw : undefined
}

/** yaml's message, cut short: some messages end with a quoted excerpt of the source, which may hold a secret. */
function shortMessage(err: YAMLError, text: string): string {
  const lineStart = text.lastIndexOf('\n', err.pos[0] - 1) + 1
  const atLineStart = text.slice(lineStart, err.pos[0]).trim() === ''
  if (atLineStart && /^Unexpected flow-map-start (token in YAML stream|at node end)/.test(err.message)) {
    return 'a second top-level object starts here; put several connectors in a JSON array [{...}, {...}] or YAML documents separated by ---'
  }
  let m = err.message.split('\n')[0].replace(/: ".*$/, '')
  if (m.length > 120) m = `${m.slice(0, 117)}...`
  return m
}

function isEmptyDocument(node: unknown): boolean {
  if (node === null || node === undefined) return true
  if (!isScalar(node) || node.value !== null) return false
  const r = node.range
  return !r || r[0] === r[1]
}

/** The connectors of one document's contents (a map, or an array of maps) into `connectors`. */
function documentContents(ctx: Ctx, contents: unknown, next: { index: number }, connectors: RawConnector[]): void {
  if (isSeq(contents)) {
    if (contents.items.length === 0) report(ctx, rangeStart(contents) ?? 0, 'the array is empty: file holds no connector')
    contents.items.forEach((item, i) => {
      const raw = parseDocument(ctx, item, next.index++, `array element ${i + 1}`)
      if (raw) connectors.push(raw)
    })
  } else {
    const raw = parseDocument(ctx, contents, next.index++, 'the document')
    if (raw) connectors.push(raw)
  }
}

/**
 * Parses one connector file's text (`file` is its workspace-relative path; `.json` files must also be
 * JSON). Returns the connector documents found and every problem, each located at a line and column;
 * never throws for bad input. Line ends may be LF, CRLF or CR alone. Linear in the text's length:
 * nesting past MAX_DEPTH, more than MAX_KEYS keys in an object or more than MAX_ALIASES aliases are
 * refused (issue 12).
 */
export function parseFile(file: string, source: string): { connectors: RawConnector[]; problems: Problem[] } {
  // A CR alone ends a line too (YAML 1.2 b-break; JSON whitespace): as LF, at the same offset, so
  // positions and lines stay right.
  const text = source.includes('\r') ? source.replace(/\r(?!\n)/g, '\n') : source
  const lc = new LineCounter()
  const problems: Problem[] = []
  const connectors: RawConnector[] = []
  const format = /\.json$/i.test(file) ? 'JSON' : 'YAML'
  const nestedTooDeep = (deep: number) => {
    lc.addNewLine(0)
    for (let i = 0; i <= deep; i++) if (text[i] === '\n') lc.addNewLine(i + 1)
    const at = lc.linePos(deep)
    problems.push({ file, line: at.line, column: at.col, message: `nested more than ${MAX_DEPTH} levels deep; a connector config is a flat map of strings` })
    return { connectors, problems }
  }
  // JSON first: the fast path measures the depth as it goes (one scan, not two).
  const json = format === 'JSON' ? fastJson(text, MAX_DEPTH) : undefined
  if (json && 'deep' in json) return nestedTooDeep(json.deep)
  if (json) {
    countLines(lc, text)
    documentContents({ file, text, lc, problems, aliases: new Map() }, json.node, { index: 0 }, connectors)
    if (connectors.length === 0 && problems.length === 0) problems.push({ file, line: 1, column: 1, message: `file holds no connector; ${EXPECTED}` })
    return { connectors, problems }
  }
  const deep = tooDeep(text)
  if (deep !== undefined) return nestedTooDeep(deep)
  let parsed: ReturnType<typeof parseAllDocuments>
  try {
    // uniqueKeys off: yaml's check is quadratic (60,000 keys took 20 s); entries() finds duplicates.
    parsed = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, lineCounter: lc })
  } catch (err) {
    problems.push({ file, line: 1, column: 1, message: `not valid ${format}: ${err instanceof Error ? err.name : 'parse error'}` })
    return { connectors, problems }
  }
  const docs = Array.isArray(parsed) ? parsed : []
  const next = { index: 0 }
  const aliasCount = { count: 0 }
  const mayAlias = text.includes('*')
  for (const doc of docs) {
    const ctx: Ctx = { file, text, lc, doc, problems, aliases: new Map() }
    const fatal = doc.errors
    if (fatal.length > 0) {
      const more =
        fatal.length > 1 && !/^a second top-level/.test(shortMessage(fatal[0], text))
          ? ` (and ${fatal.length - 1} more error${fatal.length > 2 ? 's' : ''})`
          : ''
      // A quote never closed is reported at the end of the file: point at where it opens instead. (Where
      // yaml stops earlier, at a line indented too little to go on, its own position is the better one.)
      const atEnd = text.slice(fatal[0].pos[0]).trim() === ''
      const opened = atEnd && fatal[0].code === 'MISSING_CHAR' && /closing .?quote/.test(fatal[0].message) ? unclosedQuoteAt(text) : undefined
      if (opened !== undefined) {
        report(ctx, opened, `not valid ${format}: the quote that opens here is never closed`)
        continue
      }
      report(ctx, Math.max(0, fatal[0].pos[0]), `not valid ${format}: ${shortMessage(fatal[0], text)}${more}`)
      continue
    }
    // An alias is written `*name`: a file without `*` has none, and needs no walk.
    if (mayAlias && !resolveAliases(ctx, aliasCount)) continue
    const contents = doc.contents
    if (isEmptyDocument(contents)) continue
    documentContents(ctx, contents, next, connectors)
  }
  if (format === 'JSON' && text.replace(/^\uFEFF/, '').trim() !== '') {
    // Not JSON at all: say so, where it stops being JSON, rather than what yaml made of it (unless
    // yaml already explained it better: two objects one after the other).
    const problem = jsonProblem(file, text, lc, docs as Document.Parsed[])
    if (problem && !problems.some(p => /a second top-level object/.test(p.message))) return { connectors: [], problems: [problem] }
  }
  if (connectors.length === 0 && problems.length === 0) problems.push({ file, line: 1, column: 1, message: `file holds no connector; ${EXPECTED}` })
  return { connectors, problems }
}
