// The job summary (and the pull-request comment body): counts, deletions first, a table of every
// connector, errors, then key-level diffs, unmanaged connectors and the request statistics. Every
// string from a file or a server is escaped here; the caller redacts before and after rendering.
import type { KeyChange, Outcome, Problem, Result, TaskInfo } from '../model/types.js'
import { isFailed, outputAction, outputStateChange } from '../model/types.js'
import { esc } from './markdown.js'

export { esc }

export interface Counts {
  created: number
  updated: number
  unchanged: number
  deleted: number
  paused: number
  resumed: number
  failed: number
}

/** Counts by what was planned (dry run) or done; a failed connector counts as failed only. */
export function countResults(results: readonly Result[], dryRun: boolean): Counts {
  const c: Counts = { created: 0, updated: 0, unchanged: 0, deleted: 0, paused: 0, resumed: 0, failed: 0 }
  for (const r of results) {
    if (isFailed(r)) {
      c.failed++
      continue
    }
    const a = outputAction(r, dryRun)
    if (a === 'created' || a === 'create') c.created++
    else if (a === 'updated' || a === 'update') c.updated++
    else if (a === 'unchanged') c.unchanged++
    else if (a === 'deleted' || a === 'delete') c.deleted++
    const sc = outputStateChange(r, dryRun)
    if (sc === 'pause' || sc === 'paused') c.paused++
    else if (sc === 'resume' || sc === 'resumed') c.resumed++
  }
  return c
}

function tasksCell(tasks: TaskInfo[]): string {
  if (tasks.length === 0) return '0'
  const states = tasks.map(t => t.state).filter(Boolean)
  return states.length > 0 ? `${tasks.length} (${esc(states.join(', '))})` : String(tasks.length)
}

function showValue(v: string | undefined, sensitive: boolean, present: boolean): string {
  if (!present) return ''
  if (sensitive) return '(sensitive)'
  if (v === undefined) return ''
  return `<code>${esc(v.length > 200 ? `${v.slice(0, 200)}…` : v)}</code>`
}

function changeRow(c: KeyChange): string {
  if (c.kind === 'secret-unknown') {
    return `| <code>${esc(c.key)}</code> | may change | (sensitive) | secret values cannot be compared; \`force\` re-applies them |`
  }
  return `| <code>${esc(c.key)}</code> | ${c.kind} | ${showValue(c.before, c.sensitive, c.kind !== 'added')} | ${showValue(c.after, c.sensitive, c.kind !== 'removed')} |`
}

function diffSection(r: Result): string {
  // An unchanged connector's only "changes" are secrets that cannot be compared: said once below.
  if (r.changes.length === 0 || r.planned === 'unchanged' || r.planned === 'delete' || r.planned === 'not-planned') return ''
  const n = r.changes.filter(c => c.kind !== 'secret-unknown').length
  const head = `<details><summary>${esc(r.name)}: ${esc(r.planned)}, ${n} key(s)</summary>\n\n`
  return `${head}| key | change | before | after |\n|---|---|---|---|\n${r.changes.map(changeRow).join('\n')}\n\n</details>\n`
}

export function problemLine(p: Problem): string {
  return `- <code>${esc(p.file)}${p.line ? `:${p.line}` : ''}</code>: ${esc(p.message)}`
}

function where(r: Result): string {
  return r.file ? `${esc(r.file)}${r.line ? `:${r.line}` : ''}` : '—'
}

function actionCell(r: Result, dryRun: boolean): string {
  const a = outputAction(r, dryRun)
  const planned = r.planned === 'not-planned' ? 'not planned' : r.planned
  const base = a === 'failed' ? `${planned}, failed` : isFailed(r) ? `${a}, failed` : a
  const sc = outputStateChange(r, dryRun) ?? (r.stateChange && !dryRun ? `${r.stateChange} failed` : undefined)
  return esc(sc ? `${base}, ${sc}` : base)
}

/**
 * Renders the outcome as Markdown. Takes the (already redacted) outcome; returns the summary text.
 * Order: title, counts, deletions, errors, table, diffs, unmanaged, notes, statistics — what a
 * reviewer must see first comes first, and errors stand before the long diffs.
 */
export interface SummaryOptions {
  title?: string
  /** A URL for a file's line (on a pull request: the head commit's blob), or undefined for none. */
  fileLink?: (file: string, line: number) => string | undefined
}

