// Stage (the streamed path): list, learn and apply every target without barriers between them, all
// through the one engine behind `api` (issue 16). Used when no rule can refuse the whole run: a run that
// sends changes, without prune, with `literal-secrets` other than `error`.
import type { Clock, ConfluentApi, ConnectorSpec, Logger, Result, Settings, Target, TargetPlan } from '../model/types.js'
import type { Redactor } from '../secrets/redactor.js'
import { applyItems, OrderedPrinter } from './apply.js'
import { classesToLearn, learnPasswordKeys } from './password-keys.js'
import { planOne, withKeys } from './plan-all.js'

export interface StreamContext {
  logger: Logger
  redactor: Redactor
  clock: Clock
}

/** A logger that keeps info and error lines (progress, a PUT's failure) for the ordered log; warnings and debug go out at once. */
function deferringLogger(logger: Logger, calls: Array<() => void>): Logger {
  return {
    info: m => void calls.push(() => logger.info(m)),
    error: (m, where) => void calls.push(() => logger.error(m, where)),
    warning: (m, where) => logger.warning(m, where),
    debug: m => logger.debug(m),
    group: (title, fn) => logger.group(title, fn)
  }
}

/**
 * Lists, learns and applies every target without barriers between them, all through `api`'s one
 * engine: a target plans as soon as its own list returns; its validate per class (password-keys.ts:
 * one per distinct class that will change, before that class's first PUT on that cluster) starts at
 * once; each item's PUT starts as soon as its class is learned (at once for CUSTOM or when no class
 * needs learning). Progress lines `[i/N]` are numbered over all declared connectors (N) in plan order
 * and printed in that order (a target whose list failed prints none; its numbers are skipped).
 * Returns the final plans (in target order, items re-planned with the learned password keys) and the
 * Result of every create/update/unchanged item. Only for runs that send changes, without prune and
 * with literal-secrets other than `error` (no rule can then refuse the whole run). Never throws for an
 * API error.
 */
export async function streamTargets(
  groups: Array<{ target: Target; specs: ConnectorSpec[] }>,
  api: ConfluentApi,
  settings: Settings,
  deps: StreamContext,
  runDeadline: number
): Promise<{ plans: TargetPlan[]; applied: Result[] }> {
  const { logger, redactor, clock } = deps
  const total = groups.reduce((n, g) => n + g.specs.length, 0)
  // Each slot's deferred log calls run in slot order, whatever order the slots finish in.
  const log = new OrderedPrinter<Array<() => void>>(calls => calls.forEach(call => call()))
  // The first progress number of each target: its connectors are numbered after those of the targets before it.
  const firsts = groups.map((_, g) => groups.slice(0, g).reduce((n, x) => n + x.specs.length, 0))
  const perTarget = groups.map(async ({ target, specs }, g) => {
    const first = firsts[g]
    const initial = await planOne(target, specs, api, settings, deps)
    if (initial.status === 'failed') {
      specs.forEach((_, i) => log.done(first + i, []))
      return { plan: initial, applied: [] as Result[] }
    }
    // One validate per class that will change, each started now; a PUT of that class waits for it.
    const learning = new Map(
      [...classesToLearn(initial.items)].map(([cls, item]) => [cls, learnPasswordKeys(target, [item], api, logger).then(l => l.passwordKeys.get(cls))] as const)
    )
    const items = await Promise.all(
      initial.items.map(async (item, i) => {
        const learned = item.spec ? learning.get(item.spec.config['connector.class'] ?? '') : undefined
        const keys = learned ? await learned : undefined
        const planned = keys ? withKeys(item, keys, settings.force, redactor) : item
        const calls: Array<() => void> = []
        const [result] = await applyItems([planned], {
          api,
          clock,
          logger: deferringLogger(logger, calls),
          redactor,
          runDeadline,
          progress: { offset: first + i, total, withTarget: groups.length > 1 }
        })
        log.done(first + i, calls)
        return { planned, result }
      })
    )
    const plan: TargetPlan = { ...initial, items: items.map(x => x.planned) }
    return { plan, applied: items.map(x => x.result) }
  })
  const done = await Promise.all(perTarget)
  return { plans: done.map(d => d.plan), applied: done.flatMap(d => d.applied) }
}
