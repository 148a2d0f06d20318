// Stage 1: find the connector files. Globs are relative to the workspace and must stay inside it;
// every file found is checked (inside the workspace after symlinks, small enough, a supported format)
// before anything reads it.
import { realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Problem } from '../model/types.js'
import { hasControlCharacter, printable } from '../model/text.js'

export { printable }

export const MAX_FILE_BYTES = 1024 * 1024
export const SUPPORTED_EXTENSIONS = ['.json', '.yaml', '.yml']

export interface Discovered {
  /** Paths relative to the workspace, forward slashes, sorted, deduplicated. */
  files: string[]
  problems: Problem[]
  /** Include patterns that matched no file at all (before exclusions). */
  unmatched: string[]
}

interface Patterns {
  includes: string[]
  excludes: string[]
  problems: Problem[]
}

/** True when a relative path (or pattern) climbs out of the directory it is relative to. */
function escapes(rel: string): boolean {
  const normal = path.posix.normalize(rel.replace(/\\/g, '/'))
  return normal === '..' || normal.startsWith('../')
}

function isAbsolutePattern(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p) || path.isAbsolute(p)
}

/** Splits the lines into include and exclude patterns, refusing those that leave the workspace. */
export function splitPatterns(lines: string[]): Patterns {
  const out: Patterns = { includes: [], excludes: [], problems: [] }
  for (const line of lines) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const negated = trimmed.startsWith('!')
    const pattern = negated ? trimmed.slice(1).trim() : trimmed
    if (pattern === '') continue
    if (isAbsolutePattern(pattern) || escapes(pattern)) {
      out.problems.push({ file: trimmed, message: `pattern "${trimmed}" is outside the workspace: patterns are relative to the workspace and cannot leave it` })
      continue
    }
    ;(negated ? out.excludes : out.includes).push(pattern)
  }
  return out
}

/** A relative path in the platform's form (`p`, path.win32 on Windows) as forward slashes. */
export function toPosix(rel: string, p: path.PlatformPath = path): string {
  return path.posix.normalize(rel.split(p.sep).join('/'))
}

/** The leading directories of a pattern that hold no glob syntax (`a/b` of `a/b/c-*.json`), or ''
 * (also for a pattern with a backslash, which glob reads as an escape). */
export function literalBase(pattern: string): string {
  if (pattern.includes('\\')) return ''
  const segments = pattern.split('/')
  const fixed: string[] = []
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}()!+@]/.test(segment)) break
    fixed.push(segment)
  }
  return fixed.join('/')
}

let globModule: Promise<typeof import('glob')> | undefined
/** glob, loaded on first use, not at start-up; one import even when several patterns ask at once. */
const loadGlob = (): Promise<typeof import('glob')> => (globModule ??= import('glob'))

const GLOB_OPTIONS = { nodir: true, dot: false } as const
/** The run's first Glob: passed as the options of the others, it shares its directory listings with them
 * (glob's README: "pass a glob as the glob options to reuse its settings and caches"), so the default
 * three patterns list each directory once, not three times. */
interface SharedWalk {
  first?: import('glob').Glob<typeof GLOB_OPTIONS & { cwd: string }>
}

async function globFiles(workspace: string, pattern: string, shared: SharedWalk): Promise<string[]> {
  // A pattern whose fixed directories do not exist matches nothing: no need to load glob (issue 16:
  // start-up of a run with nothing to do).
  const base = literalBase(pattern)
  if (base !== '') {
    try {
      await stat(path.join(workspace, base))
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT' || (err as { code?: string }).code === 'ENOTDIR') return []
    }
  }
  const { Glob } = await loadGlob()
  const walk = shared.first ? new Glob(pattern, shared.first) : (shared.first = new Glob(pattern, { ...GLOB_OPTIONS, cwd: workspace }))
  const found = await walk.walk()
  return found.map(rel => toPosix(rel))
}

/** True when `candidate` is `root` or below it, by the rules of the platform's paths (`p`). */
export function isInside(root: string, candidate: string, p: path.PlatformPath = path): boolean {
  const rel = p.relative(root, candidate)
  return !(rel === '..' || rel.startsWith(`..${p.sep}`) || p.isAbsolute(rel))
}

