// The job summary's content: counts, the table, diffs, state changes, restarts, unmanaged, notes,
// the `wait`-off warning, errors and file links. Size limits: report-budget.test.ts; escaping:
// report-escape.test.ts; outputs: report-outputs.test.ts.
import { describe, expect, it } from '@jest/globals'
import { diffLine, renderSummary } from '../src/report/summary.js'
import type { Outcome, Result } from '../src/model/types.js'
import { outcome as baseOutcome, result as baseResult } from '../test-support/outcome-builders.js'

/** The run's counts with `requests` sent and nothing else. */
const sent = (requests: number) => ({ requests, retries: 0, tooManyRequests: 0, waitedMs: 0 })

const result = (over: Partial<Result>): Result => baseResult({ type: 'source', ...over })
const outcome = (results: Result[], over: Partial<Outcome> = {}): Outcome => baseOutcome(results, { stats: sent(3), ...over })
const LINK = (file: string, line: number): string => `https://github.com/o/r/blob/abc123/${file}#L${line}`

describe('summary content', () => {
  it('counts by what was done; deletions, pauses and resumes appear only when there are some', () => {
    const md = renderSummary(
      outcome([
        result({ name: 'a', planned: 'create', done: 'created' }),
        result({ name: 'b', planned: 'update', done: 'updated' }),
        result({ name: 'c', planned: 'unchanged', done: 'unchanged', stateChange: 'pause', stateChanged: true }),
        result({ name: 'd', planned: 'unchanged', done: 'unchanged', stateChange: 'resume', stateChanged: true }),
        result({ name: 'e', planned: 'delete', done: 'deleted', file: '' }),
        result({ name: 'f', planned: 'update', done: 'failed', error: 'connector FAILED: boom' })
      ])
    )
    expect(md).toContain('**1 created · 1 updated · 2 unchanged · 1 deleted · 1 paused · 1 resumed · 1 failed**')
    const quiet = renderSummary(outcome([result({ planned: 'create', done: 'created' })]))
    expect(quiet).toContain('**1 created · 0 updated · 0 unchanged · 0 failed**')
  })

  it('dry run: verbs of the plan', () => {
    const md = renderSummary(
      outcome([result({ planned: 'delete', file: '' }), result({ name: 'p', planned: 'unchanged', stateChange: 'pause' })], { dryRun: true })
    )
    expect(md).toContain('Connector plan')
    expect(md).toContain('**0 to create · 0 to update · 1 unchanged · 1 to delete · 1 to pause · 0 failed**')
    expect(md).toContain('### To delete (1)')
    expect(md).toMatch(/\| p \| .* \| unchanged, pause \|/)
  })

  it('puts deletions, errors and notes before the table, and the table before the diffs', () => {
    const md = renderSummary(
      outcome(
        [
          result({ name: 'gone', planned: 'delete', done: 'deleted', file: '' }),
          result({
            name: 'bad',
            planned: 'update',
            done: 'failed',
            error: 'HTTP 400 boom',
            changes: [{ key: 'k', kind: 'changed', before: '1', after: '2', sensitive: false }]
          })
        ],
        { notes: ['possible rename on env-1/lkc-1: gone is deleted and new created'] }
      )
    )
    const at = (s: string): number => md.indexOf(s)
    for (const s of ['### Deleted', '### Errors', '### Notes', '| Connector |', '### Changes']) expect(at(s)).toBeGreaterThan(-1)
    expect(at('**1 deleted')).toBeLessThan(at('### Deleted'))
    expect(at('### Deleted')).toBeLessThan(at('### Errors'))
    expect(at('### Errors')).toBeLessThan(at('### Notes'))
    expect(at('### Notes')).toBeLessThan(at('| Connector |'))
    expect(at('| Connector |')).toBeLessThan(at('### Changes'))
  })

  it('export: "Exported" counts the files written and the secrets they ask for; what was not written stands apart, with why', () => {
    const where = { environment_id: 'env-1', kafka_cluster_id: 'lkc-1' }
    const md = renderSummary(
      outcome([], {
        dryRun: true,
        exported: [
          { file: 'imported/a.json', name: 'a', ...where, secrets: ['A_DB_PASSWORD'], skipped: false },
          { file: 'imported/b.json', name: 'b', ...where, secrets: ['B_KEY'], skipped: true },
          {
            file: '',
            name: ' lead',
            ...where,
            secrets: [],
            skipped: false,
            refused: 'the connector name " lead" starts or ends with whitespace, so no file can declare it'
          }
        ]
      })
    )
    expect(md).toContain('### Exported (1)\n\nConnectors declared by no file, written to files:\n\n- <code>imported/a.json</code>: a\n')
    expect(md).toContain('- <code>A&#95;DB&#95;PASSWORD</code>')
    expect(md).not.toContain('B&#95;KEY')
    expect(md).toContain('### Not exported (2)')
    expect(md).toContain('- b on env-1/lkc-1: <code>imported/b.json</code> exists, and an existing file is never overwritten')
    expect(md).toContain('starts or ends with whitespace, so no file can declare it')
  })

  it('deletions: each heading counts what it says, a DELETE the API refused stands apart with its reason', () => {
    const del = (name: string, extra: Partial<Result>): Result => result({ name, file: '', planned: 'delete', ...extra })
    const md = renderSummary(
      outcome([
        del('old-1', { done: 'failed', error: 'delete failed: HTTP 403: Forbidden' }),
        del('old-2', { done: 'deleted' }),
        del('old-3', { done: 'deleted' })
      ])
    )
    expect(md).toContain('### Deleted (2)\n\n- **old-2** on env-1/lkc-1\n- **old-3** on env-1/lkc-1\n')
    expect(md).toContain('### Not deleted (1)\n\n- **old-1** on env-1/lkc-1 — **failed**: delete failed&#58; HTTP 403&#58; Forbidden\n')
    expect(md.indexOf('### Not deleted')).toBeLessThan(md.indexOf('| Connector |'))
    const plan = renderSummary(outcome([del('old-1', {}), del('old-2', {})], { dryRun: true }))
    expect(plan).toContain('### To delete (2)')
    expect(plan).not.toContain('Not deleted')
  })

  it('shows state changes, a failed pause, restarts and the task restart log', () => {
    const md = renderSummary(
      outcome([
        result({ name: 'a', planned: 'unchanged', done: 'unchanged', stateChange: 'pause', stateChanged: true, state: 'PAUSED' }),
        result({ name: 'b', planned: 'update', done: 'failed', stateChange: 'resume', error: 'resume refused' }),
        result({
          name: 'c',
          planned: 'update',
          done: 'updated',
          state: 'RUNNING',
          restarts: 2,
          tasks: [
            { id: 0, state: 'RUNNING' },
            { id: 1, state: 'RUNNING' }
          ],
          restartLog: ['task 1: java.lang.OutOfMemoryError', 'task 1: timeout']
        })
      ])
    )
    expect(md).toMatch(/\| a \| .* \| unchanged, paused \| source \| 0 \| PAUSED \| 0 \|/)
    expect(md).toMatch(/\| b \| .* \| update, failed, resume failed \|/)
    // A pause that failed on an unchanged config: the cell says it once.
    const alone = renderSummary(outcome([result({ name: 'c', planned: 'unchanged', done: 'failed', stateChange: 'pause', error: 'pause failed: HTTP 400' })]))
    expect(alone).toMatch(/\| c \| .* \| unchanged, pause failed \|/)
    expect(md).toMatch(/\| c \| .* \| updated \| source \| 2 RUNNING \| RUNNING \| 2 \|/)
    expect(md).toContain('| Restarts |')
    expect(md).toContain('### Task restarts')
    expect(md).toContain('- **c** task 1&#58; java.lang.OutOfMemoryError')
    expect(md).toContain('- **c** task 1&#58; timeout')
    // No restarts: no Restarts column and no section (a narrower table).
    const calm = renderSummary(outcome([result({ done: 'created' })]))
    expect(calm).not.toContain('Restarts')
  })

  it('tasks: one count per state', () => {
    const md = renderSummary(
      outcome([
        result({
          done: 'failed',
          error: 'task 2 FAILED: x',
          tasks: [
            { id: 0, state: 'RUNNING' },
            { id: 1, state: 'RUNNING' },
            { id: 2, state: 'FAILED', trace: 'x' }
          ]
        })
      ])
    )
    expect(md).toContain('| 3&#58; 2 RUNNING, 1 FAILED |')
  })

  it('shows FAILED traces and validation errors in the Errors section with the file location', () => {
    const md = renderSummary(
      outcome(
        [
          result({
            name: 'f',
            file: 'a/f.json',
            line: 4,
            done: 'failed',
            error: 'connector FAILED: org.apache.kafka.connect.errors.ConnectException: no route'
          }),
          result({
            name: 'v',
            file: 'a/v.yaml',
            line: 9,
            error: "Confluent's validate reported 2 error(s)",
            validationErrors: [
              { key: 'topics', message: 'Missing required configuration' },
              { key: '', message: 'whole config bad' }
            ]
          })
        ],
        { dryRun: true }
      )
    )
    const errors = md.slice(md.indexOf('### Errors'), md.indexOf('| Connector |'))
    expect(errors).toContain('- **f** (<code>a/f.json:4</code>): connector FAILED&#58; org.apache.kafka.connect.errors.ConnectException&#58; no route')
    expect(errors).toContain('- **v** (<code>a/v.yaml:9</code>) validation of <code>topics</code>: Missing required configuration')
    expect(errors).toContain('- **v** (<code>a/v.yaml:9</code>) validation: whole config bad')
    expect(errors).not.toContain('validate reported') // the list says more than the sum-up
  })

  it('links file cells and error locations when fileLink is given, and only to http(s) URLs', () => {
    const rs = [result({ name: 'x', file: 'c/x.json', line: 7, done: 'failed', error: 'boom' })]
    const md = renderSummary(outcome(rs), { fileLink: LINK })
    const a = '<a href="https://github.com/o/r/blob/abc123/c/x.json#L7"><code>c/x.json:7</code></a>'
    expect(md).toContain(`| x | ${a} |`)
    expect(md).toContain(`- **x** (${a}): boom`)
    expect(renderSummary(outcome(rs))).not.toContain('<a ')
    const evil = renderSummary(outcome(rs), { fileLink: () => 'javascript:alert(1)' })
    expect(evil).not.toContain('<a ')
    expect(evil).not.toContain('javascript')
    const quoted = renderSummary(outcome(rs), { fileLink: () => 'https://h/x?a="><img/src=x>' })
    expect(quoted).toContain('<a href="https://h/x?a=&quot;&gt;&lt;img/src=x&gt;">')
    expect(quoted).not.toContain('<img')
  })

  it('links the file of a problem when nothing was sent', () => {
    const md = renderSummary(
      outcome([], {
        stoppedEarly: 'file problems',
        problems: [{ file: 'c/bad.json', line: 3, message: 'unexpected token' }],
        failed: true,
        stats: sent(0)
      }),
      { fileLink: LINK }
    )
    expect(md).toContain('**Nothing was sent.**')
    expect(md).toContain('- <a href="https://github.com/o/r/blob/abc123/c/bad.json#L3"><code>c/bad.json:3</code></a>: unexpected token')
  })

  it('shows a diff block per changed connector; sensitive values never', () => {
    const md = renderSummary(
      outcome(
        [
          result({
            name: 'a',
            planned: 'update',
            changes: [
              { key: 'topics', kind: 'changed', before: 't1', after: 't2', sensitive: false },
              { key: 'tasks.max', kind: 'added', after: '2', sensitive: false },
              { key: 'old.key', kind: 'removed', before: 'v', sensitive: false },
              { key: 'database.password', kind: 'changed', before: 'hunter2-old', after: 'hunter2-new', sensitive: true },
              { key: 'new.password', kind: 'added', after: 'hunter2-add', sensitive: true },
              { key: 'kafka.api.secret', kind: 'secret-unknown', sensitive: true }
            ]
          }),
          result({ name: 'b', planned: 'unchanged', changes: [{ key: 's.password', kind: 'secret-unknown', sensitive: true }] })
        ],
        { dryRun: true }
      )
    )
    expect(md).toContain(
      [
        '<details><summary><b>a</b>: update, 5 keys</summary>',
        '',
        '```diff',
        '~ topics = "t1" -> "t2"',
        '+ tasks.max = "2"',
        '- old.key = "v"',
        '~ database.password = (sensitive)',
        '+ new.password = (sensitive)',
        '? kafka.api.secret = (sensitive; masked by the server, cannot be compared)',
        '```',
        '',
        '</details>'
      ].join('\n')
    )
    expect(md).not.toContain('hunter2')
    expect(md).not.toContain('<summary><b>b</b>')
    expect(md).toContain('1 unchanged connector holds secret values that cannot be compared')
  })

  it('diff lines stay one line and the fence outlasts any backtick run in the content', () => {
    expect(diffLine({ key: 'k', kind: 'added', after: 'a\n+ fake = "line"', sensitive: false })).toBe('+ k = "a\\n+ fake = \\"line\\""')
    expect(diffLine({ key: 'we ird\nkey', kind: 'removed', before: 'v', sensitive: false })).toBe('- "we ird\\nkey" = "v"')
    expect(diffLine({ key: 'k', kind: 'added', after: 'x\u202eevil', sensitive: false })).toBe('+ k = "x\\u202eevil"')
    const md = renderSummary(
      outcome([result({ name: 'f', planned: 'update', changes: [{ key: 'k', kind: 'changed', before: '```', after: 'a ````` b', sensitive: false }] })], {
        dryRun: true
      })
    )
    const block = md.slice(md.indexOf('<details>'), md.indexOf('</details>'))
    expect(block).toContain('\n``````diff\n~ k = "```" -> "a ````` b"\n``````\n')
  })

  it('cuts a long value in a diff to 200 characters', () => {
    const line = diffLine({ key: 'k', kind: 'added', after: 'v'.repeat(5000), sensitive: false })
    expect(line.length).toBeLessThan(220)
    expect(line).toContain('…')
  })

  it('lists unmanaged connectors and notes, escaped', () => {
    const md = renderSummary(
      outcome([result({ done: 'created' })], {
        unmanaged: [{ name: 'legacy_<x>', environment_id: 'env-1', kafka_cluster_id: 'lkc-1' }],
        notes: ['possible rename on env-1/lkc-1: old_<b> is deleted']
      })
    )
    expect(md).toContain('### Unmanaged (1)')
    expect(md).toContain('- legacy&#95;&lt;x&gt; on env-1/lkc-1')
    expect(md).toContain('- possible rename on env-1/lkc-1&#58; old&#95;&lt;b&gt; is deleted')
  })

  it('warns when `wait` is off and marks unverified states', () => {
    const rs = [result({ done: 'created', state: 'PROVISIONING', unverified: true })]
    const md = renderSummary(outcome(rs, { waited: false }))
    expect(md).toContain('> [!WARNING]\n> `wait` is off')
    expect(md).toContain('| PROVISIONING (unverified) |')
    expect(renderSummary(outcome([result({ done: 'created', state: 'RUNNING' })]))).not.toContain('[!WARNING]')
  })

  it('shows the target once when all connectors share one, as a column otherwise', () => {
    const one = renderSummary(outcome([result({ name: 'a' }), result({ name: 'b' })]))
    expect(one).toContain('On env-1/lkc-1:')
    expect(one).not.toContain('| Target |')
    const two = renderSummary(outcome([result({ name: 'a' }), result({ name: 'b', kafka_cluster_id: 'lkc-2' })]))
    expect(two).toContain('| Target |')
    expect(two).toMatch(/\| b \| .* \| env-1\/lkc-2 \|/)
  })

  it('a connector that could not be planned is failed and says why', () => {
    const md = renderSummary(outcome([result({ name: 'n', planned: 'not-planned', done: 'failed', error: 'not planned: HTTP 503' })]))
    expect(md).toMatch(/\| n \| .* \| not planned, failed \|/)
    expect(md).toContain('not planned&#58; HTTP 503')
    expect(md).toContain('· 1 failed**')
  })
})

