// The JSON fast path of the parse stage (issue 16): a `.json` text that JSON.parse accepts is turned into
// the same yaml nodes yaml's parser would make (with the same ranges), in one linear scan, so every check
// of parse.ts runs unchanged and every problem still lands on its line.
import { LineCounter, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml'

/**
 * The JSON fast path: builds the same yaml nodes (maps, sequences, scalars with their ranges and
 * types) that yaml's parser makes of a JSON text, in one linear scan, about ten times faster than
 * yaml's lexer and composer (issue 16: 2,000 connectors spent 0.4 s there). Takes text that
 * JSON.parse accepted (so the grammar is known to be right) and the offset after a BOM; returns the
 * top-level node. Recursion is bounded: a bracket that opens level `maxDepth` throws TooDeep with its
 * offset. A JSON text is one block level plus its brackets, so this is the bracket tooDeep (parse-guards.ts)
 * finds too, except where tooDeep over-counts: a line before the value that holds only a tab or a BOM
 * reads to it as one more block level.
 */
function jsonNodes(text: string, start: number, maxDepth: number): unknown {
  let i = start
  let depth = 1 // the top-level node's block level, as tooDeep counts it
  const skip = (): void => {
    for (;;) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 10 || c === 13 || c === 9) i++
      else return
    }
  }
  const string = (): Scalar => {
    const s = i
    // The closing quote: the first one after the opening that an even number of backslashes precedes.
    let q = text.indexOf('"', i + 1)
    for (;;) {
      let b = q - 1
      while (text.charCodeAt(b) === 92) b--
      if ((q - 1 - b) % 2 === 0) break
      q = text.indexOf('"', q + 1)
    }
    const end = q + 1
    i = end
    const raw = text.slice(s, end)
    const node = new Scalar(raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1))
    node.type = 'QUOTE_DOUBLE'
    node.range = [s, end, end]
    return node
  }
  const plain = (value: unknown, s: number): Scalar => {
    const node = new Scalar(value)
    node.type = 'PLAIN'
    node.range = [s, i, i]
    node.source = text.slice(s, i)
    return node
  }
  const value = (): unknown => {
    skip()
    const s = i
    const c = text[i]
    if (c === '"') return string()
    if (c === '{' || c === '[') {
      if (++depth > maxDepth) throw new TooDeep(s)
      const node = c === '{' ? map(s) : seq(s)
      depth--
      return node
    }
    if (c === 't' || c === 'f' || c === 'n') {
      const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null'
      i += word.length
      return plain(word === 'null' ? null : word === 'true', s)
    }
    while (i < text.length && /[-+.eE0-9]/.test(text[i])) i++
    return plain(Number(text.slice(s, i)), s)
  }
  const map = (s: number): YAMLMap => {
    const node = new YAMLMap()
    node.flow = true
    i++
    skip()
    if (text[i] === '}') i++
    else {
      for (;;) {
        skip()
        const key = string()
        skip()
        i++ // the colon
        node.items.push(new Pair(key, value()))
        skip()
        if (text[i++] !== ',') break
      }
    }
    node.range = [s, i, i]
    return node
  }
  const seq = (s: number): YAMLSeq => {
    const node = new YAMLSeq()
    node.flow = true
    i++
    skip()
    if (text[i] === ']') i++
    else {
      for (;;) {
        node.items.push(value())
        skip()
        if (text[i++] !== ',') break
      }
    }
    node.range = [s, i, i]
    return node
  }
  return value()
}

/** Thrown inside jsonNodes at the bracket that nests too deep; `offset` is that bracket's. */
class TooDeep extends Error {
  constructor(readonly offset: number) {
    super(`nested too deep at offset ${offset}`)
  }
}

/**
 * A `.json` text that is JSON: `{ node }`, its top-level node; `{ deep }` when it nests past
 * `maxDepth` levels (the offset of the bracket that does, as jsonNodes counts them), so JSON needs no
 * second scan for depth. Undefined when it is not JSON (then yaml's parser explains why not).
 */
export function fastJson(text: string, maxDepth: number): { node: unknown } | { deep: number } | undefined {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  try {
    JSON.parse(start ? text.slice(1) : text)
  } catch {
    return undefined
  }
  try {
    return { node: jsonNodes(text, start, maxDepth) }
  } catch (err) {
    if (err instanceof TooDeep) return { deep: err.offset }
    throw err
  }
}

/** Line starts of `text` into `lc`, as yaml's parser records them. */
export function countLines(lc: LineCounter, text: string): void {
  lc.addNewLine(0)
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1)
}
