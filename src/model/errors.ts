// Reading thrown values: the system `code` of a network error and a one-line description.

/** The string `code` of an error (ECONNRESET, ETIMEDOUT, ...), if it has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** The message, with the code appended when the message does not already name it. */
export function describeError(err: unknown): string {
  const code = errorCode(err)
  const message = messageOf(err)
  return err instanceof Error && code !== undefined && !message.includes(code) ? `${message} (${code})` : message
}
