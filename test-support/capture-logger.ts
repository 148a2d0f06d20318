// A Logger for unit tests that records every line as `level: message`.
import type { Logger } from '../src/model/types.js'

export function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = []
  const logger: Logger = {
    info: m => lines.push(`info: ${m}`),
    warning: m => lines.push(`warning: ${m}`),
    error: m => lines.push(`error: ${m}`),
    debug: m => lines.push(`debug: ${m}`),
    group: (_t, fn) => fn()
  }
  return { logger, lines }
}
