// A connector on its way from a file to a request: raw (as parsed) -> substituted -> spec (checked,
// completed, target known). Each stage returns a new value of the next type; none mutates its input.
import { hasControlCharacter, printable } from './text.js'

/** A problem found in a file before any request is sent. Line numbers are 1-based. */
export interface Problem {
  file: string // path relative to the workspace, forward slashes
  line?: number
  column?: number
  message: string // must never contain a secret value
}

/** The value of an own key of a config (or undefined): a key named `constructor` or `toString` must
 * not read Object.prototype's. */
export function own(config: Record<string, string> | undefined, key: string): string | undefined {
  return config && Object.prototype.hasOwnProperty.call(config, key) ? config[key] : undefined
}

/** Where a problem's annotation goes: its file, and its line when known. */
export function whereOf(p: Problem): { file: string; line?: number } {
  return { file: p.file, ...(p.line ? { line: p.line } : {}) }
}

/** Where a value came from in its file, so errors and annotations land on the right line. */
export interface Location {
  line: number
  column: number
}

/** A connector state a wrapped document may declare (contract 1.1). Only a declared state is enforced. */
export type DeclaredState = 'RUNNING' | 'PAUSED'

/** One connector document as parsed from a file, before placeholders are filled in. */
export interface RawConnector {
  file: string // relative to the workspace
  /** 0-based index of the document inside the file (array element or YAML document). */
  index: number
  /** Line of the document's start. */
  line: number
  name?: string
  /** From a wrapped document's `environment_id` / `kafka_cluster_id`. */
  environmentId?: string
  kafkaClusterId?: string
  /** From a wrapped document's `state`. */
  state?: DeclaredState
  /** Config values, already converted to strings. Insertion order is the file's order. */
  config: Record<string, string>
  /** Line/column of each config key (and of `name` under the key "name", `state` under "state"). */
  locations: Record<string, Location>
}

/** The substitute stage's output: the raw connector with every placeholder filled in. */
export interface SubstitutedConnector {
  raw: RawConnector
  /** Config with `${{ secrets.X }}` / `${{ vars.X }}` replaced; everything else byte for byte. */
  config: Record<string, string>
  /** Target ids with placeholders replaced (undefined when the document does not name them). */
  environmentId?: string
  kafkaClusterId?: string
  /** Config keys whose value came (wholly or partly) from `secrets`. */
  secretKeys: string[]
}

/** A connector ready to be planned: placeholders filled in, credentials completed, target known. */
export interface ConnectorSpec {
  name: string
  file: string
  line: number
  environmentId: string
  kafkaClusterId: string
  /** The exact PUT body. Includes `name`. */
  config: Record<string, string>
  locations: Record<string, Location>
  /** Config keys whose value came (wholly or partly) from `secrets` or a secret input. */
  secretKeys: string[]
  /** The state the file declares, if any. */
  state?: DeclaredState
}

export interface Target {
  environmentId: string
  kafkaClusterId: string
}

/** `env/cluster`: the key of a target in maps and log lines. */
export function targetKey(t: Target): string {
  return `${t.environmentId}/${t.kafkaClusterId}`
}

/** `env/cluster\0name`: one connector on one target, as a map key. */
export function connectorKey(t: Target, name: string): string {
  return `${targetKey(t)}\u0000${name}`
}

export function targetOf(spec: Pick<ConnectorSpec, 'environmentId' | 'kafkaClusterId'>): Target {
  return { environmentId: spec.environmentId, kafkaClusterId: spec.kafkaClusterId }
}

/** True for `confluent.connector.type: CUSTOM` (case-insensitive, as the API reads it). */
export function isCustom(config: Record<string, string>): boolean {
  return (config['confluent.connector.type'] ?? '').trim().toUpperCase() === 'CUSTOM'
}

/** What an environment or cluster id may hold: it becomes a segment of every request URL (`env-a1b2c3`,
 * `lkc-x1y2z3`). */
export const TARGET_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/
/** TARGET_ID in words, for the problems that refuse an id. */
export const TARGET_ID_RULE = 'may only hold letters, digits, ".", "_", ":" and "-" and must start with a letter or digit'

/** Why a connector of this name cannot be declared in a file, or undefined when it can. The same rules
 * hold for a file's connector and for one `export-to` would write. */
export function nameRefusal(name: string): string | undefined {
  if (name.trim() === '') return 'the connector\'s "name" is empty'
  if (name !== name.trim()) return `the connector name ${printable(name)} starts or ends with whitespace`
  if (hasControlCharacter(name)) return 'the connector name contains a control character'
  if (!name.isWellFormed()) return 'the connector name is not well-formed Unicode (a lone surrogate)'
  // The name is a URL path segment (/connectors/{name}): "." and ".." would address another resource.
  if (name === '.' || name === '..') return `the connector name ${printable(name)} is not allowed: it would change the request URL`
  return undefined
}
