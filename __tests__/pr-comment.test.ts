import { describe, expect, it } from '@jest/globals'
import { COMMENT_LIMIT, commentMarker, fitComment } from '../src/action/pr-comment.js'
import { authoredBy, blobLinker, rateLimited, retryAfterMs, warnGitHubFailure } from '../src/action/github-context.js'
import { driftMarker } from '../src/action/drift-issue.js'

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

describe('links and authors', () => {
  const sha = 'a'.repeat(40)
  const ctx = (payload: Record<string, unknown>, serverUrl = 'https://github.example') => ({
    serverUrl,
    repo: { owner: 'acme', repo: 'connectors' },
    sha: 'b'.repeat(40),
    payload
  })

  it('links a file line at the pull request head commit, each path segment encoded', () => {
    const link = blobLinker(ctx({ pull_request: { number: 3, head: { sha } } }))
    expect(link?.('connectors/prod/orders.yaml', 12)).toBe(`https://github.example/acme/connectors/blob/${sha}/connectors/prod/orders.yaml#L12`)
    expect(link?.('connectors/a b/#x(1)?.json', 3)).toBe(`https://github.example/acme/connectors/blob/${sha}/connectors/a%20b/%23x%281%29%3F.json#L3`)
    expect(link?.('../etc/passwd', 1)).toBeUndefined()
    expect(link?.('connectors/a.json', 0)).toBe(`https://github.example/acme/connectors/blob/${sha}/connectors/a.json`)
  })

  it('outside pull requests links at GITHUB_SHA; no commit or an odd server gives no links', () => {
    expect(blobLinker(ctx({}))?.('a.json', 1)).toBe(`https://github.example/acme/connectors/blob/${'b'.repeat(40)}/a.json#L1`)
    expect(blobLinker(ctx({ pull_request: { number: 3, head: { sha: 'main' } } }))).toBeUndefined()
    expect(blobLinker(ctx({}, 'javascript:alert(1)'))).toBeUndefined()
  })

  it('a cut comment points at the step log when the job summary was refused', () => {
    const body = 'x'.repeat(COMMENT_LIMIT + 10)
    expect(fitComment('<!-- m -->', body, 'https://run', false)).toContain('the step log of [the run](https://run)')
    expect(fitComment('<!-- m -->', body, 'https://run', false)).not.toContain('job summary](')
    expect(fitComment('<!-- m -->', body, 'https://run', true)).toContain("[the run's job summary](https://run)")
  })

  it('an author matches the login case-insensitively, and nothing else does', () => {
    expect(authoredBy({ login: 'GitHub-Actions[bot]' }, 'github-actions[bot]')).toBe(true)
    expect(authoredBy({ login: 'github-actions' }, 'github-actions[bot]')).toBe(false)
    expect(authoredBy(null, 'github-actions[bot]')).toBe(false)
  })

  it('the drift issue marker differs from the comment marker of the same scope', () => {
    expect(driftMarker('w', 'j', ['a'])).toMatch(/^<!-- apply-connectors-drift:[0-9a-f]{16} -->$/)
    expect(driftMarker('w', 'j', ['a'])).not.toBe(commentMarker('w', 'j', ['a']))
  })
})

describe('GitHub refusals are told apart', () => {
  // Shaped as Octokit's RequestError: status, message, response.headers.
  const refusal = (status: number, message: string, headers: Record<string, string> = {}) =>
    Object.assign(new Error(message), { status, response: { headers } })
  const warnings = (err: unknown): string[] => {
    const out: string[] = []
    warnGitHubFailure(
      { warning: m => out.push(m) },
      t => t,
      'the pull-request comment',
      err,
      [403],
      'the token cannot write (HTTP {status}; needs pull-requests: write)'
    )
    return out
  }

  it('a rate limit (403 with x-ratelimit-remaining 0, a secondary-limit 403, a 429) is not called a missing permission', () => {
    for (const err of [
      refusal(403, 'API rate limit exceeded for installation ID 1.', { 'x-ratelimit-remaining': '0' }),
      refusal(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'),
      refusal(429, 'Too Many Requests')
    ]) {
      expect(rateLimited(err)).toBe(true)
      expect(warnings(err)).toEqual([
        `could not write the pull-request comment: GitHub's API rate limit for this token was reached (HTTP ${(err as { status: number }).status}); the next run writes it`
      ])
    }
  })

  it('waits what Retry-After asks before the one retry, 1 s without it, and gives up beyond 5 s', () => {
    expect([retryAfterMs(null), retryAfterMs('2'), retryAfterMs(' 5 '), retryAfterMs('0'), retryAfterMs('6'), retryAfterMs('soon')]).toEqual([
      1000,
      2000,
      5000,
      1000,
      undefined,
      1000
    ])
  })

  it('a 403 without rate-limit signs is still the missing permission', () => {
    const err = refusal(403, 'Resource not accessible by integration', { 'x-ratelimit-remaining': '4999' })
    expect(rateLimited(err)).toBe(false)
    expect(warnings(err)).toEqual(['could not write the pull-request comment: the token cannot write (HTTP 403; needs pull-requests: write)'])
  })
})
