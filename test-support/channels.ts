// Collects every channel an action run writes to, so a test can scan them all for secrets at once:
// the log (stdout, with the workflow commands' %-escapes undone too), stderr, each annotation, each
// output, the job summary and the pull-request comments. `::add-mask::` lines are left out of the
// scan: registering a secret with the runner's masking is the one place it must appear. They are
// returned separately by `maskedValues`, so a test can assert that every secret was registered.
import type { ActionRun } from './run-action.js'

export interface Channel {
  name: string
  text: string
}

export interface Leak {
  channel: string
  needle: string
  /** The text around the hit, for the failure message. */
  excerpt: string
}

const ADD_MASK = '::add-mask::'

/** Undoes @actions/core's escaping of workflow command data (`%25`, `%0D`, `%0A`). */
export function unescapeCommandData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/**
 * The text with the escapes a leak could hide behind undone, by simple independent rules (not the
 * redactor's): JSON `\uXXXX` (either case), numeric and the common named HTML entities, and `%xx`
 * (either case, UTF-8; `+` left alone). So a secret echoed with every character escaped still shows
 * its marker. Applied twice, for an escape of an escape (`&amp;#67;`).
 */
export function decodeEscapes(s: string): string {
  const once = (t: string): string =>
    t
      .replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/&#[xX]([0-9a-fA-F]{1,6});/g, (m, h: string) => (parseInt(h, 16) <= 0x10ffff ? String.fromCodePoint(parseInt(h, 16)) : m))
      .replace(/&#([0-9]{1,7});/g, (m, d: string) => (parseInt(d, 10) <= 0x10ffff ? String.fromCodePoint(parseInt(d, 10)) : m))
      .replace(/&(amp|lt|gt|quot|apos);/g, (_m, n: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[n] ?? '')
      .replace(/(?:%[0-9a-fA-F]{2})+/g, m => {
        try {
          return decodeURIComponent(m)
        } catch {
          return m
        }
      })
  return once(once(s))
}

/** The values registered with `::add-mask::`, unescaped. */
export function maskedValues(run: Pick<ActionRun, 'stdout'>): string[] {
  return run.stdout
    .split('\n')
    .filter(line => line.startsWith(ADD_MASK))
    .map(line => unescapeCommandData(line.slice(ADD_MASK.length)))
}

/** Every channel of a run, `::add-mask::` lines excepted, each also with its escapes undone
 * (decodeEscapes). `comments` are pull-request comment bodies. */
export function channels(run: ActionRun, extra: { comments?: string[] } = {}): Channel[] {
  const log = run.stdout
    .split('\n')
    .filter(line => !line.startsWith(ADD_MASK))
    .join('\n')
  const out: Channel[] = [
    { name: 'log', text: log },
    { name: 'log (command data unescaped)', text: unescapeCommandData(log) },
    { name: 'stderr', text: run.stderr },
    { name: 'summary', text: run.summary }
  ]
  run.annotations.forEach((a, i) => out.push({ name: `annotation ${i + 1} (${a.level})`, text: `${a.file ?? ''}:${a.line ?? ''} ${a.message}` }))
  for (const [name, value] of Object.entries(run.outputs)) out.push({ name: `output ${name}`, text: value })
  ;(extra.comments ?? []).forEach((c, i) => out.push({ name: `pull-request comment ${i + 1}`, text: c }))
  return [...out, ...out.map(ch => ({ name: `${ch.name} (escapes decoded)`, text: decodeEscapes(ch.text) }))]
}

/** Every occurrence of any needle in any channel (needles shorter than 4 characters are ignored). */
export function findLeaks(chs: Channel[], needles: string[]): Leak[] {
  const leaks: Leak[] = []
  for (const needle of new Set(needles)) {
    if (needle.length < 4) continue
    for (const ch of chs) {
      // Every occurrence, but not twice the same stretch of text (the excerpt of one covers the next).
      for (let at = ch.text.indexOf(needle), last = -Infinity; at >= 0; at = ch.text.indexOf(needle, at + needle.length)) {
        if (at - last < 80) continue
        last = at
        leaks.push({ channel: ch.name, needle, excerpt: ch.text.slice(Math.max(0, at - 80), at + needle.length + 80) })
      }
    }
  }
  return leaks
}

/** A readable list of leaks for a failing expectation. */
export function describeLeaks(leaks: Leak[]): string {
  return leaks.map(l => `- ${JSON.stringify(l.needle)} in ${l.channel}: …${JSON.stringify(l.excerpt)}…`).join('\n')
}
