// Text rules shared by the API client's messages and the report.

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
