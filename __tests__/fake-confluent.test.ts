import { describe, expect, it } from '@jest/globals'
import { MASK } from '../test-support/fake-confluent/index.js'
import { BASE, call, CLUSTER, config, ENV, fakeStarter, put } from '../test-support/fake-api.js'

const { start } = fakeStarter()

/** Every path of `expected` exists in `actual` with the same JSON kind (arrays: first element). */
function expectShape(actual: unknown, expected: unknown, path = '$'): void {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
  expect(`${path}: ${kind(actual)}`).toBe(`${path}: ${kind(expected)}`)
  if (Array.isArray(expected) && expected.length > 0) expectShape((actual as unknown[])[0], expected[0], `${path}[0]`)
  else if (kind(expected) === 'object') {
    for (const [k, v] of Object.entries(expected as object)) expectShape((actual as any)[k], v, `${path}.${k}`)
  }
}

// Structure of fixtures/tf-managed__read_created_connectors.json (one entry).
const FIXTURE_ENTRY = {
  status: {
    name: 'test_connector',
    connector: { state: 'RUNNING', worker_id: 'test_connector', trace: '' },
    tasks: [{ id: 0, state: 'RUNNING', worker_id: 'test_connector', msg: '' }],
    type: 'unknown',
    errors_from_trace: [],
    validation_errors: [],
    override_message: ''
  },
  info: { name: 'test_connector', type: 'unknown', config: { name: 'x' }, tasks: [{ connector: 'test_connector', task: 0 }] },
  id: { id: 'lcc-abc123', id_type: 'ID' },
  extensions: {}
}

describe('auth and unknown targets', () => {
  // api-notes: "A third error shape, {"errors":[{"status":"401","detail":"..."}]} (status as a string), is what a wrong Cloud API key gets."
  it('answers 401 in the errors[] shape (status as a string) without or with wrong credentials', async () => {
    const { fake } = await start()
    for (const auth of [undefined, 'Basic ' + Buffer.from('test-key:wrong').toString('base64')]) {
      const res = await fetch(`${fake.url}${BASE}/connectors`, { headers: auth ? { Authorization: auth } : {} })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ errors: [{ status: '401', detail: 'Unauthorized' }] })
      expect(res.headers.get('content-type')).toBe('application/json')
      expect(res.headers.get('x-request-id')).toBeTruthy()
    }
    fake.setOptions({ authErrorShape: 'error' })
    expect((await call(fake, 'GET', `${BASE}/connectors`, undefined, { Authorization: 'Basic eDp5' })).json).toEqual({
      error: { code: 401, message: 'Unauthorized' }
    })
  })

  it('answers 404 in the error_code shape for unknown env, cluster and connector', async () => {
    const { fake } = await start()
    const env = await call(fake, 'GET', `/connect/v1/environments/env-nope/clusters/${CLUSTER}/connectors`)
    const cluster = await call(fake, 'GET', `/connect/v1/environments/${ENV}/clusters/lkc-nope/connectors`)
    for (const r of [env, cluster]) {
      expect(r.status).toBe(404)
      expect(r.json).toEqual({ error_code: 404, message: expect.any(String) })
    }
    const conn = await call(fake, 'GET', `${BASE}/connectors/missing/status`)
    expect(conn.json).toEqual({ error_code: 404, message: 'resource not found' })
  })
})

