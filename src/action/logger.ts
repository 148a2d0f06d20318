// The core's Logger on @actions/core. Every line is redacted; plain log lines are also defused, so no
// file name or server text can issue a workflow command: the runner reads a line that starts with `::`
// (or the older `##[`) as a command, and core.info writes text raw. Annotations, debug lines and group
// titles go through core's own command escaping (newlines become %0A) after redaction.
import * as core from '@actions/core'
import type { Logger } from '../model/types.js'
import type { Redactor } from '../secrets/redactor.js'

/** Breaks every `::` or `##[` at the start of a line with a zero-width space; the text reads the same. */
export function defuseCommands(text: string): string {
  return text.replace(/(^|[\r\n\u2028\u2029\u0085])(\s*)(::|##\[)/g, (_m, nl: string, ws: string, cmd: string) => `${nl}${ws}${cmd[0]}\u200b${cmd.slice(1)}`)
}

export function coreLogger(redactor: Redactor): Logger {
  const props = (where?: { file?: string; line?: number }): core.AnnotationProperties => ({
    ...(where?.file ? { file: redactor.redact(where.file) } : {}),
    ...(where?.line ? { startLine: where.line } : {})
  })
  return {
    info: m => core.info(defuseCommands(redactor.redact(m))),
    debug: m => core.debug(redactor.redact(m)),
    warning: (m, where) => core.warning(redactor.redact(m), props(where)),
    error: (m, where) => core.error(redactor.redact(m), props(where)),
    group: (title, fn) => core.group(defuseCommands(redactor.redact(title)).replace(/[\r\n]+/g, ' '), fn)
  }
}