/** Checks one matched file; returns a problem or undefined when the file may be read. */
async function checkFile(workspace: string, realWorkspace: string, rel: string): Promise<Problem | undefined> {
  if (hasControlCharacter(rel)) {
    const shown = printable(rel)
    return { file: shown.slice(1, -1), message: `the file name ${shown} holds a control character (a line break, tab, ...); rename the file` }
  }
  if (escapes(rel) || path.isAbsolute(rel)) return { file: rel, message: `"${rel}" is outside the workspace` }
  const abs = path.join(workspace, rel)
  let real: string
  try {
    real = await realpath(abs)
  } catch {
    return { file: rel, message: `"${rel}" cannot be resolved (broken symlink?)` }
  }
  if (!isInside(realWorkspace, real)) return { file: rel, message: `"${rel}" is a symlink to a file outside the workspace; it is not read` }
  const ext = path.posix.extname(rel).toLowerCase()
  if (!SUPPORTED_EXTENSIONS.includes(ext)) {
    return {
      file: rel,
      message: `"${rel}" is not a supported format: connector files are .json, .yaml or .yml (narrow the \`files\` pattern or exclude it with !)`
    }
  }
  const info = await stat(abs)
  // A FIFO, socket or device matching the glob would block the read forever (or never end).
  if (!info.isFile()) return { file: rel, message: `"${rel}" is not a regular file (a FIFO, socket or device?); it is not read` }
  if (info.size > MAX_FILE_BYTES) return { file: rel, message: `file is ${info.size} bytes; a connector file is at most 1 MiB` }
  return undefined
}

/**
 * Finds the connector files: `patterns` are the `files` input lines (globs relative to `workspace`,
 * `!` excludes). Returns the readable files (sorted, workspace-relative, forward slashes), a problem
 * for each refused match (outside the workspace, control characters in the name, not a regular file,
 * over MAX_FILE_BYTES, unsupported format), and the include patterns that matched nothing. Throws only
 * when the file system does (stat of a file that vanished meanwhile).
 */
export async function discover(workspace: string, patterns: string[]): Promise<Discovered> {
  const { includes, excludes, problems } = splitPatterns(patterns)
  const unmatched: string[] = []
  const matched = new Set<string>()
  // Every pattern's walk side by side (issue 16: the default `files` is three patterns), results taken
  // in the patterns' order.
  const shared: SharedWalk = {}
  const [included, excludedLists, realWorkspace] = await Promise.all([
    Promise.all(includes.map(pattern => globFiles(workspace, pattern, shared))),
    Promise.all(excludes.map(pattern => globFiles(workspace, pattern, shared))),
    // A missing workspace matches nothing; keep the resolved path.
    realpath(workspace).catch(() => path.resolve(workspace))
  ])
  includes.forEach((pattern, i) => {
    if (included[i].length === 0) unmatched.push(pattern)
    for (const f of included[i]) matched.add(f)
  })
  const excluded = new Set(excludedLists.flat())
  const files: string[] = []
  const candidates = [...matched].filter(f => !excluded.has(f)).sort(compareStrings)
  // Checked side by side (a few file-system calls each), reported in sorted order.
  const checked = await mapBounded(candidates, FILE_CONCURRENCY, rel => checkFile(workspace, realWorkspace, rel))
  checked.forEach((problem, i) => {
    if (problem) problems.push(problem)
    else files.push(candidates[i])
  })
  return { files, problems, unmatched }
}

/** How many files are checked or read at the same time: enough to hide the file system's latency, few
 * enough to stay far below any limit of open descriptors. */
export const FILE_CONCURRENCY = 16

/**
 * Runs `fn` over `items` with at most `limit` (>= 1) calls in flight; resolves to the results in the
 * order of `items`. Rejects with the first rejection (the calls already started still run to the end).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker))
  return out
}

/** Code-point order, independent of the locale, so runs are reproducible everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
