// The fake follows the cloud, by default: one describe per behaviour of
// shared/reference/api-notes.md ("Learned since (2026-11-30)") and sts-token-exchange.md.
// Each test cites the line it follows.
import { describe, expect, it } from '@jest/globals'
import { MASK, UNABLE_TO_VALIDATE, type FakeConfluent } from '../test-support/fake-confluent/index.js'
import { BASE, call, CLUSTER, config, ENV, fakeStarter, put } from '../test-support/fake-api.js'

const { start, started } = fakeStarter()
const status = async (fake: FakeConfluent, name: string) => (await call(fake, 'GET', `${BASE}/connectors/${encodeURIComponent(name)}/status`)).json

describe('accept-then-FAIL', () => {
  // api-notes: "A 200 from the PUT does not mean the config is in force. Confluent Cloud accepts a config whose checks
  // against the outside system fail, answers 200, and then shows the connector FAILED with a trace that starts
  // "Unable to validate configuration." ... followed by key: message lines; the status's validation_errors repeats those lines."
  it('answers 200 to a config whose outside checks fail, then shows FAILED with the trace and validation_errors', async () => {
    const { fake, clock } = await start({
      rejectOnRun: (name, cfg) =>
        cfg['kafka.topic'] === 'missing' ? ['kafka.topic: Topic missing does not exist', `name: ${name} cannot reach it`] : undefined
    })
    const r = await put(fake, 'o', config('o', { 'kafka.topic': 'missing' }))
    expect(r.status).toBe(200)
    expect((await status(fake, 'o')).connector.state).toBe('PROVISIONING')
    clock.t += 800
    const s = await status(fake, 'o')
    expect(s.connector.state).toBe('FAILED')
    expect(s.connector.trace.startsWith('Unable to validate configuration.')).toBe(true)
    expect(s.connector.trace).toMatch(/continues to operate on a previous configuration/)
    expect(s.connector.trace).toBe(`${UNABLE_TO_VALIDATE}\nkafka.topic: Topic missing does not exist\nname: o cannot reach it`)
    expect(s.validation_errors).toEqual(['kafka.topic: Topic missing does not exist', 'name: o cannot reach it'])
    expect(s.errors_from_trace).toEqual(s.validation_errors.map((error: string) => ({ error })))
    expect(s.tasks).toEqual([]) // a create has no previous valid configuration
    expect(fake.connector(ENV, CLUSTER, 'o')?.validationErrors).toEqual(s.validation_errors)
    // A later good config clears it.
    await put(fake, 'o', config('o'))
    clock.t += 800
    expect(await status(fake, 'o')).toMatchObject({ connector: { state: 'RUNNING', trace: '' }, validation_errors: [], errors_from_trace: [] })
  })

  it('keeps the previous valid configuration`s tasks running; the literal INVALID is an outside check, secrets shown [hidden]', async () => {
    const { fake, clock } = await start({ provisioningMs: 0 })
    await put(fake, 'o', config('o', { 'tasks.max': '2' }))
    expect((await status(fake, 'o')).tasks).toHaveLength(2)
    const r = await put(fake, 'o', config('o', { 'tasks.max': '3', 'kafka.topic': 'INVALID', 'kafka.api.secret': 'INVALID' }))
    expect(r.status).toBe(200)
    clock.t += 1
    const s = await status(fake, 'o')
    expect(s.connector.state).toBe('FAILED')
    expect(s.tasks.map((t: any) => t.state)).toEqual(['RUNNING', 'RUNNING'])
    expect(s.validation_errors).toEqual([
      expect.stringMatching(/^kafka\.api\.secret: Invalid value \[hidden\] for configuration kafka\.api\.secret/),
      expect.stringMatching(/^kafka\.topic: Invalid value INVALID for configuration kafka\.topic/)
    ])
  })

  it('keeps the 400-at-PUT path behind outsideChecks: reject-at-put', async () => {
    const { fake } = await start({ outsideChecks: 'reject-at-put', rejectOnRun: () => ['connection.url: Connection refused'] })
    const r = await put(fake, 'o', config('o', { 'kafka.topic': 'INVALID' }))
    expect(r.status).toBe(400)
    expect(r.json.error.message).toMatch(/contains the following 2 error\(s\):\nInvalid value INVALID for configuration kafka\.topic.*\nConnection refused/)
    expect(fake.connector(ENV, CLUSTER, 'o')).toBeUndefined()
  })

  it('reports outside-check failures per key in the validate answer too', async () => {
    const { fake } = await start({ rejectOnRun: () => ['kafka.topic: Topic does not exist'] })
    const v = await call(fake, 'PUT', `${BASE}/connector-plugins/DatagenSource/config/validate`, config('v'))
    expect(v.json.error_count).toBe(1)
    expect(v.json.configs.find((c: any) => c.definition.name === 'kafka.topic').value.errors).toEqual(['Topic does not exist'])
  })
})

