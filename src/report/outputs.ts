// The step outputs (product.md "Outputs"): name lists, `changed`, `unmanaged` and `results`.
// The caller redacts every value before it is set. `results` is bounded (issue 12 item 8): each error
// and task trace is cut to MAX_ERROR_CHARS, and when the whole is still over MAX_RESULTS_CHARS, traces
// and then errors are cut shorter, so a 10 MB API message never makes a 10 MB output.
import type { Outcome, Result, TaskInfo } from '../model/types.js'
import { isFailed, outputAction, outputStateChange } from '../model/types.js'
import { cut } from './markdown.js'

/** Longest error or task trace in `results`, in UTF-16 units (a cut one ends in `…`). */
export const MAX_ERROR_CHARS = 1000
/** The size `results` is kept under, in UTF-16 units (about 1 MB of mostly ASCII JSON). */
export const MAX_RESULTS_CHARS = 1_000_000

export interface Outputs {
  created: string
  updated: string
  unchanged: string
  deleted: string
  failed: string
  changed: string
  unmanaged: string
  results: string
}

/** One object of the `results` output (product.md "Outputs"). */
export interface ResultOutput {
  name: string
  file: string
  environment_id: string
  kafka_cluster_id: string
  action: string
  state_change?: string
  type: string
  tasks: { id: number; state: string; trace?: string }[]
  state: string
  restarts: number
  error: string
}

/** True when the run changed something (dry run: would change something). */
export function hasChanges(outcome: Outcome): boolean {
  return outcome.results.some(r => {
    const a = outputAction(r, outcome.dryRun)
    if (outcome.dryRun) return (['create', 'update', 'delete'].includes(r.planned) && a !== 'failed') || outputStateChange(r, true) !== undefined
    // A PUT that went through changed the cloud even when the connector then failed its wait.
    return r.appliedAt !== undefined || ['created', 'updated', 'deleted'].includes(r.done ?? '') || outputStateChange(r, false) !== undefined
  })
}

/** A task as the output shows it: `trace` only for a FAILED task, cut to `maxTrace` (0: left out). */
function taskOutput(t: TaskInfo, maxTrace: number): ResultOutput['tasks'][number] {
  const failed = (t.state ?? '').toUpperCase() === 'FAILED'
  const trace = failed && t.trace && maxTrace > 0 ? cut(t.trace, maxTrace) : undefined
  return { id: t.id, state: t.state ?? '', ...(trace !== undefined ? { trace } : {}) }
}

/** Redacts one of the action's own words where an output prints it (see VOCABULARY_FIELDS). */
export type WordRedact = (word: string) => string

/** The `results` object of one connector, with errors cut to `maxError` and traces to `maxTrace`;
 * `action` and `state_change` go through `redact`. */
export function resultOutput(r: Result, dryRun: boolean, maxError = MAX_ERROR_CHARS, maxTrace = MAX_ERROR_CHARS, redact: WordRedact = w => w): ResultOutput {
  const stateChange = outputStateChange(r, dryRun)
  return {
    name: r.name,
    file: r.file,
    environment_id: r.environment_id,
    kafka_cluster_id: r.kafka_cluster_id,
    action: redact(outputAction(r, dryRun)),
    ...(stateChange ? { state_change: redact(stateChange) } : {}),
    type: r.type,
    tasks: r.tasks.map(t => taskOutput(t, maxTrace)),
    state: r.state,
    restarts: r.restarts,
    error: cut(r.error, maxError)
  }
}

/** Cuts, in steps, until the JSON is under `max` characters: traces 1,000 -> 200 -> none, errors
 * 1,000 -> 200. Past that (thousands of connectors) it returns the shortest form, still complete. */
function resultsJson(results: readonly Result[], dryRun: boolean, max: number, redact: WordRedact): string {
  const steps: [number, number][] = [
    [MAX_ERROR_CHARS, MAX_ERROR_CHARS],
    [MAX_ERROR_CHARS, 200],
    [MAX_ERROR_CHARS, 0],
    [200, 0]
  ]
  let json = ''
  for (const [maxError, maxTrace] of steps) {
    json = JSON.stringify(results.map(r => resultOutput(r, dryRun, maxError, maxTrace, redact)))
    if (json.length <= max) break
  }
  return json
}

/**
 * The step outputs of a run. Takes the outcome, redacted but for its VOCABULARY_FIELDS (the lists are
 * sorted by those words), `redact` for those words where `results` prints them, and, for tests, the size
 * cap of `results` in characters; returns every output as the string `core.setOutput` is given. Never
 * throws.
 */
export function buildOutputs(outcome: Outcome, opts: { redact?: WordRedact; maxResultsChars?: number } = {}): Outputs {
  const redact = opts.redact ?? ((w: string): string => w)
  const { results, dryRun } = outcome
  const names = (pred: (r: Result) => boolean): string => JSON.stringify(results.filter(pred).map(r => r.name))
  const is =
    (...actions: string[]) =>
    (r: Result): boolean =>
      !isFailed(r) && actions.includes(outputAction(r, dryRun))
  return {
    created: names(is('created', 'create')),
    updated: names(is('updated', 'update')),
    unchanged: names(is('unchanged')),
    deleted: names(is('deleted', 'delete')),
    failed: names(isFailed),
    changed: String(hasChanges(outcome)),
    unmanaged: JSON.stringify(outcome.unmanaged.map(u => ({ name: u.name, environment_id: u.environment_id, kafka_cluster_id: u.kafka_cluster_id }))),
    results: resultsJson(results, dryRun, opts.maxResultsChars ?? MAX_RESULTS_CHARS, redact)
  }
}
