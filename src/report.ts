// Turns the outcome into what people read: the job summary (Markdown with escaped names and
// messages), the step outputs and the pull-request comment body. The caller passes every string
// produced here through the redactor before it leaves the process.
import type { KeyChange, Problem, Result, TaskInfo } from './types.js'
import type { Outcome } from './pipeline.js'

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '|': '&#124;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
  '#': '&#35;',
  '~': '&#126;',
  '@': '&#64;'
}

/** Escapes text for a Markdown table cell or line: no HTML, no Markdown, no @mentions, no newlines. */
export function esc(text: string): string {
  return text.replace(/[&<>"|`*_[\]\\#~@]/g, c => ENTITIES[c]).replace(/\r?\n/g, '<br>')
}

export interface Counts {
  created: number
  updated: number
  unchanged: number
  failed: number
}

export function isFailed(r: Result): boolean {
  return r.action === 'failed' || r.error !== ''
}

export function countResults(results: Result[]): Counts {
  const c: Counts = { created: 0, updated: 0, unchanged: 0, failed: 0 }
  for (const r of results) {
    if (isFailed(r)) c.failed++
    if (r.action === 'created' || r.action === 'create') c.created++
    else if (r.action === 'updated' || r.action === 'update') c.updated++
    else if (r.action === 'unchanged') c.unchanged++
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
  const visible = r.changes
  // An unchanged connector's only "changes" are secrets that cannot be compared: said once below.
  if (visible.length === 0 || r.planned === 'unchanged') return ''
  const n = visible.filter(c => c.kind !== 'secret-unknown').length
  const head = `<details><summary>${esc(r.name)}: ${esc(r.planned ?? r.action)}, ${n} key(s)</summary>\n\n`
  return `${head}| key | change | before | after |\n|---|---|---|---|\n${visible.map(changeRow).join('\n')}\n\n</details>\n`
}

export function problemLine(p: Problem): string {
  return `- <code>${esc(p.file)}${p.line ? `:${p.line}` : ''}</code>: ${esc(p.message)}`
}

export function renderSummary(outcome: Outcome, opts: { dryRun: boolean; title?: string }): string {
  const title = opts.title ?? (opts.dryRun ? 'Connector plan (dry run, nothing applied)' : 'Connectors applied')
  const out: string[] = [`## ${esc(title)}`, '']
  if (outcome.stoppedEarly && outcome.results.length === 0) {
    out.push(`**Nothing was sent.** ${esc(outcome.stoppedEarly.split('\n')[0])}`, '')
    if (outcome.problems.length > 0) out.push('### Problems', '', ...outcome.problems.map(problemLine), '')
    return `${out.join('\n')}\n`
  }
  const c = countResults(outcome.results)
  const verbs = opts.dryRun ? ['to create', 'to update'] : ['created', 'updated']
  out.push(`**${c.created} ${verbs[0]} · ${c.updated} ${verbs[1]} · ${c.unchanged} unchanged · ${c.failed} failed**`, '')
  if (outcome.results.length > 0) {
    out.push('| Connector | File | Target | Action | Type | Tasks | State |', '|---|---|---|---|---|---|---|')
    for (const r of outcome.results) {
      const target = `${esc(r.environment_id)}/${esc(r.kafka_cluster_id)}`
      const action = isFailed(r) && r.action !== 'failed' ? `${r.action}, failed` : r.action
      out.push(
        `| ${esc(r.name)} | ${esc(r.file)}${r.line ? `:${r.line}` : ''} | ${target} | ${esc(action)} | ${esc(r.type || '—')} | ${tasksCell(r.tasks)} | ${esc(r.state || '—')} |`
      )
    }
    out.push('')
  }
  const diffs = outcome.results.map(diffSection).filter(Boolean)
  if (diffs.length > 0) out.push('### Changes', '', ...diffs)
  const opaque = outcome.results.filter(r => r.planned === 'unchanged' && r.changes.some(c => c.kind === 'secret-unknown'))
  if (opaque.length > 0) {
    out.push(
      `${opaque.length} unchanged connector(s) hold secret values that cannot be compared with the server's masked ones; \`force: true\` re-applies them (secret rotation).`,
      ''
    )
  }
  const errors = outcome.results.filter(r => r.error || (r.validationErrors ?? []).length > 0)
  if (errors.length > 0) {
    out.push('### Errors', '')
    for (const r of errors) {
      if (r.error) out.push(`- **${esc(r.name)}** (<code>${esc(r.file)}:${r.line}</code>): ${esc(r.error)}`)
      for (const v of r.validationErrors ?? []) {
        out.push(`- **${esc(r.name)}** validate${v.key ? ` <code>${esc(v.key)}</code>` : ''}: ${esc(v.message)}`)
      }
    }
    out.push('')
  }
  const s = outcome.stats
  out.push(
    `<sub>${s.requests} request(s), ${s.retries} retried, ${s.tooManyRequests} rate-limited (429), ${Math.round(s.waitedMs / 1000)} s waited for rate limits</sub>`,
    ''
  )
  return `${out.join('\n')}\n`
}

export interface Outputs {
  created: string
  updated: string
  unchanged: string
  failed: string
  results: string
}

export function buildOutputs(results: Result[]): Outputs {
  const names = (pred: (r: Result) => boolean): string => JSON.stringify(results.filter(pred).map(r => r.name))
  return {
    created: names(r => !isFailed(r) && (r.action === 'created' || r.action === 'create')),
    updated: names(r => !isFailed(r) && (r.action === 'updated' || r.action === 'update')),
    unchanged: names(r => !isFailed(r) && r.action === 'unchanged'),
    failed: names(isFailed),
    results: JSON.stringify(
      results.map(r => ({
        name: r.name,
        file: r.file,
        environment_id: r.environment_id,
        kafka_cluster_id: r.kafka_cluster_id,
        action: r.action,
        type: r.type,
        tasks: r.tasks,
        state: r.state,
        error: r.error
      }))
    )
  }
}
