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
// character (`\`, `&`, `%`, `+`). A value's base64 and hex forms are needles too; of a value longer than
// MAX_ENCODED_BYTES (a token), only the forms of a window from its middle are, and a hit masks the whole
// encoded run. A text with a wrapped encoded run (MIME, PEM) is also scanned with its line breaks taken out.
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

/** Texts up to this many UTF-16 units have their redacted form memoised (issue 16: the outputs and the
 * summary redact the same ids, names and config values many times over) ... */
const MEMO_MAX_TEXT = 2048
/** ... in at most this many entries (then the memo starts again empty): bounded memory. */
const MEMO_MAX_ENTRIES = 20_000

/** Encoded forms (base64, hex) shorter than this are not searched for: such short runs of base64 or hex
 * letters turn up in any id or hash, and masking them would shred the text. A secret of 6 bytes or more
 * has encoded forms this long. */
export const MIN_ENCODED_LENGTH = 8

/** Values longer than this (in UTF-8 bytes) are searched in their encoded forms no more: each form is as
 * long as the value, and fifty 2.5 KB keys made the search ten times slower. A long value (a PEM key, a
 * JSON credential) is searched line by line too, and its lines are what a server quotes. */
export const MAX_ENCODED_BYTES = 512

/** A value longer than MAX_ENCODED_BYTES (a GitHub OIDC token, a Confluent access token: 1 KB or more) is
 * searched in the encoded forms of this many bytes from its middle, and a hit masks the whole run of
 * base64 or hex characters it stands in: an echo of the whole token is caught without forms as long as
 * the token. The middle, not the start: PEM keys and service-account JSON files all begin alike. */
export const ENCODED_WINDOW_BYTES = 48

/** What a run of each encoding is made of, told by the hit: hex; base64 with `+` or `/`; URL-safe base64
 * with `-` or `_`; a hit of letters and digits alone may be either base64. */
const RUN_OF = {
  hex: /[0-9a-fA-F]/,
  base64: /[A-Za-z0-9+/]/,
  base64url: /[A-Za-z0-9_-]/,
  either: /[A-Za-z0-9+/_-]/
} as const

function runCharsOf(hit: string): RegExp {
  if (/^[0-9a-fA-F]+$/.test(hit)) return RUN_OF.hex
  if (/[+/]/.test(hit)) return RUN_OF.base64
  if (/[-_]/.test(hit)) return RUN_OF.base64url
  return RUN_OF.either
}

/**
 * The span [a, b) of the encoded run around [from, to) of `text`, of `chars` (runCharsOf), with up to two
 * `=` of padding at its end; it goes on over a line break where the line before it ends in WRAPPED_MIN or
 * more such characters (a wrapped text), and only there. Linear in the span.
 */
export function encodedRunAround(text: string, from: number, to: number, chars: RegExp): [number, number] {
  const isRun = (i: number) => chars.test(text[i])
  let a = from
  let b = to
  for (;;) {
    while (a > 0 && isRun(a - 1)) a--
    let k = a
    if (k > 0 && text[k - 1] === '\n') k--
    if (k > 0 && text[k - 1] === '\r') k--
    if (k === a || k === 0 || text[k - 1] === '=') break
    let lineStart = k
    while (lineStart > 0 && isRun(lineStart - 1)) lineStart--
    if (k - lineStart < WRAPPED_MIN) break
    a = lineStart
  }
  for (;;) {
    while (b < text.length && isRun(b)) b++
    if (text[b] === '=') {
      b++
      if (text[b] === '=') b++
      break
    }
    let k = b
    if (text[k] === '\r') k++
    if (text[k] === '\n') k++
    if (k === b || k >= text.length || !isRun(k)) break
    let lineStart = b
    while (lineStart > 0 && isRun(lineStart - 1)) lineStart--
    if (b - lineStart < WRAPPED_MIN) break
    b = k
  }
  return [a, b]
}

/** A line that ends in 60 or more base64 or hex characters: an encoded text wrapped at 64 or 76 (MIME,
 * PEM). Tried only where such a run starts (the lookbehind), so a long run is read once: linear. */
const WRAPPED_LINE = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{60,}\r?\n/
/** At least this many run characters end a line that a wrapped encoded text goes on after. */
const WRAPPED_MIN = 60

/** A JSON Web Token: its third part, the signature, is what makes it a credential (header and claims
 * are readable by anyone who sees the token), so it is a secret on its own too. */
