// One redactor for every channel: log lines, annotations, the summary, outputs, the PR comment and
// error messages (including text the API or a proxy echoes back).
//
// How it finds a secret in whatever encoding it was echoed (normalise-and-map): the text is decoded into
// a few canonical "views" (as-is; backslash escapes undone, i.e. JSON `\uXXXX`, `\"`, `\/`, `\n`… and
// Markdown's `\*`; that again, up to 4 levels, for a JSON string inside a JSON string; HTML entities, named and
// numeric; HTML entities then backslash escapes; URL `%xx` in any case, with and without `+` for a
// space). Each view keeps, for each of its characters, the span of the original text it came from. One
// Aho-Corasick automaton over every secret (and every line of a multi-line secret) scans each view once;
// each hit marks its original span, and the marked spans are replaced by `***`. Cost: O(text length ×
// number of views) after the automaton is built; a view is built only when the text holds its escape
// character (`\`, `&`, `%`, `+`).
//
// Redaction only ever changes string VALUES: redactDeep keeps object keys, and in a text that is a whole
// JSON document (a step output) a hit inside a field-name key is left alone. A secret that is a common
// word (`kafka`) is masked everywhere else, as the runner masks it in the log anyway.

export const REDACTED = '***'

/** Values shorter than this are registered with the runner's masking (onRegister listeners get every
 * value) but not searched for in our own text: a two-character "secret" would shred every message. */
export const MIN_LENGTH = 3

/** Lines of a multi-line value shorter than this (`{`, `}`, `",`) are structure, not secret: masking
 * them would blank every brace in the job log. */
const MIN_LINE_LENGTH = 4

/** Levels of backslash escaping undone (JSON in JSON in JSON in a JSON body). */
const MAX_ESCAPE_LEVELS = 4

/** Passes over a text at most (replacing can join `***` with its neighbours into a secret again, only
 * when a secret holds a `*`; each pass is linear). */
const MAX_PASSES = 8

/** The strings searched for a registered value: the value and each of its trimmed lines, and the same
 * with lone surrogates replaced by U+FFFD. Never throws (a lone surrogate is an ordinary UTF-16 unit
 * here, and nothing is URL-encoded). */
export function needlesOf(value: string): string[] {
  const out = new Set<string>()
  // A lone surrogate cannot cross UTF-8 (an HTTP body, a file): it comes back as U+FFFD. Search both.
  for (const v of new Set([value, value.replace(LONE_SURROGATE, '\uFFFD')])) {
    if (v.length >= MIN_LENGTH && v !== REDACTED) out.add(v)
    for (const line of v.split(/\r?\n/)) {
      const trimmed = line.trim()
      if (trimmed.length >= MIN_LINE_LENGTH && trimmed !== REDACTED) out.add(trimmed)
    }
  }
  return [...out]
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

// ---- views: decoded text with, per decoded UTF-16 unit, the original span [start, end) ----

interface View {
  text: string
  start: Int32Array
  end: Int32Array
}

/** Builds a view from pieces: each piece is decoded text and the span of the input it came from.
 * A decoded text is never longer than its input, so the maps are allocated once at the input's size. */
class ViewBuilder {
  private readonly parts: string[] = []
  private readonly start: Int32Array
  private readonly end: Int32Array
  private n = 0
  constructor(private readonly input: string) {
    this.start = new Int32Array(input.length)
    this.end = new Int32Array(input.length)
  }
  /** Input units [from, to) unchanged. */
  plain(from: number, to: number): void {
    if (to <= from) return
    this.parts.push(this.input.slice(from, to))
    for (let k = from; k < to; k++) {
      this.start[this.n] = k
      this.end[this.n++] = k + 1
    }
  }
  /** `decoded` stands for input units [from, to). */
  push(decoded: string, from: number, to: number): void {
    this.parts.push(decoded)
    for (let k = 0; k < decoded.length; k++) {
      this.start[this.n] = from
      this.end[this.n++] = to
    }
  }
  build(): View {
    return { text: this.parts.join(''), start: this.start.subarray(0, this.n), end: this.end.subarray(0, this.n) }
  }
}

/** A view of a view: maps the inner view's spans back to the original text. */
function compose(outer: View, inner: View): View {
  const start = new Int32Array(inner.text.length)
  const end = new Int32Array(inner.text.length)
  for (let i = 0; i < inner.text.length; i++) {
    start[i] = outer.start[inner.start[i]]
    end[i] = outer.end[inner.end[i] - 1]
  }
  return { text: inner.text, start, end }
}

const HEX = /^[0-9a-fA-F]+$/
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }
const MD_PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/

