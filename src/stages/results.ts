// The first Result of each connector, made from the plan: what was planned, nothing done yet.
// Later stages (apply, lifecycle, wait) return new Results built from these; none changes one in place.
import type { ConnectorSpec, PlanItem, Result, Target, TargetPlan } from '../model/types.js'
import { connectorKey } from '../model/types.js'

/** A Result for one plan item: `planned` set, `done` absent, state and tasks as the list saw them. */
export function resultOf(item: PlanItem): Result {
  const s = item.spec
  return {
    name: item.name,
    file: s?.file ?? '',
    line: s?.line ?? 0,
    environment_id: item.target.environmentId,
    kafka_cluster_id: item.target.kafkaClusterId,
    planned: item.action,
    ...(item.stateChange ? { stateChange: item.stateChange } : {}),
    type: item.live?.type ?? '',
    tasks: item.live?.tasks ?? [],
    state: item.live?.state ?? '',
    restarts: 0,
    error: '',
    changes: item.changes,
    ...(item.validationErrors ? { validationErrors: item.validationErrors } : {}),
    ...(s ? { keyLines: Object.fromEntries(Object.entries(s.locations).map(([k, l]) => [k, l.line])) } : {})
  }
}

/** A connector on a target whose list call failed: nothing is known of it, so nothing is planned. */
export function notPlannedResult(spec: ConnectorSpec, error: string): Result {
  return {
    name: spec.name,
    file: spec.file,
    line: spec.line,
    environment_id: spec.environmentId,
    kafka_cluster_id: spec.kafkaClusterId,
    planned: 'not-planned',
    done: 'failed',
    type: '',
    tasks: [],
    state: '',
    restarts: 0,
    error: `not planned: ${error}`,
    changes: []
  }
}

/** Results of a whole target plan, in plan order. */
export function resultsOf(plan: TargetPlan): Result[] {
  return plan.status === 'failed' ? plan.specs.map(s => notPlannedResult(s, plan.error)) : plan.items.map(resultOf)
}

/** The target cluster a Result belongs to. */
export function targetOfResult(r: Result): Target {
  return { environmentId: r.environment_id, kafkaClusterId: r.kafka_cluster_id }
}

/** A Result's connector as a map key (see connectorKey). */
export function resultKey(r: Result): string {
  return connectorKey(targetOfResult(r), r.name)
}

/** `results` with each connector replaced by its entry in `applied`, where it has one. Same order. */
export function withApplied(results: readonly Result[], applied: readonly Result[]): Result[] {
  const byKey = new Map(applied.map(r => [resultKey(r), r]))
  return results.map(r => byKey.get(resultKey(r)) ?? r)
}

/**
 * The results of a run refused before any change (max-deletions, `literal-secrets: error`): each planned
 * create, update, delete and pause/resume is `failed` with `why` (nothing of it was sent), so no output
 * or count says it happened; unchanged connectors stay `unchanged`. Returns new Results.
 */
export function refusedResults(results: readonly Result[], why: string): Result[] {
  return results.map(r =>
    r.planned === 'create' || r.planned === 'update' || r.planned === 'delete' || r.stateChange
      ? { ...r, done: 'failed', error: r.error || `not applied: ${why}` }
      : r
  )
}
