// The step outputs (product.md "Outputs"): name lists, `changed`, `unmanaged` and `results`.
// The caller redacts every value before it is set.
import type { Outcome, Result } from '../model/types.js'
import { isFailed, outputAction, outputStateChange } from '../model/types.js'

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

/** True when the run changed something (dry run: would change something). */
export function hasChanges(outcome: Outcome): boolean {
  return outcome.results.some(r => {
    const a = outputAction(r, outcome.dryRun)
    const changedConfig = outcome.dryRun ? ['create', 'update', 'delete'].includes(r.planned) : ['created', 'updated', 'deleted'].includes(r.done ?? '')
    return (changedConfig && a !== 'failed') || outputStateChange(r, outcome.dryRun) !== undefined
  })
}

export function buildOutputs(outcome: Outcome): Outputs {
  const { results, dryRun } = outcome
  const names = (pred: (r: Result) => boolean): string => JSON.stringify(results.filter(pred).map(r => r.name))
  const is = (...actions: string[]) => (r: Result) => !isFailed(r) && actions.includes(outputAction(r, dryRun))
  return {
    created: names(is('created', 'create')),
    updated: names(is('updated', 'update')),
    unchanged: names(is('unchanged')),
    deleted: names(is('deleted', 'delete')),
    failed: names(isFailed),
    changed: String(hasChanges(outcome)),
    unmanaged: JSON.stringify(outcome.unmanaged),
    results: JSON.stringify(
      results.map(r => {
        const stateChange = outputStateChange(r, dryRun)
        return {
          name: r.name,
          file: r.file,
          environment_id: r.environment_id,
          kafka_cluster_id: r.kafka_cluster_id,
          action: outputAction(r, dryRun),
          ...(stateChange ? { state_change: stateChange } : {}),
          type: r.type,
          tasks: r.tasks,
          state: r.state,
          restarts: r.restarts,
          error: r.error
        }
      })
    )
  }
}
