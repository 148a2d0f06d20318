// Builders of what the report stage reads (src/model/types.ts Result and Outcome) for unit tests:
// every field at a plain default, so a test spells out only the fields it is about.
import type { Outcome, Result } from '../src/model/types.js'
import { emptyOutcome } from '../src/model/types.js'

/** One connector's result: `c` from connectors/c.json line 1 on env-1/lkc-1, a sink planned for
 * create, not yet done, no tasks, state, restarts, error or changes; `over` replaces any field. */
export function result(over: Partial<Result> = {}): Result {
  return {
    name: 'c',
    file: 'connectors/c.json',
    line: 1,
    environment_id: 'env-1',
    kafka_cluster_id: 'lkc-1',
    planned: 'create',
    type: 'sink',
    tasks: [],
    state: '',
    restarts: 0,
    error: '',
    changes: [],
    ...over
  }
}

/** A run's outcome of `results`: applied (not a dry run) and waited, no problems, unmanaged
 * connectors or notes, not failed, one request and no retries; `over` replaces any field. */
export function outcome(results: Result[] = [], over: Partial<Outcome> = {}): Outcome {
  return emptyOutcome({ waited: true, results, stats: { requests: 1, retries: 0, tooManyRequests: 0, waitedMs: 0 }, ...over })
}
