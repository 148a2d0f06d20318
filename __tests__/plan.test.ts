import { describe, expect, it } from '@jest/globals'
import { decide, diffConfig, planConnector } from '../src/stages/plan.js'
import type { ConnectorSpec, LiveConnector } from '../src/model/types.js'

const MASK = '****************'

function spec(config: Record<string, string>, sensitiveKeys: string[] = []): ConnectorSpec {
  return {
    name: 'c',
    file: 'connectors/c.json',
    line: 1,
    environmentId: 'env-1',
    kafkaClusterId: 'lkc-1',
    config: { name: 'c', ...config },
    locations: {},
    sensitiveKeys
  }
}
function live(config: Record<string, string>): LiveConnector {
  return { name: 'c', config: { name: 'c', ...config }, tasks: [] }
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
})
