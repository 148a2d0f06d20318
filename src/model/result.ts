// What the run did, one Result per connector: what was planned and what happened, in two fields.
import type { PlannedAction, KeyChange, StateChange, ValidationError } from './plan.js'
import type { TaskInfo } from './live.js'

/** What happened. Absent in a dry run (nothing was done). `failed` whenever the connector did not
 * end as its file says: PUT refused, wait failed, target not planned, run-timeout. */
export type DoneAction = 'created' | 'updated' | 'unchanged' | 'deleted' | 'failed'

export interface Result {
  name: string
  file: string
  line: number
  environment_id: string
  kafka_cluster_id: string
  /** `not-planned`: the target's list call failed, so nothing is known of this connector. */
  planned: PlannedAction | 'not-planned'
  done?: DoneAction
  stateChange?: StateChange
  /** True once the pause/resume request was accepted (202). */
  stateChanged?: boolean
  type: string
  tasks: TaskInfo[]
  state: string
  restarts: number
  /** One line per task restart: which task and the error that caused it (redacted). */
  restartLog?: string[]
  /** Empty when nothing failed. Redacted. */
  error: string
  changes: KeyChange[]
  validationErrors?: ValidationError[]
  /** Unchanged, but the plan's list showed it not running as written: the wait watches it too. */
  recheck?: boolean
  /** When the PUT was answered (clock ms); set only by a PUT, so it also tells that one was answered. */
  appliedAt?: number
  /** When the grace for a transient FAILED starts (clock ms), when not at `appliedAt`: a task restart or
   * the recheck of an unchanged connector that the plan's list showed not running. */
  graceFrom?: number
  /** True when the run did not wait, so `state` and `tasks` are as the PUT or the list left them. */
  unverified?: boolean
  /** Line of each config key in the file (absent for a deletion, which no file declares): a wait
   * failure whose validation errors name a key is annotated on that key's line. */
  keyLines?: Record<string, number>
}

export function isFailed(r: Result): boolean {
  return r.done === 'failed' || r.planned === 'not-planned' || r.error !== ''
}

const PAST: Record<PlannedAction, DoneAction> = { create: 'created', update: 'updated', unchanged: 'unchanged', delete: 'deleted' }

/** The past tense of a planned action. */
export function pastTense(a: PlannedAction): DoneAction {
  return PAST[a]
}

/** The `action` of the `results` output: in a dry run the plan's verb; else what happened. */
export function outputAction(r: Result, dryRun: boolean): string {
  if (r.planned === 'not-planned') return 'failed'
  if (dryRun) return r.planned
  return isFailed(r) ? 'failed' : (r.done ?? r.planned)
}

/** `state_change` of the `results` output: `pause`/`resume` in a dry run, `paused`/`resumed` once done. */
export function outputStateChange(r: Result, dryRun: boolean): string | undefined {
  if (!r.stateChange) return undefined
  if (dryRun) return r.stateChange
  return r.stateChanged ? (r.stateChange === 'pause' ? 'paused' : 'resumed') : undefined
}

/** A connector on a targeted cluster that no file declares (output `unmanaged`). */
export interface Unmanaged {
  name: string
  environment_id: string
  kafka_cluster_id: string
}

/** An Outcome with no result, problem or request, completed by `over`: for runs that stop before any
 * work (invalid inputs) and as the base of every other. */
export function emptyOutcome(over: Partial<Outcome> = {}): Outcome {
  return {
    dryRun: false,
    waited: false,
    results: [],
    problems: [],
    unmanaged: [],
    notes: [],
    failed: false,
    stats: { requests: 0, retries: 0, tooManyRequests: 0, waitedMs: 0 },
    ...over
  }
}

/** A file written (or kept) by `export-to` (output `exported`). */
export interface Exported {
  file: string
  name: string
  environment_id: string
  kafka_cluster_id: string
  secrets: string[]
  /** True when a file was already there: it was left as it was and nothing was written. */
  skipped: boolean
  /** Why nothing was written for a connector that no file could declare (its name breaks the rules a
   * file's connector must keep); `file` is then empty. */
  refused?: string
  /** True when the file could not be written (`refused` says why): the run fails. */
  failed?: boolean
}

/** The request engine's counts for the run. */
export interface RunStats {
  /** Attempts sent to the transport. */
  requests: number
  /** Attempts that were retries. */
  retries: number
  /** 429 responses received. */
  tooManyRequests: number
  /** Time spent holding requests for rate limits (spent windows, Retry-After). */
  waitedMs: number
}

/**
 * The fields of an Outcome that hold the action's own fixed words (plan verbs, what happened, state
 * changes, kinds of key change), never text from a file or a server. Publishing redacts the outcome
 * without them and redacts each text made from them instead: a secret that is a common word (`created`,
 * `update`) is then masked where printed, but no longer empties the output lists or zeroes the counts.
 */
export const VOCABULARY_FIELDS: ReadonlySet<string> = new Set(['planned', 'done', 'stateChange', 'kind'])

/** The whole run, as the action layer publishes it. */
export interface Outcome {
  dryRun: boolean
  /** True when the run waited for the applied connectors (states are verified). */
  waited: boolean
  results: Result[]
  problems: import('./connector.js').Problem[]
  unmanaged: Unmanaged[]
  /** Files written by `export-to` (empty otherwise). */
  exported?: Exported[]
  /** Warnings for the summary (possible renames, literal secrets, ...). Redacted, unescaped. */
  notes: string[]
  /** Set when the run stopped before changing anything (file problems, safety refusals). */
  stoppedEarly?: string
  failed: boolean
  stats: RunStats
}