describe('PUT and list', () => {
  it('creates, answers like the captured create response and lists with expand like the fixture', async () => {
    const { fake, clock } = await start()
    const created = await put(fake, 'orders', config('orders'))
    expect(created.status).toBe(200)
    expect(Object.keys(created.json).sort()).toEqual(['config', 'name', 'tasks', 'type'])
    expect(created.json).toMatchObject({ name: 'orders', type: 'source', tasks: [] })
    expect(await call(fake, 'GET', `${BASE}/connectors`).then(r => r.json)).toEqual(['orders'])

    clock.t += 1000
    const list = await call(fake, 'GET', `${BASE}/connectors?expand=info,status,id`)
    expect(Object.keys(list.json)).toEqual(['orders'])
    expectShape(list.json.orders, FIXTURE_ENTRY)
    expect(list.json.orders.id.id).toMatch(/^lcc-/)
    expect(list.json.orders.status.connector).toEqual({ state: 'RUNNING', worker_id: 'orders', trace: '' })
    expect(list.json.orders.info.tasks).toEqual([{ connector: 'orders', task: 0 }])

    const idOnly = await call(fake, 'GET', `${BASE}/connectors?expand=id`)
    expect(Object.keys(idOnly.json.orders).sort()).toEqual(['extensions', 'id'])
    const two = await call(fake, 'GET', `${BASE}/connectors?expand=status&expand=info`)
    expect(Object.keys(two.json.orders).sort()).toEqual(['extensions', 'info', 'status'])
  })

  // api-notes: "Masking follows the plugin's declared types, not key names" and "An empty PASSWORD value comes back as \"\"".
  it('masks the catalogue PASSWORD keys of the class in every response, not keys by name; connector() keeps the real value', async () => {
    const { fake } = await start()
    // PostgresSource declares connection.password and query PASSWORD (plugin-password-keys.json).
    const cfg = config('db', {
      'connector.class': 'PostgresSource',
      'connection.password': 'pw-1',
      query: 'SELECT 1',
      'ssl.rootcertfile': '',
      'my.password': 'not-declared',
      'gcs.credentials.config': '{"k":1}'
    })
    const bodies = [(await put(fake, 'db', cfg)).json.config]
    bodies.push((await call(fake, 'GET', `${BASE}/connectors/db/config`)).json)
    bodies.push((await call(fake, 'GET', `${BASE}/connectors/db`)).json.config)
    for (const c of bodies) {
      expect(c['kafka.api.secret']).toBe(MASK)
      expect(c['connection.password']).toBe('****************')
      expect(c.query).toBe(MASK)
      expect(c['ssl.rootcertfile']).toBe('')
      expect(c['my.password']).toBe('not-declared')
      expect(c['gcs.credentials.config']).toBe('{"k":1}')
      expect(c['kafka.api.key']).toBe('KAFKAKEY123')
    }
    expect(fake.connector(ENV, CLUSTER, 'db')?.config['kafka.api.secret']).toBe('kafka-secret-value')
    expect(JSON.stringify(bodies)).not.toContain('pw-1')

    fake.setOptions({ maskKafkaApiKey: true, passwordKeys: ['my.password'], mask: '********' })
    const after = (await call(fake, 'GET', `${BASE}/connectors/db/config`)).json
    expect([after['kafka.api.key'], after['my.password'], after['connection.password']]).toEqual(['********', '********', '********'])
  })

  it('masks kafka.api.key where the catalogue types it PASSWORD (RabbitMQSource) and not for most classes', async () => {
    const { fake } = await start({ listLagMs: 0 })
    await put(fake, 'r', config('r', { 'connector.class': 'RabbitMQSource' }))
    await put(fake, 'd', config('d'))
    const list = (await call(fake, 'GET', `${BASE}/connectors?expand=info`)).json
    expect(list.r.info.config['kafka.api.key']).toBe(MASK)
    expect(list.d.info.config['kafka.api.key']).toBe('KAFKAKEY123')
    fake.setOptions({ maskKafkaApiKey: false })
    expect((await call(fake, 'GET', `${BASE}/connectors/r/config`)).json['kafka.api.key']).toBe('KAFKAKEY123')
  })

  it('adds server keys, and a PUT replaces the whole config', async () => {
    const { fake } = await start()
    await put(fake, 'o', config('o', { 'max.interval': '100' }))
    const first = (await call(fake, 'GET', `${BASE}/connectors/o/config`)).json
    for (const k of ['cloud.environment', 'cloud.provider', 'kafka.endpoint', 'kafka.region', 'kafka.max.partition.validation.disable']) {
      expect(typeof first[k]).toBe('string')
    }
    expect(first['max.interval']).toBe('100')
    await put(fake, 'o', config('o'))
    expect((await call(fake, 'GET', `${BASE}/connectors/o/config`)).json).not.toHaveProperty(['max.interval'])
    expect(fake.connector(ENV, CLUSTER, 'o')?.config).not.toHaveProperty(['max.interval'])
  })

  it('keeps URL-encoded names whole', async () => {
    const { fake } = await start()
    const name = 'orders sink/1'
    expect((await put(fake, name, config(name))).status).toBe(200)
    expect((await call(fake, 'GET', `${BASE}/connectors`)).json).toEqual([name])
    expect((await call(fake, 'GET', `${BASE}/connectors/${encodeURIComponent(name)}/status`)).json.name).toBe(name)
    expect(fake.connector(ENV, CLUSTER, name)).toBeDefined()
    expect(fake.requests[0].path).toContain('orders%20sink%2F1')
  })

  it('rejects bad bodies with 400 in the error.code shape, unknown classes with 500', async () => {
    const { fake } = await start({ rejectClasses: c => c === 'NoSuchConnector' })
    const cases: [unknown, RegExp][] = [
      ['{not json', /JSON/],
      [{ ...config('a'), 'tasks.max': 1 }, /tasks\.max/],
      [[config('a')], /object/],
      [config('other'), /does not match/],
      [{ ...config('a'), 'connector.class': undefined }, /connector\.class/],
      [{ ...config('a'), 'kafka.api.secret': undefined }, /kafka\.api\.secret/],
      [config('a', { 'tasks.max': '0' }), /tasks\.max/]
    ]
    for (const [body, message] of cases) {
      const r = await put(fake, 'a', body)
      expect(r.status).toBe(400)
      expect(r.json).toEqual({ error: { code: 400, message: expect.stringMatching(message) } })
      expect(r.text).not.toContain('kafka-secret-value')
    }
    const sa = { name: 'a', 'connector.class': 'S3Sink', 'kafka.auth.mode': 'SERVICE_ACCOUNT', 'kafka.service.account.id': 'sa-1' }
    expect((await put(fake, 'a', sa)).json.type).toBe('sink')
    const custom = {
      name: 'c',
      'confluent.connector.type': 'CUSTOM',
      'confluent.custom.plugin.id': 'ccp-1',
      'connector.class': 'io.example.X',
      'kafka.api.key': 'k',
      'kafka.api.secret': 's'
    }
    expect((await put(fake, 'c', custom)).status).toBe(200)
    const unknown = await put(fake, 'a', config('a', { 'connector.class': 'NoSuchConnector' }))
    expect(unknown.status).toBe(500)
    expect(unknown.json).toEqual({
      error_code: 500,
      message: expect.stringMatching(/^Failed to find any class that implements Connector and which name matches NoSuchConnector/)
    })
    const noType = await call(fake, 'PUT', `${BASE}/connectors/a/config`, JSON.stringify(config('a')), { 'Content-Type': 'text/plain' })
    expect(noType.status).toBe(415)
  })

  it('echoes the received config in 400 messages only when asked', async () => {
    const { fake } = await start({ echoConfigInErrors: true })
    const r = await put(fake, 'a', { ...config('a'), 'kafka.api.key': undefined })
    expect(r.json.error.message).toContain('kafka-secret-value')
  })
})

