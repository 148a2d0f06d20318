// Stage (`wait`, on by default): after applying, watch every connector the run changed until it runs
// as its file says, or it fails, or the time is up. A 200 from the PUT is not enough (api-notes.md:
// "A 200 from the PUT does not mean the config is in force"): the connector and every task must be
// RUNNING (or PAUSED where that is declared, or where it was paused by hand and not declared RUNNING),
// and the status must carry no validation errors.
//
// One `GET .../connectors?expand=status` per cluster per round, whatever the number of connectors;
// rounds start at 2 s and back off x1.5 to 15 s. Within GRACE_MS after a connector's own PUT, a FAILED
// connector or task, DEGRADED, or its absence from the list is not final (api-notes.md: a connector can
// go FAILED briefly after a PUT and then RUNNING; DEGRADED is a normal stop on the way up; a just-created
// connector can be missing from the list for a few seconds). 30 s is a choice, not a measured value.
// After the grace a FAILED task under a RUNNING connector is restarted up to `restartFailedTasks` times
// (api-notes.md: restart answers 400 unless the connector is RUNNING, so a FAILED or DEGRADED connector
// is reported, not restarted).
import { describeError } from '../model/errors.js'
import type { Clock, ConfluentApi, LiveConnector, Logger, Result, Target, TaskInfo } from '../model/types.js'
import { connectorKey, targetKey } from '../model/types.js'
import { resultKey, targetOfResult } from './results.js'

export const GRACE_MS = 30_000
const FIRST_DELAY_MS = 2_000
const MAX_DELAY_MS = 15_000
const TRACE_LIMIT = 1_000
const FAILED_TASK_STATES = new Set(['FAILED', 'USER_ACTIONABLE_ERROR'])

export interface WaitOptions {
  api: ConfluentApi
  clock: Clock
  logger: Logger
  timeoutSeconds: number
  /** Clock ms after which nothing new is sent (run-timeout); the wait ends there too. */
  runDeadline?: number
  restartFailedTasks?: number
  graceMs?: number
  /** Applied to a trace before it is shortened: cutting first could leave half a secret unrecognised. */
  redact?: (text: string) => string
}

/** Shortens a Java stack trace to its message lines: the first lines, without `at ...` frames. */
export function shortenTrace(trace: string): string {
  const lines = trace
    .slice(0, 100_000)
    .split(/\r?\n|\r/)
    .map(l => l.trimEnd())
    .filter(l => l.trim() !== '' && !/^\s*at\s/.test(l) && !/^\s*\.\.\. \d+ more/.test(l))
  const text = lines.join('\n')
  return text.length > TRACE_LIMIT ? `${text.slice(0, TRACE_LIMIT)}…` : text
}

/** The state a watched connector must reach. */
function expectedState(r: Result): 'RUNNING' | 'PAUSED' {
  if (r.stateChange === 'pause') return 'PAUSED'
  if (r.stateChange === 'resume') return 'RUNNING'
  return r.state === 'PAUSED' ? 'PAUSED' : 'RUNNING'
}

/** Connectors the wait watches: those whose config or state this run changed. */
export function isWatched(r: Result): boolean {
  return (r.done === 'created' || r.done === 'updated' || r.stateChanged === true || r.recheck === true) && r.planned !== 'delete'
}

type Verdict = { kind: 'ok' } | { kind: 'pending' } | { kind: 'failed'; error: string } | { kind: 'restart'; tasks: TaskInfo[] }

