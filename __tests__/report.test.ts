import { describe, expect, it } from '@jest/globals'
import { buildOutputs, esc, renderSummary } from '../src/report/summary.js'
import type { Outcome } from '../src/pipeline.js'
import type { Result } from '../src/model/types.js'

function result(over: Partial<Result>): Result {
  return {
    name: 'c',
    file: 'connectors/c.json',
    line: 1,
    environment_id: 'env-1',
    kafka_cluster_id: 'lkc-1',
    action: 'created',
    type: 'source',
    tasks: [],
    state: '',
    error: '',
    changes: [],
    ...over
  }
}
const stats = { requests: 3, retries: 0, tooManyRequests: 0, waitedMs: 0 }

describe('report', () => {
  it('escapes names, files and messages so nothing renders as HTML or Markdown', () => {
    expect(esc('<img src=x onerror=alert(1)>|*_`[x](y)@team')).not.toMatch(/[<>|*_`[\]@]/)
    const outcome: Outcome = {
      results: [result({ name: '<b>evil|name</b>', action: 'failed', error: 'HTTP 400: <script>' })],
      problems: [],
      failed: true,
      stats
    }
    const md = renderSummary(outcome, { dryRun: false })
    expect(md).not.toContain('<b>')
    expect(md).not.toContain('<script>')
    expect(md).toContain('&lt;b&gt;evil&#124;name&lt;/b&gt;')
  })

  it('shows counts, a row per connector and diffs with sensitive values hidden', () => {
    const outcome: Outcome = {
      results: [
        result({
          name: 'a',
          action: 'update',
          planned: 'update',
          changes: [
            { key: 'topics', kind: 'changed', before: 't1', after: 't2', sensitive: false },
            { key: 'database.password', kind: 'changed', sensitive: true },
            { key: 'kafka.api.secret', kind: 'secret-unknown', sensitive: true }
          ]
        }),
        result({ name: 'b', action: 'unchanged', tasks: [{ id: 0, state: 'RUNNING' }], state: 'RUNNING' })
      ],
      problems: [],
      failed: false,
      stats
    }
    const md = renderSummary(outcome, { dryRun: true })
    expect(md).toContain('0 to create · 1 to update · 1 unchanged · 0 failed')
    expect(md).toContain('| b | connectors/c.json:1 | env-1/lkc-1 | unchanged | source | 1 (RUNNING) | RUNNING |')
    expect(md).toContain('| <code>database.password</code> | changed | (sensitive) | (sensitive) |')
    expect(md).toContain('secret values cannot be compared; `force` re-applies them')
  })

  it('builds outputs: names per action and results with the contract fields', () => {
    const out = buildOutputs([
      result({ name: 'a' }),
      result({ name: 'b', action: 'failed', error: 'x' }),
      result({ name: 'c', action: 'created', error: 'connector FAILED: boom' })
    ])
    expect(JSON.parse(out.created)).toEqual(['a'])
    expect(JSON.parse(out.failed)).toEqual(['b', 'c'])
    expect(Object.keys(JSON.parse(out.results)[0]).sort()).toEqual([
      'action',
      'environment_id',
      'error',
      'file',
      'kafka_cluster_id',
      'name',
      'state',
      'tasks',
      'type'
    ])
  })
})
