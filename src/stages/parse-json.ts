// The JSON fast path of the parse stage (issue 16): a `.json` text that JSON.parse accepts is turned into
// the same yaml nodes yaml's parser would make (with the same ranges), in one linear scan, so every check
// of parse.ts runs unchanged and every problem still lands on its line.
import { LineCounter, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml'

/**
 * The JSON fast path: builds the same yaml nodes (maps, sequences, scalars with their ranges and
 * types) that yaml's parser makes of a JSON text, in one linear scan, about ten times faster than
 * yaml's lexer and composer (issue 16: 2,000 connectors spent 0.4 s there). Takes text that
 * JSON.parse accepted (so the grammar is known to be right) and the offset after a BOM; returns the
 * top-level node. Recursion is bounded: tooDeep refused nesting past MAX_DEPTH before.
 */
function jsonNodes(text: string, start: number): unknown {
  let i = start
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
    if (c === '{') {
      const map = new YAMLMap()
      map.flow = true
      i++
      skip()
      if (text[i] === '}') i++
      else {
        for (;;) {
          skip()
          const key = string()
          skip()
          i++ // the colon
          map.items.push(new Pair(key, value()))
          skip()
          if (text[i++] !== ',') break
        }
      }
      map.range = [s, i, i]
      return map
    }
    if (c === '[') {
      const seq = new YAMLSeq()
      seq.flow = true
      i++
      skip()
      if (text[i] === ']') i++
      else {
        for (;;) {
          seq.items.push(value())
          skip()
          if (text[i++] !== ',') break
        }
      }
      seq.range = [s, i, i]
      return seq
    }
    if (c === 't' || c === 'f' || c === 'n') {
      const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null'
      i += word.length
      return plain(word === 'null' ? null : word === 'true', s)
    }
    while (i < text.length && /[-+.eE0-9]/.test(text[i])) i++
    return plain(Number(text.slice(s, i)), s)
  }
  return value()
}

/** The top-level node of a `.json` text that is JSON, or undefined (then yaml's parser explains why not). */
export function fastJson(text: string): unknown {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  try {
    JSON.parse(start ? text.slice(1) : text)
  } catch {
    return undefined
  }
  return jsonNodes(text, start)
}

/** Line starts of `text` into `lc`, as yaml's parser records them. */
export function countLines(lc: LineCounter, text: string): void {
  lc.addNewLine(0)
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1)
}
