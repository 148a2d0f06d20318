// Every string from a file or a server is escaped before it reaches the summary (product.md "Limits it
// keeps"): hostile names, files, errors, notes, keys and values, in every place they appear.
import { describe, expect, it } from '@jest/globals'
import { diffLine, renderSummary } from '../src/report/summary.js'
import { cut, esc, escAttr, fenceFor, link, safeUrl } from '../src/report/markdown.js'
import type { Outcome, Result } from '../src/model/types.js'
import { outcome, result as baseResult } from '../test-support/outcome-builders.js'

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  'a|b',
  '`code` ```fence```',
  '@octo-org/admins',
  'line1\nline2\r\n| x | y |',
  '::warning::pwned',
  '[click](javascript:alert(1))',
  '](javascript:alert(1))',
  '**bold** _it_ ~~del~~ # head',
  '&amp; &lt;',
  'https://evil.example/phish',
  '$$\\LaTeX$$',
  '<!-- x -->',
  'x\u0007\u001b[31mred'
]

const result = (over: Partial<Result>): Result => baseResult({ planned: 'update', ...over })

/** Hostile text in every field that reaches the summary. */
function hostileOutcome(h: string): Outcome {
  return outcome(
    [
      result({
        name: h,
        file: `${h}.json`,
        done: 'failed',
        error: h,
        type: h,
        state: h,
        unverified: true,
        tasks: [{ id: 0, state: h, trace: h }],
        restarts: 1,
        restartLog: [h],
        environment_id: h,
        kafka_cluster_id: h,
        validationErrors: [{ key: h, message: h }],
        changes: [{ key: h, kind: 'changed', before: h, after: h, sensitive: false }]
      }),
      result({ name: `${h}-del`, planned: 'delete', done: 'failed', file: '', error: h })
    ],
    {
      waited: false,
      problems: [{ file: h, line: 2, message: h }],
      unmanaged: [{ name: h, environment_id: h, kafka_cluster_id: h }],
      notes: [h],
      stoppedEarly: h,
      failed: true
    }
  )
}

/** The text outside the ```diff blocks (inside them Markdown is not read; checked separately). */
function outsideCode(md: string): string {
  return md.replace(/^(`{3,})diff\n[\s\S]*?\n\1$/gm, '')
}

describe('escaping', () => {
  it('esc leaves no character Markdown or HTML reads, and no line break', () => {
    for (const h of HOSTILE) {
      const e = esc(h)
      const bare = e.replace(/&(#\d+|[a-z]+);/g, '').replace(/<br>/g, '')
      expect(bare).not.toMatch(/[<>|`*_[\]()@:!$#~\\&\n\r\u0000-\u001f]/) // eslint-disable-line no-control-regex
      expect(e.match(/&(?!(#\d+|[a-z]+);)/g)).toBeNull()
    }
    expect(esc('a\nb\r\nc')).toBe('a<br>b<br>c')
    expect(esc('a<b')).toBe('a&lt;b')
  })

  it.each(HOSTILE)('hostile text %j in every field renders as text', h => {
    const md = renderSummary(hostileOutcome(h), { fileLink: (f, l) => `https://github.com/o/r/blob/sha/${encodeURIComponent(f)}#L${l}` })
    const text = outsideCode(md)
    // The only tags are ours.
    const tags = text.match(/<\/?[a-z][^>]*>/gi) ?? []
    for (const t of tags) expect(t).toMatch(/^<\/?(details|summary|b|code|br|sub|a( href="https:\/\/github\.com\/o\/r\/blob\/sha\/[^"<>\s]*")?)>$/)
    expect(text).not.toContain('javascript:')
    expect(text).not.toMatch(/(^|[^&#\w])@octo/)
    expect(text).not.toMatch(/^::warning::/m)
    expect(text).not.toContain('<!--')
    // Tables stay rectangular: a hostile `|` or newline does not add cells or rows.
    const rows = text.split('\n').filter(l => l.startsWith('|'))
    for (const r of rows) expect(r.split('|').length).toBe(rows[0].split('|').length)
    // A ```diff block is never closed early: every fence line has its twin.
    const fences = md.split('\n').filter(l => /^`{3,}/.test(l))
    expect(fences.length % 2).toBe(0)
  })

  it('a backtick run in a diff value gets a longer fence; the value is shown as is', () => {
    expect(fenceFor('no ticks')).toBe('```')
    expect(fenceFor('a ``` b')).toBe('````')
    expect(fenceFor('`````')).toBe('``````')
    const md = renderSummary(hostileOutcome('`code` ```fence```'))
    expect(md).toContain('\n````diff\n')
    expect(md).toContain('~ "`code` ```fence```" = "`code` ```fence```" -> "`code` ```fence```"')
  })

  it('a newline in a diff value cannot fake a diff line', () => {
    const md = renderSummary(hostileOutcome('line1\nline2\r\n| x | y |'))
    const block = md.slice(md.indexOf('```diff'), md.lastIndexOf('```'))
    expect(block.split('\n').filter(l => /^[+~?-] /.test(l))).toHaveLength(1)
    expect(block).toContain('"line1\\nline2\\r\\n| x | y |"')
  })

  it('links: only http(s), attribute-escaped', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined()
    expect(safeUrl('data:text/html,x')).toBeUndefined()
    expect(safeUrl('https://h/a b')).toBeUndefined()
    expect(safeUrl('https://h/x\n')).toBeUndefined()
    expect(safeUrl('relative/path')).toBeUndefined()
    expect(safeUrl('https://github.com/o/r/blob/s/f#L1')).toBe('https://github.com/o/r/blob/s/f#L1')
    expect(escAttr(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;')
    expect(link('x', 'https://h/"onmouseover="a')).toBe('<a href="https://h/&quot;onmouseover=&quot;a">x</a>')
    expect(link('x', 'vbscript:x')).toBe('x')
  })

  it('cut never splits a surrogate pair', () => {
    const s = `${'a'.repeat(9)}🚀🚀`
    expect(cut(s, 10)).toBe(`${'a'.repeat(9)}…`)
    expect(cut(s, 11)).toBe(`${'a'.repeat(9)}🚀…`)
    expect(cut('short', 10)).toBe('short')
  })
})

describe('invisible and C1 characters', () => {
  it('esc shows bidi controls and zero-width spaces as \\uXXXX, drops C1 controls, and keeps the joiners of emoji and scripts', () => {
    expect(esc('bidi\u202egnp.exe')).toBe('bidi&#92;u202egnp.exe')
    expect(esc('a\u200bb\u0085c\u009bd')).toBe('a&#92;u200bbcd')
    expect(esc('👨\u200d👩\u200d👧 می\u200cخواهم')).toBe('👨\u200d👩\u200d👧 می\u200cخواهم')
  })

  it('a diff line shows C1 controls and bidi controls in a value as \\uXXXX', () => {
    expect(diffLine({ key: 'k', kind: 'added', after: 'x\u009by\u202ez', sensitive: false })).toBe('+ k = "x\\u009by\\u202ez"')
  })
})
