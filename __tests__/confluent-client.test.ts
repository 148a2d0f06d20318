import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { ApiError, errorMessage, maskCredentialValues } from '../src/confluent/api-error.js'
import { ConfluentClient } from '../src/confluent/client.js'
import type { HttpResponse } from '../src/model/types.js'

const FIXTURES = 'fixtures/api'
const fixture = (name: string): string => readFileSync(new URL(`./${FIXTURES}/${name}`, import.meta.url), 'utf8')
const res = (status: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({ status, body, headers })

describe('confluent client', () => {
  it('reads both error shapes and non-JSON bodies', () => {
    expect(errorMessage(res(404, fixture('tf-managed__read_deleted_connector.json')))).toBe('resource not found')
    expect(errorMessage(res(401, '{"error":{"code":401,"message":"Unauthorized"}}'))).toBe('Unauthorized')
    expect(errorMessage(res(502, '<html><body><h1>502 Bad Gateway</h1></body></html>'))).toBe('unexpected response: 502 Bad Gateway')
  })

  it("reads OAuth's error shape (a token endpoint's answer), with or without a description", () => {
    expect(errorMessage(res(401, '{"error":"invalid_client","error_description":"nope"}'))).toBe('invalid_client: nope')
    expect(errorMessage(res(400, '{"error":"invalid_grant"}'))).toBe('invalid_grant')
    // The description is redacted like any message.
    expect(errorMessage(res(400, '{"error":"invalid_grant","error_description":"token s3cr3t-x is bad"}'), t => t.replace('s3cr3t-x', '***'))).toBe(
      'invalid_grant: token *** is bad'
    )
  })

  it('a list answer of another shape is an error, not an empty cluster (it would plan every connector as a create)', async () => {
    const list = (body: string) =>
      new ConfluentClient({ send: async () => res(200, body) }, 'https://api.example').list({ environmentId: 'env-1', kafkaClusterId: 'lkc-1' })
    for (const body of ['null', '"ok"', '42', 'true', '[1]', '["a", {}]'])
      await expect(list(body)).rejects.toThrow(/neither an object by name nor an array of names/)
    // The two shapes the API answers, even empty.
    expect((await list('{}')).size).toBe(0)
    expect((await list('[]')).size).toBe(0)
    expect([...(await list('["a","b"]')).keys()]).toEqual(['a', 'b'])
  })

  it('parses the expanded list leniently (unknown type, extra fields)', async () => {
    const body = fixture('tf-managed__read_created_connectors.json')
    const client = new ConfluentClient({ send: async () => res(200, body) }, 'https://api.example')
    const live = await client.list({ environmentId: 'env-1', kafkaClusterId: 'lkc-1' })
    const c = live.get('test_connector')
    expect(c).toMatchObject({ id: 'lcc-abc123', type: 'unknown', state: 'RUNNING', tasks: [{ id: 0, state: 'RUNNING' }] })
    expect(c?.config['kafka.api.secret']).toBe('****************')
  })

  it('URL-encodes the connector name and turns errors into ApiError with the request id', async () => {
    const sent: string[] = []
    const client = new ConfluentClient(
      { send: async req => (sent.push(req.url), res(400, '{"error":{"code":400,"message":"bad config"}}', { 'x-request-id': 'req-9' })) },
      'https://api.example'
    )
    const err = await client.putConfig({ environmentId: 'env-1', kafkaClusterId: 'lkc-1' }, 'orders sink/1', { name: 'orders sink/1' }).catch(e => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).message).toBe('HTTP 400: bad config (request id req-9)')
    expect(sent[0]).toBe('https://api.example/connect/v1/environments/env-1/clusters/lkc-1/connectors/orders%20sink%2F1/config')
  })

  it('reads validate errors and PASSWORD keys', async () => {
    const body = JSON.stringify({
      configs: [
        { definition: { name: 'db.password', type: 'PASSWORD' }, value: { name: 'db.password', value: '****************', errors: [] } },
        { definition: { name: 'tasks.max', type: 'INT' }, value: { name: 'tasks.max', value: 'x', errors: ['Invalid value x for configuration tasks.max'] } }
      ]
    })
    const client = new ConfluentClient({ send: async () => res(200, body) }, 'https://api.example')
    const out = await client.validate({ environmentId: 'e', kafkaClusterId: 'k' }, 'DatagenSource', {})
    expect(out).toEqual({ passwordKeys: ['db.password'], errors: [{ key: 'tasks.max', message: 'Invalid value x for configuration tasks.max' }] })
  })
})

describe('an API message that echoes the config', () => {
  const res = (body: unknown): HttpResponse => ({ status: 400, body: JSON.stringify(body), headers: {} })

  it('masks the value of every credential-like key, however short, and keeps flags and other keys', () => {
    const echoed = JSON.stringify({ 'database.user': 'a', 'database.password': 'on', 'kafka.api.secret': 'x', 'ssl.enabled.password': 'true', topic: 'a' })
    const message = errorMessage(res({ error_code: 400, message: `Invalid config: ${echoed}` }))
    expect(message).toBe('Invalid config: {"database.user":"a","database.password":"***","kafka.api.secret":"***","ssl.enabled.password":"true","topic":"a"}')
  })

  it('also inside a JSON string quoted in the message (escaped quotes)', () => {
    const inner = JSON.stringify({ message: JSON.stringify({ 'sasl.jaas.config': 'pw', name: 'c' }) })
    expect(errorMessage(res({ error: { code: 400, message: inner } }))).toBe('{"message":"{\\"sasl.jaas.config\\":\\"***\\",\\"name\\":\\"c\\"}"}')
  })

  it('in the other renderings a server uses: single quotes, a Java map, white space or a newline before the colon', () => {
    expect(maskCredentialValues(`{'database.password': 'pw', 'topic': 't'}`)).toBe(`{'database.password': '***', 'topic': 't'}`)
    expect(maskCredentialValues('config {database.password=pw, tasks.max=1, sasl.jaas.config=x y}')).toBe(
      'config {database.password=***, tasks.max=1, sasl.jaas.config=***}'
    )
    expect(maskCredentialValues('{"database.password"\n  : "pw"}')).toBe('{"database.password"\n  : "***"}')
  })

  it('leaves a message without an echoed config as it is', () => {
    expect(maskCredentialValues('password must be at least 8 characters: "a"')).toBe('password must be at least 8 characters: "a"')
  })
})
