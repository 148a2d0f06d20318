// Decides per connector: create, update (with a key-level diff) or unchanged, against what one
// list call per cluster returned. Server-added keys and masked values are not differences.
import { MASK } from './confluent-client.js'
import type { ConnectorSpec, KeyChange, LiveConnector, PlanItem, PlannedAction } from './types.js'
import { isCustom } from './validate.js'

/** Keys Confluent adds to every connector that no user wrote (api-notes.md). Not drift. */
const SERVER_KEYS = new Set([
  'cloud.environment',
  'cloud.provider',
  'kafka.endpoint',
  'kafka.region',
  'kafka.max.partition.validation.disable',
  'kafka.dedicated',
  'schema.registry.url',
  'valid.kafka.api.key',
  'connector.crn',
  'confluent.custom.plugin.type',
  'confluent.resource.connector.tier'
])
const SERVER_PREFIXES = ['config.internal.', 'cloud.']

/** Keys the server fills with a default when the file leaves them out: absent in the file and equal
 * to this default on the server is not drift. */
const SERVER_DEFAULTS: Record<string, string> = {
  'kafka.auth.mode': 'KAFKA_API_KEY',
  'confluent.connector.type': 'MANAGED'
}

export function isServerKey(key: string): boolean {
  return SERVER_KEYS.has(key) || SERVER_PREFIXES.some(p => key.startsWith(p))
}

const CREDENTIAL_LIKE =
  /(password|passwd|secret|credential|private[._-]?key|token|sasl\.jaas\.config|api[._-]?key|access[._-]?key|auth[._-]?key|user[._-]?info|keystore\.key|truststore\.key)/i

/** True when a key's value must never be shown: it came from `secrets`, the server masks it,
 * validate says PASSWORD, or its name looks like a credential. */
export function isSensitiveKey(key: string, spec: ConnectorSpec, live?: LiveConnector, passwordKeys: string[] = []): boolean {
  return spec.sensitiveKeys.includes(key) || passwordKeys.includes(key) || live?.config[key] === MASK || CREDENTIAL_LIKE.test(key)
}

export function diffConfig(spec: ConnectorSpec, live: LiveConnector | undefined, passwordKeys: string[] = []): KeyChange[] {
  const changes: KeyChange[] = []
  const liveConfig = live?.config ?? {}
  for (const [key, after] of Object.entries(spec.config)) {
    const sensitive = isSensitiveKey(key, spec, live, passwordKeys)
    const show = (v: string | undefined): string | undefined => (sensitive ? undefined : v)
    if (!live) {
      changes.push({ key, kind: 'added', after: show(after), sensitive })
      continue
    }
    const before = liveConfig[key]
    if (before === undefined) changes.push({ key, kind: 'added', after: show(after), sensitive })
    else if (before === MASK) {
      if (after !== MASK) changes.push({ key, kind: 'secret-unknown', sensitive: true })
    } else if (before !== after) changes.push({ key, kind: 'changed', before: show(before), after: show(after), sensitive })
  }
  if (live) {
    for (const [key, before] of Object.entries(liveConfig)) {
      if (key in spec.config || isServerKey(key) || SERVER_DEFAULTS[key] === before) continue
      // A CUSTOM connector's class comes from its plugin: the server fills it in when the file does not.
      if (key === 'connector.class' && isCustom(spec.config)) continue
      const sensitive = isSensitiveKey(key, spec, live, passwordKeys)
      changes.push({ key, kind: 'removed', before: sensitive ? undefined : before, sensitive })
    }
  }
  return changes
}

export function decide(changes: KeyChange[], exists: boolean, force: boolean): PlannedAction {
  if (!exists) return 'create'
  if (force) return 'update'
  return changes.some(c => c.kind !== 'secret-unknown') ? 'update' : 'unchanged'
}

export function planConnector(spec: ConnectorSpec, live: LiveConnector | undefined, force: boolean): PlanItem {
  const changes = diffConfig(spec, live)
  return { spec, action: decide(changes, live !== undefined, force), ...(live ? { live } : {}), changes }
}