describe('state machine', () => {
  // api-notes: "provisioning typically takes 2-6 minutes": the fake keeps a moment (800 ms by default).
  it('goes PROVISIONING then RUNNING with tasks, per the injected clock (default 800 ms)', async () => {
    const { fake, clock } = await start()
    await put(fake, 'o', config('o', { 'tasks.max': '2' }))
    const status = async () => (await call(fake, 'GET', `${BASE}/connectors/o/status`)).json
    expect(await status()).toMatchObject({ connector: { state: 'PROVISIONING' }, tasks: [] })
    clock.t += 799
    expect((await status()).connector.state).toBe('PROVISIONING')
    clock.t += 1
    const running = await status()
    expect(running.connector.state).toBe('RUNNING')
    expect(running.tasks).toEqual([0, 1].map(id => ({ id, state: 'RUNNING', worker_id: 'o', msg: '' })))
    await put(fake, 'o', config('o'))
    expect((await status()).connector.state).toBe('PROVISIONING')
  })

  it('follows transient-failed, failed and stuck behaviours', async () => {
    const { fake, clock } = await start({
      provisioningMs: 100,
      behaviours: {
        t: { kind: 'transient-failed', failedMs: 300, trace: 'boom' },
        f: { kind: 'failed', trace: 'bad key' },
        s: { kind: 'stuck' }
      }
    })
    for (const n of ['t', 'f', 's']) await put(fake, n, config(n))
    const state = (n: string) => fake.connector(ENV, CLUSTER, n)
    clock.t += 150
    expect(state('t')).toMatchObject({ state: 'FAILED', trace: 'boom' })
    clock.t += 250
    expect(state('t')?.state).toBe('RUNNING')
    expect((await call(fake, 'GET', `${BASE}/connectors/f/status`)).json.connector).toEqual({ state: 'FAILED', worker_id: 'f', trace: 'bad key' })
    clock.t += 1e9
    expect([state('f')?.state, state('s')?.state]).toEqual(['FAILED', 'PROVISIONING'])
  })

  it('serves seeded connectors, pause/resume and delete', async () => {
    const { fake } = await start({ pauseResumeDelayMs: 0 })
    fake.seed(ENV, 'lkc-new', 'old', config('old'))
    fake.seed(ENV, 'lkc-new', 'bad', config('bad'), { state: 'FAILED', trace: 'nope' })
    const base = `/connect/v1/environments/${ENV}/clusters/lkc-new/connectors`
    const list = (await call(fake, 'GET', `${base}?expand=status`)).json
    expect(list.old.status.tasks).toHaveLength(1)
    expect(list.bad.status.connector).toMatchObject({ state: 'FAILED', trace: 'nope' })
    expect((await call(fake, 'PUT', `${base}/old/pause`)).status).toBe(202)
    expect(fake.connector(ENV, 'lkc-new', 'old')?.state).toBe('PAUSED')
    expect((await call(fake, 'PUT', `${base}/old/resume`)).status).toBe(202)
    expect(fake.connector(ENV, 'lkc-new', 'old')?.state).toBe('RUNNING')
    expect((await call(fake, 'DELETE', `${base}/old`)).json).toEqual({ error: null })
    expect((await call(fake, 'GET', `${base}/old`)).status).toBe(404)
  })
})

