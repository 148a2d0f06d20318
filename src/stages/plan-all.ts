// Stage: list and plan every target side by side (the phased path: dry runs, exports, prune and
// `literal-secrets: error`, where a rule may refuse the whole run once every list is in). A target whose
// list call fails is a FailedTarget, never a plan to create. Then one validate per class that will
// change (password-keys.ts), the items re-planned so their diffs hide the plugin's PASSWORD keys.
import { describeError } from '../model/errors.js'
import type { ConfluentApi, ConnectorSpec, Logger, Settings, Target, TargetPlan, Unmanaged, ValidationOutcome } from '../model/types.js'
import { connectorKey, targetKey } from '../model/types.js'
import { registerSecrets, wordOf } from '../secrets/policy.js'
import type { Redactor } from '../secrets/redactor.js'
import { learnPasswordKeys } from './password-keys.js'
import { planTarget } from './plan.js'

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
    const target = { environmentId: spec.environmentId, kafkaClusterId: spec.kafkaClusterId }
    const key = targetKey(target)
    if (!groups.has(key)) groups.set(key, { target, specs: [] })
    groups.get(key)?.specs.push(spec)
  }
  return [...groups.values()]
}

/** Lists and plans every target side by side; a target whose list failed is a FailedTarget. */
export async function planAll(
  groups: Array<{ target: Target; specs: ConnectorSpec[] }>,
  api: ConfluentApi,
  settings: Settings,
  ctx: PlanContext
): Promise<TargetPlan[]> {
  return Promise.all(
    groups.map(async ({ target, specs }): Promise<TargetPlan> => {
      try {
        const live = await api.list(target)
        return planTarget(target, specs, live, { force: settings.force, ...(settings.prune ? { pruneMatch: settings.pruneMatch } : {}) })
      } catch (err) {
        const error = `listing the connectors of ${targetKey(target)} failed: ${describeError(err)}`
        ctx.logger.error(error)
        return { status: 'failed', target, error, specs }
      }
    })
  )
}

/** With the password keys learned, re-plans each item so its diff hides them, and registers them. */
export async function withPasswordKeys(
  plans: TargetPlan[],
  api: ConfluentApi,
  settings: Settings,
  ctx: PlanContext
): Promise<{ plans: TargetPlan[]; answers: Map<string, ValidationOutcome> }> {
  const answers = new Map<string, ValidationOutcome>()
  const out = await Promise.all(
    plans.map(async (plan): Promise<TargetPlan> => {
      if (plan.status === 'failed') return plan
      const learned = await learnPasswordKeys(plan.target, plan.items, api, ctx.logger)
      for (const [name, answer] of learned.answers) answers.set(connectorKey(plan.target, name), answer)
      if (learned.passwordKeys.size === 0) return plan
      const specs = plan.items.flatMap(i => (i.spec ? [i.spec] : []))
      const live = new Map(plan.items.flatMap(i => (i.live ? [[i.name, i.live] as const] : [])))
      for (const u of plan.unmanaged) live.set(u.name, u)
      for (const spec of specs) {
        const keys = learned.passwordKeys.get(spec.config['connector.class'] ?? '')
        if (keys) registerSecrets(spec, ctx.redactor, wordOf(live.get(spec.name), keys))
      }
      return planTarget(plan.target, specs, live, {
        force: settings.force,
        ...(settings.prune ? { pruneMatch: settings.pruneMatch } : {}),
        passwordKeys: learned.passwordKeys
      })
    })
  )
  return { plans: out, answers }
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

/** Answers already known for one target's items, by connector name (keys are `target\0name`). */
export function knownFor(plan: TargetPlan, answers: Map<string, ValidationOutcome>): Map<string, ValidationOutcome> {
  const out = new Map<string, ValidationOutcome>()
  const prefix = connectorKey(plan.target, '')
  for (const [k, v] of answers) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v)
  return out
}

/** The connectors no file declares, in output form. */
export function unmanagedOf(plans: readonly TargetPlan[]): Unmanaged[] {
  return plans.flatMap(p =>
    p.status === 'planned' ? p.unmanaged.map(u => ({ name: u.name, environment_id: p.target.environmentId, kafka_cluster_id: p.target.kafkaClusterId })) : []
  )
}
