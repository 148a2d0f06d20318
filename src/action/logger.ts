// The core's Logger on @actions/core. Every line is redacted and defused, so no file name or server text
// can issue a workflow command: the runner reads a line that starts with `::`, or holds `##[` anywhere
// (its older form), as a command, and core.info writes text raw. Annotations, debug lines and group titles
// also go through core's own command escaping (newlines become %0A). Control and invisible characters are
// shown as \uXXXX: an ANSI escape in a trace cannot redraw the log, a bidi override cannot reorder a name.
import * as core from '@actions/core'
import { forLog } from '../model/text.js'
import type { Logger } from '../model/types.js'
import type { Redactor } from '../secrets/redactor.js'

/** Breaks every `::` at the start of a line, and every `##[` wherever it stands (the runner's older command
 * form is found anywhere in a line), with a zero-width space; the text reads the same. */
export function defuseCommands(text: string): string {
  return text.replace(/(^|[\r\n\u2028\u2029\u0085])(\s*)::/g, (_m, nl: string, ws: string) => `${nl}${ws}:\u200b:`).replace(/##\[/g, '#\u200b#[')
}

/** What every log line, annotation and group title goes through: redacted, then controls and invisible
 * characters shown as \uXXXX (forLog), then commands defused. */
const logText = (redactor: Redactor, m: string) => defuseCommands(forLog(redactor.redact(m)))

export function coreLogger(redactor: Redactor): Logger {
  const props = (where?: { file?: string; line?: number }): core.AnnotationProperties => ({
    ...(where?.file ? { file: redactor.redact(where.file) } : {}),
    ...(where?.line ? { startLine: where.line } : {})
  })
  return {
    info: m => core.info(logText(redactor, m)),
    debug: m => core.debug(logText(redactor, m)),
    warning: (m, where) => core.warning(logText(redactor, m), props(where)),
    error: (m, where) => core.error(logText(redactor, m), props(where)),
    group: (title, fn) => core.group(logText(redactor, title).replace(/[\r\n]+/g, ' '), fn)
  }
}