/** Judges one status against what the file says. `inGrace`: within GRACE_MS of this connector's PUT. */
export function judge(
  live: LiveConnector | undefined,
  expected: 'RUNNING' | 'PAUSED',
  inGrace: boolean,
  canRestart: (t: TaskInfo) => boolean,
  redact: (t: string) => string,
  /** True for a connector this run created: it has no previous config to keep running. */
  created = false
): Verdict {
  if (!live) return inGrace ? { kind: 'pending' } : { kind: 'failed', error: 'the connector is not in the list of the cluster' }
  const state = live.state ?? ''
  const failedTasks = live.tasks.filter(t => FAILED_TASK_STATES.has(t.state ?? ''))
  const taskText = (t: TaskInfo): string => `task ${t.id} ${t.state}: ${shortenTrace(redact(t.trace ?? '')) || 'no error text given'}`
  if (live.validationErrors && live.validationErrors.length > 0) {
    if (inGrace) return { kind: 'pending' }
    return {
      kind: 'failed',
      error: `${created ? 'the cloud refused the config after accepting it, and the new connector does not run' : 'the cloud kept the previous config'}; validation errors: ${live.validationErrors.map(v => redact(v)).join('; ')}`
    }
  }
  if (state === 'FAILED') {
    return inGrace ? { kind: 'pending' } : { kind: 'failed', error: `connector FAILED: ${shortenTrace(redact(live.trace ?? '')) || 'no trace given'}` }
  }
  if (expected === 'PAUSED') return state === 'PAUSED' ? { kind: 'ok' } : { kind: 'pending' }
  if (state === 'PAUSED') return { kind: 'pending' } // a resume acts later (api-notes.md)
  if ((state === 'RUNNING' || state === 'DEGRADED') && failedTasks.length > 0) {
    if (inGrace) return { kind: 'pending' }
    const restartable = state === 'RUNNING' ? failedTasks.filter(canRestart) : []
    if (restartable.length > 0) return { kind: 'restart', tasks: restartable }
    return { kind: 'failed', error: `connector ${state} with failed task(s): ${failedTasks.map(taskText).join('; ')}` }
  }
  if (state === 'DEGRADED') return inGrace ? { kind: 'pending' } : { kind: 'failed', error: 'connector DEGRADED (no task error given)' }
  if (state === 'RUNNING' && live.tasks.every(t => t.state === 'RUNNING')) return { kind: 'ok' }
  return { kind: 'pending' }
}

/**
 * The line a wait failure is annotated on: the line of the first config key that the status's
 * validation errors name (each is a `key: message` line, api-notes.md "A 200 from the PUT does not mean
 * the config is in force"), so a pull request's author sees the refused value; else the document's line.
 */
export function failureLine(r: Result, live: LiveConnector | undefined): number {
  for (const text of live?.validationErrors ?? []) {
    const key = /^([^\s:]+):/.exec(text)?.[1]
    const line = key !== undefined && r.keyLines && Object.prototype.hasOwnProperty.call(r.keyLines, key) ? r.keyLines[key] : undefined
    if (line) return line
  }
  return r.line
}

/**
 * Watches the results that `isWatched` selects; returns new results in the same order: each watched one
 * with its final state, tasks and restart count, and `done: 'failed'` with the reason where it did not
 * end as its file says. Results not watched are returned as they are. Never throws.
 */
