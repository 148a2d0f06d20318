// `prune-match` patterns: `*` matches any run of characters (none included), everything else is literal;
// a pattern starting with `!` excludes. A name matches when some include matches and no exclude does.
// Linear: each pattern is compiled once to a RegExp with no nested quantifiers.

const cache = new Map<string, RegExp>()

function compile(glob: string): RegExp {
  let re = cache.get(glob)
  if (!re) {
    const body = glob
      .split('*')
      .map(part => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')
    re = new RegExp(`^${body}$`, 's')
    cache.set(glob, re)
  }
  return re
}

/** True when `name` matches one of the include patterns and none of the `!` patterns. */
export function matchesAny(name: string, patterns: readonly string[]): boolean {
  let included = false
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (compile(p.slice(1)).test(name)) return false
    } else if (!included && compile(p).test(name)) included = true
  }
  return included
}
