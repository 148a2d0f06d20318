// Reading thrown values: the system `code` of a network error and a one-line description.

/** The string `code` of an error (ECONNRESET, ETIMEDOUT, ...), if it has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

export function messageOf(err: unknown): string {
  // By shape, not `instanceof Error`: an error from another realm (a vm context) is an Error too.
  const message = (err as { message?: unknown } | null | undefined)?.message
  return typeof message === 'string' ? message : String(err)
}

/** The message, with the code appended when the message does not already name it. */
export function describeError(err: unknown): string {
  const code = errorCode(err)
  const message = messageOf(err)
  return err instanceof Error && code !== undefined && !message.includes(code) ? `${message} (${code})` : message
}

/** An error answer of the API: HTTP status, the API's message (redacted, cut) and the X-Request-Id.
 * src/confluent/ makes them; stages read them through the ConfluentApi port. */
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

/** A 429 the engine gave up on: out of retries, or its wait would end after the run's deadline. */
export class RateLimitedError extends ApiError {
  constructor(
    apiMessage: string,
    requestId: string | undefined,
    /** What the server asked to wait (Retry-After, ms), if it said. */
    readonly retryAfterMs: number | undefined
  ) {
    super(429, apiMessage, requestId)
    this.name = 'RateLimitedError'
  }
}
