// Turns the action's raw inputs into one typed Settings object. Pure: it takes a getter for inputs,
// so main.ts passes @actions/core's getInput and tests pass a plain object.
import type { Settings } from './types.js'

export const DEFAULT_FILES = ['connectors/**/*.json', 'connectors/**/*.yaml', 'connectors/**/*.yml']
export const DEFAULT_API_URL = 'https://api.confluent.cloud'

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'))
    this.name = 'SettingsError'
  }
}

export type InputGetter = (name: string) => string

/** Parses `secrets`/`vars`: a JSON object, or `NAME=value` lines. Non-string JSON values are turned
 * into their JSON text (toJSON(vars) only has strings; this keeps odd inputs usable). */
export function parseKeyValues(input: string, inputName: string, problems: string[]): Record<string, string> {
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
    }
    return out
  }
  const lines = text.split(/\r?\n/)
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return
    const eq = line.indexOf('=')
    const name = eq > 0 ? line.slice(0, eq).trim() : ''
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      problems.push(`input "${inputName}" line ${i + 1}: expected NAME=value`)
      return
    }
    out[name] = line.slice(eq + 1)
  })
  return out
}

function parseBool(get: InputGetter, name: string, fallback: boolean, problems: string[]): boolean {
  const v = get(name).trim()
  if (v === '') return fallback
  if (/^(true|yes|on|1)$/i.test(v)) return true
  if (/^(false|no|off|0)$/i.test(v)) return false
  problems.push(`input "${name}" must be true or false, got "${v}"`)
  return fallback
}

function parseInt10(get: InputGetter, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const v = get(name).trim()
  if (v === '') return fallback
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    problems.push(`input "${name}" must be a whole number from ${min} to ${max}, got "${v}"`)
    return fallback
  }
  return Number(v)
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

function parseApiUrl(raw: string, problems: string[]): string {
  const text = (raw.trim() || DEFAULT_API_URL).replace(/\/+$/, '')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    problems.push(`input "api-url" is not a URL: "${text}"`)
    return DEFAULT_API_URL
  }
  if (url.protocol === 'https:') return text
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return text
  problems.push(`input "api-url" must use https (plain http is allowed only for 127.0.0.1/localhost), got "${url.origin}"`)
  return DEFAULT_API_URL
}

export function splitLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map(l => l.trim())
    .filter(l => l !== '' && !l.startsWith('#'))
}

export function readSettings(get: InputGetter, env: { workspace: string; version: string }): Settings {
  const problems: string[] = []
  const apiKey = get('api-key').trim()
  const apiSecret = get('api-secret').trim()
  if (!apiKey) problems.push('input "api-key" is required')
  if (!apiSecret) problems.push('input "api-secret" is required')
  const files = splitLines(get('files'))
  const settings: Settings = {
    workspace: env.workspace,
    files: files.length > 0 ? files : DEFAULT_FILES,
    apiKey,
    apiSecret,
    environmentId: get('environment-id').trim(),
    kafkaClusterId: get('kafka-cluster-id').trim(),
    kafkaApiKey: get('kafka-api-key').trim(),
    kafkaApiSecret: get('kafka-api-secret').trim(),
    secrets: parseKeyValues(get('secrets'), 'secrets', problems),
    vars: parseKeyValues(get('vars'), 'vars', problems),
    dryRun: parseBool(get, 'dry-run', false, problems),
    validate: parseBool(get, 'validate', true, problems),
    force: parseBool(get, 'force', false, problems),
    wait: parseBool(get, 'wait', false, problems),
    waitTimeoutSeconds: parseInt10(get, 'wait-timeout', 600, 1, 86400, problems),
    maxConcurrency: parseInt10(get, 'max-concurrency', 2, 1, 64, problems),
    maxRetries: parseInt10(get, 'max-retries', 5, 0, 100, problems),
    apiUrl: parseApiUrl(get('api-url'), problems),
    failOnEmpty: parseBool(get, 'fail-on-empty', true, problems),
    requestTimeoutMs: parseInt10(get, 'request-timeout', 30, 1, 600, problems) * 1000,
    userAgent: `apply-connectors/${env.version} (+https://github.com/features/actions)`
  }
  if (problems.length > 0) throw new SettingsError(problems)
  return settings
}
