// Invalid inputs fail the step before anything is read or sent, and still set every output (empty) and
// write a summary that says why (README: "Every run sets `changed` and `unmanaged`").
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startFakeConfluent } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction } from '../../test-support/run-action.js'

describe('invalid inputs', () => {
  it('prune without prune-match and a bad boolean: exit 1, both problems named, outputs set, summary written', async () => {
    const run = await runAction({
      inputs: { 'api-url': 'http://127.0.0.1:9', 'api-key': 'K', 'api-secret': 'input-secret-value', prune: 'true', 'dry-run': 'maybe' },
      workspace: makeWorkspace({ 'connectors/a.json': '{"name":"a","connector.class":"X"}' })
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('input "prune-match" is required when "prune" is true')
    expect(run.stdout).toContain('input "dry-run" must be true or false')
    expect(run.outputs).toMatchObject({
      created: '[]',
      updated: '[]',
      unchanged: '[]',
      deleted: '[]',
      failed: '[]',
      changed: 'false',
      unmanaged: '[]',
      results: '[]'
    })
    expect(run.summaryText).toContain('invalid inputs')
    expect(run.summaryText).toContain('prune-match')
    expect(run.summary).not.toContain('input-secret-value')
  })

  it('a secret name given twice: exit 1 before any request, and neither value shows anywhere', async () => {
    const run = await runAction({
      inputs: { 'api-url': 'http://127.0.0.1:9', 'api-key': 'K', 'api-secret': 'S', secrets: 'PG=first-pg-value\nPG=second-pg-value' },
      workspace: makeWorkspace({ 'connectors/a.json': '{"name":"a","connector.class":"X"}' })
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('input "secrets" line 2: the same name as line 1; give each name once')
    // The runner's mask registrations are the one place a secret may be written.
    const stdout = run.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n')
    const everything = stdout + run.stderr + run.summary + JSON.stringify(run.outputs)
    expect(everything).not.toContain('first-pg-value')
    expect(everything).not.toContain('second-pg-value')
    expect(run.stdout).toContain('::add-mask::second-pg-value')
  })

  it('a crash while publishing, after the apply, sets outputs from what was done, not empty ones', async () => {
    const fake = await startFakeConfluent({ credentials: [{ key: 'K', secret: 'crash-cloud-secret' }] })
    try {
      fake.addCluster('env-crash1', 'lkc-crash1')
      // An event payload that is not JSON: @actions/github throws when it is loaded, which publish does.
      const bad = path.join(mkdtempSync(path.join(tmpdir(), 'event-')), 'event.json')
      writeFileSync(bad, '{not json')
      const run = await runAction({
        inputs: {
          'api-url': fake.url,
          'api-key': 'K',
          'api-secret': 'crash-cloud-secret',
          'environment-id': 'env-crash1',
          'kafka-cluster-id': 'lkc-crash1',
          'kafka-api-key': 'KK',
          'kafka-api-secret': 'crash-kafka-secret',
          wait: 'false'
        },
        workspace: makeWorkspace({ 'connectors/a.json': '{"name":"made-before-crash","connector.class":"DatagenSource","kafka.topic":"t"}' }),
        env: { GITHUB_EVENT_PATH: bad }
      })
      expect(run.code).toBe(1)
      expect(run.stdout).toContain('apply-connectors crashed')
      expect(fake.connector('env-crash1', 'lkc-crash1', 'made-before-crash')).toBeDefined()
      expect(run.outputs).toMatchObject({ created: '["made-before-crash"]', changed: 'true' })
    } finally {
      await fake.close()
    }
  })
})