export async function waitForConnectors(results: readonly Result[], opts: WaitOptions): Promise<Result[]> {
  const { clock, logger, api } = opts
  const grace = opts.graceMs ?? GRACE_MS
  const redact = opts.redact ?? ((t: string): string => t)
  const maxRestarts = opts.restartFailedTasks ?? 0
  const started = clock.now()
  const deadline = Math.min(started + opts.timeoutSeconds * 1000, opts.runDeadline ?? Infinity)
  const out = results.map(r => ({ ...r }))
  const pending = new Set(out.filter(isWatched))
  if (pending.size === 0) return out
  // Over several clusters a name may stand twice: the log lines then say where.
  const where = (r: Result): string => targetKey(targetOfResult(r))
  const many = new Set([...pending].map(where)).size > 1
  const who = (r: Result): string => (many ? `${r.name} on ${where(r)}` : r.name)
  const restartsByTask = new Map<string, number>()
  // What each pending connector would fail with were its grace over: a wait-timeout shorter than the
  // grace must still report the trace or task error it saw, not a bare "timed out".
  const lastProblem = new Map<Result, string>()
  // The last status seen of each connector: a timeout is annotated where its validation errors point.
  const lastSeen = new Map<Result, LiveConnector>()
  // Why a target's last status call failed (cleared by the next that works): a wait that ends while the
  // status cannot be read says so, instead of "state unknown".
  const listError = new Map<string, string>()
  // Set when a status call was refused because the API's rate-limit wait ends after the deadline.
  let hopeless = false
  logger.info(`waiting up to ${opts.timeoutSeconds} s for ${pending.size} connector(s) to run as their files say`)
  let delay = FIRST_DELAY_MS
  while (pending.size > 0) {
    const now = clock.now()
    if (now >= deadline) break
    await clock.sleep(Math.min(delay, deadline - now))
    delay = Math.min(MAX_DELAY_MS, Math.round(delay * 1.5))
    const byTarget = new Map<string, { target: Target; results: Result[] }>()
    for (const r of pending) {
      const target = targetOfResult(r)
      const key = targetKey(target)
      if (!byTarget.has(key)) byTarget.set(key, { target, results: [] })
      byTarget.get(key)?.results.push(r)
    }
    await Promise.all(
      [...byTarget.values()].map(async ({ target, results: group }) => {
        let live: Map<string, LiveConnector>
        try {
          live = await api.list(target, 'status', deadline)
        } catch (err) {
          // At the deadline the list is cut short: the wait ends now, and says why below.
          if (clock.now() >= deadline) logger.debug(`status of ${targetKey(target)}: ${describeError(err)}; the wait's time is up`)
          else {
            listError.set(targetKey(target), describeError(err))
            // The API's rate-limit wait ends after the deadline: no status can come in time.
            if ((err as { code?: unknown }).code === 'EDEADLINE') hopeless = true
            else logger.warning(`status of ${targetKey(target)}: ${describeError(err)}; trying again`)
          }
          return
        }
        listError.delete(targetKey(target))
        for (const r of group) {
          const c = live.get(r.name)
          const inGrace = clock.now() - (r.graceFrom ?? r.appliedAt ?? started) < grace
          const taskKey = (t: TaskInfo): string => `${connectorKey(target, r.name)}\u0000${t.id}`
          const verdict = judge(c, expectedState(r), inGrace, t => (restartsByTask.get(taskKey(t)) ?? 0) < maxRestarts, redact, r.planned === 'create')
          if (c) {
            r.state = c.state ?? ''
            if (c.tasks.length > 0) r.tasks = c.tasks
          }
          if (verdict.kind === 'pending') {
            const final = c ? judge(c, expectedState(r), false, () => false, redact, r.planned === 'create') : undefined
            if (final?.kind === 'failed') lastProblem.set(r, final.error)
            else lastProblem.delete(r)
          }
          if (c) lastSeen.set(r, c)
          if (verdict.kind === 'ok') {
            pending.delete(r)
            logger.info(`${who(r)}: ${r.state}${r.tasks.length > 0 ? `, ${r.tasks.length} task(s) ${r.state === 'PAUSED' ? '' : 'RUNNING'}`.trimEnd() : ''}`)
          } else if (verdict.kind === 'failed') {
            pending.delete(r)
            r.done = 'failed'
            r.error = r.recheck ? `the config is as written, but the connector does not run as written: ${verdict.error}` : verdict.error
            logger.error(`${who(r)}: ${r.error}`, r.file ? { file: r.file, line: failureLine(r, c) } : {})
          } else if (verdict.kind === 'restart') {
            for (const t of verdict.tasks) {
              restartsByTask.set(taskKey(t), (restartsByTask.get(taskKey(t)) ?? 0) + 1)
              r.restarts++
              const why = shortenTrace(redact(t.trace ?? '')) || 'no error text given'
              try {
                await api.restartTask(target, r.name, t.id, deadline)
                logger.warning(
                  `${who(r)}: restarted task ${t.id} (restart ${restartsByTask.get(taskKey(t))} of ${maxRestarts}) after: ${why}`,
                  r.file ? { file: r.file, line: r.line } : {}
                )
                r.restartLog = [...(r.restartLog ?? []), `task ${t.id}: ${why}`]
              } catch (err) {
                logger.warning(`${who(r)}: restarting task ${t.id} failed: ${describeError(err)}`)
              }
            }
            // The restarted task needs its own grace before it is judged again.
            r.graceFrom = clock.now()
          }
        }
      })
    )
    if (hopeless) break
    const seen = (r: Result): string => r.state || (listError.has(where(r)) ? 'status unavailable' : 'not listed yet')
    if (pending.size > 0) logger.info(`still waiting for ${pending.size}: ${[...pending].map(r => `${who(r)} (${seen(r)})`).join(', ')}`)
  }
  for (const r of pending) {
    r.done = 'failed'
    const reason = clock.now() >= (opts.runDeadline ?? Infinity) ? 'run-timeout reached' : hopeless ? 'stopped' : `timed out after ${opts.timeoutSeconds} s`
    const last = lastProblem.get(r)
    // Tasks whose state differs from the connector's: a RUNNING connector with a FAILED task is not done.
    const odd = r.tasks.filter(t => (t.state ?? '') !== r.state)
    const tasks = odd.map(t => `, task ${t.id} ${t.state || 'unknown'}`).join('')
    // A status call refused for the rate-limit wait says the same as `why`: said once.
    const unreadable = hopeless ? undefined : listError.get(where(r))
    const why = hopeless ? "; the API's rate-limit wait ends after the wait's deadline, so no status can come in time" : ''
    // A wait-timeout shorter than the grace ends before a FAILED may count (or a failed task be restarted).
    const graceLeft = last !== undefined && !hopeless && clock.now() - (r.graceFrom ?? r.appliedAt ?? started) < grace
    const early = graceLeft
      ? `; the wait ended within the ${Math.round(grace / 1000)} s after the PUT in which a FAILED may still pass, so it was not judged final and no task was restarted: a longer wait-timeout lets it be`
      : ''
    r.error = `${reason} waiting for ${expectedState(r)} (state ${r.state || 'unknown'}${tasks})${why}${last ? `; last seen: ${last}` : ''}${early}${unreadable ? `; the last status call failed: ${unreadable}` : ''}`
    logger.error(`${who(r)}: ${r.error}`, r.file ? { file: r.file, line: failureLine(r, lastSeen.get(r)) } : {})
  }
  return out
}