/** Undoes JSON string escapes (`\uXXXX` any case, `\"`, `\\`, `\/`, `\n`…) and Markdown backslash
 * escapes of punctuation (`\*`, `\_`, `\|`). An escape that is neither is kept as it is. */
function unbackslash(text: string): View | undefined {
  if (!text.includes('\\')) return undefined
  const b = new ViewBuilder(text)
  let plainFrom = 0
  const flush = (to: number): void => b.plain(plainFrom, to)
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 92 || i + 1 >= text.length) continue
    const c = text[i + 1]
    let decoded: string | undefined
    let len = 2
    if (c === 'u' && i + 6 <= text.length && HEX.test(text.slice(i + 2, i + 6))) {
      decoded = String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16))
      len = 6
    } else if (SIMPLE_ESCAPES[c] !== undefined) decoded = SIMPLE_ESCAPES[c]
    else if (MD_PUNCT.test(c)) decoded = c
    if (decoded === undefined) continue
    flush(i)
    b.push(decoded, i, i + len)
    plainFrom = i + len
    i += len - 1
  }
  flush(text.length)
  return b.build()
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  sol: '/',
  bsol: '\\',
  grave: '`',
  num: '#',
  ast: '*',
  lowbar: '_',
  verbar: '|',
  vert: '|',
  tilde: '~',
  commat: '@',
  lsqb: '[',
  rsqb: ']',
  lbrack: '[',
  rbrack: ']',
  percnt: '%',
  dollar: '$',
  equals: '=',
  plus: '+',
  excl: '!'
}
const ENTITY = /^&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z]{2,8}));/

/** Undoes HTML character references: `&amp;`-style names (the common ones) and numeric ones
 * (`&#39;`, `&#x27;`, any code point). An unknown or malformed reference is kept as it is. */
function unentity(text: string): View | undefined {
  if (!text.includes('&')) return undefined
  const b = new ViewBuilder(text)
  let plainFrom = 0
  for (let i = text.indexOf('&'); i >= 0 && i < text.length; i = text.indexOf('&', i + 1)) {
    const m = ENTITY.exec(text.slice(i, i + 12))
    if (!m) continue
    let decoded: string | undefined
    if (m[1] !== undefined || m[2] !== undefined) {
      const cp = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2], 10)
      if (cp <= 0x10ffff) decoded = String.fromCodePoint(cp)
    } else decoded = NAMED[m[3]] ?? NAMED[m[3].toLowerCase()]
    if (decoded === undefined) continue
    b.plain(plainFrom, i)
    b.push(decoded, i, i + m[0].length)
    plainFrom = i + m[0].length
    i = plainFrom - 1
  }
  b.plain(plainFrom, text.length)
  return b.build()
}

/** A JSON key that is a field name (kept by redactJsonDocument). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/

// ignoreBOM: a %EF%BB%BF in a secret is a character of it, not a byte-order mark to drop.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 65 && c <= 70) return c - 55
  if (c >= 97 && c <= 102) return c - 87
  return -1
}

/** Undoes URL encoding: runs of `%xx` (either case) decoded as UTF-8 (a run that is not UTF-8 is kept
 * as it is), and `+` as a space when `plus` (HTML forms, Java's URLEncoder). */
