// Dry run only: asks Confluent to validate each config that would change
// (`PUT .../connector-plugins/{class}/config/validate`), puts its per-key errors into the plan and
// annotates them on the line of that key in the file. Keys that validate calls PASSWORD become
// sensitive in the diff and known to the redactor.
import type { ConfluentClient } from './confluent-client.js'
import { describeError } from './errors.js'
import { diffConfig } from './plan.js'
import type { Redactor } from './redact.js'
import type { Logger, PlanItem, Target } from './types.js'
import { isCustom } from './validate.js'

export async function validatePlan(target: Target, items: PlanItem[], client: ConfluentClient, logger: Logger, redactor: Redactor): Promise<void> {
  await Promise.all(
    items.map(async item => {
      const { spec } = item
      if (item.action === 'unchanged' || isCustom(spec.config) || !spec.config['connector.class']) return
      const plugin = spec.config['connector.class']
      try {
        const outcome = await client.validate(target, plugin, spec.config)
        for (const key of outcome.passwordKeys) redactor.add(spec.config[key])
        if (outcome.passwordKeys.length > 0) item.changes = diffConfig(spec, item.live, outcome.passwordKeys)
        item.validationErrors = outcome.errors
      } catch (err) {
        item.validationErrors = [{ key: '', message: `validate failed: ${describeError(err)}` }]
      }
    })
  )
  for (const item of items) {
    for (const e of item.validationErrors ?? []) {
      const loc = e.key ? item.spec.locations[e.key] : undefined
      const where = e.key ? `"${e.key}": ` : ''
      logger.error(`${item.spec.name}: ${where}${e.message}`, { file: item.spec.file, line: loc?.line ?? item.spec.line })
    }
  }
}
