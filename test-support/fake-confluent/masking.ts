// Which config keys the fake treats as type PASSWORD (the plugin catalogue), and what the server adds to every config.

import { readFileSync } from 'node:fs'

export const MASK = '****************' // sixteen asterisks, as the real API answers most often

/** The managed plugins' PASSWORD keys, class -> keys (copied from shared/reference; `_source` says where from). */
const CATALOGUE: Record<string, string[]> = (() => {
  const raw = JSON.parse(readFileSync(new URL('./plugin-password-keys.json', import.meta.url), 'utf8')) as Record<string, unknown>
  const out: Record<string, string[]> = {}
  for (const [cls, keys] of Object.entries(raw)) if (cls !== '_source' && Array.isArray(keys)) out[cls] = keys.map(String)
  return out
})()

/** The catalogue's PASSWORD keys of a class (undefined when the class is not in it). */
export function catalogueKeys(cls: string): readonly string[] | undefined {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, cls) ? CATALOGUE[cls] : undefined
}

/** The options that decide masking (FakeOptions fits). */
export interface MaskRules {
  maskKafkaApiKey?: boolean
  passwordKeys?: readonly string[]
  pluginPasswordKeys?: Record<string, readonly string[]>
  mask?: string
}

/**
 * PASSWORD rule, by the plugin's declared types, never by key names (api-notes: "Masking follows the
 * plugin's declared types, not key names"). `cls` is the config's `connector.class`.
 * - `kafka.api.secret`: always.
 * - `kafka.api.key`: `maskKafkaApiKey` when set, else as the catalogue says for the class.
 * - the catalogue's keys of the class, `pluginPasswordKeys[cls]`, and `passwordKeys` (any class).
 */
export function passwordKeysOf(cls: string | undefined, rules: MaskRules = {}): Set<string> {
  const keys = new Set<string>([
    'kafka.api.secret',
    ...(catalogueKeys(cls ?? '') ?? []),
    ...(rules.pluginPasswordKeys?.[cls ?? ''] ?? []),
    ...(rules.passwordKeys ?? [])
  ])
  if (rules.maskKafkaApiKey === true) keys.add('kafka.api.key')
  if (rules.maskKafkaApiKey === false && !(rules.passwordKeys ?? []).includes('kafka.api.key')) keys.delete('kafka.api.key')
  return keys
}

export function isPasswordKey(key: string, cls: string | undefined, rules: MaskRules = {}): boolean {
  return passwordKeysOf(cls, rules).has(key)
}

/** A PASSWORD value as the API shows it: "" stays "" (api-notes: "An empty PASSWORD value comes back as \"\""), else the mask. */
export const maskValue = (value: string, rules: MaskRules = {}): string => (value === '' ? '' : (rules.mask ?? MASK))

/** A copy with PASSWORD values masked and keys sorted (as the captured real responses are). */
export function maskConfig(config: Record<string, string>, rules: MaskRules = {}): Record<string, string> {
  const secret = passwordKeysOf(config['connector.class'], rules)
  const out: Record<string, string> = {}
  for (const key of Object.keys(config).sort()) out[key] = secret.has(key) ? maskValue(config[key], rules) : config[key]
  return out
}

/** `source` if the class contains "Source", `sink` if "Sink" (case-insensitive), else `unknown`. */
export function connectorType(config: Record<string, string>): 'source' | 'sink' | 'unknown' {
  const cls = config['connector.class'] ?? ''
  if (/source/i.test(cls)) return 'source'
  if (/sink/i.test(cls)) return 'sink'
  return 'unknown'
}

export function isCustom(config: Record<string, string>): boolean {
  return (config['confluent.connector.type'] ?? '').trim().toUpperCase() === 'CUSTOM'
}

/**
 * Adds the keys no user wrote, as the real API does. `cloud.*`, `kafka.endpoint` and
 * `kafka.region` are server-owned (they overwrite what a user sent);
 * `kafka.max.partition.validation.disable` is a default for managed connectors only.
 */
export function withServerKeys(
  config: Record<string, string>,
  cluster: string,
  custom?: { runtime?: string; javaVersion?: string; versionId?: string | false }
): Record<string, string> {
  const out: Record<string, string> = { ...config }
  out['cloud.environment'] = 'prod'
  out['cloud.provider'] = 'aws'
  out['kafka.endpoint'] = `SASL_SSL://pkc-${shortHash(cluster)}.us-east-1.aws.confluent.cloud:9092`
  out['kafka.region'] = 'us-east-1'
  if (!isCustom(config) && out['kafka.max.partition.validation.disable'] === undefined) {
    out['kafka.max.partition.validation.disable'] = 'false'
  }
  // The rest of the keys api-notes.md lists as added by the server (not drift).
  const h = shortHash(cluster)
  out['kafka.dedicated'] = 'false'
  out['schema.registry.url'] = `https://psrc-${h}.us-east-1.aws.confluent.cloud`
  out['valid.kafka.api.key'] = 'true'
  out['connector.crn'] = `crn://confluent.cloud/kafka=${cluster}/connector=${config.name ?? ''}`
  out['confluent.resource.connector.tier'] = 'STANDARD'
  out['config.internal.provisioned.by'] = 'connect-control-plane'
  if (isCustom(config)) {
    // api-notes: "The server fills CUSTOM keys when they are absent". connector.class is the user's
    // (a CUSTOM PUT without it is refused, see handlers.ts).
    const k = custom ?? {}
    out['confluent.custom.plugin.type'] = 'SOURCE'
    out['confluent.custom.connect.plugin.runtime'] ??= k.runtime ?? '3.9.0'
    out['confluent.custom.connect.java.version'] ??= k.javaVersion ?? '17'
    if (k.versionId !== false) out['confluent.custom.plugin.version.id'] ??= k.versionId ?? `ver-${shortHash(config['confluent.custom.plugin.id'] ?? '')}`
  }
  return out
}

function shortHash(s: string): string {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0
  return h.toString(36).padStart(7, '0').slice(-5)
}