describe('rate limit', () => {
  it('sends relative reset headers, answers 429 with Retry-After without consuming budget, then resets', async () => {
    const { fake, clock } = await start({ rateLimit: { limit: 2, windowMs: 10_000 } })
    const list = () => call(fake, 'GET', `${BASE}/connectors`)
    const rl = (r: { headers: Headers }) => ['limit', 'remaining', 'reset'].map(h => r.headers.get(`x-ratelimit-${h}`))
    expect(rl(await list())).toEqual(['2', '1', '10'])
    clock.t += 2_700
    expect(rl(await list())).toEqual(['2', '0', '8'])
    const limited = await list()
    expect(limited.status).toBe(429)
    expect(limited.json).toEqual({ error: { code: 429, message: 'Too Many Requests' } })
    expect(limited.headers.get('retry-after')).toBe('8')
    clock.t += 7_299
    expect((await list()).headers.get('retry-after')).toBe('1')
    clock.t += 1
    expect(rl(await list())).toEqual(['2', '1', '10'])
    // Per API key: another key has its own window; errors carry the headers too.
    const other = await call(fake, 'GET', `${BASE}/connectors`, undefined, { Authorization: 'Basic ' + Buffer.from('k2:s2').toString('base64') })
    expect(other.status).toBe(401)
    expect(rl(other)).toEqual(['2', '1', '10'])
  })

  it('omits X-RateLimit-* when sendHeaders is false but keeps Retry-After on 429', async () => {
    const { fake } = await start({ rateLimit: { limit: 1, windowMs: 1_500, sendHeaders: false } })
    const first = await call(fake, 'GET', `${BASE}/connectors`)
    expect(first.headers.get('x-ratelimit-remaining')).toBeNull()
    const second = await call(fake, 'GET', `${BASE}/connectors`)
    expect(second.status).toBe(429)
    expect(second.headers.get('retry-after')).toBe('2')
    expect(second.headers.get('x-ratelimit-limit')).toBeNull()
  })
})

describe('validate', () => {
  const path = `${BASE}/connector-plugins/DatagenSource/config/validate`

  it('answers in the fixture shape with PASSWORD types and no errors for a good config', async () => {
    const { fake } = await start()
    const r = await call(fake, 'PUT', path, config('v'))
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ name: 'DatagenSource', groups: expect.any(Array), error_count: 0 })
    const entry = r.json.configs.find((c: any) => c.definition.name === 'kafka.api.secret')
    expect(entry).toEqual({
      definition: expect.objectContaining({ name: 'kafka.api.secret', type: 'PASSWORD', required: false }),
      value: { name: 'kafka.api.secret', value: MASK, recommended_values: [], errors: [], visible: true },
      metadata: {}
    })
    const topic = r.json.configs.find((c: any) => c.definition.name === 'kafka.topic')
    expect(topic.definition.type).toBe('STRING')
    expect(topic.value.value).toBe('orders')
  })

  it('reports per-key errors: missing required keys, tasks.max and literal INVALID', async () => {
    const { fake } = await start()
    const body = { ...config('v', { 'tasks.max': 'two', 'kafka.topic': 'INVALID' }), 'kafka.api.key': undefined }
    const r = await call(fake, 'PUT', path, body)
    const errorsOf = (k: string) => r.json.configs.find((c: any) => c.value.name === k)?.value.errors
    expect(errorsOf('kafka.api.key')).toEqual([expect.stringMatching(/Missing required configuration "kafka.api.key"/)])
    expect(errorsOf('tasks.max')).toHaveLength(1)
    expect(errorsOf('kafka.topic')).toHaveLength(1)
    expect(errorsOf('kafka.api.secret')).toEqual([])
    expect(r.json.error_count).toBe(3)
    const sa = { name: 'v', 'connector.class': 'X', 'kafka.auth.mode': 'SERVICE_ACCOUNT', 'kafka.service.account.id': 'sa-1' }
    expect((await call(fake, 'PUT', path, sa)).json.error_count).toBe(0)
  })
})