/**
 * The connectors whose config was already as written (`unchanged`, no state change) need no PUT, but the
 * plan's list call showed their status: one that does not run as written (FAILED, DEGRADED, a FAILED
 * task, validation errors, and also one still PROVISIONING, or in any other state than RUNNING with all
 * tasks RUNNING, or PAUSED where expected) must not let the step pass: a rerun of a run whose wait timed
 * out would otherwise turn green while the connector never ran. Such connectors are watched by the wait
 * like applied ones (`recheck`, the grace counted from `now`), so a passing FAILED is not final, a
 * PROVISIONING one gets `wait-timeout` to come up, and `restart-failed-tasks` applies.
 * Takes the results and the live connectors by `env/cluster\0name`; returns new results (same order).
 */
export function recheckUnchanged(results: readonly Result[], liveByKey: ReadonlyMap<string, LiveConnector>, now: number): Result[] {
  return results.map(r => (notRunningAsWritten(r, liveByKey) ? { ...r, recheck: true, graceFrom: now } : r))
}

/** True for an unchanged connector (no PUT, no state change) whose status in the plan's list is not
 * running as its file says (judge, without a grace). */
function notRunningAsWritten(r: Result, liveByKey: ReadonlyMap<string, LiveConnector>): boolean {
  if (r.planned !== 'unchanged' || r.done !== 'unchanged' || r.stateChange) return false
  const live = liveByKey.get(resultKey(r))
  return (
    live !== undefined &&
    judge(
      live,
      expectedState(r),
      false,
      () => true,
      t => t
    ).kind !== 'ok'
  )
}

/**
 * With `wait` off, the unchanged connectors the plan's list showed not running as written (see
 * recheckUnchanged) are not watched, but what the list showed is not hidden either: each is marked
 * unverified, so the table shows its state with "(unverified)" and the summary warns. None fails the
 * step: a FAILED or DEGRADED seen once may be the cloud's normal way up after an earlier run's PUT,
 * and only a wait can tell. Takes the results and the live connectors by `env/cluster\0name`; returns
 * new results (same order).
 */
export function markUnchangedUnverified(results: readonly Result[], liveByKey: ReadonlyMap<string, LiveConnector>): Result[] {
  return results.map(r => (notRunningAsWritten(r, liveByKey) ? { ...r, unverified: true } : r))
}
