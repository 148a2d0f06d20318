// Every input of the action, read in one place from one table of names (INPUTS), into one typed
// Settings. Pure: it takes a getter, so main.ts passes @actions/core's getInput and tests a plain
// object. All bad inputs are collected into one SettingsError; no value of a secret input is echoed.
import type { LiteralSecrets, Settings } from '../model/types.js'
import { DEFAULT_FILES, TARGET_ID, TARGET_ID_RULE } from '../model/types.js'

/** The action's inputs, by the name action.yml gives them. The docs test checks this table against action.yml. */
export const INPUTS = [
  'files',
  'api-key',
  'api-secret',
  'identity-pool-id',
  'oidc-audience',
  'environment-id',
  'kafka-cluster-id',
  'kafka-api-key',
  'kafka-api-secret',
  'secrets',
  'vars',
  'dry-run',
  'validate',
  'force',
  'wait',
  'restart-failed-tasks',
  'wait-timeout',
  'max-concurrency',
  'max-retries',
  'request-timeout',
  'run-timeout',
  'api-url',
  'github-token',
  'comment',
  'fail-on-empty',
  'prune',
  'prune-match',
  'max-deletions',
  'literal-secrets',
  'drift-issue',
  'export-to'
] as const

export type InputName = (typeof INPUTS)[number]

/** Inputs whose values are secrets: registered with the runner's masking before anything is read. */
export const SECRET_INPUTS: readonly InputName[] = ['api-secret', 'kafka-api-secret', 'secrets', 'github-token']

export const DEFAULT_API_URL = 'https://api.confluent.cloud'

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'))
    this.name = 'SettingsError'
  }
}

export type InputGetter = (name: InputName) => string

/** Parses `secrets`/`vars`: a JSON object, or `NAME=value` lines. Non-string JSON values are turned
 * into their JSON text (toJSON(vars) only has strings; this keeps odd inputs usable). In a line, the
 * value is everything after the first `=`, without the white space around it (`PG_HOST = db` gives
 * `db`, as dotenv files and shells' `export` lines read): a stray space would otherwise be sent inside
 * a connection URL. A value that must begin or end with a space goes in the JSON form, kept exactly.
 * Returns the values by name; appends one problem per bad line and per name given twice (never its
 * text: it may hold a secret). `onValue` hears every value, also of a line refused (a name given twice,
 * a bad name): the caller registers them as secrets. */
export function parseKeyValues(input: string, inputName: string, problems: string[], onValue?: (value: string) => void): Record<string, string> {
  const text = input.trim()
  const out: Record<string, string> = {}
  if (text === '') return out
  if (text.startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      // Never echo the text: it holds secrets.
      problems.push(`input "${inputName}" starts with "{" but is not valid JSON`)
      return out
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      problems.push(`input "${inputName}" must be a JSON object`)
      return out
    }
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (v === null || v === undefined) continue
      out[k] = typeof v === 'string' ? v : JSON.stringify(v)
      onValue?.(out[k])
    }
    return out
  }
  const lines = text.split(/\r?\n/)
  const firstLine = new Map<string, number>()
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return
    const eq = line.indexOf('=')
    if (eq >= 0) onValue?.(line.slice(eq + 1).trim())
    const name = eq > 0 ? line.slice(0, eq).trim() : ''
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      problems.push(`input "${inputName}" line ${i + 1}: expected NAME=value (a value of several lines, such as a PEM key, needs the JSON form)`)
      return
    }
    // Two lines with one name are a copy-paste slip: which value is meant cannot be guessed, and taking
    // the last would send it silently. Not named in the message: a line of a multi-line value pasted
    // here may look like NAME=value.
    const first = firstLine.get(name)
    if (first !== undefined) {
      problems.push(`input "${inputName}" line ${i + 1}: the same name as line ${first}; give each name once`)
      return
    }
    firstLine.set(name, i + 1)
    out[name] = line.slice(eq + 1).trim()
  })
  return out
}

/** How a bad value is quoted in a problem: whole when short (the caller redacts it before printing, so a
 * secret pasted into the wrong input is masked), else only its length: a cut value could hold part of a
 * secret that the redactor no longer recognises. */
function shown(v: string): string {
  return v.length <= 40 ? `"${v}"` : `a value of ${v.length} characters`
}

function parseBool(get: InputGetter, name: InputName, fallback: boolean, problems: string[]): boolean {
  const v = get(name).trim()
  if (v === '') return fallback
  if (/^(true|yes|on|1)$/i.test(v)) return true
  if (/^(false|no|off|0)$/i.test(v)) return false
  problems.push(`input "${name}" must be true or false, got ${shown(v)}`)
  return fallback
}

function parseInt10(get: InputGetter, name: InputName, fallback: number, min: number, max: number, problems: string[]): number {
  const v = get(name).trim()
  if (v === '') return fallback
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    problems.push(`input "${name}" must be a whole number from ${min} to ${max}, got ${shown(v)}`)
    return fallback
  }
  return Number(v)
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/** `api-url`: https (plain http only for loopback), no user info, query or fragment. The value is never
 * echoed: it could hold credentials (`https://user:pw@host`). */
function parseApiUrl(raw: string, problems: string[]): string {
  const text = (raw.trim() || DEFAULT_API_URL).replace(/\/+$/, '')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    problems.push('input "api-url" is not a URL')
    return DEFAULT_API_URL
  }
  if (url.username || url.password) {
    problems.push('input "api-url" must not hold a user name or password (credentials go in api-key/api-secret)')
    return DEFAULT_API_URL
  }
  if (url.search || url.hash || text.includes('?') || text.includes('#')) {
    problems.push('input "api-url" must not have a query or a fragment')
    return DEFAULT_API_URL
  }
  if (url.protocol === 'https:') return text
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return text
  problems.push('input "api-url" must use https (plain http is allowed only for 127.0.0.1/localhost)')
  return DEFAULT_API_URL
}

