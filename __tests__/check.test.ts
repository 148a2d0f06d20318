import { describe, expect, it } from '@jest/globals'
import type { RawConnector, SubstitutedConnector } from '../src/model/types.js'
import { checkConnectors } from '../src/stages/check.js'

const defaults = { environmentId: 'env-1', kafkaClusterId: 'lkc-1', kafkaApiKey: 'DEFKEY', kafkaApiSecret: 'DEFSECRET' }
const none = { environmentId: '', kafkaClusterId: '', kafkaApiKey: '', kafkaApiSecret: '' }

function item(config: Record<string, string>, extra: Partial<RawConnector> = {}, secretKeys: string[] = []): SubstitutedConnector {
  const locations: RawConnector['locations'] = {}
  Object.keys(config).forEach((k, i) => (locations[k] = { line: i + 2, column: 3 }))
  const raw: RawConnector = { file: 'c/a.json', index: 0, line: 1, name: config.name, config, locations, ...extra }
  return {
    raw,
    config: { ...config },
    secretKeys,
    ...(extra.environmentId !== undefined ? { environmentId: extra.environmentId } : {}),
    ...(extra.kafkaClusterId !== undefined ? { kafkaClusterId: extra.kafkaClusterId } : {})
  }
}

const good = { name: 'orders', 'connector.class': 'S3_SINK', 'kafka.api.key': 'K', 'kafka.api.secret': 'S' }

