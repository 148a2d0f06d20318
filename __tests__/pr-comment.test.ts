import { describe, expect, it } from '@jest/globals'
import { COMMENT_LIMIT, commentMarker, fitComment } from '../src/action/pr-comment.js'

describe('pull-request comment body', () => {
  it('the marker tells apart workflows, jobs and scopes, and is stable', () => {
    const a = commentMarker('plan', 'connectors', ['connectors/prod/**', 'env-1', 'lkc-1'])
    expect(a).toMatch(/^<!-- apply-connectors:[0-9a-f]{16} -->$/)
    expect(commentMarker('plan', 'connectors', ['connectors/prod/**', 'env-1', 'lkc-1'])).toBe(a)
    expect(commentMarker('plan', 'connectors', ['connectors/staging/**', 'env-2', 'lkc-2'])).not.toBe(a)
    expect(commentMarker('plan', 'other-job', ['connectors/prod/**', 'env-1', 'lkc-1'])).not.toBe(a)
  })

  it('keeps a short body whole, and cuts a long one under the limit with a link, never inside <details>', () => {
    const marker = commentMarker('w', 'j', [])
    expect(fitComment(marker, 'short', 'https://run')).toBe(`${marker}\nshort`)
    const section = (i: number): string => `<details><summary>c-${i}</summary>\n\n${'| k | v |\n'.repeat(40)}\n</details>\n`
    const body = Array.from({ length: 400 }, (_, i) => section(i)).join('')
    const cut = fitComment(marker, body, 'https://github.example/acme/c/actions/runs/1')
    expect(body.length).toBeGreaterThan(COMMENT_LIMIT)
    expect(cut.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(cut.startsWith(marker)).toBe(true)
    expect(cut).toContain('(https://github.example/acme/c/actions/runs/1)')
    expect(cut.split('<details>').length).toBe(cut.split('</details>').length)
  })
})
