// Stages before the first request, in run order: discover -> read (bytes -> UTF-8) -> parse ->
// substitute -> check. All problems of all files are collected; any problem stops the run before a
// single request is sent (product.md step 2).
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import path from 'node:path'
import type { ConnectorSpec, Logger, Problem, Settings, SubstitutedConnector } from '../model/types.js'
import { DEFAULT_FILES } from '../model/types.js'
import { discover, FILE_CONCURRENCY, mapBounded, MAX_FILE_BYTES } from './discover.js'

/** Files read side by side before they are parsed (in order): bounds the bytes held at once to 64 MiB. */
const READ_BATCH = 64

export interface Loaded {
  /** Checked connectors, ordered by target, then file (code-point order), then place in the file. */
  specs: ConnectorSpec[]
  problems: Problem[]
  /** True when the globs matched no file at all. */
  empty: boolean
}

/** Connector files are UTF-8: a file in another encoding would be sent with its bytes replaced. */
export function decodeUtf8(file: string, bytes: Buffer): { text?: string; problem?: Problem } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes)
    const line = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD'))).split('\n').length
    return { problem: { file, line, message: 'the file is not UTF-8 text (save it as UTF-8)' } }
  }
}

/**
 * Reads one connector file. Opens it without blocking and checks, on the open descriptor, that it is a
 * regular file of at most MAX_FILE_BYTES (discover checked the path, but the file may have been swapped
 * for a FIFO since: a FIFO would block the read forever). Returns the bytes, or the reason as text.
 */
export async function readRegularFile(abs: string): Promise<Buffer | string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(abs, constants.O_RDONLY | constants.O_NONBLOCK)
    const info = await handle.stat()
    if (!info.isFile()) return 'not a regular file (a FIFO, socket or device?); it is not read'
    if (info.size > MAX_FILE_BYTES) return `file is ${info.size} bytes; a connector file is at most 1 MiB`
    return await handle.readFile()
  } catch (err) {
    return `the file could not be read (${(err as { code?: string }).code ?? 'error'})`
  } finally {
    await handle?.close()
  }
}

/**
 * Runs the stages before the first request over the `files` globs of `settings`. Reads files below
 * `settings.workspace` only; resolves to the checked specs and every problem found (never throws for a
 * bad file: an unreadable one is a problem too).
 */
export async function loadSpecs(settings: Settings, logger: Logger): Promise<Loaded> {
  const found = await discover(settings.workspace, settings.files)
  const problems: Problem[] = [...found.problems]
  // A default pattern that matches nothing (no .yml file in a JSON repository) is no news when the
  // others matched: said at debug level only. One of the user's own patterns is worth a line.
  for (const pattern of found.unmatched) {
    if (found.files.length > 0 && DEFAULT_FILES.includes(pattern)) logger.debug(`pattern matched no file: ${pattern}`)
    else logger.info(`pattern matched no file: ${pattern}`)
  }
  if (found.files.length === 0) {
    // Files that matched but were refused (a symlink out of the workspace, a FIFO) are problems, said
    // on their own: then "no file matched" would contradict them.
    if (problems.length === 0) logger.warning(`no connector file matched: ${settings.files.join(', ')}`)
    return { specs: [], problems, empty: true }
  }
  // The parser (and yaml with it) and the checks are loaded only when there is a file: a run that
  // finds none starts faster (issue 16). One after the other: Jest's ESM loader fails on concurrent
  // imports that share a dependency ("request for 'yaml' is not in cache").
  const { parseFile } = await import('./parse.js')
  const { substitute } = await import('./substitute.js')
  const { checkConnectors } = await import('./check.js')
  const substituted: SubstitutedConnector[] = []
  // Read in batches: at most READ_BATCH files (of at most MAX_FILE_BYTES each) are held at once.
  for (let from = 0; from < found.files.length; from += READ_BATCH) {
    const batch = found.files.slice(from, from + READ_BATCH)
    const reads = await mapBounded(batch, FILE_CONCURRENCY, file => readRegularFile(path.join(settings.workspace, file)))
    batch.forEach((file, i) => {
      const read = reads[i]
      if (typeof read === 'string') {
        problems.push({ file, message: read })
        return
      }
      const decoded = decodeUtf8(file, read)
      if (decoded.problem) problems.push(decoded.problem)
      if (decoded.text === undefined) return
      const parsed = parseFile(file, decoded.text)
      problems.push(...parsed.problems)
      for (const raw of parsed.connectors) {
        const sub = substitute(raw, { secrets: settings.secrets, vars: settings.vars })
        problems.push(...sub.problems)
        substituted.push(sub.connector)
      }
    })
  }
  const checked = checkConnectors(substituted, {
    environmentId: settings.environmentId,
    kafkaClusterId: settings.kafkaClusterId,
    kafkaApiKey: settings.kafkaApiKey,
    kafkaApiSecret: settings.kafkaApiSecret
  })
  problems.push(...checked.problems)
  return { specs: checked.specs, problems: tidyProblems(problems), empty: false }
}

/** Most problems reported for one file; the rest are counted in one more problem. */
export const MAX_PROBLEMS_PER_FILE = 10

/**
 * The problems as they are reported (one annotation each): one per file, line and message (an alias used
 * ten times on one line is one problem), and at most MAX_PROBLEMS_PER_FILE per file plus one that counts
 * the rest, so that one bad file cannot crowd out the others' annotations (GitHub shows only a few per
 * step). Keeps the order; returns a new array.
 */
export function tidyProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>()
  const perFile = new Map<string, number>()
  const out: Problem[] = []
  for (const p of problems) {
    const key = `${p.file}\u0000${p.line ?? ''}\u0000${p.message}`
    if (seen.has(key)) continue
    seen.add(key)
    const n = (perFile.get(p.file) ?? 0) + 1
    perFile.set(p.file, n)
    if (n <= MAX_PROBLEMS_PER_FILE) out.push(p)
  }
  for (const [file, n] of perFile) {
    if (n > MAX_PROBLEMS_PER_FILE)
      out.push({ file, message: `${n - MAX_PROBLEMS_PER_FILE} more problem(s) in this file, not listed: fix the ones above first` })
  }
  return out
}
