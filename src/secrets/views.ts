// Decoded "views" of a text for the redactor (normalise-and-map): each view is the text with one kind
// of escaping undone (backslash escapes, HTML entities, URL %xx), and keeps for each decoded UTF-16 unit
// the span of the original text it came from, so a secret found in a view can be replaced in the
// original. Linear in the text's length; a view is built only when the text holds its escape character.

// ---- views: decoded text with, per decoded UTF-16 unit, the original span [start, end) ----

export interface View {
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

/** The text without its line breaks (CR, LF): an encoded value wrapped at 64 or 76 characters a line
 * (MIME, PEM) reads whole again. Undefined when the text has none. */
export function unwrapLines(text: string): View | undefined {
  if (!/[\r\n]/.test(text)) return undefined
  const b = new ViewBuilder(text)
  let from = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\n' && text[i] !== '\r') continue
    b.plain(from, i)
    from = i + 1
  }
  b.plain(from, text.length)
  return b.build()
}

/** A view of a view: maps the inner view's spans back to the original text. */
export function compose(outer: View, inner: View): View {
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
export function unbackslash(text: string): View | undefined {
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
export function unentity(text: string): View | undefined {
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
export function unpercent(text: string, plus: boolean): View | undefined {
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