describe('checkConnectors', () => {
  it('turns a complete connector into a spec on the default target', () => {
    const { specs, problems } = checkConnectors([item(good, {}, ['x'])], defaults)
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
        // Written in the file: secret by its key (policy.ts), a literal for literal-secrets, not a secret input.
        secretKeys: []
      }
    ])
  })

  it('uses the document target before the defaults', () => {
    const { specs } = checkConnectors([item(good, { environmentId: 'env-9', kafkaClusterId: 'lkc-9' })], defaults)
    expect(specs[0]).toMatchObject({ environmentId: 'env-9', kafkaClusterId: 'lkc-9' })
  })

  it("refuses another environment without a cluster: it would be paired with the input's cluster, which is not in it", () => {
    const { specs, problems } = checkConnectors([item(good, { environmentId: 'env-9' })], defaults)
    expect(specs).toEqual([])
    expect(problems).toEqual([
      {
        file: 'c/a.json',
        line: 1,
        message:
          'connector "orders": environment_id names another environment than the environment-id input, but there is no kafka_cluster_id, so the cluster would be the kafka-cluster-id input\'s (lkc-1), which is in env-1; set kafka_cluster_id too'
      }
    ])
    // The same environment as the inputs', or no environment input at all: the pair can be right.
    expect(checkConnectors([item(good, { environmentId: 'env-1' })], defaults).problems).toEqual([])
    expect(checkConnectors([item(good, { environmentId: 'env-9' })], { ...defaults, environmentId: '' }).problems).toEqual([])
    // A cluster alone keeps the input's environment (one environment, several clusters).
    expect(checkConnectors([item(good, { kafkaClusterId: 'lkc-9' })], defaults).problems).toEqual([])
  })

  it('fills missing Kafka credentials from the inputs and marks the secret sensitive', () => {
    const { specs, problems } = checkConnectors([item({ name: 'a', 'connector.class': 'X' })], defaults)
    expect(problems).toEqual([])
    expect(specs[0].config).toEqual({ name: 'a', 'connector.class': 'X', 'kafka.api.key': 'DEFKEY', 'kafka.api.secret': 'DEFSECRET' })
    expect(specs[0].secretKeys).toEqual(['kafka.api.secret'])
  })

  it('keeps credentials written in the file', () => {
    const { specs } = checkConnectors([item(good)], defaults)
    expect(specs[0].config['kafka.api.key']).toBe('K')
  })

  it('needs the credentials when neither file nor inputs give them, without showing values', () => {
    const { specs, problems } = checkConnectors([item({ name: 'a', 'connector.class': 'X', password: 'hunter2' })], {
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
    const missing = checkConnectors([item(sa)], defaults)
    expect(missing.problems).toEqual([expect.objectContaining({ message: expect.stringContaining('missing "kafka.service.account.id"') })])
    const ok = checkConnectors([item({ ...sa, 'kafka.service.account.id': 'sa-1' })], defaults)
    expect(ok.problems).toEqual([])
    expect(ok.specs[0].config['kafka.api.key']).toBeUndefined()
    expect(ok.specs[0].secretKeys).toEqual([])
  })

  it('asks a CUSTOM connector for its plugin id and its class (api-notes: the API refuses CUSTOM without the class)', () => {
    const custom = { name: 'a', 'confluent.connector.type': 'CUSTOM', 'kafka.api.key': 'K', 'kafka.api.secret': 'S' }
    expect(checkConnectors([item(custom)], defaults).problems.map(p => p.message)).toEqual([
      'connector "a": missing "connector.class" (the API refuses a CUSTOM connector without its class)',
      'connector "a": missing "confluent.custom.plugin.id" (confluent.connector.type is CUSTOM)'
    ])
    const withId = checkConnectors([item({ ...custom, 'confluent.custom.plugin.id': 'ccp-1' })], defaults)
    expect(withId.problems.map(p => p.message)).toEqual(['connector "a": missing "connector.class" (the API refuses a CUSTOM connector without its class)'])
    const lower = checkConnectors([item({ ...custom, 'confluent.connector.type': ' custom ', 'confluent.custom.plugin.id': 'ccp-1' })], defaults)
    expect(lower.problems.map(p => p.message)).toEqual([expect.stringContaining('CUSTOM connector without its class')])
    const full = checkConnectors([item({ ...custom, 'confluent.custom.plugin.id': 'ccp-1', 'connector.class': 'io.acme.Source' })], defaults)
    expect(full.problems).toEqual([])
    expect(full.specs[0].config['connector.class']).toBe('io.acme.Source')
  })

  it('reports an empty class of a CUSTOM connector on its line', () => {
    const custom = { name: 'a', 'confluent.connector.type': 'CUSTOM', 'confluent.custom.plugin.id': 'ccp-1', 'connector.class': '' }
    expect(checkConnectors([item(custom)], defaults).problems).toEqual([
      { file: 'c/a.json', line: 5, column: 3, message: 'connector "a": "connector.class" is empty (the API refuses a CUSTOM connector without its class)' }
    ])
  })

  it.each([['.'], ['..']])('refuses the name %j, which would change the request URL', name => {
    const { specs, problems } = checkConnectors([item({ ...good, name })], defaults)
    expect(specs).toEqual([])
    expect(problems).toEqual([
      { file: 'c/a.json', line: 2, column: 3, message: `the connector name ${JSON.stringify(name)} is not allowed: it would change the request URL` }
    ])
  })

  it('still accepts names that merely hold dots', () => {
    const { specs, problems } = checkConnectors([item({ ...good, name: '...' }), item({ ...good, name: 'a..b' }, { file: 'c/b.json' })], defaults)
    expect(problems).toEqual([])
    expect(specs.map(s => s.name)).toEqual(['...', 'a..b'])
  })

  it.each([['a\u0085b'], ['a\u2028b'], ['a\u009bb'], ['a\u007fb']])('refuses a name with the control character %s', escaped => {
    const name = JSON.parse(`"${escaped}"`) as string
    expect(checkConnectors([item({ ...good, name })], defaults).problems).toEqual([
      expect.objectContaining({ line: 2, message: 'the connector name contains a control character' })
    ])
  })

  it('refuses a name or value that is not well-formed Unicode (a lone surrogate from the inputs), without showing it', () => {
    const lone = JSON.parse('"x\\ud800"') as string
    const named = checkConnectors([item({ ...good, name: `a${lone}` })], defaults)
    expect(named.problems).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('not well-formed Unicode') })])
    const it0 = item({ ...good, password: 'p' }, {}, ['password'])
    it0.config.password = `hunter2${lone}`
    const valued = checkConnectors([it0], defaults)
    expect(valued.specs).toEqual([])
    expect(valued.problems).toEqual([
      { file: 'c/a.json', line: 6, column: 3, message: 'the value of "password" is not well-formed Unicode (a lone surrogate); it cannot be sent' }
    ])
    expect(JSON.stringify(valued.problems)).not.toContain('hunter2')
  })

  it('copies the declared state to the spec, and leaves it out when none is declared', () => {
    const running = checkConnectors([item(good, { state: 'PAUSED', locations: { name: { line: 2, column: 3 }, state: { line: 3, column: 3 } } })], defaults)
    expect(running.specs[0].state).toBe('PAUSED')
    expect(running.specs[0].locations.state).toEqual({ line: 3, column: 3 })
    expect('state' in checkConnectors([item(good)], defaults).specs[0]).toBe(false)
  })

  it('reports an empty required key on its line', () => {
    const { problems } = checkConnectors([item({ name: 'a', 'connector.class': ' ' })], defaults)
    expect(problems).toEqual([{ file: 'c/a.json', line: 3, column: 3, message: 'connector "a": "connector.class" is empty' }])
  })

  it.each([
    [{ 'connector.class': 'X' }, 'has no "name"', 1],
    [{ name: '', 'connector.class': 'X' }, '"name" is empty', 2],
    [{ name: ' a ', 'connector.class': 'X' }, 'whitespace', 2],
    [{ name: 'a\tb', 'connector.class': 'X' }, 'control character', 2]
  ])('checks the name: %j', (config, message, line) => {
    const { specs, problems } = checkConnectors([item(config)], defaults)
    expect(specs).toEqual([])
    expect(problems).toEqual([expect.objectContaining({ line, message: expect.stringContaining(message) })])
  })

  it('uses the substituted name, not the raw one', () => {
    const it0 = item({ name: 'x-${{ vars.ENV }}', 'connector.class': 'X' })
    it0.config.name = 'x-prod'
    expect(checkConnectors([it0], defaults).specs[0].name).toBe('x-prod')
  })

  it('needs a target', () => {
    const { problems } = checkConnectors([item(good)], { ...defaults, environmentId: '', kafkaClusterId: '' })
    expect(problems.map(p => p.message)).toEqual([
      'no environment-id: set the input or environment_id in the file',
      'no kafka-cluster-id: set the input or kafka_cluster_id in the file'
    ])
    expect(problems.every(p => p.file === 'c/a.json' && p.line === 1)).toBe(true)
  })

  it.each([['env 1'], ['env/1'], ['..'], ['env-1?x'], ['${{ vars.E }}']])('rejects the id %j, which would break the URL', id => {
    const { problems } = checkConnectors([item(good, { environmentId: id })], defaults)
    expect(problems).toHaveLength(1)
    expect(problems[0].message).toContain('environment_id')
    expect(problems[0].message).not.toContain(id)
  })

  it('reports the same name twice on one target at the second, naming the first', () => {
    const a = item(good, { file: 'c/a.json' })
    const b = item(good, { file: 'c/b.json', line: 5, locations: { name: { line: 6, column: 3 } } })
    const { specs, problems } = checkConnectors([b, a], defaults)
    expect(specs.map(s => s.file)).toEqual(['c/a.json'])
    expect(problems).toEqual([{ file: 'c/b.json', line: 6, message: 'connector "orders" is defined twice for env-1/lkc-1: first at c/a.json:2' }])
  })

  it('allows the same name on different targets', () => {
    const { specs, problems } = checkConnectors([item(good), item(good, { kafkaClusterId: 'lkc-2' })], defaults)
    expect(problems).toEqual([])
    expect(specs).toHaveLength(2)
  })

  it('orders specs by target, then file, then index', () => {
    const mk = (name: string, file: string, index: number, cluster?: string) =>
      item({ ...good, name }, { file, index, ...(cluster ? { kafkaClusterId: cluster } : {}) })
    const { specs } = checkConnectors([mk('d', 'b.json', 1), mk('c', 'b.json', 0), mk('z', 'a.json', 0, 'lkc-2'), mk('a', 'c.json', 0)], defaults)
    expect(specs.map(s => s.name)).toEqual(['c', 'd', 'a', 'z'])
  })

  it('keeps sensitive keys from substitution and does not change its input', () => {
    const it0 = item({ name: 'a', 'connector.class': 'X', pw: 'v' }, {}, ['pw'])
    const { specs } = checkConnectors([it0], defaults)
    expect(specs[0].secretKeys.sort()).toEqual(['kafka.api.secret', 'pw'])
    expect(it0.config['kafka.api.key']).toBeUndefined()
  })

  it('gives every problem a file and a line', () => {
    const { problems } = checkConnectors([item({}), item({ name: 'x' }, { environmentId: 'a b' })], none)
    expect(problems.length).toBeGreaterThan(4)
    for (const p of problems) {
      expect(p.file).toBe('c/a.json')
      expect(p.line).toBeGreaterThanOrEqual(1)
    }
  })
})
