// runPipeline in-process against the fake Confluent Cloud: apply, rerun, dry run, a target whose list
// fails, prune and declared states. Behaviours of the fake as the cloud's (types.ts defaults) unless a
// test is not about them.
import { describe, expect, it } from '@jest/globals'
import { buildOutputs } from '../../src/report/outputs.js'
import { changes, CLUSTER, ENV, harnessStarter, verbs, type Harness } from './harness.js'

const start = harnessStarter()

const datagen = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  config: { 'connector.class': 'DatagenSource', 'kafka.topic': 'orders', quickstart: 'ORDERS', 'output.data.format': 'JSON', 'tasks.max': 1, ...extra }
})

describe('apply', () => {
  it('creates, then on a rerun updates what changed, creates what is new and leaves the rest', async () => {
    const h = await start({ provisioningMs: 100, listLagMs: 0 })
    h.file('connectors/a.json', datagen('a'))
    h.file('connectors/b.json', datagen('b'))
    const first = await h.run()
    expect(verbs(first.outcome)).toEqual(['a created', 'b created'])
    expect(first.outcome.failed).toBe(false)
    expect(first.outcome.waited).toBe(true)
    expect(first.outcome.results.every(r => r.state === 'RUNNING' && r.error === '' && r.appliedAt !== undefined)).toBe(true)
    expect(changes(h.fake)).toEqual(['PUT a/config', 'PUT b/config'])

    h.fake.resetLog()
    h.file('connectors/b.json', datagen('b', { 'kafka.topic': 'orders-v2' }))
    h.file('connectors/c.json', datagen('c'))
    const second = await h.run()
    expect(verbs(second.outcome)).toEqual(['a unchanged', 'b updated', 'c created'])
    // The secret cannot be compared (the API masks it): shown as unknown, never with a value.
    expect(second.outcome.results[1].changes).toEqual([
      { key: 'kafka.topic', kind: 'changed', before: 'orders', after: 'orders-v2', sensitive: false },
      { key: 'kafka.api.secret', kind: 'secret-unknown', sensitive: true }
    ])
    expect(changes(h.fake)).toEqual(['PUT b/config', 'PUT c/config'])
    expect(h.fake.connector(ENV, CLUSTER, 'b')?.config['kafka.topic']).toBe('orders-v2')

    h.fake.resetLog()
    const third = await h.run()
    expect(verbs(third.outcome)).toEqual(['a unchanged', 'b unchanged', 'c unchanged'])
    expect(changes(h.fake)).toEqual([])
    // A rerun that changes nothing costs one list of the cluster and no validate.
    expect(h.fake.requests.map(r => `${r.method} ${r.path.split('/').pop()}`)).toEqual(['GET connectors'])
  })

  it("says a pattern matched no file for the user's own patterns, and only at debug level for an unmatched default one", async () => {
    const h = await start()
    h.file('connectors/only.json', datagen('only'))
    const byDefault = await h.run({ 'dry-run': 'true' })
    const noMatch = (l: string) => /pattern matched no file/.test(l)
    expect(byDefault.lines.filter(noMatch)).toEqual([
      'debug: pattern matched no file: connectors/**/*.yaml',
      'debug: pattern matched no file: connectors/**/*.yml'
    ])
    const own = await h.run({ 'dry-run': 'true', files: 'connectors/*.json\nconfigs/*.json' })
    expect(own.lines.filter(noMatch)).toEqual(['info: pattern matched no file: configs/*.json'])
  })

  it('a dry run plans and validates but changes nothing', async () => {
    const h = await start({ provisioningMs: 100, listLagMs: 0 })
    h.fake.seed(ENV, CLUSTER, 'old', {
      name: 'old',
      'connector.class': 'DatagenSource',
      'kafka.topic': 'x',
      'kafka.api.key': 'KAFKAKEY1',
      'kafka.api.secret': 's'
    })
    h.file('connectors/new.json', datagen('new'))
    h.file('connectors/old.json', datagen('old'))
    const { outcome } = await h.run({ 'dry-run': 'true' })
    expect(outcome.dryRun).toBe(true)
    expect(verbs(outcome)).toEqual(['new create', 'old update'])
    expect(outcome.results.every(r => r.done === undefined)).toBe(true)
    expect(changes(h.fake)).toEqual([])
    expect(h.fake.requests.filter(r => r.path.endsWith('/config/validate')).length).toBeGreaterThan(0)
    expect(h.fake.connector(ENV, CLUSTER, 'new')).toBeUndefined()
  })

  it('a dry run reports validate’s errors on the connector, as failures', async () => {
    const h = await start({ provisioningMs: 100, listLagMs: 0 })
    h.file('connectors/bad.json', datagen('bad', { quickstart: 'INVALID' }))
    h.file('connectors/good.json', datagen('good'))
    const { outcome, lines } = await h.run({ 'dry-run': 'true' })
    const [bad, good] = outcome.results
    expect(bad.validationErrors).toEqual([expect.objectContaining({ key: 'quickstart' })])
    expect(bad.error).toMatch(/validate reported 1 error/)
    expect(good.validationErrors ?? []).toEqual([])
    expect(good.error).toBe('')
    expect(outcome.failed).toBe(true)
    expect(lines.some(l => l.startsWith('error: bad: "quickstart"'))).toBe(true)
    expect(changes(h.fake)).toEqual([])
  })

  it('a target whose list fails is not planned: no create diff, its reason given, the other target applied', async () => {
    const h = await start({ provisioningMs: 100, listLagMs: 0 })
    h.file('connectors/here.json', datagen('here'))
    // A cluster the fake does not know: the list answers 404.
    h.file('connectors/there.json', { ...datagen('there'), environment_id: ENV, kafka_cluster_id: 'lkc-missing' })
    for (const dryRun of ['true', 'false']) {
      h.fake.resetLog()
      const { outcome } = await h.run({ 'dry-run': dryRun })
      const there = outcome.results.find(r => r.name === 'there')
      expect(there).toMatchObject({ planned: 'not-planned', done: 'failed', changes: [] })
      expect(there?.error).toMatch(/^not planned: listing the connectors of env-p1\/lkc-missing failed: .*not found/)
      expect(outcome.results.find(r => r.name === 'here')).toMatchObject({ planned: 'create', error: '', ...(dryRun === 'true' ? {} : { done: 'created' }) })
      expect(outcome.failed).toBe(true)
      expect(changes(h.fake).filter(c => c.includes('there'))).toEqual([])
      expect(h.fake.requests.filter(r => r.path.includes('lkc-missing')).map(r => r.method)).toEqual(['GET'])
    }
    expect(h.fake.connector(ENV, CLUSTER, 'here')).toBeDefined()
  })
})

