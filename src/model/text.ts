// Text rules shared by the API client's messages, the report, and the checks of names and paths.

/**
 * Cuts `text` to at most `max` UTF-16 units plus `…`, never inside a surrogate pair (a cut pair would
 * become U+FFFD in UTF-8). Returns `text` unchanged when it is short enough.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end--
  return `${text.slice(0, end)}…`
}

/** C0 and C1 controls, DEL, and the line/paragraph separators U+2028/U+2029. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** True when the text holds a control character (C0, DEL, C1) or U+2028/U+2029. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text)
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

/**
 * A string safe to print on one log line: JSON-quoted, with every control character (C0, DEL, C1,
 * U+2028/U+2029) and lone surrogate written as a \uXXXX escape. A file name holding `\n::warning ...`
 * would otherwise issue a workflow command when printed (issue 12).
 */
export function printable(text: string): string {
  return JSON.stringify(text).replace(CONTROL_ALL, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
