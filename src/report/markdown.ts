// Escaping for what people read. Everything that came from a file or a server goes through `esc` before
// it is put into Markdown: no HTML, no Markdown, no @mentions, no newlines.

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

