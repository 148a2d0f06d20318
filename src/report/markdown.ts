// Escaping for what people read. Everything that came from a file or a server goes through one of these
// before it is put into Markdown (product.md "Limits it keeps": no file name or server string may inject
// Markdown/HTML). Three contexts, three rules:
// - text and table cells: `esc` (entities for every Markdown/HTML character, no newlines);
// - an HTML attribute (a link's href): `escAttr`, and only http(s) URLs are ever put there (`safeUrl`);
// - a fenced code block: escaping does not apply inside it, so nothing is escaped; instead the fence is
//   longer than any backtick run in the content (`fenceFor`) and each line is made single-line by the caller.

import { dropControls, showInvisible } from '../model/text.js'

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '\\': '&#92;',
  '#': '&#35;',
  '~': '&#126;',
  '@': '&#64;',
  ':': '&#58;',
  '!': '&#33;',
  $: '&#36;'
}

/**
 * Escapes text for a Markdown line or table cell. Takes any string; returns it with every character
 * that Markdown or HTML reads (`< > & " ' | \` * _ [ ] ( ) \\ # ~ @ : ! $`) as a numeric or named entity,
 * each line break as `<br>`, other control characters (C0, DEL, C1) removed and invisible ones (bidi controls,
 * zero-width characters) written as `\\uXXXX` — so no HTML, no Markdown, no
 * @mention, no autolink (`:` is escaped), no math (`$`), and a table row stays one row. Never throws.
 */
export function esc(text: string): string {
  // Invisible characters are shown, not obeyed: a bidi override would make `bidi\u202egnp.exe` read as
  // `bidiexe.png`.
  return showInvisible(dropControls(text))
    .replace(/[&<>"'|`*_[\]()\\#~@:!$]/g, c => ENTITIES[c])
    .replace(/\r\n|\r|\n/g, '<br>')
}

/** Escapes text for a double-quoted HTML attribute value (`&`, `<`, `>`, `"`, `'`). Never throws. */
export function escAttr(text: string): string {
  return text.replace(/[&<>"']/g, c => ENTITIES[c])
}

/**
 * Returns `url` when it is an absolute `http:` or `https:` URL without whitespace or control characters,
 * else undefined — so a `javascript:` or `data:` link can never be produced, whatever a caller passes.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url || /[\s\u0000-\u001f\u007f]/.test(url)) return undefined // eslint-disable-line no-control-regex
  try {
    const u = new URL(url)
    return u.protocol === 'https:' || u.protocol === 'http:' ? url : undefined
  } catch {
    return undefined
  }
}

/**
 * Wraps already-escaped `html` in a link to `url` when `url` is safe (see `safeUrl`), the URL
 * attribute-escaped; else returns `html` unchanged.
 */
export function link(html: string, url: string | undefined): string {
  const safe = safeUrl(url)
  return safe ? `<a href="${escAttr(safe)}">${html}</a>` : html
}

/**
 * The backtick fence for a code block holding `content`: at least three backticks and one more than the
 * longest run of backticks in the content, so no line of the content can close the block (CommonMark
 * "fenced code blocks": the closing fence must be at least as long as the opening one).
 */
export function fenceFor(content: string): string {
  let longest = 0
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length)
  return '`'.repeat(Math.max(3, longest + 1))
}

export { cut } from '../model/text.js'