describe('task failures and DEGRADED', () => {
  // api-notes: "A connector can be RUNNING while a task is FAILED ... A task's own error text is in its msg field".
  it('shows a RUNNING connector with a FAILED task and its msg (task-failed)', async () => {
    const { fake, clock } = await start({ behaviours: { o: { kind: 'task-failed', taskMsg: 'Connection to db refused' } } })
    await put(fake, 'o', config('o', { 'tasks.max': '2' }))
    clock.t += 800
    const s = await status(fake, 'o')
    expect(s.connector).toEqual({ state: 'RUNNING', worker_id: 'o', trace: '' })
    expect(s.tasks).toEqual([
      { id: 0, state: 'FAILED', worker_id: 'o', msg: 'Connection to db refused' },
      { id: 1, state: 'RUNNING', worker_id: 'o', msg: '' }
    ])
  })

  // api-notes: "DEGRADED (some tasks failed) is a normal stop on the way PROVISIONING → DEGRADED → RUNNING";
  // "tasks can be in state USER_ACTIONABLE_ERROR".
  it('goes PROVISIONING → DEGRADED → RUNNING (transient-degraded), and a degraded one stays', async () => {
    const { fake, clock } = await start({
      provisioningMs: 100,
      behaviours: {
        t: { kind: 'transient-degraded', degradedMs: 200, failedTasks: 2, tasks: 3 },
        d: { kind: 'degraded', taskState: 'USER_ACTIONABLE_ERROR', trace: 'check your credentials' }
      }
    })
    await put(fake, 't', config('t'))
    await put(fake, 'd', config('d'))
    const states = async (n: string) => {
      const s = await status(fake, n)
      return [s.connector.state, ...s.tasks.map((t: any) => t.state)]
    }
    expect(await states('t')).toEqual(['PROVISIONING'])
    clock.t += 100
    expect(await states('t')).toEqual(['DEGRADED', 'FAILED', 'FAILED', 'RUNNING'])
    expect(await states('d')).toEqual(['DEGRADED', 'USER_ACTIONABLE_ERROR'])
    expect((await status(fake, 'd')).errors_from_trace).toEqual([{ error: 'check your credentials' }])
    clock.t += 199
    expect((await states('t'))[0]).toBe('DEGRADED')
    clock.t += 1
    expect(await states('t')).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING'])
    clock.t += 1e9
    expect(await states('d')).toEqual(['DEGRADED', 'USER_ACTIONABLE_ERROR'])
  })

  // api-notes: "in one period connectors went RUNNING → FAILED → RUNNING within about 15 minutes after a create".
  it('goes RUNNING → FAILED → RUNNING (flapping)', async () => {
    const { fake, clock } = await start({ behaviours: { f: { kind: 'flapping', provisioningMs: 0, runningMs: 100, failedMs: 50, trace: 'worker lost' } } })
    await put(fake, 'f', config('f'))
    const seen: string[] = []
    for (const dt of [0, 99, 1, 49, 1]) {
      clock.t += dt
      seen.push(fake.connector(ENV, CLUSTER, 'f')!.state)
    }
    expect(seen).toEqual(['RUNNING', 'RUNNING', 'FAILED', 'FAILED', 'RUNNING'])
  })
})

