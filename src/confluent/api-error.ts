// Error answers of the Confluent Cloud API, read into one ApiError: HTTP status, the API's message and
// the X-Request-Id. All three error shapes (product.md, api-notes.md "A third error shape"):
// `{"error":{"code","message"}}`, `{"error_code","message"}` and `{"errors":[{"status","detail"}]}`.
//
// Bounded and linear (issue 12 item 8): whatever the body (the transport caps it at 16 MiB), the text
// is first cut to SCAN_CHARS, then redacted, then cleaned up by linear scans (no backtracking regex:
// `/<[^>]*>/g` over 100 KB of `<` took about 12 s), then cut for the message.
import type { HttpResponse } from '../model/types.js'
import { cut } from '../model/text.js'
import { CREDENTIAL_LIKE, PLAIN_VALUE } from '../secrets/policy.js'

/** How much of a body or message is redacted and cleaned up at most (chars). Generous, so that a
 * secret split by this cut lies far beyond what the message keeps. */
export const SCAN_CHARS = 65_536
/** Longest API message kept in an ApiError (chars); longer ones are cut and end in `…`. */
export const MAX_API_MESSAGE_CHARS = 2000
/** Longest excerpt of a non-JSON body (an HTML error page) kept in the message (chars). */
export const MAX_EXCERPT_CHARS = 300

/** A quota message is final whatever its status (api-notes.md: "Quota exhaustion can come as a
 * retryable status ... a message that says 'limited to' is final"). Reads at most SCAN_CHARS. */
export function isQuotaError(res: HttpResponse): boolean {
  return res.status >= 400 && /is currently limited to|limited to \d+/i.test(res.body.slice(0, SCAN_CHARS))
}

/**
 * True for an error that no retry will change whatever its status: the real API answers an unknown
 * `connector.class` with a 500 (api-notes.md), and a quota message may come as a 429 or 5xx
 * (isQuotaError). The request engine returns such a response at once (EngineOptions.isPermanent).
 */
export function isPermanentServerError(res: HttpResponse): boolean {
  return (res.status === 500 && /Failed to find any class that implements Connector/i.test(res.body.slice(0, SCAN_CHARS))) || isQuotaError(res)
}

export { ApiError } from '../model/errors.js'

/**
 * Replaces every `<...>` (from a `<` to the next `>`, as `/<[^>]*>/g` would) by a space, in one linear
 * pass: a `<` after the last `>` is left as it is. Then collapses whitespace and trims.
 */
export function stripTags(text: string): string {
  const lastGt = text.lastIndexOf('>')
  let out = ''
  let i = 0
  while (i < text.length) {
    const lt = text.indexOf('<', i)
    if (lt === -1 || lt > lastGt) {
      out += text.slice(i)
      break
    }
    out += `${text.slice(i, lt)} `
    i = text.indexOf('>', lt) + 1
  }
  return out.replace(/\s+/g, ' ').trim()
}

/** `"key": "value"` in an echoed config, the same JSON-escaped inside a message string, with single quotes
 * (a Python or JavaScript rendering), and `{key=value, ...}` (a Java map, as Kafka Connect prints configs). */
const KEYED_VALUE = /"([^"\\\n]{1,200})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g
const ESCAPED_KEYED_VALUE = /\\"([^"\\\n]{1,200})\\"(\s*:\s*)\\"((?:[^"\\]|\\[^"])*)\\"/g
const SINGLE_KEYED_VALUE = /'([^'\\\n]{1,200})'(\s*:\s*)'((?:[^'\\]|\\.)*)'/g
const MAP_ENTRY = /([{,]\s*)([\w.-]{1,200})=([^,}\n]*)/g

/**
 * `text` with the value of every credential-like key (policy.ts CREDENTIAL_LIKE: `database.password`,
 * `kafka.api.secret`, ...) in an echoed config replaced by `***`, whatever its length: a 400 that quotes the
 * PUT body would otherwise show a secret of one or two characters, which the redactor does not search for
 * in free text. Flags and small numbers (`true`, `0`) stay. Linear in the text's length.
 */
export function maskCredentialValues(text: string): string {
  const secretValue = (key: string, value: string) => CREDENTIAL_LIKE.test(key) && value.trim() !== '' && !PLAIN_VALUE.test(value.trim())
  const quoted = (quote: string) => (whole: string, key: string, sep: string, value: string) =>
    secretValue(key, value) ? `${quote}${key}${quote}${sep}${quote}***${quote}` : whole
  return text
    .replace(ESCAPED_KEYED_VALUE, quoted('\\"'))
    .replace(KEYED_VALUE, quoted('"'))
    .replace(SINGLE_KEYED_VALUE, quoted("'"))
    .replace(MAP_ENTRY, (whole: string, lead: string, key: string, value: string) => (secretValue(key, value) ? `${lead}${key}=***` : whole))
}

/**
 * Reads the API's message (at most MAX_API_MESSAGE_CHARS) from any of its three error shapes, or OAuth's; falls
 * back to an excerpt of the body's text (tags stripped, at most MAX_EXCERPT_CHARS). `redact` is
 * applied after the cut to SCAN_CHARS and before anything is stripped or cut further: cutting short
 * could split a secret so that the redactor no longer recognises it. Never throws.
 */
export function errorMessage(res: HttpResponse, redact: (text: string) => string = t => t): string {
  const clean = (text: string): string => maskCredentialValues(redact(text.slice(0, SCAN_CHARS)))
  try {
    const body = JSON.parse(res.body) as Record<string, unknown>
    const nested = body.error as Record<string, unknown> | undefined
    if (nested && typeof nested === 'object' && typeof nested.message === 'string') return cut(clean(nested.message), MAX_API_MESSAGE_CHARS)
    if (typeof body.message === 'string') return cut(clean(body.message), MAX_API_MESSAGE_CHARS)
    // OAuth's `{"error":"invalid_grant","error_description":"..."}` (RFC 6749 section 5.2), what a token
    // endpoint such as the keyless login's exchange answers.
    if (typeof body.error === 'string' && body.error !== '') {
      const description = typeof body.error_description === 'string' && body.error_description !== '' ? `: ${body.error_description}` : ''
      return cut(clean(`${body.error}${description}`), MAX_API_MESSAGE_CHARS)
    }
    // `{"errors":[{"status":"401","detail":"..."}]}` (api-notes.md: what a wrong Cloud API key gets).
    if (Array.isArray(body.errors)) {
      const details: string[] = []
      let length = 0
      for (const e of body.errors.slice(0, 100)) {
        const o = e && typeof e === 'object' ? (e as Record<string, unknown>) : {}
        const d = typeof o.detail === 'string' ? o.detail : typeof o.title === 'string' ? o.title : ''
        if (!d) continue
        details.push(d)
        length += d.length
        if (length > SCAN_CHARS) break
      }
      if (details.length > 0) return cut(clean(details.join('; ')), MAX_API_MESSAGE_CHARS)
    }
  } catch {
    // not JSON: an HTML error page from a proxy or load balancer
  }
  const text = stripTags(clean(res.body))
  return text ? `unexpected response: ${cut(text, MAX_EXCERPT_CHARS)}` : 'no error message in the response'
}
