// The job summary (and the pull-request comment body). What a reviewer must see first comes first:
// title, counts, the `wait`-off warning, deletions, errors, notes (possible renames, literal secrets),
// the table of every connector, task restarts, then per-connector diffs, unmanaged connectors and
// request statistics.
// Every string from a file or a server is escaped here (markdown.ts); the caller redacts before and
// after rendering. The text fits a budget (1 MiB of bytes for the summary, 65,536 characters for a
// comment): when over, diffs go first, then the rows of unchanged connectors, then other rows — each
// with a line saying what was left out (product.md "Limits it keeps").
import type { Outcome, Problem, Result, TaskInfo } from '../model/types.js'
import { isFailed, outputAction, outputStateChange } from '../model/types.js'
import { RESERVE_BYTES, SUMMARY_LIMIT_BYTES, fitSummary, sizeOf, type Unit } from './budget.js'
import { diffSection } from './diff.js'
import { MAX_TEXT_CHARS, MAX_VALUE_CHARS } from './limits.js'
import { cut, esc, link } from './markdown.js'

/** The part of the budget that errors may take together before each is cut shorter. */
const ERRORS_SHARE = 0.4
/** The shortest an error is cut to, however many there are: the status, the API's message and its start. */
const MIN_ERROR_CHARS = 200
/** About what an error line adds around its text: the name, the file link, the Markdown. */
const ERROR_LINE_MARKUP = 150

export { diffLine } from './diff.js'

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

export interface SummaryOptions {
  /** A URL for a file's line (on a pull request: the head commit's blob line), or undefined for none.
   * Only http(s) URLs are used (markdown.ts safeUrl); the URL is attribute-escaped. */
  fileLink?: (file: string, line: number) => string | undefined
  /** The budget: at most this many `unit`s (default 1 MiB, in bytes, less RESERVE_BYTES). */
  limit?: number
  /** `bytes` (the job summary, default) or `chars` (a PR comment: GitHub counts characters). */
  unit?: Unit
}

// ---- pieces -------------------------------------------------------------------------------------------

function tasksCell(tasks: TaskInfo[]): string {
  if (tasks.length === 0) return '0'
  const byState = new Map<string, number>()
  for (const t of tasks) byState.set(t.state || 'state unknown', (byState.get(t.state || 'state unknown') ?? 0) + 1)
  // "2 RUNNING" when all agree, else "3: 2 RUNNING, 1 FAILED".
  const parts = [...byState].map(([s, n]) => `${n} ${s}`)
  return esc(cut(parts.length === 1 ? parts[0] : `${tasks.length}: ${parts.join(', ')}`, MAX_VALUE_CHARS))
}

function location(file: string, line: number | undefined, opts: SummaryOptions): string {
  if (!file) return '—'
  const text = `<code>${esc(file)}${line ? `:${line}` : ''}</code>`
  return link(text, opts.fileLink?.(file, line ?? 0))
}

/** One bullet for a file problem: the file and line (linked when `fileLink` is given) and the message. */
export function problemLine(p: Problem, opts: SummaryOptions = {}): string {
  return `- ${location(p.file, p.line, opts)}: ${esc(cut(p.message, MAX_TEXT_CHARS))}`
}

function actionCell(r: Result, dryRun: boolean): string {
  const a = outputAction(r, dryRun)
  const planned = r.planned === 'not-planned' ? 'not planned' : r.planned
  const done = outputStateChange(r, dryRun)
  const scFailed = done === undefined && r.stateChange !== undefined && !dryRun
  const sc = done ?? (scFailed ? `${r.stateChange} failed` : undefined)
  // For an unchanged config the pause or resume is all the run did: "unchanged, pause failed" says it,
  // without a second "failed" in between.
  const alone = scFailed && r.planned === 'unchanged'
  const base = a === 'failed' ? (alone ? planned : `${planned}, failed`) : isFailed(r) && !alone ? `${a}, failed` : a
  return esc(sc ? `${base}, ${sc}` : base)
}

