// `wait: true`: after applying, watch every created or updated connector until it is RUNNING, FAILED,
// PAUSED, or the time is up. One `GET .../connectors?expand=status` per cluster per round, whatever
// the number of connectors; rounds start at 2 s and back off to 15 s.
//
// A FAILED seen within FAILED_GRACE_MS of the start of the wait (right after the PUTs) is not final:
// the real API can show a FAILED for a short while right after a create, then RUNNING (api-notes.md).
// How long that lasts is not documented; 30 s is our choice: several poll rounds to see it pass,
// while a real failure is still reported within half a minute. When the deadline comes first, a
// connector still FAILED is reported FAILED (with its trace), not timed out.
import { describeError } from './errors.js'
import type { ConfluentClient } from './confluent-client.js'
import type { Clock, Logger, Result, Target } from './types.js'
import { targetKey } from './types.js'

export const FAILED_GRACE_MS = 30_000
const FIRST_DELAY_MS = 2_000
const MAX_DELAY_MS = 15_000
const FINAL_STATES = new Set(['RUNNING', 'PAUSED'])
const TRACE_LIMIT = 1_000

export interface WaitOptions {
  clock: Clock
  logger: Logger
  timeoutSeconds: number
  graceMs?: number
  /** Applied to a trace before it is shortened: cutting first could leave half a secret unrecognised. */
  redact?: (text: string) => string
}

/** Shortens a Java stack trace to its message lines: the first lines, without `at ...` frames. */
export function shortenTrace(trace: string): string {
  const lines = trace
    .split(/\r?\n/)
    .map(l => l.trimEnd())
    .filter(l => l.trim() !== '' && !/^\s*at\s/.test(l) && !/^\s*\.\.\. \d+ more/.test(l))
  const text = lines.join('\n')
  return text.length > TRACE_LIMIT ? `${text.slice(0, TRACE_LIMIT)}…` : text
}

export async function waitForConnectors(results: Result[], client: ConfluentClient, opts: WaitOptions): Promise<void> {
  const { clock, logger } = opts
  const grace = opts.graceMs ?? FAILED_GRACE_MS
  const redact = opts.redact ?? ((t: string): string => t)
  const started = clock.now()
  const deadline = started + opts.timeoutSeconds * 1000
  const watched = results.filter(r => r.action === 'created' || r.action === 'updated')
  if (watched.length === 0) return
  const pending = new Set(watched)
  logger.info(`waiting up to ${opts.timeoutSeconds} s for ${watched.length} connector(s) to run`)
  let delay = FIRST_DELAY_MS
  while (pending.size > 0) {
    const now = clock.now()
    if (now >= deadline) break
    await clock.sleep(Math.min(delay, deadline - now))
    delay = Math.min(MAX_DELAY_MS, Math.round(delay * 1.5))
    const byTarget = new Map<string, { target: Target; results: Result[] }>()
    for (const r of pending) {
      const target = { environmentId: r.environment_id, kafkaClusterId: r.kafka_cluster_id }
      const key = targetKey(target)
      if (!byTarget.has(key)) byTarget.set(key, { target, results: [] })
      byTarget.get(key)?.results.push(r)
    }
    for (const { target, results: group } of byTarget.values()) {
      let live
      try {
        live = await client.list(target, 'status', deadline)
      } catch (err) {
        logger.warning(`status of ${targetKey(target)}: ${describeError(err)}; trying again`)
        continue
      }
      const inGrace = clock.now() - started < grace
      for (const r of group) {
        const c = live.get(r.name)
        if (!c) continue
        r.state = c.state ?? ''
        if (c.tasks.length > 0) r.tasks = c.tasks
        if (FINAL_STATES.has(r.state)) {
          r.error = '' // a FAILED seen during the grace period was transient
          pending.delete(r)
          logger.info(`${r.name}: ${r.state}`)
        } else if (r.state === 'FAILED') {
          const trace = shortenTrace(redact(c.trace ?? ''))
          r.error = `connector FAILED: ${trace || 'no trace given'}`
          if (!inGrace) {
            pending.delete(r)
            logger.error(`${r.name}: FAILED: ${trace}`, { file: r.file, line: r.line })
          }
        } else {
          r.error = ''
        }
      }
    }
    if (pending.size > 0) logger.info(`still waiting for ${pending.size}: ${[...pending].map(r => `${r.name} (${r.state || 'unknown'})`).join(', ')}`)
  }
  for (const r of pending) {
    if (r.state === 'FAILED') {
      logger.error(`${r.name}: FAILED: ${r.error}`, { file: r.file, line: r.line })
    } else {
      r.error = `timed out after ${opts.timeoutSeconds} s waiting for RUNNING (state ${r.state || 'unknown'})`
      logger.error(`${r.name}: ${r.error}`, { file: r.file, line: r.line })
    }
  }
}