function unpercent(text: string, plus: boolean): View | undefined {
  if (!text.includes('%') && !(plus && text.includes('+'))) return undefined
  const b = new ViewBuilder(text)
  let i = 0
  while (i < text.length) {
    // Unchanged units up to the next `%` (or `+`).
    let p = i
    while (p < text.length) {
      const c = text.charCodeAt(p)
      if (c === 37 || (plus && c === 43)) break
      p++
    }
    b.plain(i, p)
    i = p
    if (i >= text.length) break
    if (text.charCodeAt(i) === 43) {
      b.push(' ', i, i + 1)
      i++
      continue
    }
    // A run of %xx bytes (bounded, so a huge run costs no more than its length).
    const bytes: number[] = []
    let j = i
    while (j + 2 < text.length && text.charCodeAt(j) === 37 && bytes.length < 4096) {
      const hi = hexVal(text.charCodeAt(j + 1))
      const lo = hexVal(text.charCodeAt(j + 2))
      if (hi < 0 || lo < 0) break
      bytes.push(hi * 16 + lo)
      j += 3
    }
    if (bytes.length === 0) {
      b.plain(i, i + 1)
      i++
      continue
    }
    // Decode the run character by character, so each maps to its own bytes; a byte that does not
    // start a valid UTF-8 sequence stays as its three units.
    let k = 0
    while (k < bytes.length) {
      const lead = bytes[k]
      const n = lead < 0x80 ? 1 : lead >= 0xf0 && lead < 0xf5 ? 4 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xc2 && lead < 0xe0 ? 2 : 0
      let ch: string | undefined
      if (n === 1) ch = String.fromCharCode(lead)
      else if (n > 1 && k + n <= bytes.length) {
        try {
          ch = utf8.decode(Uint8Array.from(bytes.slice(k, k + n)))
        } catch {
          ch = undefined
        }
      }
      const from = i + 3 * k
      if (ch === undefined) {
        b.plain(from, from + 3)
        k++
      } else {
        b.push(ch, from, from + 3 * n)
        k += n
      }
    }
    i = j
  }
  return b.build()
}

/**
 * For a text that is a whole JSON document (object or array, such as the `results` output): for each
 * UTF-16 unit inside the quotes of an object key that looks like a field name (FIELD_NAME), that key's
 * number; -1 elsewhere. Undefined when the text is not such a document. Redaction may only change
 * values: a secret equal to a field name (`name`, `kafka`) must not rename the `name` or
 * `kafka_cluster_id` field and break the readers of the output. A key that does not look like a field
 * name is data, and redacted like a value.
 */
function fieldNameKeys(text: string): Int32Array | undefined {
  const first = text.trimStart().charCodeAt(0)
  if (first !== 123 && first !== 91) return undefined
  try {
    JSON.parse(text)
  } catch {
    return undefined
  }
  let keys: Int32Array | undefined
  let id = 0
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 34) continue
    let j = i + 1
    while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1
    let k = j + 1
    while (k < text.length && /\s/.test(text[k])) k++
    if (text[k] === ':' && FIELD_NAME.test(text.slice(i + 1, j))) {
      keys ??= new Int32Array(text.length).fill(-1)
      keys.fill(id++, i + 1, j)
    }
    i = j
  }
  return keys
}

// ---- Aho-Corasick over UTF-16 units; each state knows the longest needle ending there ----

class Automaton {
  private readonly next: Array<Map<number, number>> = [new Map()]
  private fail: Int32Array = new Int32Array(1)
  private longest: Int32Array = new Int32Array(1)

  constructor(needles: Iterable<string>) {
    const depthOut: number[] = [0]
    for (const n of needles) {
      let s = 0
      for (let i = 0; i < n.length; i++) {
        const c = n.charCodeAt(i)
        let t = this.next[s].get(c)
        if (t === undefined) {
          t = this.next.length
          this.next.push(new Map())
          depthOut.push(0)
          this.next[s].set(c, t)
        }
        s = t
      }
      depthOut[s] = Math.max(depthOut[s], n.length)
    }
    const size = this.next.length
    this.fail = new Int32Array(size)
    this.longest = Int32Array.from(depthOut)
    // Breadth-first: fail links, and the longest needle ending at each state (itself or via fail).
    const queue: number[] = []
    for (const t of this.next[0].values()) queue.push(t)
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]
      for (const [c, t] of this.next[s]) {
        let f = this.fail[s]
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f]
        const g = this.next[f].get(c)
        this.fail[t] = g !== undefined && g !== t ? g : 0
        this.longest[t] = Math.max(this.longest[t], this.longest[this.fail[t]])
        queue.push(t)
      }
    }
  }

  /** Calls `hit(start, endExclusive)` for the longest needle ending at each position of `text`. */
  scan(text: string, hit: (start: number, end: number) => void): void {
    let s = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      let t = this.next[s].get(c)
      while (t === undefined && s !== 0) {
        s = this.fail[s]
        t = this.next[s].get(c)
      }
      s = t ?? 0
      const len = this.longest[s]
      if (len > 0) hit(i + 1 - len, i + 1)
    }
  }
}

export class Redactor {
  private readonly values = new Set<string>()
  private readonly needles = new Set<string>()
  private automaton: Automaton | undefined
  private starInNeedle = false
  private readonly listeners: Array<(value: string) => void> = []

