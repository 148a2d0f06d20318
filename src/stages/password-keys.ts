// Stage: learn which keys each connector class types PASSWORD, from the plugin itself (issue 13,
// product.md step 3): before the first PUT of a class on a cluster, and before a dry run shows a diff
// for it, one `PUT .../connector-plugins/{class}/config/validate` per distinct class. CUSTOM plugins
// are not described by validate: for them the name rules and the server's masks stand.
// An unchanged connector needs no call, so a rerun that changes nothing costs one list per cluster.
import { describeError } from '../model/errors.js'
import type { ConfluentApi, Logger, PlanItem, Target, ValidationOutcome } from '../model/types.js'
import { isCustom } from '../model/types.js'

/** Classes of a target's items that will be PUT or shown with a diff, first item of each class. */
export function classesToLearn(items: readonly PlanItem[]): Map<string, PlanItem> {
  const out = new Map<string, PlanItem>()
  for (const item of items) {
    const cls = item.spec?.config['connector.class']
    if (!item.spec || !cls || isCustom(item.spec.config)) continue
    if (item.action !== 'create' && item.action !== 'update') continue
    if (!out.has(cls)) out.set(cls, item)
  }
  return out
}

export interface LearnedClasses {
  /** Password keys by class. A class whose validate failed is absent (name rules then apply). */
  passwordKeys: Map<string, string[]>
  /** The validate answer of the item each class was learned from, by connector name. */
  answers: Map<string, ValidationOutcome>
}

/**
 * Asks validate once per class of `items` (on `target`). Takes the items of one planned target;
 * resolves to the password keys per class and each answer by the connector it was asked for. A failed
 * call is logged as a warning (the PUT will tell the real error) and never throws.
 */
export async function learnPasswordKeys(target: Target, items: readonly PlanItem[], api: ConfluentApi, logger: Logger): Promise<LearnedClasses> {
  const learned: LearnedClasses = { passwordKeys: new Map(), answers: new Map() }
  await Promise.all(
    [...classesToLearn(items)].map(async ([cls, item]) => {
      try {
        const answer = await api.validate(target, cls, item.spec?.config ?? {})
        learned.passwordKeys.set(cls, answer.passwordKeys)
        learned.answers.set(item.name, answer)
      } catch (err) {
        logger.warning(`could not learn the password keys of ${cls} (validate: ${describeError(err)}); keys that look like credentials are hidden instead`)
      }
    })
  )
  return learned
}