/** The table's columns: Target only when the run spans more than one cluster (else it is said once
 * above the table), Restarts only when a task was restarted — so the table fits a PR's narrow column. */
interface Columns {
  target: boolean
  restarts: boolean
}

function tableHead(cols: Columns): string {
  const names = ['Connector', 'File', ...(cols.target ? ['Target'] : []), 'Action', 'Type', 'Tasks', 'State', ...(cols.restarts ? ['Restarts'] : [])]
  return `| ${names.join(' | ')} |\n|${names.map(() => '---|').join('')}`
}

function tableRow(r: Result, dryRun: boolean, opts: SummaryOptions, cols: Columns): string {
  const cells = [
    esc(r.name),
    location(r.file, r.line, opts),
    ...(cols.target ? [`${esc(r.environment_id)}/${esc(r.kafka_cluster_id)}`] : []),
    actionCell(r, dryRun),
    esc(r.type || '—'),
    tasksCell(r.tasks),
    `${esc(r.state || '—')}${r.unverified ? ' (unverified)' : ''}`,
    ...(cols.restarts ? [String(r.restarts)] : [])
  ]
  return `| ${cells.join(' | ')} |`
}

/** Which table rows go last when the table must be shortened: failed first kept, unchanged first dropped. */
function rowRank(r: Result, dryRun: boolean): number {
  if (isFailed(r)) return 0
  if (r.planned === 'delete') return 1
  if (r.planned !== 'unchanged' || outputStateChange(r, dryRun) || r.restarts > 0) return 2
  return 3
}

// ---- the whole -------------------------------------------------------------------------------------------

/**
 * Renders the outcome as Markdown. Takes the (already redacted) outcome and options; returns the text,
 * at most `opts.limit` in `opts.unit` (default: 1 MiB less RESERVE_BYTES, in UTF-8 bytes).
 * Order: title, counts, `wait`-off warning, deletions, errors, notes, table, task restarts, diffs,
 * unmanaged, statistics. When over budget: diffs are dropped from the last one on (with a line "N more
 * connectors' changes are not shown"), then table rows (unchanged ones first, with a line saying how
 * many are not listed); what is still over is cut by fitSummary at a safe line. Never throws.
 */
