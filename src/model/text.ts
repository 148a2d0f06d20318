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

/** C0 and C1 controls, DEL, and the line/paragraph separators U+2028/U+2029 (a character class's body). */
const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029'
/** The same but tab, LF and CR, which a log line may hold. */
const CONTROLS_BUT_LINES = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u2028\\u2029'
/** Characters that change how a text reads without being seen: bidirectional marks, embeddings,
 * overrides and isolates (`bidi\u202egnp.exe` reads as `bidiexe.png`), the zero-width space, the word
 * joiner and its kin, the byte-order mark. Not the zero-width (non-)joiner, which emoji sequences and
 * Persian or Indic names need. */
const INVISIBLES = '\\u061c\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff'

const CONTROL = new RegExp(`[${CONTROLS}]`)
const CONTROL_ALL = new RegExp(`[${CONTROLS}${INVISIBLES}]`, 'g')
const INVISIBLE = new RegExp(`[${INVISIBLES}]`, 'g')
/** Log text: control characters but tab and the line breaks (an ANSI escape would recolour or redraw the
 * log), and invisible characters. */
const LOG_UNSAFE = new RegExp(`[${CONTROLS_BUT_LINES}${INVISIBLES}]`, 'g')
const CONTROL_BUT_LINES = new RegExp(`[${CONTROLS_BUT_LINES}]`, 'g')

/** True when the text holds a control character (C0, DEL, C1) or U+2028/U+2029. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text)
}

const escapeUnit = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`

/**
 * A string safe to print on one log line: JSON-quoted, with every control character (C0, DEL, C1,
 * U+2028/U+2029), invisible character (bidirectional controls, zero-width ones, the BOM) and lone
 * surrogate written as a \uXXXX escape. A file name holding `\n::warning ...` would otherwise issue a
 * workflow command when printed (issue 12).
 */
export function printable(text: string): string {
  return JSON.stringify(text).replace(CONTROL_ALL, escapeUnit)
}

/** `text` with its invisible characters (bidirectional controls, zero-width ones, the BOM) written as
 * \uXXXX, for showing a name or message as it really is. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, escapeUnit)
}

/** `text` for the log: control characters other than tab, CR and LF, and invisible characters, are
 * written as \uXXXX (an ANSI escape from a server's trace cannot redraw the log). */
export function forLog(text: string): string {
  return text.replace(LOG_UNSAFE, escapeUnit)
}

/** `text` without its control characters other than tab, CR and LF (for Markdown, which has no escape
 * for them). */
export function dropControls(text: string): string {
  return text.replace(CONTROL_BUT_LINES, '')
}
