// The step outputs (product.md "Outputs"), and the size cap of `results` (issue 12 item 8).
import { describe, expect, it } from '@jest/globals'
import { MAX_ERROR_CHARS, MAX_RESULTS_CHARS, buildOutputs, hasChanges } from '../src/report/outputs.js'
import type { Outcome, Result } from '../src/model/types.js'
import { outcome, result as baseResult } from '../test-support/outcome-builders.js'

const result = (over: Partial<Result>): Result => baseResult({ type: 'source', ...over })

describe('outputs', () => {
  it('name lists by what was done; a failed connector is only in `failed`', () => {
    const out = buildOutputs(
      outcome([
        result({ name: 'a', done: 'created' }),
        result({ name: 'b', planned: 'update', done: 'updated' }),
        result({ name: 'c', planned: 'unchanged', done: 'unchanged' }),
        result({ name: 'd', planned: 'delete', done: 'deleted' }),
        result({ name: 'e', planned: 'update', done: 'failed', error: 'x' }),
        result({ name: 'f', done: 'created', error: 'connector FAILED: boom' }),
        result({ name: 'g', planned: 'not-planned', done: 'failed', error: 'not planned: 503' })
      ])
    )
    expect(JSON.parse(out.created)).toEqual(['a'])
    expect(JSON.parse(out.updated)).toEqual(['b'])
    expect(JSON.parse(out.unchanged)).toEqual(['c'])
    expect(JSON.parse(out.deleted)).toEqual(['d'])
    expect(JSON.parse(out.failed)).toEqual(['e', 'f', 'g'])
    expect(out.changed).toBe('true')
  })

  it('dry run: the plan verbs; `changed` only for a change or a state change', () => {
    const plan = buildOutputs(outcome([result({ name: 'a' }), result({ name: 'u', planned: 'unchanged' })], { dryRun: true }))
    expect(JSON.parse(plan.created)).toEqual(['a'])
    expect(JSON.parse(plan.results)[0].action).toBe('create')
    expect(plan.changed).toBe('true')
    expect(hasChanges(outcome([result({ planned: 'unchanged' })], { dryRun: true }))).toBe(false)
    expect(hasChanges(outcome([result({ planned: 'unchanged', stateChange: 'pause' })], { dryRun: true }))).toBe(true)
    expect(hasChanges(outcome([result({ planned: 'unchanged', done: 'unchanged', stateChange: 'pause' })]))).toBe(false)
    expect(hasChanges(outcome([result({ planned: 'update', done: 'failed', error: 'x' })]))).toBe(false)
  })

  it('results: the contract fields; state_change only when present; trace only for failed tasks', () => {
    const out = buildOutputs(
      outcome([
        result({
          name: 'a',
          planned: 'unchanged',
          done: 'unchanged',
          stateChange: 'pause',
          stateChanged: true,
          state: 'PAUSED',
          restarts: 1,
          tasks: [
            { id: 0, state: 'RUNNING', trace: 'old trace of a recovered task' },
            { id: 1, state: 'FAILED', trace: 'java.lang.Boom' }
          ],
          changes: [{ key: 'k', kind: 'changed', before: '1', after: '2', sensitive: false }],
          restartLog: ['task 1: x'],
          appliedAt: 5
        }),
        result({ name: 'b', done: 'created', state: 'RUNNING' })
      ])
    )
    const [a, b] = JSON.parse(out.results)
    expect(a).toEqual({
      name: 'a',
      file: 'connectors/c.json',
      environment_id: 'env-1',
      kafka_cluster_id: 'lkc-1',
      action: 'unchanged',
      state_change: 'paused',
      type: 'source',
      tasks: [
        { id: 0, state: 'RUNNING' },
        { id: 1, state: 'FAILED', trace: 'java.lang.Boom' }
      ],
      state: 'PAUSED',
      restarts: 1,
      error: ''
    })
    expect(Object.keys(b)).not.toContain('state_change')
    expect(JSON.parse(buildOutputs(outcome([result({ stateChange: 'resume' })], { dryRun: true })).results)[0].state_change).toBe('resume')
  })

  it('unmanaged: name and target only', () => {
    const u = { name: 'x', environment_id: 'env-1', kafka_cluster_id: 'lkc-1', extra: 'config' } as Outcome['unmanaged'][number]
    expect(JSON.parse(buildOutputs(outcome([], { unmanaged: [u] })).unmanaged)).toEqual([{ name: 'x', environment_id: 'env-1', kafka_cluster_id: 'lkc-1' }])
  })

  it('a 10 MB error does not make a 10 MB output: errors and traces cut to 1,000 characters', () => {
    const huge = 'E'.repeat(10 * 1024 * 1024)
    const out = buildOutputs(outcome([result({ done: 'failed', error: huge, tasks: [{ id: 0, state: 'FAILED', trace: huge }] })]))
    expect(out.results.length).toBeLessThan(3 * MAX_ERROR_CHARS)
    const [r] = JSON.parse(out.results)
    expect(r.error).toBe(`${'E'.repeat(MAX_ERROR_CHARS)}…`)
    expect(r.tasks[0].trace).toBe(`${'E'.repeat(MAX_ERROR_CHARS)}…`)
  })

  it('the whole of `results` stays under the cap: traces, then errors, are cut shorter', () => {
    const many = Array.from({ length: 800 }, (_, i) =>
      result({
        name: `c-${i}`,
        done: 'failed',
        error: 'e'.repeat(5000),
        tasks: [
          { id: 0, state: 'FAILED', trace: 't'.repeat(5000) },
          { id: 1, state: 'FAILED', trace: 't'.repeat(5000) }
        ]
      })
    )
    const out = buildOutputs(outcome(many))
    expect(out.results.length).toBeLessThanOrEqual(MAX_RESULTS_CHARS)
    const parsed = JSON.parse(out.results)
    expect(parsed).toHaveLength(800)
    expect(parsed[799].name).toBe('c-799')
    expect(parsed[0].error.length).toBeGreaterThan(0)
    // A small cap for a fast second check: still every connector, errors shortest.
    const small = JSON.parse(buildOutputs(outcome(many.slice(0, 10)), { maxResultsChars: 5_000 }).results)
    expect(small).toHaveLength(10)
    expect(small[0].error).toBe(`${'e'.repeat(200)}…`)
    expect(small[0].tasks[0].trace).toBeUndefined()
  })
})
