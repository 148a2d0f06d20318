// `literal-secrets`: a value written literally in a file under a key the plugin declares PASSWORD (not a
// `${{ secrets.NAME }}` placeholder, not a `${...}` config-provider reference) is a committed password.
// The plugin's word is validate's PASSWORD types (password-keys.ts) or the server's masks in the live
// config; for CUSTOM connectors, which validate does not describe, a key whose name looks like a credential.
import type { LiteralSecrets, Logger, PlanItem, Problem, TargetPlan } from '../model/types.js'
import { isCustom, isMasked, whereOf } from '../model/types.js'
import { CREDENTIAL_LIKE, KAFKA_API_SECRET } from '../secrets/policy.js'

/** A config-provider reference such as `${file:/path:key}` or `${secrets:...}`: not a literal. */
const REFERENCE = /^\$\{[^}]*\}$/

function passwordKeysOf(item: PlanItem): Set<string> {
  const spec = item.spec
  // Also with validate off: a connector without it is passed over below, as any key without a value.
  const keys = new Set<string>([...(item.passwordKeys ?? []), KAFKA_API_SECRET])
  for (const [k, v] of Object.entries(item.live?.config ?? {})) if (isMasked(v)) keys.add(k)
  if (spec && isCustom(spec.config)) for (const k of Object.keys(spec.config)) if (CREDENTIAL_LIKE.test(k)) keys.add(k)
  return keys
}

/**
 * Finds literal values under password keys in the planned items. Takes the plans and the
 * `literal-secrets` setting; returns one Problem per value (file and line of its key, never the value),
 * or none with `allow`.
 */
export function literalSecretProblems(plans: readonly TargetPlan[], mode: LiteralSecrets): Problem[] {
  if (mode === 'allow') return []
  const problems: Problem[] = []
  for (const plan of plans) {
    if (plan.status !== 'planned') continue
    for (const item of plan.items) {
      const spec = item.spec
      if (!spec) continue
      for (const key of passwordKeysOf(item)) {
        const value = spec.config[key]
        if (value === undefined || value === '' || spec.secretKeys.includes(key) || REFERENCE.test(value.trim())) continue
        problems.push({
          file: spec.file,
          line: spec.locations[key]?.line ?? spec.line,
          message: `connector ${JSON.stringify(spec.name)}: "${key}" is a password key and its value is written literally in the file; use \${{ secrets.NAME }} instead`
        })
      }
    }
  }
  return problems
}

/**
 * literalSecretProblems, each also logged on its file and line: as an error with `error` (the run is
 * then refused before any change), as a warning otherwise. Returns the problems.
 */
export function reportLiteralSecrets(plans: readonly TargetPlan[], mode: LiteralSecrets, logger: Logger): Problem[] {
  const problems = literalSecretProblems(plans, mode)
  for (const p of problems) {
    if (mode === 'error') logger.error(p.message, whereOf(p))
    else logger.warning(p.message, whereOf(p))
  }
  return problems
}
