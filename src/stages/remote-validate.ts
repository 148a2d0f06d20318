// Stage (dry run, `validate: true`): asks Confluent to validate each config that would change
// (`PUT .../connector-plugins/{class}/config/validate`; skipped for CUSTOM, which validate does not
// describe) and returns the items with its per-key errors. Items already answered while learning
// password keys (password-keys.ts) are not asked again.
import { describeError } from '../model/errors.js'
import type { ConfluentApi, Logger, PlanItem, Result, Target, ValidationOutcome } from '../model/types.js'
import { isCustom } from '../model/types.js'

/**
 * Takes one target's items and the validate answers already known (by connector name); resolves to
 * new items (same order) with `validationErrors` set for every create/update that was validated, and
 * the password keys each answer named (by connector name). Never throws: a failed call becomes one
 * general validation error on that item.
 */
export async function validateItems(
  target: Target,
  items: readonly PlanItem[],
  api: ConfluentApi,
  known: ReadonlyMap<string, ValidationOutcome>
): Promise<{ items: PlanItem[]; passwordKeys: Map<string, string[]> }> {
  const passwordKeys = new Map<string, string[]>()
  const out = await Promise.all(
    items.map(async (item): Promise<PlanItem> => {
      const spec = item.spec
      const cls = spec?.config['connector.class']
      if (!spec || !cls || isCustom(spec.config) || (item.action !== 'create' && item.action !== 'update')) return item
      try {
        const answer = known.get(item.name) ?? (await api.validate(target, cls, spec.config))
        passwordKeys.set(item.name, answer.passwordKeys)
        return { ...item, validationErrors: answer.errors }
      } catch (err) {
        return { ...item, validationErrors: [{ key: '', message: `validate failed: ${describeError(err)}` }] }
      }
    })
  )
  return { items: out, passwordKeys }
}

/** A dry-run Result with validate's errors annotated on the lines of their keys. */
export function resultWithValidation(item: PlanItem, base: Result, logger: Logger): Result {
  const errors = item.validationErrors ?? []
  for (const e of errors) {
    const loc = e.key ? item.spec?.locations[e.key] : undefined
    logger.error(`${item.name}: ${e.key ? `"${e.key}": ` : ''}${e.message}`, { file: item.spec?.file ?? '', line: loc?.line ?? item.spec?.line ?? 0 })
  }
  return { ...base, ...(errors.length > 0 ? { validationErrors: errors, error: `Confluent's validate reported ${errors.length} error(s)` } : {}) }
}
