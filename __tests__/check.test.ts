import { describe, expect, it } from '@jest/globals'
import type { RawConnector } from '../src/model/types.js'
import { validateConnectors } from '../src/stages/check.js'
import type { ValidateItem } from '../src/stages/check.js'

const defaults = { environmentId: 'env-1', kafkaClusterId: 'lkc-1', kafkaApiKey: 'DEFKEY', kafkaApiSecret: 'DEFSECRET' }
const none = { environmentId: '', kafkaClusterId: '', kafkaApiKey: '', kafkaApiSecret: '' }

function item(config: Record<string, string>, extra: Partial<RawConnector> = {}, sensitiveKeys: string[] = []): ValidateItem {
  const locations: RawConnector['locations'] = {}
  Object.keys(config).forEach((k, i) => (locations[k] = { line: i + 2, column: 3 }))
  const raw: RawConnector = { file: 'c/a.json', index: 0, line: 1, name: config.name, config, locations, ...extra }
  return { raw, config: { ...config }, sensitiveKeys }
}

const good = { name: 'orders', 'connector.class': 'S3_SINK', 'kafka.api.key': 'K', 'kafka.api.secret': 'S' }

describe('validateConnectors', () => {
  it('turns a complete connector into a spec on the default target', () => {
    const { specs, problems } = validateConnectors([item(good, {}, ['x'])], defaults)
    expect(problems).toEqual([])
    expect(specs).toEqual([
      {
        name: 'orders',
        file: 'c/a.json',
        line: 1,
        environmentId: 'env-1',
        kafkaClusterId: 'lkc-1',
        config: good,
        locations: expect.any(Object),
        sensitiveKeys: ['kafka.api.secret']
      }
    ])
  })

  it('uses the document target before the defaults', () => {
    const { specs } = validateConnectors([item(good, { environmentId: 'env-9', kafkaClusterId: 'lkc-9' })], defaults)
    expect(specs[0]).toMatchObject({ environmentId: 'env-9', kafkaClusterId: 'lkc-9' })
  })

  it('fills missing Kafka credentials from the inputs and marks the secret sensitive', () => {
    const { specs, problems } = validateConnectors([item({ name: 'a', 'connector.class': 'X' })], defaults)
    expect(problems).toEqual([])
    expect(specs[0].config).toEqual({ name: 'a', 'connector.class': 'X', 'kafka.api.key': 'DEFKEY', 'kafka.api.secret': 'DEFSECRET' })
    expect(specs[0].sensitiveKeys).toEqual(['kafka.api.secret'])
  })

  it('keeps credentials written in the file', () => {
    const { specs } = validateConnectors([item(good)], defaults)
    expect(specs[0].config['kafka.api.key']).toBe('K')
  })

  it('needs the credentials when neither file nor inputs give them, without showing values', () => {
    const { specs, problems } = validateConnectors([item({ name: 'a', 'connector.class': 'X', password: 'hunter2' })], {
      ...none,
      environmentId: 'e',
      kafkaClusterId: 'k'
    })
    expect(specs).toEqual([])
    expect(problems.map(p => p.message)).toEqual([expect.stringContaining('missing "kafka.api.key"'), expect.stringContaining('missing "kafka.api.secret"')])
    expect(problems[0]).toMatchObject({ file: 'c/a.json', line: 1 })
    expect(JSON.stringify(problems)).not.toContain('hunter2')
  })

  it('asks for the service account id instead under SERVICE_ACCOUNT and fills no API key', () => {
    const sa = { name: 'a', 'connector.class': 'X', 'kafka.auth.mode': 'SERVICE_ACCOUNT' }
    const missing = validateConnectors([item(sa)], defaults)
    expect(missing.problems).toEqual([expect.objectContaining({ message: expect.stringContaining('missing "kafka.service.account.id"') })])
    const ok = validateConnectors([item({ ...sa, 'kafka.service.account.id': 'sa-1' })], defaults)
    expect(ok.problems).toEqual([])
    expect(ok.specs[0].config['kafka.api.key']).toBeUndefined()
    expect(ok.specs[0].sensitiveKeys).toEqual([])
  })

  it('asks for the custom plugin id instead of the class for CUSTOM connectors', () => {
    const custom = { name: 'a', 'confluent.connector.type': 'CUSTOM', 'kafka.api.key': 'K', 'kafka.api.secret': 'S' }
    expect(validateConnectors([item(custom)], defaults).problems[0].message).toContain('missing "confluent.custom.plugin.id"')
    expect(validateConnectors([item({ ...custom, 'confluent.custom.plugin.id': 'ccp-1' })], defaults).problems).toEqual([])
  })

  it('reports an empty required key on its line', () => {
    const { problems } = validateConnectors([item({ name: 'a', 'connector.class': ' ' })], defaults)
    expect(problems).toEqual([{ file: 'c/a.json', line: 3, column: 3, message: 'connector "a": "connector.class" is empty' }])
  })

  it.each([
    [{ 'connector.class': 'X' }, 'has no "name"', 1],
    [{ name: '', 'connector.class': 'X' }, '"name" is empty', 2],
    [{ name: ' a ', 'connector.class': 'X' }, 'whitespace', 2],
    [{ name: 'a\tb', 'connector.class': 'X' }, 'control character', 2]
  ])('checks the name: %j', (config, message, line) => {
    const { specs, problems } = validateConnectors([item(config)], defaults)
    expect(specs).toEqual([])
    expect(problems).toEqual([expect.objectContaining({ line, message: expect.stringContaining(message) })])
  })

  it('uses the substituted name, not the raw one', () => {
    const it0 = item({ name: 'x-${{ vars.ENV }}', 'connector.class': 'X' })
    it0.config.name = 'x-prod'
    expect(validateConnectors([it0], defaults).specs[0].name).toBe('x-prod')
  })

  it('needs a target', () => {
    const { problems } = validateConnectors([item(good)], { ...defaults, environmentId: '', kafkaClusterId: '' })
    expect(problems.map(p => p.message)).toEqual([
      'no environment-id: set the input or environment_id in the file',
      'no kafka-cluster-id: set the input or kafka_cluster_id in the file'
    ])
    expect(problems.every(p => p.file === 'c/a.json' && p.line === 1)).toBe(true)
  })

  it.each([['env 1'], ['env/1'], ['..'], ['env-1?x'], ['${{ vars.E }}']])('rejects the id %j, which would break the URL', id => {
    const { problems } = validateConnectors([item(good, { environmentId: id })], defaults)
    expect(problems).toHaveLength(1)
    expect(problems[0].message).toContain('environment_id')
    expect(problems[0].message).not.toContain(id)
  })

  it('reports the same name twice on one target at the second, naming the first', () => {
    const a = item(good, { file: 'c/a.json' })
    const b = item(good, { file: 'c/b.json', line: 5, locations: { name: { line: 6, column: 3 } } })
    const { specs, problems } = validateConnectors([b, a], defaults)
    expect(specs.map(s => s.file)).toEqual(['c/a.json'])
    expect(problems).toEqual([{ file: 'c/b.json', line: 6, message: 'connector "orders" is defined twice for env-1/lkc-1: first at c/a.json:2' }])
  })

  it('allows the same name on different targets', () => {
    const { specs, problems } = validateConnectors([item(good), item(good, { kafkaClusterId: 'lkc-2' })], defaults)
    expect(problems).toEqual([])
    expect(specs).toHaveLength(2)
  })

  it('orders specs by target, then file, then index', () => {
    const mk = (name: string, file: string, index: number, cluster?: string) =>
      item({ ...good, name }, { file, index, ...(cluster ? { kafkaClusterId: cluster } : {}) })
    const { specs } = validateConnectors([mk('d', 'b.json', 1), mk('c', 'b.json', 0), mk('z', 'a.json', 0, 'lkc-2'), mk('a', 'c.json', 0)], defaults)
    expect(specs.map(s => s.name)).toEqual(['c', 'd', 'a', 'z'])
  })

  it('keeps sensitive keys from substitution and does not change its input', () => {
    const it0 = item({ name: 'a', 'connector.class': 'X', pw: 'v' }, {}, ['pw'])
    const { specs } = validateConnectors([it0], defaults)
    expect(specs[0].sensitiveKeys.sort()).toEqual(['kafka.api.secret', 'pw'])
    expect(it0.config['kafka.api.key']).toBeUndefined()
  })

  it('gives every problem a file and a line', () => {
    const { problems } = validateConnectors([item({}), item({ name: 'x' }, { environmentId: 'a b' })], none)
    expect(problems.length).toBeGreaterThan(4)
    for (const p of problems) {
      expect(p.file).toBe('c/a.json')
      expect(p.line).toBeGreaterThanOrEqual(1)
    }
  })
})
