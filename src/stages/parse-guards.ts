// Checks around the yaml parser for what it is too kind or too fragile for: nesting deep enough to
// overflow its stack, and `.json` files that are YAML but not JSON.
import { isMap, isScalar, isSeq, visit } from 'yaml'
import type { Document, LineCounter } from 'yaml'
import type { Problem } from '../model/types.js'

export const MAX_DEPTH = 64

/** Nesting deeper than any connector needs overflows the parser's stack (and a second such file can
 * then abort the process): reject it first, at the place it gets too deep. Brackets outside strings
 * count for JSON and flow YAML, indentation for block YAML. */
export function tooDeep(text: string): number | undefined {
  let depth = 0
  let quote = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '{' || c === '[') {
      if (++depth > MAX_DEPTH) return i
    } else if (c === '}' || c === ']') depth = Math.max(0, depth - 1)
    else if (c === '\n') {
      const indent = /^ */.exec(text.slice(i + 1, i + 1 + 4 * MAX_DEPTH + 1))?.[0].length ?? 0
      if (indent > 4 * MAX_DEPTH) return i + 1
      if (quote === "'") quote = '' // a YAML apostrophe in plain text is not a string
    }
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
    const offset = pos ? Number(pos[1]) : (firstNonJson(docs) ?? docs.flatMap(d => d.errors)[0]?.pos[0])
    const at = offset === undefined ? { line: 1, col: 1 } : lc.linePos(offset)
    const what = /Unexpected end/i.test(msg)
      ? 'the text ends too early'
      : 'not JSON syntax here (a trailing comma, single quotes, a comment or an unquoted value?)'
    return { file, line: at.line, column: at.col, message: `not valid JSON: ${what}` }
  }
}
