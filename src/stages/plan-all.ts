// Stage: list and plan every target side by side (the phased path: dry runs, exports, prune and
// `literal-secrets: error`, where a rule may refuse the whole run once every list is in). A target whose
// list call fails is a FailedTarget, never a plan to create. Then one validate per class that will
// change (password-keys.ts), the items re-planned so their diffs hide the plugin's PASSWORD keys.
import { describeError } from '../model/errors.js'
import type {
  ConfluentApi,
  ConnectorSpec,
  LiveConnector,
  Logger,
  PlanItem,
  Settings,
  Target,
  TargetPlan,
  Unmanaged,
  ValidationOutcome
} from '../model/types.js'
import { targetKey, targetOf } from '../model/types.js'
import { registerEmbedded, registerSecrets, wordOf } from '../secrets/policy.js'
import type { Redactor } from '../secrets/redactor.js'
import { learnPasswordKeys } from './password-keys.js'
import { planConnector, planTarget } from './plan.js'

/** What the planning stages need besides the API: the logger and the redactor (to register what the
 * server's word makes secret). */
export interface PlanContext {
  logger: Logger
  redactor: Redactor
}

/** Groups specs by target, in the order the check stage sorted them (target, file, place in file). */
export function groupByTarget(specs: readonly ConnectorSpec[]): Array<{ target: Target; specs: ConnectorSpec[] }> {
  const groups = new Map<string, { target: Target; specs: ConnectorSpec[] }>()
  for (const spec of specs) {
    const target = targetOf(spec)
    const key = targetKey(target)
    if (!groups.has(key)) groups.set(key, { target, specs: [] })
    groups.get(key)?.specs.push(spec)
  }
  return [...groups.values()]
}

/**
 * Lists one target (`GET .../connectors?expand=...`) and plans its specs against what exists (with
 * `prune`, matching connectors no spec declares are deletions), then registers every value the server's
 * masks make secret. Returns a FailedTarget (logged as an error) when the list call fails, never a plan
 * to create. Never throws.
 */
export async function planOne(target: Target, specs: ConnectorSpec[], api: ConfluentApi, settings: Settings, ctx: PlanContext): Promise<TargetPlan> {
  let plan: TargetPlan
  let live: Map<string, LiveConnector>
  try {
    live = await api.list(target)
    plan = planTarget(target, specs, live, { force: settings.force, ...(settings.prune ? { pruneMatch: settings.pruneMatch } : {}) })
  } catch (err) {
    const error = `listing the connectors of ${targetKey(target)} failed: ${describeError(err)}`
    ctx.logger.error(error)
    return { status: 'failed', target, error, specs }
  }
  for (const item of plan.items) if (item.spec) registerSecrets(item.spec, ctx.redactor, wordOf(item.live))
  // What the server holds, declared or not: a password in a URL, echoed in an error or a task trace.
  for (const connector of live.values()) registerEmbedded(connector.config, ctx.redactor)
  return plan
}

/** Lists and plans every target side by side (planOne each); a target whose list failed is a FailedTarget. */
export function planAll(
  groups: Array<{ target: Target; specs: ConnectorSpec[] }>,
  api: ConfluentApi,
  settings: Settings,
  ctx: PlanContext
): Promise<TargetPlan[]> {
  return Promise.all(groups.map(({ target, specs }) => planOne(target, specs, api, settings, ctx)))
}

/**
 * An item re-planned with its class's PASSWORD keys (from validate), so its diff hides them; their
 * values are registered as secrets first. An item without a spec (a deletion) is returned as it is.
 */
export function withKeys(item: PlanItem, keys: readonly string[], force: boolean, redactor: Redactor): PlanItem {
  if (!item.spec) return item
  registerSecrets(item.spec, redactor, wordOf(item.live, keys))
  return planConnector(item.spec, item.live, force, keys)
}

/**
 * With the password keys learned (one validate per class that will change), re-plans each item so its
 * diff hides them, and registers them. Returns the new plans and, at the same index, each target's
 * validate answers by connector name (empty for a failed target), for a dry run's remote validation.
 */
export async function withPasswordKeys(
  plans: TargetPlan[],
  api: ConfluentApi,
  settings: Settings,
  ctx: PlanContext
): Promise<Array<{ plan: TargetPlan; answers: ReadonlyMap<string, ValidationOutcome> }>> {
  return Promise.all(
    plans.map(async plan => {
      if (plan.status === 'failed') return { plan, answers: new Map<string, ValidationOutcome>() }
      const learned = await learnPasswordKeys(plan.target, plan.items, api, ctx.logger)
      if (learned.passwordKeys.size === 0) return { plan, answers: learned.answers }
      const items = plan.items.map(item => {
        const keys = item.spec ? learned.passwordKeys.get(item.spec.config['connector.class'] ?? '') : undefined
        return keys ? withKeys(item, keys, settings.force, ctx.redactor) : item
      })
      return { plan: { ...plan, items }, answers: learned.answers }
    })
  )
}

/** Possible renames: a deletion and a create of the same class on one target (offsets are not carried over). */
export function renameNotes(plans: TargetPlan[]): string[] {
  const notes: string[] = []
  for (const plan of plans) {
    if (plan.status !== 'planned') continue
    const deleted = plan.items.filter(i => i.action === 'delete')
    for (const created of plan.items.filter(i => i.action === 'create')) {
      const cls = created.spec?.config['connector.class']
      const twin = deleted.find(d => cls !== undefined && d.live?.config['connector.class'] === cls)
      if (twin)
        notes.push(
          `possible rename on ${targetKey(plan.target)}: ${twin.name} is deleted and ${created.name} created with the same class (${cls}); offsets are not carried over`
        )
    }
  }
  return notes
}

/** The connectors no file declares, in output form. */
export function unmanagedOf(plans: readonly TargetPlan[]): Unmanaged[] {
  return plans.flatMap(p =>
    p.status === 'planned' ? p.unmanaged.map(u => ({ name: u.name, environment_id: p.target.environmentId, kafka_cluster_id: p.target.kafkaClusterId })) : []
  )
}