describe('list lag', () => {
  // api-notes: "a just-created connector can be missing from the list for a few seconds (Terraform waits 5 s before reading)".
  it('hides a just-created connector from the expanded list for listLagMs (default 1000), not an update', async () => {
    const { fake, clock } = await start()
    await put(fake, 'o', config('o'))
    const expanded = async () => Object.keys((await call(fake, 'GET', `${BASE}/connectors?expand=id,status`)).json)
    expect(await expanded()).toEqual([])
    expect((await call(fake, 'GET', `${BASE}/connectors/o`)).status).toBe(200)
    clock.t += 999
    expect(await expanded()).toEqual([])
    clock.t += 1
    expect(await expanded()).toEqual(['o'])
    await put(fake, 'o', config('o', { 'tasks.max': '2' }))
    expect(await expanded()).toEqual(['o'])
  })

  it('shows it at once with listLagMs: 0', async () => {
    const { fake } = await start({ listLagMs: 0 })
    await put(fake, 'o', config('o'))
    expect(Object.keys((await call(fake, 'GET', `${BASE}/connectors?expand=info`)).json)).toEqual(['o'])
  })
})

describe('CUSTOM connectors', () => {
  const custom = (extra: Record<string, string> = {}) => ({
    name: 'c',
    'confluent.connector.type': 'CUSTOM',
    'confluent.custom.plugin.id': 'ccp-l57dmn',
    'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector',
    'kafka.api.key': 'k',
    'kafka.api.secret': 's',
    ...extra
  })

  // api-notes: "CUSTOM connectors need connector.class ... without it the PUT gets 400 "connector.class value should not be empty"".
  it('refuses a CUSTOM PUT without connector.class', async () => {
    const { fake } = await start()
    const { ['connector.class']: _omit, ...noClass } = custom()
    const r = await put(fake, 'c', noClass)
    expect(r.status).toBe(400)
    expect(r.json).toEqual({ error: { code: 400, message: 'connector.class value should not be empty' } })
    expect((await put(fake, 'c', custom({ 'connector.class': '' }))).status).toBe(400)
  })

  // api-notes: "The server fills CUSTOM keys when they are absent: confluent.custom.connect.plugin.runtime,
  // confluent.custom.connect.java.version; confluent.custom.plugin.version.id has appeared as server-set too."
  it('fills the CUSTOM runtime, java version and plugin version id when absent, keeps what was sent', async () => {
    const { fake } = await start()
    const r = await put(fake, 'c', custom())
    expect(r.status).toBe(200)
    expect(r.json.config).toMatchObject({
      'confluent.custom.connect.plugin.runtime': expect.any(String),
      'confluent.custom.connect.java.version': expect.any(String),
      'confluent.custom.plugin.version.id': expect.stringMatching(/^ver-/),
      'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector'
    })
    expect(fake.connector(ENV, CLUSTER, 'c')?.id).toMatch(/^clcc-/)
    await put(fake, 'c', custom({ 'confluent.custom.connect.java.version': '11' }))
    expect((await call(fake, 'GET', `${BASE}/connectors/c/config`)).json['confluent.custom.connect.java.version']).toBe('11')
    fake.setOptions({ customServerKeys: { runtime: '2.0.0', versionId: false } })
    await put(fake, 'c', custom())
    const cfg = fake.connector(ENV, CLUSTER, 'c')!.config
    expect(cfg['confluent.custom.connect.plugin.runtime']).toBe('2.0.0')
    expect(cfg).not.toHaveProperty(['confluent.custom.plugin.version.id'])
  })
})

describe('error shapes', () => {
  // api-notes: "403 answers a create of an end-of-life plugin ("has reached End-of-Life and cannot be used for new connectors")".
  it('answers 403 to a create of an end-of-life class, not to an update', async () => {
    const { fake } = await start()
    await put(fake, 'old', config('old', { 'connector.class': 'MySqlSource' }))
    fake.setOptions({ endOfLifeClasses: ['MySqlSource'] })
    const created = await put(fake, 'new', config('new', { 'connector.class': 'MySqlSource' }))
    expect(created.status).toBe(403)
    expect(created.json.error.message).toMatch(/MySqlSource has reached End-of-Life and cannot be used for new connectors/)
    expect((await put(fake, 'old', config('old', { 'connector.class': 'MySqlSource' }))).status).toBe(200)
  })

  // api-notes: "Quota exhaustion can come as a retryable status (a 5xx), not only as 402"; "Quota errors read like
  // "... is currently limited to ..." in detail".
  it('refuses a create beyond connectorQuota with a 5xx (default 500) and "is currently limited to"', async () => {
    const { fake } = await start({ connectorQuota: { limit: 1 } })
    expect((await put(fake, 'a', config('a'))).status).toBe(200)
    const r = await put(fake, 'b', config('b'))
    expect(r.status).toBe(500)
    expect(r.json).toEqual({ errors: [{ status: '500', detail: expect.stringMatching(/is currently limited to 1/) }] })
    expect((await put(fake, 'a', config('a'))).status).toBe(200) // an update is no create
    fake.setOptions({ connectorQuota: { limit: 1, status: 402 } })
    expect((await put(fake, 'b', config('b'))).status).toBe(402)
  })
})