describe('prune', () => {
  const seedOld = (h: Harness, ...names: string[]): void => {
    for (const name of names) h.fake.seed(ENV, CLUSTER, name, { name, 'connector.class': 'DatagenSource', 'kafka.api.key': 'K', 'kafka.api.secret': 's' })
  }

  it('deletes matching undeclared connectors after the PUTs; others are unmanaged', async () => {
    const h = await start({ provisioningMs: 100, listLagMs: 0 })
    seedOld(h, 'team-old-1', 'team-old-2', 'team-keep', 'someone-else')
    h.file('connectors/team-new.json', datagen('team-new'))
    const { outcome } = await h.run({ prune: 'true', 'prune-match': 'team-*\n!team-keep' })
    expect(verbs(outcome)).toEqual(['team-new created', 'team-old-1 deleted', 'team-old-2 deleted'])
    expect(outcome.unmanaged.map(u => u.name)).toEqual(['someone-else', 'team-keep'])
    const sent = changes(h.fake)
    expect(sent).toEqual(['PUT team-new/config', 'DELETE team-old-1', 'DELETE team-old-2'].sort((a, b) => sent.indexOf(a) - sent.indexOf(b)))
    expect(sent.indexOf('PUT team-new/config')).toBeLessThan(Math.min(sent.indexOf('DELETE team-old-1'), sent.indexOf('DELETE team-old-2')))
    expect(h.fake.connector(ENV, CLUSTER, 'team-old-1')).toBeUndefined()
    expect(h.fake.connector(ENV, CLUSTER, 'team-keep')).toBeDefined()
  })

  it('refuses more deletions than max-deletions and sends nothing', async () => {
    const h = await start({ provisioningMs: 100, listLagMs: 0 })
    seedOld(h, 'team-old-1', 'team-old-2')
    h.file('connectors/team-new.json', datagen('team-new'))
    const { outcome } = await h.run({ prune: 'true', 'prune-match': 'team-*', 'max-deletions': '1' })
    expect(outcome.failed).toBe(true)
    expect(outcome.stoppedEarly).toMatch(/deletes 2 connector\(s\), more than max-deletions \(1\)/)
    expect(changes(h.fake)).toEqual([])
    expect(h.fake.connector(ENV, CLUSTER, 'team-old-1')).toBeDefined()
    // Nothing was sent, so no output says a connector was created or deleted: each planned change failed.
    expect(verbs(outcome)).toEqual(['team-new failed', 'team-old-1 failed', 'team-old-2 failed'])
    expect(outcome.results.every(r => r.error === 'not applied: the run was refused before any change')).toBe(true)
    const out = buildOutputs(outcome)
    expect([out.created, out.deleted, out.changed]).toEqual(['[]', '[]', 'false'])
    expect(JSON.parse(out.failed)).toEqual(['team-new', 'team-old-1', 'team-old-2'])
  })
})

describe('declared state', () => {
  it('pauses a RUNNING connector declared PAUSED and waits until it shows PAUSED (the pause acts later)', async () => {
    const h = await start() // pause/resume delay as the cloud's default
    h.fake.seed(ENV, CLUSTER, 'p', { name: 'p', 'connector.class': 'DatagenSource', 'kafka.api.key': 'K', 'kafka.api.secret': 's' })
    h.file('connectors/p.json', { ...datagen('p'), state: 'PAUSED' })
    h.file('connectors/n.json', { ...datagen('n'), state: 'PAUSED' })
    const { outcome, lines } = await h.run()
    expect(lines.filter(l => l.startsWith('error:'))).toEqual([])
    const p = outcome.results.find(r => r.name === 'p')
    const n = outcome.results.find(r => r.name === 'n')
    expect(p).toMatchObject({ planned: 'update', done: 'updated', stateChange: 'pause', stateChanged: true, state: 'PAUSED', error: '' })
    expect(n).toMatchObject({ planned: 'create', done: 'created', stateChange: 'pause', stateChanged: true, state: 'PAUSED', error: '' })
    expect(h.fake.connector(ENV, CLUSTER, 'p')?.state).toBe('PAUSED')
    const sent = changes(h.fake)
    expect(sent.indexOf('PUT p/pause')).toBeGreaterThan(sent.indexOf('PUT p/config'))
    expect(sent.indexOf('PUT n/pause')).toBeGreaterThan(sent.indexOf('PUT n/config'))
    // Rerun: nothing to change, nothing sent.
    h.fake.resetLog()
    const again = await h.run()
    expect(again.outcome.results.map(r => [r.name, r.planned, r.stateChange])).toEqual([
      ['n', 'unchanged', undefined],
      ['p', 'unchanged', undefined]
    ])
    expect(changes(h.fake)).toEqual([])
  })
})
