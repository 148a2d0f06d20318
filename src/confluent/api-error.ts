// Error answers of the Confluent Cloud API, read into one ApiError: HTTP status, the API's message and
// the X-Request-Id. All three error shapes (product.md, api-notes.md "A third error shape"):
// `{"error":{"code","message"}}`, `{"error_code","message"}` and `{"errors":[{"status","detail"}]}`.
import type { HttpResponse } from '../model/types.js'

/** The real API answers an unknown `connector.class` with a 500 that no retry will change. */
export function isPermanentServerError(res: HttpResponse): boolean {
  return (res.status === 500 && /Failed to find any class that implements Connector/i.test(res.body)) || isQuotaError(res)
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly apiMessage: string,
    readonly requestId: string | undefined
  ) {
    super(`HTTP ${status}: ${apiMessage}${requestId ? ` (request id ${requestId})` : ''}`)
    this.name = 'ApiError'
  }
}

/** Reads the API's message from any of the three error shapes; falls back to the body's text.
 * `redact` is applied before anything is stripped or cut: cutting could split a secret so that the
 * redactor no longer recognises it. */
export function errorMessage(res: HttpResponse, redact: (text: string) => string = t => t): string {
  try {
    const body = JSON.parse(res.body) as Record<string, unknown>
    const nested = body.error as Record<string, unknown> | undefined
    if (nested && typeof nested === 'object' && typeof nested.message === 'string') return redact(nested.message)
    if (typeof body.message === 'string') return redact(body.message)
    // `{"errors":[{"status":"401","detail":"..."}]}` (api-notes.md: what a wrong Cloud API key gets).
    if (Array.isArray(body.errors)) {
      const details = body.errors
        .map(e => (e && typeof e === 'object' ? (e as Record<string, unknown>) : {}))
        .map(e => (typeof e.detail === 'string' ? e.detail : typeof e.title === 'string' ? e.title : ''))
        .filter(Boolean)
      if (details.length > 0) return redact(details.join('; '))
    }
  } catch {
    // not JSON: an HTML error page from a proxy or load balancer
  }
  const text = redact(res.body)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  const short = text.length > 200 ? `${text.slice(0, 200)}…` : text
  return short ? `unexpected response: ${short}` : 'no error message in the response'
}


/** A quota message is final whatever its status (api-notes.md: "Quota exhaustion can come as a retryable
 * status ... a message that says 'limited to' is final"). */
export function isQuotaError(res: HttpResponse): boolean {
  return res.status >= 400 && /is currently limited to|limited to \d+/i.test(res.body.slice(0, 65_536))
}