const JWT = /^[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.([A-Za-z0-9_-]{16,})$/

/**
 * The base64 (standard and URL-safe alphabets) and hex (both cases) forms of a value's UTF-8 bytes, as
 * a server or proxy may echo them: base64 at each of the three byte offsets the value can stand at inside
 * a longer encoded text (`Basic base64(user:secret)`), each cut to the characters that depend on the
 * value's bytes alone, as the runner's own masker does. Only forms of MIN_ENCODED_LENGTH or more.
 */
export function encodedForms(value: string | Buffer): string[] {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value
  const out = new Set<string>()
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64')
    // Characters [start, end) carry only the value's bits: 6 bits a character, `shift` bytes before it.
    const start = Math.ceil((shift * 8) / 6)
    const end = Math.floor(((shift + bytes.length) * 8) / 6)
    const form = b64.slice(start, end)
    out.add(form)
    out.add(form.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  const hex = bytes.toString('hex')
  out.add(hex)
  out.add(hex.toUpperCase())
  return [...out].filter(f => f.length >= MIN_ENCODED_LENGTH)
}

/** The strings searched for a registered value: the value and each of its trimmed lines, the same with
 * lone surrogates replaced by U+FFFD, and the value's encoded forms (encodedForms; values up to
 * MAX_ENCODED_BYTES). Never throws (a lone
 * surrogate is an ordinary UTF-16 unit here, and nothing is URL-encoded). */
export function needlesOf(value: string): string[] {
  const out = new Set<string>()
  // A lone surrogate cannot cross UTF-8 (an HTTP body, a file): it comes back as U+FFFD. Search both.
  for (const v of new Set([value, value.toWellFormed()])) {
    if (v.length >= MIN_LENGTH && v !== REDACTED) out.add(v)
    for (const line of v.split(/\r?\n/)) {
      const trimmed = line.trim()
      if (trimmed.length >= MIN_LINE_LENGTH && trimmed !== REDACTED) out.add(trimmed)
    }
  }
  if (value.length >= MIN_LENGTH && Buffer.byteLength(value) <= MAX_ENCODED_BYTES) for (const form of encodedForms(value.toWellFormed())) out.add(form)
  return [...out]
}

import { Automaton } from './aho-corasick.js'
import { compose, unbackslash, unentity, unpercent, unwrapLines, type View } from './views.js'

export class Redactor {
  private readonly values = new Set<string>()
  private readonly needles = new Set<string>()
  private automaton: Automaton | undefined
  /** Encoded forms of a window of each long value: a hit masks the whole encoded run (ENCODED_WINDOW_BYTES). */
  private readonly runNeedles = new Set<string>()
  private runAutomaton: Automaton | undefined
  private starInNeedle = false
  /** Whether some needle holds a space: only then can `+` read as a space (form encoding) reveal one. */
  private spaceInNeedle = false
  private readonly listeners: Array<(value: string) => void> = []
  /** text -> redact(text) for short texts, valid for the current needles (emptied when one is added). */
  private readonly memo = new Map<string, string>()

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
      this.memo.clear()
      if (n.includes('*')) this.starInNeedle = true
      if (n.includes(' ')) this.spaceInNeedle = true
    }
    const bytes = Buffer.from(value.toWellFormed(), 'utf8')
    if (bytes.length > MAX_ENCODED_BYTES) {
      // Bytes, not characters: a window that cuts a multi-byte character still has the value's own bytes.
      const from = Math.floor((bytes.length - ENCODED_WINDOW_BYTES) / 2)
      for (const form of encodedForms(bytes.subarray(from, from + ENCODED_WINDOW_BYTES))) this.runNeedles.add(form)
      this.runAutomaton = undefined
      this.memo.clear()
    }
    const jwt = JWT.exec(value)
    if (jwt) this.add(jwt[1])
  }

  has(value: string): boolean {
    return this.values.has(value)
  }

  /**
   * True when `text` is a registered value, or holds one (or a line or an encoded form of one) of
   * `minContained` characters or more. Unlike
   * redact, which masks any registered value wherever it stands, this tells whether a text *is* secret:
   * a short or common-word secret (`prod`) inside `orders-prod-topic` is taken for a coincidence.
   */
  holds(text: string, minContained: number): boolean {
    if (this.values.has(text)) return true
    // The needles: each value, its lines, and its encoded forms (a line of a PEM key, base64 of user:secret).
    for (const n of this.needles) if (n.length >= minContained && text.includes(n)) return true
    // A long value encoded (base64 of a service-account JSON under a plain key).
    for (const n of this.runNeedles) if (text.includes(n)) return true
    return false
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
    if (this.runNeedles.size > 0) this.runAutomaton ??= new Automaton(this.runNeedles)
    if (text.length > MEMO_MAX_TEXT) return this.redactText(text)
    const known = this.memo.get(text)
    if (known !== undefined) return known
    const out = this.redactText(text)
    if (this.memo.size >= MEMO_MAX_ENTRIES) this.memo.clear()
    this.memo.set(text, out)
    return out
  }

  private redactText(text: string): string {
    if (!this.automaton) return text
    let out = text
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const next = this.onePass(out, this.automaton)
      if (next === out) break
      out = next
      if (!this.starInNeedle) break
    }
    return out
  }

  private onePass(text: string, ac: Automaton): string {
    // mark[i] = 1: original unit i is part of a secret.
    let mark: Uint8Array | undefined
    const markSpan = (from: number, to: number): void => {
      mark ??= new Uint8Array(text.length)
      mark.fill(1, from, to)
    }
    ac.scan(text, markSpan)
    // A long value's encoded window: the whole encoded run around it goes, in the text as it is and with
    // its line breaks taken out (an encoded text wrapped at 64 or 76 characters a line).
    const runs = this.runAutomaton
    // `at(i)` / `upto(i)`: where unit i of `t` starts and ends in the original text.
    const scanRuns = (t: string, at: (i: number) => number, upto: (i: number) => number): void => {
      if (!runs) return
      // Hits come in order of their end: one inside the run marked last is that run again (linear).
      let lastEnd = -1
      runs.scan(t, (from, to) => {
        if (upto(to - 1) <= lastEnd) return
        const chars = runCharsOf(t.slice(from, to))
        // The run in `t` (a view may have undone escapes inside it), then in the text itself, over the
        // line breaks of a wrapped text.
        const [a, b] = encodedRunAround(t, from, to, chars)
        const [ta, tb] = encodedRunAround(text, at(a), upto(b - 1), chars)
        lastEnd = tb
        markSpan(ta, tb)
      })
    }
    const inView = (v: View) =>
      scanRuns(
        v.text,
        i => v.start[i],
        i => v.end[i]
      )
    scanRuns(
      text,
      i => i,
      i => i + 1
    )
    // An encoded text wrapped at 64 or 76 characters a line: short values' forms and long values'
    // windows may stand across a line break.
    const joined = WRAPPED_LINE.test(text) ? unwrapLines(text) : undefined
    if (joined) {
      ac.scan(joined.text, (from, to) => markSpan(joined.start[from], joined.end[to - 1]))
      inView(joined)
    }
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
    // The `+`-as-space view differs from the one above only where a `+` became a space, so it can reveal
    // only a needle that holds a space (issue 16: a summary's diff lines are full of `+`).
    const pctPlus = this.spaceInNeedle ? unpercent(text, true) : undefined
    if (pctPlus && pctPlus.text !== pct?.text) views.push(pctPlus)
    if (!mark && views.length === 0) return text
    for (const v of views) {
      ac.scan(v.text, (from, to) => markSpan(v.start[from], v.end[to - 1]))
      inView(v)
    }
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
   * name, such as `name` or `kafka`, must not rename the field). The values of fields named in `keep`
   * (at any depth) are copied as they are: fields that hold the caller's own fixed words, which later
   * code decides on and which every text made from them is redacted for once more. Returns a new value.
   */
  redactDeep<T>(value: T, keep?: ReadonlySet<string>): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (!value || typeof value !== 'object') return value
    if (Array.isArray(value)) {
      const arr = value as unknown[]
      const out = new Array<unknown>(arr.length)
      for (let i = 0; i < arr.length; i++) out[i] = this.redactDeep(arr[i], keep)
      return out as T
    }
    // Own enumerable string keys, as Object.entries gives them, without its pair arrays (issue 16: the
    // outcome of a large run is walked twice when it is published).
    const src = value as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(src)) out[k] = keep?.has(k) ? src[k] : this.redactDeep(src[k], keep)
    return out as T
  }
}