describe('validate lists the plugin`s keys with PASSWORD types', () => {
  // api-notes: "Validate answers list every key the plugin defines, not only those sent"; "each key's definition.type tells which keys are PASSWORD".
  it('types the catalogue keys PASSWORD, lists them unsent, and not keys by name', async () => {
    const { fake } = await start()
    const body = config('v', { 'connector.class': 'PostgresSource', 'connection.password': '', 'my.password': 'x' })
    const r = await call(fake, 'PUT', `${BASE}/connector-plugins/PostgresSource/config/validate`, body)
    const entry = (k: string) => r.json.configs.find((c: any) => c.definition.name === k)
    expect(entry('connection.password')).toMatchObject({ definition: { type: 'PASSWORD' }, value: { value: '' } })
    expect(entry('ssl.clientkeyfile')).toMatchObject({ definition: { type: 'PASSWORD' }, value: { value: '' } }) // not sent
    expect(entry('query').definition.type).toBe('PASSWORD')
    expect(entry('kafka.api.secret').value.value).toBe(MASK)
    expect(entry('kafka.api.key')).toMatchObject({ definition: { type: 'STRING' }, value: { value: 'KAFKAKEY123' } })
    expect(entry('my.password')).toMatchObject({ definition: { type: 'STRING' }, value: { value: 'x' } })
    expect(JSON.stringify(r.json)).not.toContain('kafka-secret-value')
  })
})

describe('pause, resume and delete', () => {
  // api-notes: "Pause and resume answer 202 and take effect later: just after a resume the connector can still show PAUSED."
  it('takes effect after pauseResumeDelayMs (default 500)', async () => {
    const { fake, clock } = await start({ provisioningMs: 0 })
    await put(fake, 'o', config('o'))
    const state = () => fake.connector(ENV, CLUSTER, 'o')!.state
    expect((await call(fake, 'PUT', `${BASE}/connectors/o/pause`)).status).toBe(202)
    expect(state()).toBe('RUNNING')
    clock.t += 499
    expect(state()).toBe('RUNNING')
    clock.t += 1
    expect((await status(fake, 'o')).connector.state).toBe('PAUSED')
    expect((await call(fake, 'PUT', `${BASE}/connectors/o/resume`)).status).toBe(202)
    expect((await status(fake, 'o')).connector.state).toBe('PAUSED')
    clock.t += 500
    expect(state()).toBe('RUNNING')
  })

  it('a connector seeded PAUSED (paused by hand) resumes after a resume', async () => {
    const { fake, clock } = await start({ provisioningMs: 0 })
    fake.seed(ENV, CLUSTER, 'held', config('held'), { state: 'PAUSED' })
    expect((await status(fake, 'held')).connector.state).toBe('PAUSED')
    expect((await call(fake, 'PUT', `${BASE}/connectors/held/resume`)).status).toBe(202)
    clock.t += 500
    expect((await status(fake, 'held')).connector.state).toBe('RUNNING')
  })

  // Spec (connect-v1-openapi.yaml, deleteConnectv1Connector): 200 `{"error": null}`; an unknown name is 404.
  it('deletes with 200 {error:null}, and answers 404 for an unknown name', async () => {
    const { fake } = await start()
    await put(fake, 'o', config('o'))
    expect(await call(fake, 'DELETE', `${BASE}/connectors/o`).then(r => [r.status, r.json])).toEqual([200, { error: null }])
    expect(fake.connector(ENV, CLUSTER, 'o')).toBeUndefined()
    expect(await call(fake, 'DELETE', `${BASE}/connectors/o`).then(r => [r.status, r.json])).toEqual([404, { error_code: 404, message: 'resource not found' }])
  })
})

