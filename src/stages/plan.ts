// Stage: plan one target cluster against what one list call returned. Per connector: create, update
// (with a key-level diff), unchanged, or (with prune) delete; and a pause/resume where a declared state
// differs from the live one. Server-added keys and masked values are not differences.
import type { ConnectorSpec, DeclaredState, KeyChange, LiveConnector, PlanItem, PlannedAction, PlannedTarget, StateChange, Target } from '../model/types.js'
import { isCustom, isMasked, own, targetOf } from '../model/types.js'
import { isSensitive, maskEmbedded, type ServerWord } from '../secrets/policy.js'
import { matchesAny } from './name-patterns.js'

/** Keys Confluent adds to connectors that no user wrote (api-notes.md, "Server-added keys"; CUSTOM runtime
 * keys from "The server fills CUSTOM keys"). Not drift. */
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
  'confluent.resource.connector.tier',
  'confluent.custom.connect.plugin.runtime',
  'confluent.custom.connect.java.version',
  'confluent.custom.plugin.version.id'
])
/** `__internal.`: Kafka Connect (Confluent Platform 8) adds `__internal.config.version` to every config. */
const SERVER_PREFIXES = ['config.internal.', 'cloud.', '__internal.']

/** Keys the server fills with a default when the file leaves them out: absent in the file and equal
 * to this default on the server is not drift. */
const SERVER_DEFAULTS: Record<string, string> = {
  'kafka.auth.mode': 'KAFKA_API_KEY',
  'confluent.connector.type': 'MANAGED'
}

export function isServerKey(key: string): boolean {
  return SERVER_KEYS.has(key) || SERVER_PREFIXES.some(p => key.startsWith(p))
}

/**
 * Key-level differences between the file's config and the live one. Takes the spec, the live connector
 * (undefined: everything is added) and the server's word on password keys; returns one KeyChange per
 * differing key, values left out where the policy says sensitive.
 */
export function diffConfig(spec: ConnectorSpec, live: LiveConnector | undefined, passwordKeys?: readonly string[]): KeyChange[] {
  const changes: KeyChange[] = []
  const liveConfig = live?.config ?? {}
  const word: ServerWord = { live: liveConfig, ...(passwordKeys ? { passwordKeys } : {}) }
  for (const [key, after] of Object.entries(spec.config)) {
    const sensitive = isSensitive(key, spec, word)
    // A password written inside a value (a URL's) is masked where the value is shown.
    const show = (v: string | undefined): string | undefined => (sensitive || v === undefined ? undefined : maskEmbedded(v))
    const before = live ? own(liveConfig, key) : undefined
    if (before === undefined) changes.push({ key, kind: 'added', after: show(after), sensitive })
    else if (isMasked(before)) {
      if (after !== before) changes.push({ key, kind: 'secret-unknown', sensitive: true })
    } else if (before !== after) {
      const [shownBefore, shownAfter] = [show(before), show(after)]
      // A change inside the password alone would show two equal lines: it is a sensitive change.
      const hidden = sensitive || shownBefore === shownAfter
      changes.push({ key, kind: 'changed', before: hidden ? undefined : shownBefore, after: hidden ? undefined : shownAfter, sensitive: hidden })
    }
  }
  if (live) {
    for (const [key, before] of Object.entries(liveConfig)) {
      if (own(spec.config, key) !== undefined || isServerKey(key) || SERVER_DEFAULTS[key] === before) continue
      // A CUSTOM connector's class comes from its plugin: the server fills it in when the file does not.
      if (key === 'connector.class' && isCustom(spec.config)) continue
      const sensitive = isSensitive(key, spec, word)
      changes.push({ key, kind: 'removed', before: sensitive ? undefined : maskEmbedded(before), sensitive })
    }
  }
  return changes
}

export function decide(changes: KeyChange[], exists: boolean, force: boolean): PlannedAction {
  if (!exists) return 'create'
  if (force) return 'update'
  return changes.some(c => c.kind !== 'secret-unknown') ? 'update' : 'unchanged'
}

/** A declared state that differs from the live one. A new connector declared PAUSED is created, then
 * paused (the API cannot create a paused connector). Undeclared: nothing is enforced. */
export function stateChange(declared: DeclaredState | undefined, live: LiveConnector | undefined): StateChange | undefined {
  if (!declared) return undefined
  if (!live) return declared === 'PAUSED' ? 'pause' : undefined
  if (declared === 'PAUSED' && live.state !== 'PAUSED') return 'pause'
  if (declared === 'RUNNING' && live.state === 'PAUSED') return 'resume'
  return undefined
}

export function planConnector(spec: ConnectorSpec, live: LiveConnector | undefined, force: boolean, passwordKeys?: readonly string[]): PlanItem {
  const changes = diffConfig(spec, live, passwordKeys)
  const change = stateChange(spec.state, live)
  return {
    ...(passwordKeys ? { passwordKeys } : {}),
    name: spec.name,
    target: targetOf(spec),
    spec,
    action: decide(changes, live !== undefined, force),
    ...(change ? { stateChange: change } : {}),
    ...(live ? { live } : {}),
    changes
  }
}

export interface PlanOptions {
  force: boolean
  /** With prune: the name patterns that may be deleted; undefined means no pruning. */
  pruneMatch?: string[]
  /** Password keys per connector class, as validate told them (empty before it was asked). */
  passwordKeys?: ReadonlyMap<string, readonly string[]>
}

/**
 * Plans one target. Takes its specs (in file order) and the live connectors of one list call; returns
 * the items in spec order followed by deletions (name order), and the connectors no file declares that
 * are not deleted (`unmanaged`). Throws nothing.
 */
export function planTarget(target: Target, specs: ConnectorSpec[], live: ReadonlyMap<string, LiveConnector>, opts: PlanOptions): PlannedTarget {
  const declared = new Set(specs.map(s => s.name))
  const items = specs.map(spec => planConnector(spec, live.get(spec.name), opts.force, opts.passwordKeys?.get(spec.config['connector.class'] ?? '')))
  const unmanaged: LiveConnector[] = []
  const names = [...live.keys()].filter(n => !declared.has(n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  for (const name of names) {
    const connector = live.get(name) as LiveConnector
    if (opts.pruneMatch && matchesAny(name, opts.pruneMatch)) {
      items.push({ name, target, live: connector, action: 'delete', changes: [] })
    } else unmanaged.push(connector)
  }
  return { status: 'planned', target, items, unmanaged }
}