describe('a run over several clusters', () => {
  it('names the cluster in each diff heading, since the same connector name may stand on two', () => {
    const twin = (cluster: string): Result =>
      result({
        name: 'twin',
        kafka_cluster_id: cluster,
        planned: 'create',
        done: 'created',
        changes: [{ key: 'kafka.topic', kind: 'added', after: 'orders', sensitive: false }]
      })
    const md = renderSummary(outcome([twin('lkc-a'), twin('lkc-b')]))
    expect(md).toContain('<b>twin</b> on env-1/lkc-a: create, 1 key')
    expect(md).toContain('<b>twin</b> on env-1/lkc-b: create, 1 key')
    // One cluster: the heading stays short.
    expect(renderSummary(outcome([twin('lkc-a')]))).toContain('<b>twin</b>: create, 1 key')
  })
})

describe('a stopped run with something to show', () => {
  it('an export whose writes failed shows its lists and the reason, and does not say that nothing was sent', () => {
    const md = renderSummary(
      outcome([], {
        dryRun: true,
        failed: true,
        stoppedEarly: 'export-to: some files could not be written; see "Not exported"',
        stats: sent(2),
        exported: [
          { file: 'imported/a.json', name: 'a', environment_id: 'env-1', kafka_cluster_id: 'lkc-1', secrets: [], skipped: false },
          {
            file: '',
            name: 'b',
            environment_id: 'env-1',
            kafka_cluster_id: 'lkc-1',
            secrets: [],
            skipped: false,
            refused: 'imported/b.json could not be written (EACCES)',
            failed: true
          }
        ]
      })
    )
    expect(md).not.toContain('Nothing was sent')
    expect(md).toContain('Not exported (1)')
    expect(md).toContain('imported/b.json could not be written &#40;EACCES&#41;')
    expect(md).toContain('some files could not be written')
  })

  it('a stop after the lists were read says nothing was changed, not that nothing was sent', () => {
    const md = renderSummary(
      outcome([], {
        failed: true,
        stoppedEarly: 'export-to: "x" is a file, not a folder; nothing was sent',
        stats: sent(1)
      })
    )
    expect(md).toContain('**Nothing was changed.** export-to')
    const none = renderSummary(
      outcome([], {
        failed: true,
        stoppedEarly: '2 problem(s) in the connector files; nothing was sent:\nc/a.json:1: x',
        stats: sent(0)
      })
    )
    expect(none).toContain('## Connectors not applied')
    expect(none).toContain('**Nothing was sent.** 2 problem&#40;s&#41; in the connector files&#58;')
  })
})
