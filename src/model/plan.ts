// The plan: per target cluster, either the items to do there or the reason it could not be planned.
// Never a diff without a live state: a target whose list call failed is `failed`, not "all create".
import type { ConnectorSpec, Target } from './connector.js'
import type { LiveConnector } from './live.js'

/** What the plan does to a connector's config. `delete` only with `prune`. */
export type PlannedAction = 'create' | 'update' | 'unchanged' | 'delete'

/** A declared state that differs from the live one (contract 1.1). */
export type StateChange = 'pause' | 'resume'

export interface KeyChange {
  key: string
  kind: 'added' | 'changed' | 'removed' | 'secret-unknown'
  /** Undefined when sensitive: the value must never be shown. */
  before?: string
  after?: string
  sensitive: boolean
}

export interface ValidationError {
  /** The config key, or '' for an error about the whole config. */
  key: string
  message: string
}

/** One connector in a target's plan. `spec` is absent for a deletion (no file declares it). */
export interface PlanItem {
  name: string
  target: Target
  spec?: ConnectorSpec
  live?: LiveConnector
  action: PlannedAction
  stateChange?: StateChange
  changes: KeyChange[]
  /** Keys the plugin types PASSWORD (validate), when learned. */
  passwordKeys?: readonly string[]
  /** From the validate endpoint (dry run). */
  validationErrors?: ValidationError[]
}

export interface PlannedTarget {
  status: 'planned'
  target: Target
  items: PlanItem[]
  /** Connectors on the cluster that no file declares (and that are not being deleted). */
  unmanaged: LiveConnector[]
}

export interface FailedTarget {
  status: 'failed'
  target: Target
  /** Why the target could not be planned (redacted API text). */
  error: string
  /** The connectors the files declare there: none of them is planned. */
  specs: ConnectorSpec[]
}

export type TargetPlan = PlannedTarget | FailedTarget
