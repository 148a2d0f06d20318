// The job summary stays within GitHub's 1 MiB (bytes) and a PR comment within 65,536 characters,
// never cut inside markup, errors kept before diffs, and says what it left out (issue 12 item 4).
import { describe, expect, it } from '@jest/globals'
import { renderSummary } from '../src/report/summary.js'
import { CUT_NOTE, RESERVE_BYTES, SUMMARY_LIMIT_BYTES, fitSummary } from '../src/report/budget.js'
import type { KeyChange, Outcome, Result } from '../src/model/types.js'
import { outcome as baseOutcome, result } from '../test-support/outcome-builders.js'

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

const outcome = (results: Result[], over: Partial<Outcome> = {}): Outcome => baseOutcome(results, { dryRun: true, ...over })

/** A first plan: `n` connectors created with `keys` keys each; every 50th fails with an error. */
function bigPlan(n: number, keys: number, name = (i: number): string => `connector-${i}`): Outcome {
  const results: Result[] = []
  for (let i = 0; i < n; i++) {
    const changes: KeyChange[] = []
    for (let k = 0; k < keys; k++)
      changes.push({ key: `some.fairly.long.config.key.${k}`, kind: 'added', after: `value-${i}-${k}-${'x'.repeat(20)}`, sensitive: false })
    results.push(
      result({ name: name(i), file: `connectors/team-${i % 7}/${name(i)}.json`, changes, error: i % 50 === 7 ? `HTTP 400: bad config for ${name(i)}` : '' })
    )
  }
  return outcome(results, { failed: true })
}

/** `n` connectors created by a run, every third failed with an error of about 11 KB. */
function createsWithLongErrors(n: number): Result[] {
  return Array.from({ length: n }, (_, i) => {
    const failed = i % 3 === 0
    return result({
      name: `c-${i}`,
      file: `connectors/c-${i}.json`,
      planned: 'create',
      done: failed ? 'failed' : 'created',
      state: failed ? '' : 'RUNNING',
      error: failed ? `create failed: HTTP 400: ${'Connector configuration is invalid. '.repeat(300)}` : ''
    })
  })
}

