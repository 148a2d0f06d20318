// The parse stage's shared context and node helpers: where a node is (line and column for a problem),
// aliases resolved once per document (linear), and scalars turned into config strings.
import { isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, visit } from 'yaml'
import type { Document } from 'yaml'
import type { Location, Problem } from '../model/types.js'

/** Most YAML aliases (`*name`) one file may hold. Aliases may only stand for scalars. */
export const MAX_ALIASES = 1_000

export interface Ctx {
  file: string
  text: string
  lc: LineCounter
  /** The yaml document; absent on the JSON fast path (JSON has no aliases). */
  doc?: Document
  problems: Problem[]
  /** Each alias of the document and the node it stands for (built once per document: linear). */
  aliases: Map<unknown, unknown>
}

/** One key of a mapping: its name, where it is and its (unconverted) value node. */
export interface Entry {
  key: string
  at: number
  value: unknown
}

export type Converted = { value: string } | { what: string }

export function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range
  return range ? range[0] : undefined
}

export function locate(ctx: Ctx, offset: number): Location {
  const { line, col } = ctx.lc.linePos(offset)
  return { line, column: col }
}

export function report(ctx: Ctx, offset: number, message: string): void {
  ctx.problems.push({ file: ctx.file, ...locate(ctx, offset), message })
}

export function quoteKey(key: string): string {
  return JSON.stringify(key.length > 80 ? `${key.slice(0, 77)}...` : key)
}

export function deref(ctx: Ctx, node: unknown): unknown {
  return isAlias(node) ? ctx.aliases.get(node) : node
}

/** An alias as it may be shown: `*name` when the name is plain, else "here" (names may hold anything). */
export function shownAlias(source: string): string {
  return /^[\w.-]{1,40}$/.test(source) ? `*${source}` : 'here'
}

/**
 * Resolves every alias of a document in one walk (yaml's Alias.resolve walks the whole document per
 * alias: 6,000 aliases took over 10 s). An alias stands for the last node with its anchor before it.
 * Refuses, at the alias: more than MAX_ALIASES aliases, and aliases to an object or array. Returns
 * false when the document has such a problem (reported into ctx.problems).
 */
export function resolveAliases(ctx: Ctx, seen: { count: number }): boolean {
  if (!ctx.doc) return true
  const anchors = new Map<string, unknown>()
  let ok = true
  visit(ctx.doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const at = rangeStart(node) ?? 0
        if (++seen.count > MAX_ALIASES) {
          if (seen.count === MAX_ALIASES + 1) report(ctx, at, `more than ${MAX_ALIASES} YAML aliases (*name) in one file; write the values out`)
          ok = false
          return visit.BREAK
        }
        const target = anchors.get(node.source)
        if (target === undefined) {
          report(ctx, at, `the alias ${shownAlias(node.source)} has no anchor before it`)
          ok = false
        } else if (isCollection(target)) {
          report(ctx, at, `the alias ${shownAlias(node.source)} stands for ${describeNode(target)}; aliases may only stand for a single value`)
          ok = false
        }
        ctx.aliases.set(node, target)
      } else if (node.anchor) anchors.set(node.anchor, node)
      return undefined
    }
  })
  return ok
}

export function describeNode(node: unknown): string {
  if (isMap(node)) return 'an object'
  if (isSeq(node)) return 'an array'
  if (isScalar(node)) return node.value === null || node.value === undefined ? 'null' : typeof node.value === 'string' ? 'a string' : `a ${typeof node.value}`
  return 'empty'
}

/** The YAML 1.2 core schema's scalar tags: `!!str 12` and `!!int "7"` say what the value is written as
 * (and the non-specific `!`, which makes a scalar a string). */
const CORE_SCALAR_TAGS = new Set(['str', 'int', 'float', 'bool', 'null'].map(t => `tag:yaml.org,2002:${t}`))

/** A tag as a problem shows it: whole when short and plain, else only that there is one (it is file text). */
function shownTag(tag: string): string {
  const short = tag.replace(/^tag:yaml\.org,2002:/, '!!')
  return /^!{1,2}[\w.:/-]{0,40}$/.test(short) ? `tagged ${short}` : 'tagged'
}

/** A scalar's string form: strings as they are, numbers and booleans as written in the file. Any tag
 * but the core schema's scalar ones (`!Ref`, `!secret`, `!!binary`, `!!timestamp`) is refused: yaml drops
 * a tag it does not know and keeps the bare text, which would send `DbHost` for `!Ref DbHost`. */
export function toConfigString(ctx: Ctx, raw: unknown): Converted {
  const node = deref(ctx, raw)
  if (!isScalar(node)) return { what: node === null || node === undefined ? 'null' : describeNode(node) }
  if (node.tag && node.tag !== '!' && !CORE_SCALAR_TAGS.has(node.tag))
    return { what: `${shownTag(node.tag)} (YAML tags are not evaluated: write the value itself)` }
  const v = node.value
  if (typeof v === 'string') return { value: v }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
    if (node.type === 'PLAIN' && node.range) return { value: ctx.text.slice(node.range[0], node.range[1]) }
    return { value: String(v) }
  }
  return { what: v === null || v === undefined ? 'null' : 'not a string' }
}
