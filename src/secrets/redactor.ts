// One redactor for every channel: log lines, annotations, the summary, outputs, the PR comment and
// error messages (including text the API echoes back). It knows every secret value and the forms a
// value takes on its way: as-is, JSON-escaped, URL-encoded, and each line of a multi-line value.

export const REDACTED = '***'

/** Values shorter than this are registered with the runner's masking but not searched for in our own
 * text: a two-character "secret" would shred every message, and it is no real secret anyway. */
const MIN_LENGTH = 3

/** Lines of a multi-line value shorter than this (`{`, `}`, `",`) are structure, not secret: masking
 * them would blank every brace in the job log. */
const MIN_LINE_LENGTH = 4

function forms(value: string): string[] {
  const out = new Set<string>()
  const add = (v: string): void => {
    if (v.length >= MIN_LENGTH && v !== REDACTED) out.add(v)
  }
  add(value)
  add(JSON.stringify(value).slice(1, -1))
  // Double JSON escaping: a config echoed inside a JSON error message string.
  add(JSON.stringify(JSON.stringify(value)).slice(1, -1))
  add(encodeURIComponent(value))
  add(encodeURIComponent(value).replace(/%20/g, '+'))
  for (const line of value.split(/\r?\n/)) {
    const trimmed = line.trim()
    if (trimmed.length < MIN_LINE_LENGTH) continue
    add(trimmed)
    add(JSON.stringify(trimmed).slice(1, -1))
  }
  return [...out]
}

export class Redactor {
  private readonly values = new Set<string>()
  private needles: string[] = []
  private readonly listeners: Array<(value: string) => void> = []

  /** Called with each registered value and each of its lines (for the runner's masking). */
  onRegister(listener: (value: string) => void): void {
    this.listeners.push(listener)
  }

  add(value: string | undefined): void {
    if (value === undefined || value === '' || this.values.has(value)) return
    this.values.add(value)
    for (const listener of this.listeners) {
      listener(value)
      for (const line of value.split(/\r?\n/)) {
        if (line.trim().length >= MIN_LINE_LENGTH && line !== value) listener(line.trim())
      }
    }
    const all = new Set(this.needles)
    for (const f of forms(value)) all.add(f)
    // Longest first, so a secret that contains another is replaced whole.
    this.needles = [...all].sort((a, b) => b.length - a.length)
  }

  has(value: string): boolean {
    return this.values.has(value)
  }

  redact(text: string): string {
    if (!text) return text
    let out = text
    // Replacing can join the marker with its neighbours into a secret again (a secret ending in
    // "***"): repeat until nothing is found (bounded, though each pass can only shorten the text).
    for (let changed = true, pass = 0; changed && pass < 20; pass++) {
      changed = false
      for (const needle of this.needles) {
        if (out.includes(needle)) {
          out = out.split(needle).join(REDACTED)
          changed = true
        }
      }
    }
    return out
  }

  /** Redacts every string inside a JSON-compatible value. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (Array.isArray(value)) return (value as unknown[]).map(v => this.redactDeep(v)) as T
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) out[this.redact(k)] = this.redactDeep(v)
      return out as T
    }
    return value
  }
}