/** Every check a cut summary must pass: markup balanced, tables rectangular, entities whole. */
function expectWellFormed(md: string): void {
  expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length)
  expect((md.match(/<summary>/g) ?? []).length).toBe((md.match(/<\/summary>/g) ?? []).length)
  expect((md.match(/<a /g) ?? []).length).toBe((md.match(/<\/a>/g) ?? []).length)
  expect((md.match(/<code>/g) ?? []).length).toBe((md.match(/<\/code>/g) ?? []).length)
  // Code fences: each opening has its closing.
  const fences = md.split('\n').filter(l => /^`{3,}/.test(l))
  expect(fences.length % 2).toBe(0)
  for (let i = 0; i < fences.length; i += 2) expect(fences[i + 1]).toBe(fences[i].replace(/[a-z]+$/, ''))
  // Every & starts a whole entity.
  expect(md.match(/&(?!(#\d+|[a-z]+);)/g)).toBeNull()
  // Tables: every row of a table has as many cells as its header, and a delimiter row follows the header.
  const lines = md.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('|') || (i > 0 && lines[i - 1].startsWith('|'))) continue
    const cells = (l: string): number => l.split('|').length
    expect(lines[i + 1]).toMatch(/^\|(---\|)+$/)
    for (let j = i; j < lines.length && lines[j].startsWith('|'); j++) expect(cells(lines[j])).toBe(cells(lines[i]))
  }
}

describe('summary budget', () => {
  it('600 connectors x 25 keys: within 1 MiB of bytes, errors and every row kept, diffs cut with a note', () => {
    const o = bigPlan(600, 25)
    const md = renderSummary(o)
    expect(bytes(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES - RESERVE_BYTES)
    // Really over without the budget.
    expect(bytes(renderSummary(o, { limit: 1e9 }))).toBeGreaterThan(SUMMARY_LIMIT_BYTES)
    expectWellFormed(md)
    for (const r of o.results) {
      expect(md).toContain(`| ${r.name} |`)
      if (r.error) expect(md).toContain(`- **${r.name}** (`)
    }
    expect(md.indexOf('### Errors')).toBeLessThan(md.indexOf('### Changes'))
    const shown = (md.match(/<details>/g) ?? []).length
    expect(shown).toBeGreaterThan(0)
    expect(shown).toBeLessThan(600)
    expect(md).toContain(`*${600 - shown} more connectors' changes are not shown: the summary is limited to 1 MiB.`)
    // The stats line after the cut part is still there: nothing was cut blindly.
    expect(md).toContain('<sub>1 request,')
    expect(md).not.toContain(CUT_NOTE.trim())
  })

  it('multi-byte names: the limit is counted in bytes, not characters', () => {
    const name = (i: number): string => `接続-${'🚀'.repeat(8)}-${i}`
    const o = bigPlan(600, 25, name)
    const md = renderSummary(o)
    expect(bytes(md)).toBeGreaterThan(md.length) // the test exercises multi-byte text
    expect(bytes(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES - RESERVE_BYTES)
    expect(md).not.toContain('\ufffd') // no character cut in two
    expectWellFormed(md)
    expect(md).toContain(`| ${name(599)} |`)
  })

  it('drops table rows when even the table is too big: unchanged first, with a note', () => {
    const results: Result[] = []
    for (let i = 0; i < 400; i++) results.push(result({ name: `u-${i}`, planned: 'unchanged', state: 'RUNNING' }))
    results.push(result({ name: 'the-failed-one', planned: 'update', error: 'boom' }))
    results.push(result({ name: 'the-created-one', planned: 'create' }))
    const md = renderSummary(outcome(results), { limit: 20_000 })
    expect(bytes(md)).toBeLessThanOrEqual(20_000)
    expectWellFormed(md)
    expect(md).toContain('| the-failed-one |')
    expect(md).toContain('| the-created-one |')
    const listed = (md.match(/^\| u-\d+ \|/gm) ?? []).length
    expect(listed).toBeGreaterThan(0)
    expect(listed).toBeLessThan(400)
    expect(md).toContain(`*${400 - listed} more connectors are not listed (all unchanged)`)
  })

  it('1,000 long errors among 3,000 connectors: each error is cut shorter, with a note, and the table still fits', () => {
    const results = createsWithLongErrors(3000)
    const md = renderSummary(outcome(results, { dryRun: false }))
    expect(bytes(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES - RESERVE_BYTES)
    const cutTo = Number(/\*With 1000 errors, each is cut to (\d+) characters here; the step's log holds each in full\.\*/.exec(md)?.[1])
    // 40% of the budget shared by 1,000 errors.
    expect(cutTo).toBe(Math.floor(((SUMMARY_LIMIT_BYTES - RESERVE_BYTES) * 0.4) / 1000))
    // Every error is listed, and so is every row of the table (failed rows first when rows must go).
    for (const i of [0, 999, 2997]) expect(md).toContain(`- **c-${i}** (`)
    expect(md).toContain('| Connector | File | Action |')
    expect(md).toContain('| c-2999 |')
    expect(md).not.toContain(CUT_NOTE)
    // A sum-up line that is not printed ("Confluent's validate reported 1 error(s)") is not counted.
    const validated = renderSummary(
      outcome(
        results.slice(0, 3000).map((r, i) => ({
          ...r,
          done: undefined,
          error: "Confluent's validate reported 1 error(s)",
          validationErrors: [{ key: 'k', message: `${'Invalid value. '.repeat(200)}${i}` }]
        }))
      )
    )
    expect(validated).toContain(
      `*With 3000 errors, each is cut to ${Math.max(200, Math.floor(((SUMMARY_LIMIT_BYTES - RESERVE_BYTES) * 0.4) / 3000))} characters here`
    )
    // Few errors keep their full length.
    const few = renderSummary(outcome(results.slice(0, 3), { dryRun: false }))
    expect(few).not.toContain('each is cut to')
    expect(few).toContain(`${'Connector configuration is invalid. '.repeat(50).trim()}`)
  })

  it('a PR comment with 250 long errors keeps its table: past what the share holds, errors are counted, not listed', () => {
    const results = createsWithLongErrors(750)
    const md = renderSummary(outcome(results, { dryRun: false }), { limit: 63_536, unit: 'chars' })
    expect(md.length).toBeLessThanOrEqual(63_536)
    expect(md).toContain('| Connector | File | Action |')
    const listed = (md.match(/^- \*\*c-/gm) ?? []).length
    expect(listed).toBeGreaterThan(0)
    expect(md).toContain(`*${250 - listed} more errors are not listed here; the step's log has every one.*`)
  })

  it('a PR comment budget counts characters', () => {
    const o = bigPlan(200, 25, i => `名前-${i}`)
    const md = renderSummary(o, { limit: 65_000, unit: 'chars' })
    expect(md.length).toBeLessThanOrEqual(65_000)
    expect(md).toContain('characters.')
    expectWellFormed(md)
  })

  it('a small plan is not touched', () => {
    const o = bigPlan(3, 5)
    const md = renderSummary(o)
    expect(md).not.toContain('not shown')
    expect((md.match(/<details>/g) ?? []).length).toBe(3)
  })
})

describe('fitSummary (the last guard)', () => {
  const limit = 10_000
  it('returns a text that fits unchanged', () => {
    expect(fitSummary('short\n', limit)).toBe('short\n')
  })

  it('never cuts inside a <details> block or a code fence, and says it cut', () => {
    const head = '## t\n\n- error one\n\n'
    const block = `<details><summary>x</summary>\n\n\`\`\`diff\n${'+ k = "v"\n'.repeat(2000)}\`\`\`\n\n</details>\n`
    const out = fitSummary(`${head}${block}`, limit)
    expect(bytes(out)).toBeLessThanOrEqual(10_000)
    expect(out).toBe(`## t\n\n- error one${CUT_NOTE}`)
    expectWellFormed(out)
  })

  it('cuts a table after a whole row, never between header and delimiter, in bytes', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `| é-${i} | ü |`).join('\n')
    const out = fitSummary(`## t\n\n| a | b |\n|---|---|\n${rows}\n`, limit)
    expect(bytes(out)).toBeLessThanOrEqual(10_000)
    expect(out).toContain(CUT_NOTE)
    expectWellFormed(out)
    expect(out).toContain('| é-0 | ü |')
  })
})
