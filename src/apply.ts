// Sends one PUT per create/update of a cluster's plan. Requests go out through the request engine
// (which paces and retries); one connector failing never stops the others. Progress lines are
// printed in plan order, whatever order the responses arrive in, so logs read the same every run.
import { MASK, type ConfluentClient } from './confluent-client.js'
import { describeError } from './errors.js'
import type { Redactor } from './redact.js'
import type { Logger, PlanItem, Result, Target } from './types.js'

export function baseResult(item: PlanItem): Result {
  const s = item.spec
  return {
    name: s.name,
    file: s.file,
    line: s.line,
    environment_id: s.environmentId,
    kafka_cluster_id: s.kafkaClusterId,
    action: item.action,
    planned: item.action,
    type: item.live?.type ?? '',
    tasks: item.live?.tasks ?? [],
    state: item.live?.state ?? '',
    error: '',
    changes: item.changes,
    ...(item.validationErrors ? { validationErrors: item.validationErrors } : {})
  }
}

/** Prints line i only after lines 0..i-1, so concurrent completions still log in plan order. */
export class OrderedPrinter {
  private next = 0
  private readonly pending = new Map<number, string>()
  constructor(private readonly print: (line: string) => void) {}
  done(index: number, line: string): void {
    this.pending.set(index, line)
    while (this.pending.has(this.next)) {
      this.print(this.pending.get(this.next) as string)
      this.pending.delete(this.next)
      this.next++
    }
  }
}

const PAST: Record<string, string> = { create: 'created', update: 'updated', unchanged: 'unchanged' }

export async function applyTarget(
  target: Target,
  items: PlanItem[],
  client: ConfluentClient,
  logger: Logger,
  redactor: Redactor,
  progress: { offset: number; total: number }
): Promise<Result[]> {
  const printer = new OrderedPrinter(line => logger.info(line))
  const label = (i: number): string => `[${progress.offset + i + 1}/${progress.total}]`
  return Promise.all(
    items.map(async (item, i): Promise<Result> => {
      const result = baseResult(item)
      if (item.action === 'unchanged') {
        printer.done(i, `${label(i)} unchanged ${item.spec.name}`)
        return result
      }
      try {
        const put = await client.putConfig(target, item.spec.name, item.spec.config)
        // What the server masks is a secret, whatever its key is called: hide it from now on.
        for (const [k, v] of Object.entries(put.config)) if (v === MASK) redactor.add(item.spec.config[k])
        result.action = PAST[item.action] as Result['action']
        result.type = put.type ?? result.type
        result.tasks = put.tasks.length > 0 || item.action === 'create' ? put.tasks : result.tasks
        if (item.action === 'create') result.state = ''
        printer.done(i, `${label(i)} ${result.action} ${item.spec.name}`)
      } catch (err) {
        result.action = 'failed'
        result.error = describeError(err)
        printer.done(i, `${label(i)} failed ${item.spec.name}: ${result.error}`)
        logger.error(`${item.spec.name}: ${item.action} failed: ${result.error}`, { file: item.spec.file, line: item.spec.line })
      }
      return result
    })
  )
}