describe('restart', () => {
  // api-notes: "Restart exists although the spec omits it: POST .../connectors/{name}/restart and
  // POST .../connectors/{name}/tasks/{task_id}/restart. Both answer 400 while the connector is not RUNNING (provisioning included)."
  it('answers 400 unless RUNNING (PROVISIONING, FAILED, PAUSED), 404 for unknown names and tasks', async () => {
    const { fake, clock } = await start({ pauseResumeDelayMs: 0, behaviours: { f: { kind: 'failed' } } })
    await put(fake, 'o', config('o'))
    await put(fake, 'f', config('f'))
    const restart = (n: string, task?: string) => call(fake, 'POST', `${BASE}/connectors/${n}${task === undefined ? '' : `/tasks/${task}`}/restart`)
    for (const r of [await restart('o'), await restart('o', '0')]) {
      expect(r.status).toBe(400)
      expect(r.json.error.message).toMatch(/PROVISIONING/)
    }
    clock.t += 800
    expect((await restart('f')).status).toBe(400)
    expect((await restart('o')).status).toBe(202)
    expect((await restart('o', '0')).status).toBe(202)
    expect((await restart('o', '5')).status).toBe(404)
    expect((await restart('nope')).status).toBe(404)
    await call(fake, 'PUT', `${BASE}/connectors/o/pause`)
    expect((await restart('o')).status).toBe(400)
  })

  it('a task restart makes a FAILED task RUNNING, or after restartFailures more failures', async () => {
    const { fake } = await start({
      provisioningMs: 0,
      behaviours: { once: { kind: 'task-failed' }, twice: { kind: 'task-failed', restartFailures: 2, failedTasks: 2, tasks: 2 } }
    })
    await put(fake, 'once', config('once'))
    await put(fake, 'twice', config('twice'))
    const taskStates = async (n: string) => (await status(fake, n)).tasks.map((t: any) => t.state)
    expect(await taskStates('once')).toEqual(['FAILED'])
    expect((await call(fake, 'POST', `${BASE}/connectors/once/tasks/0/restart`)).status).toBe(202)
    expect(await taskStates('once')).toEqual(['RUNNING'])
    const seen: string[][] = []
    for (let i = 0; i < 3; i++) {
      await call(fake, 'POST', `${BASE}/connectors/twice/tasks/0/restart`)
      seen.push(await taskStates('twice'))
    }
    expect(seen).toEqual([
      ['FAILED', 'FAILED'],
      ['FAILED', 'FAILED'],
      ['RUNNING', 'FAILED']
    ])
    // A connector restart restarts every task.
    for (let i = 0; i < 3; i++) await call(fake, 'POST', `${BASE}/connectors/twice/restart`)
    expect(await taskStates('twice')).toEqual(['RUNNING', 'RUNNING'])
  })
})