describe('faults, latency and the request log', () => {
  it('consumes injected faults in order by matching requests', async () => {
    const { fake } = await start()
    fake.inject({ kind: 'status', status: 503, body: '{"error":{"code":503,"message":"down"}}', method: 'GET', times: 2 })
    fake.inject({ kind: 'non-json', pathIncludes: '/status' })
    fake.inject({ kind: 'reset', method: 'PUT' })
    const list = () => call(fake, 'GET', `${BASE}/connectors`)
    expect((await list()).json).toEqual({ error: { code: 503, message: 'down' } })
    expect((await list()).status).toBe(503)
    expect((await list()).status).toBe(200)
    await expect(put(fake, 'o', config('o'))).rejects.toThrow()
    expect(fake.requests.at(-1)?.status).toBe(0)
    expect(fake.connector(ENV, CLUSTER, 'o')).toBeUndefined()
    fake.seed(ENV, CLUSTER, 'o', config('o'))
    const html = await call(fake, 'GET', `${BASE}/connectors/o/status`)
    expect([html.status, html.headers.get('content-type'), html.json]).toEqual([200, 'text/html', undefined])
    expect((await call(fake, 'GET', `${BASE}/connectors/o/status`)).json.connector.state).toBe('RUNNING')
  })

  it('delays slow faults and then answers normally', async () => {
    const { fake } = await start()
    fake.inject({ kind: 'slow', delayMs: 150 })
    const t0 = Date.now()
    const r = await call(fake, 'GET', `${BASE}/connectors`)
    expect(r.json).toEqual([])
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140)
  })

  it('handles a request on arrival and holds its answer until latencyMs after the arrival, for each of a burst', async () => {
    // The bound of the benchmark (latency per round) assumes each answer takes the latency, not the
    // latency plus the fake's handling of the burst's other requests on its one thread.
    const { fake } = await start({ latencyMs: 400 })
    const t0 = performance.now()
    const answers = Array.from({ length: 8 }, (_, i) => put(fake, `l${i}`, config(`l${i}`)).then(r => ({ r, at: performance.now() - t0 })))
    await new Promise(resolve => setTimeout(resolve, 150))
    // Handled on arrival: every connector exists while its answer is still held.
    expect(Array.from({ length: 8 }, (_, i) => fake.connector(ENV, CLUSTER, `l${i}`) !== undefined)).toEqual(Array(8).fill(true))
    for (const { r, at } of await Promise.all(answers)) {
      expect(r.status).toBe(200)
      expect(Number(r.headers.get('content-length'))).toBeGreaterThan(0)
      expect(at).toBeGreaterThanOrEqual(399)
    }
  })

  it('draws random faults from a seeded PRNG, reproducibly', async () => {
    const statuses = async (seed: number) => {
      const { fake } = await start({ faults: { rate503: 0.3, rateReset: 0.2, seed } })
      const out: number[] = []
      for (let i = 0; i < 20; i++)
        out.push(
          await call(fake, 'GET', `${BASE}/connectors`).then(
            r => r.status,
            () => 0
          )
        )
      return out
    }
    const a = await statuses(7)
    expect(await statuses(7)).toEqual(a)
    expect(a).toContain(503)
    expect(a).toContain(0)
    expect(a).toContain(200)
    const { fake } = await start({ faults: { rate503: 1 } })
    expect((await call(fake, 'GET', `${BASE}/connectors`)).json).toEqual({ error: { code: 503, message: 'Service Unavailable' } })
  })

  it('logs every request with parsed body and key, and gives unique request ids', async () => {
    const { fake, clock } = await start({ latencyMs: 5 })
    const a = await call(fake, 'GET', `${BASE}/connectors?expand=id`)
    clock.t += 10
    const b = await put(fake, 'o', config('o'))
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'))
    expect(fake.requests).toEqual([
      { method: 'GET', path: `${BASE}/connectors`, query: 'expand=id', status: 200, time: 1_000_000, apiKey: 'test-key' },
      { method: 'PUT', path: `${BASE}/connectors/o/config`, query: '', status: 200, time: 1_000_010, apiKey: 'test-key', body: config('o') }
    ])
    fake.resetLog()
    expect(fake.requests).toHaveLength(0)
  })
})
