// A connector's key-level changes as a ```diff block that reads well in a narrow column, as plan bots for
// Terraform show it: `+ key = "value"`, `- key = "value"`, `~ key = "old" -> "new"`, `(sensitive)` for
// secret values. Values are JSON-quoted (a newline cannot fake a line) and the fence is longer than any
// backtick run in the block, so no file or server text can end it.
import { forLog } from '../model/text.js'
import type { KeyChange, Result } from '../model/types.js'
import { cut, esc, fenceFor } from './markdown.js'
import { MAX_VALUE_CHARS } from './limits.js'

/** A key or value for a line of a ```diff block: one line, nothing that could end the block or fake a
 * line (newlines and control and bidi characters are JSON-escaped); values quoted as Terraform does. */
function diffKey(key: string): string {
  return /^[\x21-\x7e]+$/.test(key) ? key : quote(key)
}
function quote(v: string): string {
  // JSON.stringify escapes C0 controls; forLog the rest (DEL, C1, U+2028/U+2029, invisible characters).
  return forLog(JSON.stringify(cut(v, MAX_VALUE_CHARS)))
}

/** One line of a connector's diff. A sensitive value is never shown, only `(sensitive)`. */
export function diffLine(c: KeyChange): string {
  const k = diffKey(c.key)
  const show = (v: string | undefined): string => (c.sensitive || v === undefined ? '(sensitive)' : quote(v))
  switch (c.kind) {
    case 'added':
      return `+ ${k} = ${show(c.after)}`
    case 'removed':
      return `- ${k} = ${show(c.before)}`
    case 'changed':
      return c.sensitive ? `~ ${k} = (sensitive)` : `~ ${k} = ${show(c.before)} -> ${show(c.after)}`
    case 'secret-unknown':
      return `? ${k} = (sensitive; masked by the server, cannot be compared)`
  }
}

/** The `<details>` diff of one connector's keys, or '' when there is none to show. `withTarget`: name its
 * environment and cluster too (a run over several clusters may hold the same name twice). */
export function diffSection(r: Result, withTarget = false): string {
  // An unchanged connector's only "changes" are secrets that cannot be compared: said once, below.
  if (r.changes.length === 0 || r.planned === 'unchanged' || r.planned === 'delete' || r.planned === 'not-planned') return ''
  const n = r.changes.filter(c => c.kind !== 'secret-unknown').length
  const body = r.changes.map(diffLine).join('\n')
  const fence = fenceFor(body)
  const verb = r.planned === 'create' ? 'create' : 'update'
  const where = withTarget ? ` on ${esc(r.environment_id)}/${esc(r.kafka_cluster_id)}` : ''
  return `<details><summary><b>${esc(r.name)}</b>${where}: ${verb}, ${n} key${n === 1 ? '' : 's'}</summary>\n\n${fence}diff\n${body}\n${fence}\n\n</details>\n`
}