describe('keyless login (STS)', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const jwt = (claims: Record<string, string>) =>
    `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'https://token.actions.githubusercontent.com', ...claims })}.c2ln`
  const GITHUB_JWT = jwt({ repository: 'acme/connectors', ref: 'refs/heads/main' })
  const good = (extra: Record<string, string> = {}) => ({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: GITHUB_JWT,
    identity_pool_id: 'pool-abc',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    ...extra
  })
  const exchange = async (fake: FakeConfluent, form: Record<string, string>, contentType = 'application/x-www-form-urlencoded') => {
    const res = await fetch(`${fake.url}/sts/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body: new URLSearchParams(form).toString()
    })
    return { status: res.status, json: (await res.json()) as any }
  }
  const pool = (jwtText: string) => JSON.parse(Buffer.from(jwtText.split('.')[1], 'base64url').toString()).repository === 'acme/connectors'

  // sts-token-exchange.md: "Exchange: POST {api-url}/sts/v1/oauth2/token, body application/x-www-form-urlencoded, fields: ...";
  // "200 answer (JSON): access_token, issued_token_type, token_type (Bearer), expires_in"; "Calls then send Authorization: Bearer <access_token>".
  it('exchanges a JWT for an access token that connect/v1 accepts until it expires', async () => {
    const { fake, clock } = await start({ sts: { pools: ['pool-abc'], subjectTokens: t => pool(t), tokenLifetimeSec: 600 } })
    const r = await exchange(fake, good({ expires_in: '300' }))
    expect(r.status).toBe(200)
    expect(r.json).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 300
    })
    const bearer = { Authorization: `Bearer ${r.json.access_token}` }
    expect((await call(fake, 'GET', `${BASE}/connectors`, undefined, bearer)).status).toBe(200)
    expect((await call(fake, 'PUT', `${BASE}/connectors/o/config`, config('o'), bearer)).status).toBe(200)
    clock.t += 299_999
    expect((await call(fake, 'GET', `${BASE}/connectors`, undefined, bearer)).status).toBe(200)
    clock.t += 1
    const expired = await call(fake, 'GET', `${BASE}/connectors`, undefined, bearer)
    expect(expired.status).toBe(401)
    expect(expired.json).toEqual({ errors: [{ status: '401', detail: expect.any(String) }] })
    const unknown = await call(fake, 'GET', `${BASE}/connectors`, undefined, { Authorization: 'Bearer not-issued' })
    expect(unknown.json.errors[0].status).toBe('401')
    // expires_in is capped by the lifetime.
    expect((await exchange(fake, good({ expires_in: '99999' }))).json.expires_in).toBe(600)
    // Never log the subject token or access token.
    const log = JSON.stringify(fake.requests)
    expect(log).not.toContain(GITHUB_JWT)
    expect(log).not.toContain(r.json.access_token)
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/sts/v1/oauth2/token',
      status: 200,
      body: { subject_token: '[redacted]', identity_pool_id: 'pool-abc' }
    })
    expect(fake.requests[1].apiKey).toBe('bearer')
  })

  // sts-token-exchange.md: "Other answers: 400 (bad request, e.g. a token the pool's filter rejects)".
  it('answers 400 for every wrong field, an unknown pool and a token the pool filter rejects', async () => {
    const { fake } = await start({ sts: { pools: ['pool-abc'], subjectTokens: [GITHUB_JWT] } })
    const bad: Record<string, string>[] = [
      good({ grant_type: 'client_credentials' }),
      good({ subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' }),
      good({ requested_token_type: 'urn:ietf:params:oauth:token-type:jwt' }),
      good({ subject_token: 'not-a-jwt' }),
      good({ subject_token: jwt({ repository: 'evil/fork' }) }),
      good({ identity_pool_id: 'pool-other' }),
      good({ identity_pool_id: '' }),
      good({ expires_in: '-5' }),
      good({ expires_in: '1.5' }),
      good({ scope: 'x' })
    ]
    for (const field of ['grant_type', 'subject_token', 'identity_pool_id', 'subject_token_type', 'requested_token_type']) {
      const rest: Record<string, string> = good()
      delete rest[field]
      bad.push(rest)
    }
    for (const form of bad) {
      const r = await exchange(fake, form)
      expect([JSON.stringify(form), r.status, r.json.errors?.[0]?.status]).toEqual([JSON.stringify(form), 400, '400'])
    }
    expect((await exchange(fake, good(), 'application/json')).status).toBe(400)
    expect((await exchange(fake, good())).status).toBe(200)
  })
})

describe('concurrency limit', () => {
  // api-notes: "Limits are per user and per organization, concurrency limits exist too".
  it('answers 429 with Retry-After: 1 and the budget left when more than concurrencyLimit requests are in flight', async () => {
    const { fake } = await start({ concurrencyLimit: 2, rateLimit: { limit: 10, windowMs: 60_000 } })
    expect((await call(fake, 'GET', `${BASE}/connectors`)).status).toBe(200)
    fake.inject({ kind: 'slow', delayMs: 60_000, times: 2 })
    // Two requests held in flight (they end when the fake closes).
    const held = [0, 1].map(() => call(fake, 'GET', `${BASE}/connectors`).catch(() => 'closed'))
    while (fake.requests.length < 3) await new Promise(r => setTimeout(r, 5))
    const third = await call(fake, 'GET', `${BASE}/connectors`)
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('1')
    expect(['limit', 'remaining'].map(h => third.headers.get(`x-ratelimit-${h}`))).toEqual(['10', '9'])
    await fake.close()
    started.splice(started.indexOf(fake), 1)
    expect(await Promise.all(held)).toEqual(['closed', 'closed'])
  })
})
