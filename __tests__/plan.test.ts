import { describe, expect, it } from '@jest/globals'
import { decide, diffConfig, planConnector, planTarget, stateChange } from '../src/stages/plan.js'
import type { ConnectorSpec, DeclaredState, LiveConnector, PlanItem } from '../src/model/types.js'

const MASK = '****************'

function spec(config: Record<string, string>, secretKeys: string[] = [], name = 'c', state?: DeclaredState): ConnectorSpec {
  return {
    name,
    file: 'connectors/c.json',
    line: 1,
    environmentId: 'env-1',
    kafkaClusterId: 'lkc-1',
    config: { name, ...config },
    locations: {},
    secretKeys,
    ...(state ? { state } : {})
  }
}
function live(config: Record<string, string>, name = 'c', state?: string): LiveConnector {
  return { name, config: { name, ...config }, tasks: [], ...(state ? { state } : {}) }
}

describe('plan', () => {
  it('is a create when the name is absent, with every key added', () => {
    const item = planConnector(spec({ 'connector.class': 'X' }), undefined, false)
    expect(item.action).toBe('create')
    expect(item.changes.map(c => c.kind)).toEqual(['added', 'added'])
  })

  it('ignores server-added keys, server defaults and masked values', () => {
    const s = spec({ 'connector.class': 'X', 'kafka.api.secret': 'new-secret', topics: 't' }, ['kafka.api.secret'])
    const l = live({
      'connector.class': 'X',
      'kafka.api.secret': MASK,
      topics: 't',
      'cloud.environment': 'prod',
      'cloud.provider': 'aws',
      'kafka.endpoint': 'SASL_SSL://x:9092',
      'kafka.region': 'us-east-1',
      'kafka.max.partition.validation.disable': 'false',
      'config.internal.foo': 'bar',
      'kafka.auth.mode': 'KAFKA_API_KEY'
    })
    const item = planConnector(s, l, false)
    expect(item.action).toBe('unchanged')
    expect(item.changes).toEqual([{ key: 'kafka.api.secret', kind: 'secret-unknown', sensitive: true }])
  })

  it('ignores every key api-notes.md lists as added by the server, and a CUSTOM class the server fills in', () => {
    const added = {
      'cloud.environment': 'prod',
      'cloud.provider': 'aws',
      'cloud.future.key': 'x',
      'kafka.endpoint': 'SASL_SSL://x:9092',
      'kafka.region': 'us-east-1',
      'kafka.max.partition.validation.disable': 'false',
      'kafka.dedicated': 'false',
      'schema.registry.url': 'https://psrc-1.example',
      'valid.kafka.api.key': 'true',
      'connector.crn': 'crn://confluent.cloud/connector=c',
      'confluent.custom.plugin.type': 'SOURCE',
      'confluent.resource.connector.tier': 'STANDARD',
      'config.internal.anything': 'y'
    }
    expect(planConnector(spec({ 'connector.class': 'X' }), live({ 'connector.class': 'X', ...added }), false).action).toBe('unchanged')
    const custom = spec({ 'confluent.connector.type': 'CUSTOM', 'confluent.custom.plugin.id': 'ccp-1' })
    expect(planConnector(custom, live({ ...custom.config, 'connector.class': 'io.example.Source' }), false).action).toBe('unchanged')
  })

  it('reports changed, added and removed keys, hiding sensitive values', () => {
    const s = spec({ 'connector.class': 'X', topics: 't2', 'database.password': 'pw2', extra: 'e' })
    const l = live({ 'connector.class': 'X', topics: 't1', 'database.password': 'pw1', gone: 'g' })
    const changes = diffConfig(s, l)
    expect(changes).toEqual([
      { key: 'topics', kind: 'changed', before: 't1', after: 't2', sensitive: false },
      { key: 'database.password', kind: 'changed', before: undefined, after: undefined, sensitive: true },
      { key: 'extra', kind: 'added', after: 'e', sensitive: false },
      { key: 'gone', kind: 'removed', before: 'g', sensitive: false }
    ])
    expect(decide(changes, true, false)).toBe('update')
  })

  it('treats keys marked PASSWORD by validate as sensitive', () => {
    const changes = diffConfig(spec({ 'odd.name': 'v2' }), live({ 'odd.name': 'v1' }), ['odd.name'])
    expect(changes[0]).toMatchObject({ kind: 'changed', sensitive: true, before: undefined, after: undefined })
  })

  it('force turns unchanged into update, never a create into update', () => {
    expect(decide([], true, true)).toBe('update')
    expect(decide([], false, true)).toBe('create')
    expect(decide([{ key: 'k', kind: 'secret-unknown', sensitive: true }], true, false)).toBe('unchanged')
  })

  it('a CUSTOM connector: the runtime keys the server fills in and `__internal.` keys are not drift', () => {
    const custom = spec({ 'confluent.connector.type': 'CUSTOM', 'confluent.custom.plugin.id': 'ccp-1', topics: 't' })
    const l = live({
      ...custom.config,
      'connector.class': 'io.example.Source',
      'confluent.custom.connect.plugin.runtime': '3.9.0',
      'confluent.custom.connect.java.version': '17',
      'confluent.custom.plugin.version.id': 'ver-abc',
      '__internal.config.version': '2'
    })
    expect(planConnector(custom, l, false)).toMatchObject({ action: 'unchanged', changes: [] })
    // The same keys on a live config with a real difference still show only that difference.
    const changed = planConnector({ ...custom, config: { ...custom.config, topics: 't2' } }, l, false)
    expect(changed.action).toBe('update')
    expect(changed.changes.map(c => c.key)).toEqual(['topics'])
  })

  it('sees live keys named like Object.prototype members (`constructor`, `toString`) as drift', () => {
    const removed = diffConfig(spec({ 'connector.class': 'X' }), live({ 'connector.class': 'X', constructor: 'c1', toString: 't1' }))
    expect(removed).toEqual([
      { key: 'constructor', kind: 'removed', before: 'c1', sensitive: false },
      { key: 'toString', kind: 'removed', before: 't1', sensitive: false }
    ])
    expect(planConnector(spec({ 'connector.class': 'X' }), live({ 'connector.class': 'X', hasOwnProperty: 'h' }), false).action).toBe('update')
  })

  // A file key `constructor` absent from the live config must not read Object.prototype's function
  // (the policy reads own keys only).
  it('a file key named `constructor` absent from the live config is an added key', () => {
    const added = diffConfig(spec({ 'connector.class': 'X', constructor: 'c1' }), live({ 'connector.class': 'X' }))
    expect(added).toEqual([{ key: 'constructor', kind: 'added', after: 'c1', sensitive: false }])
  })

  it('a masked live value (any run of two or more `*`) is not drift, whatever the mask length', () => {
    for (const mask of ['**', '********', MASK, '*'.repeat(40)]) {
      const item = planConnector(spec({ 'connector.class': 'X', 'odd.key': 'v' }), live({ 'connector.class': 'X', 'odd.key': mask }), false)
      expect(item.action).toBe('unchanged')
      expect(item.changes).toEqual([{ key: 'odd.key', kind: 'secret-unknown', sensitive: true }])
    }
    // One leading star is a value, not a mask.
    expect(planConnector(spec({ 'connector.class': 'X', 'odd.key': 'v' }), live({ 'connector.class': 'X', 'odd.key': '*v' }), false).action).toBe('update')
    // Nor are two leading stars followed by other text: a glob pattern (Camel's antInclude) or a decorated
    // value is a setting, compared and applied like any other.
    for (const [before, after] of [
      ['**/*.csv', '**/*.json'],
      ['***old***', '***new***']
    ]) {
      const item = planConnector(spec({ 'connector.class': 'X', 'odd.key': after }), live({ 'connector.class': 'X', 'odd.key': before }), false)
      expect(item.action).toBe('update')
      expect(item.changes).toEqual([{ key: 'odd.key', kind: 'changed', before, after, sensitive: false }])
    }
  })

  it('a value that came from `secrets` is never shown, whatever its key is called', () => {
    const changes = diffConfig(
      spec({ 'connector.class': 'X', 'plain.looking': 'from-secret' }, ['plain.looking']),
      live({ 'connector.class': 'X', 'plain.looking': 'old' })
    )
    expect(changes).toEqual([{ key: 'plain.looking', kind: 'changed', before: undefined, after: undefined, sensitive: true }])
  })
})

