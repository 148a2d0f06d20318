// Stage: one PUT per create/update of a target's plan. Requests go out through the request engine
// (which paces and retries); one connector failing never stops the others. Progress lines are
// printed in plan order, whatever order the responses arrive in, so logs read the same every run.
import { describeError, RateLimitedError } from '../model/errors.js'
import type { Clock, ConfluentApi, Logger, PlanItem, Result } from '../model/types.js'
import { pastTense, targetKey } from '../model/types.js'
import type { Redactor } from '../secrets/redactor.js'
import { registerSecrets } from '../secrets/policy.js'
import { resultOf } from './results.js'

/** Prints entry i (a line, or a batch of deferred log calls) only after entries 0..i-1, so concurrent
 * completions still log in plan order. */
export class OrderedPrinter<T = string> {
  private next = 0
  private readonly pending = new Map<number, T>()
  constructor(private readonly print: (entry: T) => void) {}
  done(index: number, entry: T): void {
    this.pending.set(index, entry)
    while (this.pending.has(this.next)) {
      this.print(this.pending.get(this.next) as T)
      this.pending.delete(this.next)
      this.next++
    }
  }
}

/** True when the request was not (or could not be) sent because of run-timeout: the deadline has passed,
 * or the engine gave up on a 429 whose wait would end after it. */
export function stoppedByDeadline(err: unknown, ctx: { clock: Clock; runDeadline?: number }): boolean {
  if (ctx.runDeadline === undefined) return false
  const now = ctx.clock.now()
  if (now >= ctx.runDeadline || (err as { code?: unknown })?.code === 'EDEADLINE') return true
  return err instanceof RateLimitedError && now + (err.retryAfterMs ?? 0) > ctx.runDeadline
}

/** What a connector stopped by run-timeout says (stoppedByDeadline): that the deadline passed, or that the
 * API's rate-limit wait (its Retry-After, when known) would have ended after it, long before it came. */
export function deadlineError(err: unknown, ctx: { clock: Clock; runDeadline?: number }): string {
  if (ctx.runDeadline === undefined || ctx.clock.now() >= ctx.runDeadline) return 'not applied: run-timeout reached'
  const asked = err instanceof RateLimitedError && err.retryAfterMs !== undefined ? ` (Retry-After ${Math.ceil(err.retryAfterMs / 1000)} s)` : ''
  return `not applied: the API's rate-limit wait${asked} would end after run-timeout`
}

export interface ApplyContext {
  api: ConfluentApi
  clock: Clock
  logger: Logger
  redactor: Redactor
  /** Clock ms of run-timeout: a PUT refused for it is reported "not applied: run-timeout". */
  runDeadline?: number
  /** Numbering of the progress lines across targets: `[offset+i+1/total]`; `withTarget`: the lines name
   * each connector's environment and cluster too (a run over several clusters may hold a name twice). */
  progress: { offset: number; total: number; withTarget?: boolean }
}

/**
 * Applies the config changes of one target's items (creates and updates; deletes, pauses and resumes
 * are the lifecycle stage's). Takes the plan items; returns one new Result per item, in item order:
 * `done` is the past tense on a 2xx, `failed` with the API's (redacted) message otherwise. Never throws.
 */
export async function applyItems(items: PlanItem[], ctx: ApplyContext): Promise<Result[]> {
  const { api, logger, redactor } = ctx
  const printer = new OrderedPrinter(line => logger.info(line))
  const label = (i: number): string => `[${ctx.progress.offset + i + 1}/${ctx.progress.total}]`
  const who = (item: PlanItem): string => (ctx.progress.withTarget ? `${item.name} on ${targetKey(item.target)}` : item.name)
  return Promise.all(
    items.map(async (item, i): Promise<Result> => {
      const result = resultOf(item)
      const spec = item.spec
      if (!spec || item.action === 'delete') {
        printer.done(i, `${label(i)} ${item.action === 'delete' ? 'to delete (after the PUTs)' : item.action} ${who(item)}`)
        return result
      }
      if (item.action === 'unchanged') {
        printer.done(i, `${label(i)} unchanged ${who(item)}`)
        return { ...result, done: 'unchanged' }
      }
      try {
        const put = await api.putConfig(item.target, spec.name, spec.config)
        // What the server masks is a secret, whatever its key is called: hide it from now on.
        registerSecrets(spec, redactor, { put: put.config })
        printer.done(i, `${label(i)} ${pastTense(item.action)} ${who(item)}`)
        return {
          ...result,
          done: pastTense(item.action),
          appliedAt: ctx.clock.now(),
          type: put.type ?? result.type,
          tasks: put.tasks.length > 0 || item.action === 'create' ? put.tasks : result.tasks,
          state: item.action === 'create' ? '' : result.state
        }
      } catch (err) {
        const error = stoppedByDeadline(err, ctx) ? deadlineError(err, ctx) : describeError(err)
        printer.done(i, `${label(i)} failed ${who(item)}: ${error}`)
        logger.error(`${spec.name}: ${item.action} failed: ${error}`, { file: spec.file, line: spec.line })
        return { ...result, done: 'failed', error }
      }
    })
  )
}
