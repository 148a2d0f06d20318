// Checks around the yaml parser for what it is too kind or too fragile for: nesting deep enough to
// overflow its stack, and `.json` files that are YAML but not JSON.
import { isMap, isScalar, isSeq, Lexer, visit } from 'yaml'
import type { Document, LineCounter } from 'yaml'
import type { Problem } from '../model/types.js'

export const MAX_DEPTH = 64

/** Nesting deeper than any connector needs overflows the parser's stack (and a second such file can
 * then abort the process, Node 20): reject it first, at the place it gets too deep (issue 12). Counts
 * every way YAML nests: brackets `[` `{` outside strings and comments (JSON, flow YAML), and in block
 * YAML one level per indentation step and per compact indicator (`- - - leaf`, `? `, `: `) at the
 * start of a line. Returns the offset where the depth first exceeds MAX_DEPTH, or undefined. Linear in
 * the text's length. May over-count inside block scalars (`|`), which only matters past MAX_DEPTH. */
export function tooDeep(text: string): number | undefined {
  let flow = 0
  let quote = ''
  /** Columns of the open block nodes, innermost last. */
  const block: number[] = []
  let lineStart = true
  for (let i = 0; i < text.length; i++) {
    if (lineStart && !quote && flow === 0) {
      lineStart = false
      let col = 0
      while (text[i + col] === ' ') col++
      const first = text[i + col]
      if (first === undefined || first === '\n' || first === '\r' || first === '#') {
        i += col - 1
        continue
      }
      while (block.length > 0 && block[block.length - 1] >= col) block.pop()
      block.push(col)
      if (block.length + flow > MAX_DEPTH) return i + col
      // Compact nesting: `- - - x`, `? - x`, `: - x` each open one more node on the same line.
      for (;;) {
        const c = text[i + col]
        const next = text[i + col + 1]
        if (!(c === '-' || c === '?' || c === ':') || !(next === ' ' || next === '\t' || next === '\n' || next === '\r' || next === undefined)) break
        col++
        while (text[i + col] === ' ' || text[i + col] === '\t') col++
        // An anchor or tag may stand between two indicators (`- &a - x`).
        while (text[i + col] === '&' || text[i + col] === '!') {
          while (i + col < text.length && !/\s/.test(text[i + col])) col++
          while (text[i + col] === ' ' || text[i + col] === '\t') col++
        }
        block.push(col)
        if (block.length + flow > MAX_DEPTH) return i + col
      }
      i += col - 1
      continue
    }
    const c = text[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = ''
      else if (c === '\n' && quote === "'") {
        quote = '' // a YAML apostrophe in plain text is not a string
        lineStart = flow === 0
      }
    } else if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++
    } else if (c === '{' || c === '[') {
      if (++flow + block.length > MAX_DEPTH) return i
    } else if (c === '}' || c === ']') flow = Math.max(0, flow - 1)
    else if (c === '\n') lineStart = flow === 0
  }
  return undefined
}

/** Where a `.json` file that JSON.parse refused stops being JSON, found in yaml's tree: a single-quoted,
 * block or bare-word scalar, or a block (indented) collection. */
function firstNonJson(docs: Document.Parsed[]): number | undefined {
  let at: number | undefined
  for (const doc of docs) {
    visit(doc, {
      Node(_key, node) {
        const start = node.range?.[0]
        if (start === undefined || (at !== undefined && start >= at)) return
        const bad = isScalar(node)
          ? node.type !== 'QUOTE_DOUBLE' &&
            !(node.type === 'PLAIN' && /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(String(node.source ?? node.value)))
          : (isMap(node) || isSeq(node)) && !node.flow
        if (bad) at = start
      }
    })
  }
  return at
}

/** `.json` files are parsed with yaml (for lines and duplicate keys), which also accepts what JSON does
 * not (trailing commas, single quotes, comments, bare words): JSON.parse says whether it is JSON. */
export function jsonProblem(file: string, text: string, lc: LineCounter, docs: Document.Parsed[]): Problem | undefined {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''))
    return undefined
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    // Node's wording differs between versions and may quote the source: use only the position.
    const pos = /position (\d+)/.exec(msg)
    let offset = pos ? Number(pos[1]) : (firstNonJson(docs) ?? docs.flatMap(d => d.errors)[0]?.pos[0])
    // JSON.parse notices a trailing comma only at the `}` or `]` after it: point at the comma itself.
    let trailingComma = false
    if (offset !== undefined && (text[offset] === '}' || text[offset] === ']')) {
      let back = offset - 1
      while (back >= 0 && /\s/.test(text[back])) back--
      if (text[back] === ',') {
        offset = back
        trailingComma = true
      }
    }
    const at = offset === undefined ? { line: 1, col: 1 } : lc.linePos(offset)
    const what = trailingComma
      ? 'a trailing comma (JSON allows none before a closing bracket)'
      : /Unexpected end/i.test(msg)
        ? 'the text ends too early'
        : 'not JSON syntax here (a trailing comma, single quotes, a comment or an unquoted value?)'
    return { file, line: at.line, column: at.col, message: `not valid JSON: ${what}` }
  }
}

/** The lexer's own marks (document start, flow end, scalar start): tokens without source characters. */
const LEXER_MARKS = new Set(['\x02', '\x18', '\x1f'])

/**
 * Where the quoted scalar that is never closed opens, as a character offset into `text`, or undefined
 * when none is found. A YAML quoted scalar may span lines, so yaml reports a missing closing quote at the
 * end of the file; the user needs the line where the quote was opened. Uses yaml's Lexer: one linear pass,
 * run only after the parse failed so.
 */
export function unclosedQuoteAt(text: string): number | undefined {
  let offset = 0
  let found: number | undefined
  for (const token of new Lexer().lex(text)) {
    if (LEXER_MARKS.has(token)) continue
    const quote = token[0]
    if ((quote === '"' || quote === "'") && !closesItself(token)) found = offset
    offset += token.length
  }
  return found
}

/** A quoted token ends with its own quote (a double quote not escaped by a backslash). */
function closesItself(token: string): boolean {
  const quote = token[0]
  if (token.length < 2 || token[token.length - 1] !== quote) return false
  if (quote === "'") return true
  let backslashes = 0
  for (let i = token.length - 2; i > 0 && token[i] === '\\'; i--) backslashes++
  return backslashes % 2 === 0
}
