// Which config keys the fake treats as type PASSWORD, and what the server adds to every config.

export const MASK = '****************' // exactly sixteen asterisks, as the real API answers

/**
 * PASSWORD rule (masked in EVERY response: list expand, GET config, GET connector, PUT, validate):
 * - `kafka.api.key`: only when `maskKafkaApiKey` is set (the real API varies). The validate
 *   endpoint always declares it PASSWORD, as fixtures/tf-managed__validate.json shows.
 * - `kafka.api.secret`: always.
 * - any other key whose name contains (case-insensitive) `password`, `secret`, `credentials`,
 *   `private.key`, `keystore.key`, `truststore.key`, `api.key` or `basic.auth.user.info`,
 * - except keys ending in `credentials.source` (an enum such as USER_INFO, type STRING for real).
 */
const SENSITIVE = /password|secret|credentials|private\.key|keystore\.key|truststore\.key|api\.key|basic\.auth\.user\.info/i

export function isPasswordKey(key: string, maskKafkaApiKey: boolean, extra: readonly string[] = []): boolean {
  if (key === 'kafka.api.key') return maskKafkaApiKey
  if (extra.includes(key)) return true
  if (/credentials\.source$/i.test(key)) return false
  return SENSITIVE.test(key)
}

/** A copy with PASSWORD values masked and keys sorted (as the captured real responses are). */
export function maskConfig(config: Record<string, string>, maskKafkaApiKey: boolean, extra: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(config).sort()) {
    out[key] = isPasswordKey(key, maskKafkaApiKey, extra) ? MASK : config[key]
  }
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
export function withServerKeys(config: Record<string, string>, cluster: string): Record<string, string> {
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
    // A custom connector's class comes from its plugin (fixtures/tf-custom__read_created_connectors.json).
    out['connector.class'] ??= `io.example.plugin.${config['confluent.custom.plugin.id'] ?? 'unknown'}.Connector`
    out['confluent.custom.plugin.type'] = 'SOURCE'
  }
  return out
}

function shortHash(s: string): string {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0
  return h.toString(36).padStart(7, '0').slice(-5)
}