export function renderSummary(outcome: Outcome, opts: SummaryOptions = {}): string {
  const dryRun = outcome.dryRun
  const title = opts.title ?? (dryRun ? 'Connector plan (dry run, nothing applied)' : 'Connectors applied')
  const out: string[] = [`## ${esc(title)}`, '']
  if (outcome.stoppedEarly && outcome.results.length === 0) {
    out.push(`**Nothing was sent.** ${esc(outcome.stoppedEarly.split('\n')[0])}`, '')
    if (outcome.problems.length > 0) out.push('### Problems', '', ...outcome.problems.map(problemLine), '')
    return `${out.join('\n')}\n`
  }
  if (outcome.stoppedEarly) out.push(`**Nothing was changed.** ${esc(outcome.stoppedEarly.split('\n')[0])}`, '')
  const c = countResults(outcome.results, dryRun)
  const verbs = dryRun ? ['to create', 'to update', 'to delete', 'to pause', 'to resume'] : ['created', 'updated', 'deleted', 'paused', 'resumed']
  const counts = [`${c.created} ${verbs[0]}`, `${c.updated} ${verbs[1]}`, `${c.unchanged} unchanged`]
  if (c.deleted > 0) counts.push(`${c.deleted} ${verbs[2]}`)
  if (c.paused > 0) counts.push(`${c.paused} ${verbs[3]}`)
  if (c.resumed > 0) counts.push(`${c.resumed} ${verbs[4]}`)
  counts.push(`${c.failed} failed`)
  out.push(`**${counts.join(' · ')}**`, '')
  if (!dryRun && !outcome.waited && outcome.results.some(r => r.unverified)) {
    out.push('> [!WARNING]', '> `wait` is off: the states below are what the PUT answered, not verified. The connectors may still fail.', '')
  }
  const deletions = outcome.results.filter(r => r.planned === 'delete')
  if (deletions.length > 0) {
    out.push(`### ${dryRun ? 'To delete' : 'Deleted'} (${deletions.length})`, '')
    for (const r of deletions) out.push(`- **${esc(r.name)}** on ${esc(r.environment_id)}/${esc(r.kafka_cluster_id)}${isFailed(r) ? ` — failed: ${esc(r.error)}` : ''}`)
    out.push('')
  }
  const errors = outcome.results.filter(r => r.error || (r.validationErrors ?? []).length > 0)
  if (errors.length > 0) {
    out.push('### Errors', '')
    for (const r of errors) {
      if (r.error) out.push(`- **${esc(r.name)}** (<code>${where(r)}</code>): ${esc(r.error)}`)
      for (const v of r.validationErrors ?? []) out.push(`- **${esc(r.name)}** validate${v.key ? ` <code>${esc(v.key)}</code>` : ''}: ${esc(v.message)}`)
    }
    out.push('')
  }
  if (outcome.results.length > 0) {
    out.push('| Connector | File | Target | Action | Type | Tasks | State | Restarts |', '|---|---|---|---|---|---|---|---|')
    for (const r of outcome.results) {
      const target = `${esc(r.environment_id)}/${esc(r.kafka_cluster_id)}`
      out.push(
        `| ${esc(r.name)} | ${where(r)} | ${target} | ${actionCell(r, dryRun)} | ${esc(r.type || '—')} | ${tasksCell(r.tasks)} | ${esc(r.state || '—')}${r.unverified ? ' (unverified)' : ''} | ${r.restarts} |`
      )
    }
    out.push('')
  }
  const restarted = outcome.results.filter(r => (r.restartLog ?? []).length > 0)
  if (restarted.length > 0) {
    out.push('### Task restarts', '')
    for (const r of restarted) for (const line of r.restartLog ?? []) out.push(`- **${esc(r.name)}** ${esc(line)}`)
    out.push('')
  }
  const diffs = outcome.results.map(diffSection).filter(Boolean)
  if (diffs.length > 0) out.push('### Changes', '', ...diffs)
  const opaque = outcome.results.filter(r => r.planned === 'unchanged' && r.changes.some(ch => ch.kind === 'secret-unknown'))
  if (opaque.length > 0) {
    out.push(
      `${opaque.length} unchanged connector(s) hold secret values that cannot be compared with the server's masked ones; \`force: true\` re-applies them (secret rotation).`,
      ''
    )
  }
  if (outcome.unmanaged.length > 0) {
    out.push(`### Unmanaged (${outcome.unmanaged.length})`, '', 'On the targeted clusters, declared by no file:', '')
    for (const u of outcome.unmanaged) out.push(`- ${esc(u.name)} on ${esc(u.environment_id)}/${esc(u.kafka_cluster_id)}`)
    out.push('')
  }
  if (outcome.notes.length > 0) {
    out.push('### Notes', '', ...outcome.notes.map(n => `- ${esc(n)}`), '')
  }
  const s = outcome.stats
  out.push(
    `<sub>${s.requests} request(s), ${s.retries} retried, ${s.tooManyRequests} rate-limited (429), ${Math.round(s.waitedMs / 1000)} s waited for rate limits</sub>`,
    ''
  )
  return `${out.join('\n')}\n`
}
