// Size limits of what GitHub shows. A step's summary over 1 MiB (bytes, not characters) is refused and
// then the WHOLE summary is dropped (toolchain.md; product.md "Limits it keeps"); a PR comment over
// 65,536 characters is refused. renderSummary fits itself into a budget by dropping diffs first, then
// table rows (summary.ts); fitSummary is the last guard for what is still over: it cuts at a line
// boundary outside any block (a <details>, a code fence, a <pre>, a table), never inside markup, and
// says that it cut.

/** GitHub's limit for one step's summary, in UTF-8 bytes. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024
/** Room kept below the limit for what core.summary adds and for redaction after rendering. */
export const RESERVE_BYTES = 4 * 1024

/** How a text is measured against a limit: UTF-8 bytes (job summary) or UTF-16 units (PR comment). */
export type Unit = 'bytes' | 'chars'

/** The size of `text` in `unit`. */
export function sizeOf(text: string, unit: Unit): number {
  return unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length
}

/** The line added when fitSummary had to cut. Plain text: safe after any cut point. */
export const CUT_NOTE = "\n\n**The summary was cut here to stay within GitHub's size limit.** The `results` output lists every connector.\n"

/**
 * Returns `text` unchanged when it is at most `budget` in `unit`; else the longest prefix of whole
 * lines that ends outside every block (a `<details>`, a fenced code block, a `<pre>`, a table),
 * followed by CUT_NOTE — so no table row, tag, entity or block is ever cut in two, and what came first
 * (counts, deletions, errors) is what is kept. `budget` defaults to the job summary's: 1 MiB in bytes
 * less RESERVE_BYTES.
 */
export function fitSummary(text: string, budget = SUMMARY_LIMIT_BYTES - RESERVE_BYTES, unit: Unit = 'bytes'): string {
  if (sizeOf(text, unit) <= budget) return text
  const room = budget - sizeOf(CUT_NOTE, unit)
  const lines = text.split('\n')
  let used = 0
  let lastSafe = 0
  let details = 0
  let pre = 0
  let fence = '' // the open fence, '' outside a code block
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    used += sizeOf(line, unit) + 1
    if (used > room) break
    if (fence) {
      if (line.trimStart().startsWith(fence) && /^`+\s*$/.test(line.trim()) && line.trim().length >= fence.length) fence = ''
    } else {
      const open = /^ {0,3}(`{3,})/.exec(line)
      if (open) fence = open[1]
      else {
        details += count(line, /<details[\s>]/g) - count(line, /<\/details>/g)
        pre += count(line, /<pre[\s>]/g) - count(line, /<\/pre>/g)
      }
    }
    // A table row is safe to stop after only when the table is complete; a stop after any row leaves
    // a valid (shorter) table, but a stop between header and delimiter would not: never stop there.
    const isHeaderOfTable = line.startsWith('|') && (lines[i + 1] ?? '').startsWith('|---')
    if (!fence && details <= 0 && pre <= 0 && !isHeaderOfTable) lastSafe = i + 1
  }
  const kept = lines.slice(0, lastSafe).join('\n').replace(/\n+$/, '')
  return `${kept}${CUT_NOTE}`
}

function count(line: string, re: RegExp): number {
  return (line.match(re) ?? []).length
}