export function renderSummary(outcome: Outcome, opts: SummaryOptions = {}): string {
  const unit = opts.unit ?? 'bytes'
  const limit = opts.limit ?? SUMMARY_LIMIT_BYTES - RESERVE_BYTES
  const size = (s: string): number => sizeOf(s, unit)
  const dryRun = outcome.dryRun
  // Stopped with nothing to show: no result, nothing exported or found unmanaged (an export whose writes
  // failed has its lists to show).
  const stoppedBeforeAny =
    outcome.stoppedEarly !== undefined && outcome.results.length === 0 && (outcome.exported ?? []).length === 0 && outcome.unmanaged.length === 0
  const title = dryRun ? 'Connector plan (dry run, nothing applied)' : stoppedBeforeAny ? 'Connectors not applied' : 'Connectors applied'

  const head: string[] = [`## ${esc(title)}`, '']
  if (outcome.stoppedEarly && stoppedBeforeAny) {
    // The bold lead says it once: the reason's own "nothing was sent" (and the colon before its list) go.
    const first = outcome.stoppedEarly.split('\n')[0].replace(/;? nothing was sent( to the connectors API)?(:?)/i, (_m, _api, colon: string) => colon)
    // Reads were sent (a list) when the stop came after them: then nothing was changed, not "sent".
    head.push(`**${outcome.stats.requests > 0 ? 'Nothing was changed.' : 'Nothing was sent.'}** ${esc(cut(first, MAX_TEXT_CHARS))}`, '')
    if (outcome.problems.length > 0) head.push('### Problems', '', ...outcome.problems.map(p => problemLine(p, opts)), '')
    return finish(`${head.join('\n')}\n`)
  }
  if (outcome.stoppedEarly) {
    // The refusal's own text says "nothing was changed"; the bold lead is for a reader skimming.
    const first = outcome.stoppedEarly.split('\n')[0].replace(/;? nothing was changed/i, '')
    const why = first.charAt(0).toUpperCase() + first.slice(1)
    head.push(`**Nothing was changed.** ${esc(cut(why, MAX_TEXT_CHARS))}`, '')
  }
  const c = countResults(outcome.results, dryRun)
  const verbs = dryRun ? ['to create', 'to update', 'to delete', 'to pause', 'to resume'] : ['created', 'updated', 'deleted', 'paused', 'resumed']
  const counts = [`${c.created} ${verbs[0]}`, `${c.updated} ${verbs[1]}`, `${c.unchanged} unchanged`]
  if (c.deleted > 0) counts.push(`${c.deleted} ${verbs[2]}`)
  if (c.paused > 0) counts.push(`${c.paused} ${verbs[3]}`)
  if (c.resumed > 0) counts.push(`${c.resumed} ${verbs[4]}`)
  counts.push(`${c.failed} failed`)
  head.push(`**${counts.join(' · ')}**`, '')
  if (!dryRun && !outcome.waited && outcome.results.some(r => r.unverified)) {
    head.push(
      '> [!WARNING]',
      '> `wait` is off: the states below are what the PUT answered or the list showed, not verified. The connectors may still fail.',
      ''
    )
  }

  const deletions = outcome.results.filter(r => r.planned === 'delete')
  const delSection: string[] = []
  // Each heading counts what it says: the deletions that happened, and apart those that did not (a
  // refused run, a DELETE the API refused), each with its reason.
  const deletionList = (title: string, list: Result[]): void => {
    if (list.length === 0) return
    delSection.push(`### ${title} (${list.length})`, '')
    for (const r of list) {
      const failed = isFailed(r) ? ` — **failed**: ${esc(cut(r.error, MAX_TEXT_CHARS))}` : ''
      delSection.push(`- **${esc(r.name)}** on ${esc(r.environment_id)}/${esc(r.kafka_cluster_id)}${failed}`)
    }
    delSection.push('')
  }
  if (dryRun) deletionList('To delete', deletions)
  else {
    deletionList(
      'Deleted',
      deletions.filter(r => !isFailed(r))
    )
    deletionList('Not deleted', deletions.filter(isFailed))
  }

  const errSection: string[] = []
  const errored = outcome.results.filter(r => (r.error && r.planned !== 'delete') || (r.validationErrors ?? []).length > 0)
  if (errored.length > 0 || outcome.problems.length > 0) {
    errSection.push('### Errors', '')
    // Many long errors share ERRORS_SHARE of the budget, each cut shorter (never below MIN_ERROR_CHARS),
    // so that the table and the other sections still fit: 1,000 errors of 10 KB filled the whole summary.
    // The pipeline's one-line sum-up of validation errors (pipeline.ts) says less than the list below it.
    const sumUp = (r: Result): boolean => (r.validationErrors ?? []).length > 0 && /^Confluent's validate reported \d+ error/.test(r.error)
    const lines = errored.reduce((n, r) => n + (r.error && !sumUp(r) ? 1 : 0) + (r.validationErrors ?? []).length, 0) + outcome.problems.length
    const maxText = Math.min(MAX_TEXT_CHARS, Math.max(MIN_ERROR_CHARS, Math.floor((limit * ERRORS_SHARE) / Math.max(1, lines))))
    let shortened = false
    const text = (t: string): string => {
      if (t.length > maxText && maxText < MAX_TEXT_CHARS) shortened = true
      return esc(cut(t, maxText))
    }
    // Past what the share holds even at the shortest cut, the rest are counted, not listed (a PR comment
    // has 65,536 characters: 250 errors would push out the whole table).
    const maxLines = Math.max(1, Math.floor((limit * ERRORS_SHARE) / (MIN_ERROR_CHARS + ERROR_LINE_MARKUP)))
    let listed = 0
    const push = (line: () => string): void => {
      if (listed++ < maxLines) errSection.push(line())
    }
    for (const r of errored) {
      const at = location(r.file, r.line, opts)
      if (r.error && !sumUp(r)) push(() => `- **${esc(r.name)}** (${at}): ${text(r.error)}`)
      for (const v of r.validationErrors ?? []) {
        push(() => `- **${esc(r.name)}** (${at}) validation${v.key ? ` of <code>${esc(v.key)}</code>` : ''}: ${text(v.message)}`)
      }
    }
    for (const p of outcome.problems) push(() => problemLine(p, opts))
    if (listed > maxLines) errSection.push('', `*${listed - maxLines} more errors are not listed here; the step's log has every one.*`)
    if (shortened) errSection.push('', `*With ${lines} errors, each is cut to ${maxText} characters here; the step's log holds each in full.*`)
    errSection.push('')
  }

  const notesSection: string[] = []
  if (outcome.notes.length > 0) notesSection.push('### Notes', '', ...outcome.notes.map(n => `- ${esc(cut(n, MAX_TEXT_CHARS))}`), '')

  const restartSection: string[] = []
  const restarted = outcome.results.filter(r => (r.restartLog ?? []).length > 0)
  if (restarted.length > 0) {
    restartSection.push('### Task restarts', '')
    for (const r of restarted) for (const l of r.restartLog ?? []) restartSection.push(`- **${esc(r.name)}** ${esc(cut(l, MAX_TEXT_CHARS))}`)
    restartSection.push('')
  }

  const tail: string[] = []
  const opaque = outcome.results.filter(r => r.planned === 'unchanged' && r.changes.some(ch => ch.kind === 'secret-unknown'))
  if (opaque.length > 0) {
    tail.push(
      `${opaque.length} unchanged connector${opaque.length === 1 ? '' : 's'} ${opaque.length === 1 ? 'holds' : 'hold'} secret values that cannot be compared with the server's masked ones; \`force: true\` re-applies them (secret rotation).`,
      ''
    )
  }
  if (outcome.unmanaged.length > 0) {
    tail.push(`### Unmanaged (${outcome.unmanaged.length})`, '', 'On the targeted clusters and declared by no file:', '')
    for (const u of outcome.unmanaged) tail.push(`- ${esc(u.name)} on ${esc(u.environment_id)}/${esc(u.kafka_cluster_id)}`)
    tail.push('')
  }
  const exported = outcome.exported ?? []
  if (exported.length > 0) {
    const written = exported.filter(e => !e.skipped && e.refused === undefined)
    const secrets = [...new Set(written.flatMap(e => e.secrets))]
    if (written.length > 0) {
      tail.push(`### Exported (${written.length})`, '', 'Connectors declared by no file, written to files:', '')
      for (const e of written) tail.push(`- <code>${esc(e.file)}</code>: ${esc(e.name)}`)
      tail.push('')
    }
    if (secrets.length > 0) {
      tail.push(
        `Create these ${secrets.length} secret(s) before a dry run over the files (the files never hold a secret value: masked by the API, under a credential-like key, or one the run knows as secret):`,
        ''
      )
      for (const name of secrets) tail.push(`- <code>${esc(name)}</code>`)
      tail.push('')
    }
    const left = exported.filter(e => e.skipped || e.refused !== undefined)
    if (left.length > 0) {
      tail.push(`### Not exported (${left.length})`, '')
      for (const e of left) {
        const why =
          e.refused !== undefined ? esc(cut(e.refused, MAX_TEXT_CHARS)) : `<code>${esc(e.file)}</code> exists, and an existing file is never overwritten`
        tail.push(`- ${esc(e.name)} on ${esc(e.environment_id)}/${esc(e.kafka_cluster_id)}: ${why}`)
      }
      tail.push('')
    }
  }
  const s = outcome.stats
  tail.push(
    `<sub>${s.requests} request${s.requests === 1 ? '' : 's'}, ${s.retries} retried, ${s.tooManyRequests} rate-limited (429), ${Math.round(s.waitedMs / 1000)} s waited for rate limits</sub>`,
    ''
  )

  // The two parts that may be shortened: table rows and diffs.
  const targets = new Set(outcome.results.map(r => `${r.environment_id}/${r.kafka_cluster_id}`))
  const cols: Columns = { target: targets.size > 1, restarts: outcome.results.some(r => r.restarts > 0) }
  const rows = outcome.results.map(r => tableRow(r, dryRun, opts, cols))
  const [only] = targets
  const tableIntro = targets.size === 1 ? [`On ${esc(only)}:`, ''] : []
  const diffs = outcome.results.map(r => diffSection(r, cols.target)).filter(Boolean)

  const assemble = (keptRows: string[], rowNote: string, keptDiffs: string[], diffNote: string): string => {
    const table = outcome.results.length > 0 ? [...tableIntro, tableHead(cols), ...keptRows, '', ...(rowNote ? [rowNote, ''] : [])] : []
    const changes = keptDiffs.length > 0 || diffNote ? ['### Changes', '', ...keptDiffs, ...(diffNote ? [diffNote, ''] : [])] : []
    return `${[...head, ...delSection, ...errSection, ...notesSection, ...table, ...restartSection, ...changes, ...tail].join('\n')}\n`
  }

  const full = assemble(rows, '', diffs, '')
  if (size(full) <= limit) return full

  // Over budget: keep what fits of the table (failed and changed rows first), then of the diffs.
  const NOTE_ROOM = 200
  const fixed = size(assemble([], '', [], ''))
  let room = limit - fixed - 2 * NOTE_ROOM
  const rowsSize = rows.reduce((n, r) => n + size(r) + 1, 0)
  let keptRows = rows
  let rowNote = ''
  if (rowsSize > room) {
    const order = outcome.results.map((r, i) => i).sort((a, b) => rowRank(outcome.results[a], dryRun) - rowRank(outcome.results[b], dryRun) || a - b)
    const keep = new Set<number>()
    let used = 0
    for (const i of order) {
      const n = size(rows[i]) + 1
      if (used + n > room) break
      used += n
      keep.add(i)
    }
    keptRows = rows.filter((_, i) => keep.has(i))
    const left = rows.length - keptRows.length
    const leftUnchanged = outcome.results.filter((r, i) => !keep.has(i) && rowRank(r, dryRun) === 3).length
    rowNote = `*${left} more connector${left === 1 ? ' is' : 's are'} not listed${leftUnchanged === left ? ' (all unchanged)' : ''}: the summary is limited to ${limitText(limit, unit)}. The \`results\` output lists every connector.*`
    room -= used
  } else room -= rowsSize
  const keptDiffs: string[] = []
  for (const d of diffs) {
    const n = size(d) + 1
    if (n > room) break
    room -= n
    keptDiffs.push(d)
  }
  const more = diffs.length - keptDiffs.length
  const diffNote =
    more > 0
      ? `*${more} more connector${more === 1 ? "'s changes are" : "s' changes are"} not shown: the summary is limited to ${limitText(limit, unit)}. The \`results\` output lists every connector and its action.*`
      : ''
  return finish(assemble(keptRows, rowNote, keptDiffs, diffNote))

  function finish(text: string): string {
    return fitSummary(text, limit, unit)
  }
}

function limitText(limit: number, unit: Unit): string {
  return unit === 'bytes' ? (limit >= 1000 * 1024 ? '1 MiB' : `${Math.floor(limit / 1024)} KiB`) : `${limit.toLocaleString('en-US')} characters`
}