  /** Called with each registered value, whatever its length, and each of its trimmed lines of 4+
   * characters (for the runner's masking, `::add-mask::`). */
  onRegister(listener: (value: string) => void): void {
    this.listeners.push(listener)
  }

  /** Registers a secret value: the listeners hear of it (every value, even of 1–2 characters), and
   * values of MIN_LENGTH+ characters (and their lines of 4+) are searched for by `redact`. Never throws. */
  add(value: string | undefined): void {
    if (value === undefined || value === '' || this.values.has(value)) return
    this.values.add(value)
    for (const listener of this.listeners) {
      listener(value)
      for (const line of value.split(/\r?\n/)) {
        if (line.trim().length >= MIN_LINE_LENGTH && line !== value) listener(line.trim())
      }
    }
    for (const n of needlesOf(value)) {
      if (this.needles.has(n)) continue
      this.needles.add(n)
      this.automaton = undefined
      if (n.includes('*')) this.starInNeedle = true
    }
  }

  has(value: string): boolean {
    return this.values.has(value)
  }

  /**
   * Returns `text` with every registered secret replaced by `***`: as-is, line by line, and in any of
   * the encodings the views undo (JSON and Markdown backslash escapes, once or twice; HTML entities,
   * also before JSON escapes; URL encoding with or without `+`). The whole original span of an encoded
   * secret is replaced. Linear in the text's length (times the 7 views at most). Never throws.
   */
  redact(text: string): string {
    if (!text || this.needles.size === 0) return text
    this.automaton ??= new Automaton(this.needles)
    return this.redactText(text)
  }

  private redactText(text: string): string {
    if (!this.automaton) return text
    const keys = fieldNameKeys(text)
    let out = text
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const next = this.onePass(out, this.automaton, pass === 0 ? keys : fieldNameKeys(out))
      if (next === out) break
      out = next
      if (!this.starInNeedle) break
    }
    return out
  }

  private onePass(text: string, ac: Automaton, keys: Int32Array | undefined): string {
    // mark[i] = 1: original unit i is part of a secret.
    let mark: Uint8Array | undefined
    const markSpan = (from: number, to: number): void => {
      // A hit wholly inside one field name of a JSON document is a field name, not a leak.
      if (keys && keys[from] >= 0 && keys[from] === keys[to - 1]) return
      mark ??= new Uint8Array(text.length)
      mark.fill(1, from, to)
    }
    ac.scan(text, markSpan)
    const views: View[] = []
    // Backslash escapes undone level by level (a JSON string inside a JSON string inside a JSON body…).
    const unescapeLevels = (base: View | undefined, input: string): void => {
      let inner = input
      let outer = base
      for (let level = 0; level < MAX_ESCAPE_LEVELS; level++) {
        const v = unbackslash(inner)
        if (!v || v.text === inner) break
        const mapped = outer ? compose(outer, v) : v
        views.push(mapped)
        outer = mapped
        inner = v.text
      }
    }
    unescapeLevels(undefined, text)
    const ent = unentity(text)
    if (ent) {
      views.push(ent)
      unescapeLevels(ent, ent.text)
    }
    const pct = unpercent(text, false)
    if (pct) views.push(pct)
    const pctPlus = unpercent(text, true)
    if (pctPlus && pctPlus.text !== pct?.text) views.push(pctPlus)
    if (!mark && views.length === 0) return text
    for (const v of views) ac.scan(v.text, (from, to) => markSpan(v.start[from], v.end[to - 1]))
    if (!mark) return text
    const m: Uint8Array = mark
    const parts: string[] = []
    let i = 0
    while (i < text.length) {
      if (m[i]) {
        while (i < text.length && m[i]) i++
        parts.push(REDACTED)
      } else {
        let j = i
        while (j < text.length && !m[j]) j++
        parts.push(text.slice(i, j))
        i = j
      }
    }
    return parts.join('')
  }

  /**
   * Redacts every string VALUE inside a JSON-compatible value; object keys (field names) are never
   * changed, so the shape of what is redacted stays what its readers expect (a secret equal to a field
   * name, such as `name` or `kafka`, must not rename the field). Returns a new value.
   */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (Array.isArray(value)) return (value as unknown[]).map(v => this.redactDeep(v)) as T
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) out[k] = this.redactDeep(v)
      return out as T
    }
    return value
  }
}