function parseChoice<T extends string>(get: InputGetter, name: InputName, choices: readonly T[], fallback: T, problems: string[]): T {
  const raw = get(name).trim()
  const v = raw.toLowerCase()
  if (v === '') return fallback
  if ((choices as readonly string[]).includes(v)) return v as T
  problems.push(`input "${name}" must be one of ${choices.join(', ')}, got ${shown(raw)}`)
  return fallback
}

/** The `files` input's patterns, one a line; the defaults when it names none. */
export function filesOf(value: string): string[] {
  const files = splitLines(value)
  return files.length > 0 ? files : [...DEFAULT_FILES]
}

export function splitLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map(l => l.trim())
    .filter(l => l !== '' && !l.startsWith('#'))
}

/**
 * Reads every input through `get` into Settings. Throws SettingsError listing every problem (values of
 * secret inputs are never quoted).
 */
export function readSettings(get: InputGetter, env: { workspace: string; version: string }): Settings {
  const problems: string[] = []
  const apiKey = get('api-key').trim()
  const apiSecret = get('api-secret').trim()
  const identityPoolId = get('identity-pool-id').trim()
  let auth: Settings['auth']
  if (identityPoolId) {
    if (apiKey || apiSecret) problems.push('inputs "api-key"/"api-secret" and "identity-pool-id" exclude each other: keyless login needs no Cloud API key')
    if (!/^pool-[A-Za-z0-9]+$/.test(identityPoolId)) problems.push('input "identity-pool-id" must look like pool-AbC123')
    auth = { kind: 'oidc', identityPoolId, audience: get('oidc-audience').trim() }
  } else {
    if (!apiKey) problems.push('input "api-key" is required (or "identity-pool-id" for keyless login)')
    if (!apiSecret) problems.push('input "api-secret" is required (or "identity-pool-id" for keyless login)')
    auth = { kind: 'api-key', apiKey, apiSecret }
  }
  const files = filesOf(get('files'))
  const prune = parseBool(get, 'prune', false, problems)
  const pruneMatch = splitLines(get('prune-match'))
  if (prune && pruneMatch.filter(p => !p.startsWith('!')).length === 0) {
    problems.push('input "prune-match" is required when "prune" is true: name the connectors this repository owns (`*` when it owns whole clusters)')
  }
  const exportTo = get('export-to').trim().replace(/\\/g, '/').replace(/\/+$/, '')
  if (exportTo && (exportTo.startsWith('/') || /^[A-Za-z]:/.test(exportTo) || exportTo.split('/').includes('..'))) {
    problems.push('input "export-to" must be a folder inside the workspace (relative, no "..")')
  }
  // Checked here, once, not as a problem of every file that uses them: each becomes part of every URL.
  for (const name of ['environment-id', 'kafka-cluster-id'] as const) {
    const value = get(name).trim()
    if (value !== '' && !TARGET_ID.test(value)) problems.push(`input "${name}" ${TARGET_ID_RULE} (like env-a1b2c3, lkc-x1y2z3), got ${shown(value)}`)
  }
  const settings: Settings = {
    workspace: env.workspace,
    files,
    auth,
    environmentId: get('environment-id').trim(),
    kafkaClusterId: get('kafka-cluster-id').trim(),
    kafkaApiKey: get('kafka-api-key').trim(),
    kafkaApiSecret: get('kafka-api-secret').trim(),
    secrets: parseKeyValues(get('secrets'), 'secrets', problems),
    vars: parseKeyValues(get('vars'), 'vars', problems),
    dryRun: parseBool(get, 'dry-run', false, problems),
    validate: parseBool(get, 'validate', true, problems),
    force: parseBool(get, 'force', false, problems),
    wait: parseBool(get, 'wait', true, problems),
    waitTimeoutSeconds: parseInt10(get, 'wait-timeout', 600, 1, 86400, problems),
    restartFailedTasks: parseInt10(get, 'restart-failed-tasks', 0, 0, 10, problems),
    maxConcurrency: parseInt10(get, 'max-concurrency', 2, 1, 64, problems),
    maxRetries: parseInt10(get, 'max-retries', 5, 0, 100, problems),
    apiUrl: parseApiUrl(get('api-url'), problems),
    failOnEmpty: parseBool(get, 'fail-on-empty', true, problems),
    requestTimeoutMs: parseInt10(get, 'request-timeout', 30, 1, 600, problems) * 1000,
    runTimeoutSeconds: parseInt10(get, 'run-timeout', 3600, 1, 6 * 3600, problems),
    prune,
    pruneMatch,
    maxDeletions: parseInt10(get, 'max-deletions', 5, 0, 100000, problems),
    literalSecrets: parseChoice<LiteralSecrets>(get, 'literal-secrets', ['warn', 'error', 'allow'], 'warn', problems),
    driftIssue: parseBool(get, 'drift-issue', false, problems),
    exportTo,
    comment: parseBool(get, 'comment', true, problems),
    githubToken: get('github-token').trim(),
    userAgent: `apply-connectors/${env.version} (+https://github.com/features/actions)`
  }
  if (problems.length > 0) throw new SettingsError(problems)
  return settings
}
