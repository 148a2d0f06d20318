// Stage 3: fill in `${{ secrets.NAME }}` and `${{ vars.NAME }}` inside config values. Nothing else is
// touched: `${file:...}`, `${topic}`, `$1`, `ExtractField$Key` go to Confluent byte for byte. One pass
// only: a substituted value that itself contains `${{ ... }}` is not substituted again.
import type { Problem, RawConnector, SubstitutedConnector } from '../model/types.js'

export interface Inputs {
  secrets: Record<string, string>
  vars: Record<string, string>
}

export interface Substituted {
  value: string
  /** True when the text held at least one `secrets.` placeholder (found or not). */
  usedSecret: boolean
  /** Placeholders whose name is not given, as written: `secrets.NAME`, `vars.NAME`. Never values. */
  missing: string[]
  /** `secrets.NAME` placeholders whose secret is given but empty: `NAME=${{ secrets.X }}` with a secret
   * GitHub does not have (a typo) gives an empty line value, and an empty credential would be sent. */
  empty: string[]
  /** `${{ ... }}` expressions that are not secrets.*\/vars.* (or are unterminated), described without values. */
  invalid: string[]
}

/** Most missing names and invalid expressions listed per value: the run fails anyway. */
const MAX_LISTED = 10
const REFERENCE = /^(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)$/i

const lowerCaseIndex = new WeakMap<Record<string, string>, Map<string, string>>()

/** Exact name first, then case-insensitively (GitHub upper-cases secret names). */
function lookup(source: Record<string, string>, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(source, name)) return source[name]
  let index = lowerCaseIndex.get(source)
  if (!index) {
    index = new Map()
    for (const [k, v] of Object.entries(source)) if (!index.has(k.toLowerCase())) index.set(k.toLowerCase(), v)
    lowerCaseIndex.set(source, index)
  }
  return index.get(name.toLowerCase())
}

function describeExpression(inner: string): string {
  const expr = inner.trim()
  return /^[A-Za-z_][\w.-]{0,60}$/.test(expr) ? `\${{ ${expr} }}` : 'a ${{ ... }} expression'
}

/**
 * Fills the `${{ secrets.NAME }}` / `${{ vars.NAME }}` placeholders of one text (names looked up
 * exactly, then case-insensitively). Each `${{` runs to the first `}}` after it. Linear in the text's
 * length (the former lazy regex plus an unterminated check took 10 s on 80,000 `${{`). Never throws;
 * each missing name and each invalid expression is listed once, without values.
 */
export function substituteString(text: string, inputs: Inputs): Substituted {
  const result: Substituted = { value: text, usedSecret: false, missing: [], empty: [], invalid: [] }
  if (!text.includes('${{')) return result
  const missing = new Set<string>()
  const empty = new Set<string>()
  const invalid = new Set<string>()
  const parts: string[] = []
  let pos = 0
  for (;;) {
    const start = text.indexOf('${{', pos)
    if (start < 0) break
    const end = text.indexOf('}}', start + 3)
    if (end < 0) {
      invalid.add('a "${{" without its closing "}}"')
      break
    }
    parts.push(text.slice(pos, start))
    pos = end + 2
    const whole = text.slice(start, pos)
    const inner = text.slice(start + 3, end)
    const m = REFERENCE.exec(inner.trim())
    if (!m) {
      if (invalid.size < MAX_LISTED) invalid.add(describeExpression(inner))
      parts.push(whole)
      continue
    }
    const context = m[1].toLowerCase() as 'secrets' | 'vars'
    if (context === 'secrets') result.usedSecret = true
    const value = lookup(inputs[context], m[2])
    if (value === undefined && missing.size < MAX_LISTED) missing.add(`${context}.${m[2]}`)
    if (value === '' && context === 'secrets' && empty.size < MAX_LISTED) empty.add(`${context}.${m[2]}`)
    parts.push(value ?? whole)
  }
  parts.push(text.slice(pos))
  result.value = parts.join('')
  result.missing = [...missing]
  result.empty = [...empty]
  result.invalid = [...invalid]
  return result
}

/** Problems of one substituted value, named by where it stands (`"key"` or `environment_id`). */
function report(r: Substituted, at: Problem, where: string, problems: Problem[]): void {
  for (const name of r.missing) {
    const input = name.startsWith('secrets.') ? 'secrets' : 'vars'
    problems.push({ ...at, message: `placeholder \${{ ${name} }} in ${where} is not set: the ${input} input has no ${name.slice(input.length + 1)}` })
  }
  for (const name of r.empty) {
    problems.push({
      ...at,
      message: `placeholder \${{ ${name} }} in ${where} is empty: the secrets input gives ${name.slice('secrets.'.length)} no value (a secret GitHub does not have expands to nothing; check its name)`
    })
  }
  for (const what of r.invalid) {
    problems.push({ ...at, message: `${what} in ${where}: only \${{ secrets.NAME }} and \${{ vars.NAME }} are substituted` })
  }
}

/**
 * Fills placeholders in the config values and in a wrapped document's `environment_id` /
 * `kafka_cluster_id`. Takes the parsed connector and the `secrets`/`vars` inputs; returns a new
 * SubstitutedConnector (the raw one is not changed) and the problems (missing names, never values).
 */
export function substitute(raw: RawConnector, inputs: Inputs): { connector: SubstitutedConnector; problems: Problem[] } {
  const config: Record<string, string> = {}
  const secretKeys: string[] = []
  const problems: Problem[] = []
  for (const [key, template] of Object.entries(raw.config)) {
    const where = raw.locations[key] ?? { line: raw.line }
    const at = { file: raw.file, line: where.line, ...('column' in where ? { column: where.column } : {}), message: '' }
    if (key.includes('${{')) problems.push({ ...at, message: `key ${JSON.stringify(key)} holds a placeholder; placeholders are only substituted in values` })
    const r = substituteString(template, inputs)
    config[key] = r.value
    if (r.usedSecret) secretKeys.push(key)
    report(r, at, `"${key}"`, problems)
  }
  const target: { environmentId?: string; kafkaClusterId?: string } = {}
  for (const [field, name] of [
    ['environmentId', 'environment_id'],
    ['kafkaClusterId', 'kafka_cluster_id']
  ] as const) {
    const value = raw[field]
    if (value === undefined) continue
    const r = substituteString(value, inputs)
    target[field] = r.value
    report(r, { file: raw.file, line: raw.line, message: '' }, name, problems)
  }
  return { connector: { raw, config, secretKeys, ...target }, problems }
}