describe('declared state', () => {
  it('pauses or resumes only where the declared state differs from the live one', () => {
    expect(stateChange(undefined, live({}, 'c', 'PAUSED'))).toBeUndefined()
    expect(stateChange('PAUSED', live({}, 'c', 'RUNNING'))).toBe('pause')
    expect(stateChange('PAUSED', live({}, 'c', 'PAUSED'))).toBeUndefined()
    expect(stateChange('RUNNING', live({}, 'c', 'PAUSED'))).toBe('resume')
    expect(stateChange('RUNNING', live({}, 'c', 'FAILED'))).toBeUndefined()
    expect(stateChange('PAUSED', undefined)).toBe('pause') // created, then paused
    expect(stateChange('RUNNING', undefined)).toBeUndefined()
  })

  it('a state change alone leaves the config action unchanged', () => {
    const item = planConnector(spec({ 'connector.class': 'X' }, [], 'c', 'PAUSED'), live({ 'connector.class': 'X' }, 'c', 'RUNNING'), false)
    expect(item).toMatchObject({ action: 'unchanged', stateChange: 'pause', changes: [] })
  })
})

describe('planTarget', () => {
  const target = { environmentId: 'env-1', kafkaClusterId: 'lkc-1' }
  const liveMap = (...cs: LiveConnector[]): Map<string, LiveConnector> => new Map(cs.map(c => [c.name, c]))
  const summary = (items: PlanItem[]): string[] => items.map(i => `${i.action} ${i.name}${i.stateChange ? ` ${i.stateChange}` : ''}`)

  it('plans the specs in file order, then deletions in name order; the rest is unmanaged', () => {
    const specs = [spec({ 'connector.class': 'X' }, [], 'b-new'), spec({ 'connector.class': 'X', topics: 't2' }, [], 'a-old')]
    const l = liveMap(
      live({ 'connector.class': 'X', topics: 't1' }, 'a-old'),
      live({ 'connector.class': 'X' }, 'team-z'),
      live({ 'connector.class': 'X' }, 'team-a'),
      live({ 'connector.class': 'X' }, 'other')
    )
    const plan = planTarget(target, specs, l, { force: false, pruneMatch: ['team-*'] })
    expect(plan.status).toBe('planned')
    expect(summary(plan.items)).toEqual(['create b-new', 'update a-old', 'delete team-a', 'delete team-z'])
    expect(plan.items.filter(i => i.action === 'delete').every(i => i.spec === undefined && i.live !== undefined && i.changes.length === 0)).toBe(true)
    expect(plan.unmanaged.map(u => u.name)).toEqual(['other'])
  })

  it('deletes nothing without prune: every undeclared connector is unmanaged', () => {
    const plan = planTarget(target, [spec({ 'connector.class': 'X' }, [], 'mine')], liveMap(live({}, 'theirs'), live({}, 'also-theirs')), { force: false })
    expect(summary(plan.items)).toEqual(['create mine'])
    expect(plan.unmanaged.map(u => u.name)).toEqual(['also-theirs', 'theirs'])
  })

  it('`!` patterns keep connectors out of the deletions, whatever the order of the patterns', () => {
    const l = liveMap(live({}, 'team-a'), live({}, 'team-keep'), live({}, 'team-b'))
    for (const pruneMatch of [
      ['team-*', '!team-keep'],
      ['!team-keep', 'team-*']
    ]) {
      const plan = planTarget(target, [], l, { force: false, pruneMatch })
      expect(summary(plan.items)).toEqual(['delete team-a', 'delete team-b'])
      expect(plan.unmanaged.map(u => u.name)).toEqual(['team-keep'])
    }
    // Only excludes: nothing matches.
    expect(planTarget(target, [], l, { force: false, pruneMatch: ['!team-a'] }).items).toEqual([])
  })

  it('never deletes a connector a file declares, even when it matches prune-match', () => {
    const plan = planTarget(target, [spec({ 'connector.class': 'X' }, [], 'team-a')], liveMap(live({ 'connector.class': 'X' }, 'team-a')), {
      force: false,
      pruneMatch: ['*']
    })
    expect(summary(plan.items)).toEqual(['unchanged team-a'])
    expect(plan.unmanaged).toEqual([])
  })

  it('carries declared states into pause/resume items', () => {
    const specs = [
      spec({ 'connector.class': 'X' }, [], 'p', 'PAUSED'),
      spec({ 'connector.class': 'X' }, [], 'r', 'RUNNING'),
      spec({ 'connector.class': 'X' }, [], 'n', 'PAUSED'),
      spec({ 'connector.class': 'X' }, [], 'u')
    ]
    const l = liveMap(
      live({ 'connector.class': 'X' }, 'p', 'RUNNING'),
      live({ 'connector.class': 'X' }, 'r', 'PAUSED'),
      live({ 'connector.class': 'X' }, 'u', 'PAUSED')
    )
    expect(summary(planTarget(target, specs, l, { force: false }).items)).toEqual(['unchanged p pause', 'unchanged r resume', 'create n pause', 'unchanged u'])
  })

  it('uses the password keys learned for each class to hide values', () => {
    const specs = [spec({ 'connector.class': 'AzureBlobSink', 'azblob.account.key': 'k2', 'azblob.container.name': 'c' }, [], 'az')]
    const l = liveMap(live({ 'connector.class': 'AzureBlobSink', 'azblob.account.key': 'k1', 'azblob.container.name': 'c' }, 'az'))
    const without = planTarget(target, specs, l, { force: false }).items[0]
    const withKeys = planTarget(target, specs, l, { force: false, passwordKeys: new Map([['AzureBlobSink', ['azblob.container.name']]]) }).items[0]
    expect(without.changes).toEqual([{ key: 'azblob.account.key', kind: 'changed', before: undefined, after: undefined, sensitive: true }])
    expect(withKeys.passwordKeys).toEqual(['azblob.container.name'])
    expect(
      planTarget(target, [{ ...specs[0], config: { ...specs[0].config, 'azblob.container.name': 'secret-c' } }], l, {
        force: false,
        passwordKeys: new Map([['AzureBlobSink', ['azblob.container.name']]])
      }).items[0].changes.find(c => c.key === 'azblob.container.name')
    ).toEqual({ key: 'azblob.container.name', kind: 'changed', before: undefined, after: undefined, sensitive: true })
  })
})
