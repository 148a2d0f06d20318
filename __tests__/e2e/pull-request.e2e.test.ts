// The pull-request plan, end to end: dry run against the fake Confluent API, the sticky comment on a
// fake GitHub API, validate errors annotated on the file's lines, secrets hidden in the diff.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js'
import { tmpdir } from 'node:os'
import { makeWorkspace, runAction } from '../../test-support/run-action.js'

const ENV = 'env-pr0001'
const CLUSTER = 'lkc-pr0001'
const TOKEN = 'ghs_faketoken123'
const DB_PASSWORD = 'canary-db-password-7f3a'
const NEW_DB_PASSWORD = 'canary-db-password-rotated-9c1e'

let fake: FakeConfluent
let gh: FakeGitHub
beforeAll(async () => {
  fake = await startFakeConfluent({ credentials: [{ key: 'PRKEY', secret: 'pr-cloud-secret-canary' }] })
  gh = await startFakeGitHub({ token: TOKEN })
})
afterAll(async () => {
  await fake.close()
  await gh.close()
})

const event = { name: 'pull_request', payload: { pull_request: { number: 17 }, repository: { name: 'connectors', owner: { login: 'acme' } } } }

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'api-url': fake.url,
    'api-key': 'PRKEY',
    'api-secret': 'pr-cloud-secret-canary',
    'environment-id': ENV,
    'kafka-cluster-id': CLUSTER,
    'kafka-api-key': 'KAFKAKEY',
    'kafka-api-secret': 'pr-kafka-secret-canary',
    'dry-run': 'true',
    'github-token': TOKEN,
    secrets: JSON.stringify({ DB_PASSWORD: NEW_DB_PASSWORD }),
    ...extra
  }
}

describe('pull-request plan', () => {
  it('plans without a PUT, shows a diff with secrets hidden, annotates validate errors and keeps one comment', async () => {
    fake.seed(ENV, CLUSTER, 'orders-source', {
      name: 'orders-source',
      'connector.class': 'PostgresCdcSourceV2',
      'database.hostname': 'db1.internal',
      'database.password': DB_PASSWORD,
      'kafka.api.key': 'KAFKAKEY',
      'kafka.api.secret': 'pr-kafka-secret-canary',
      'tasks.max': '1'
    })
    const workspace = makeWorkspace({
      'connectors/orders.yaml': [
        'name: orders-source',
        'config:',
        '  connector.class: PostgresCdcSourceV2',
        '  database.hostname: db2.internal',
        '  database.password: ${{ secrets.DB_PASSWORD }}',
        '  tasks.max: 1',
        ''
      ].join('\n'),
      'connectors/new.json': '{\n  "name": "new-sink",\n  "connector.class": "S3_SINK",\n  "topics": "orders",\n  "flush.size": "INVALID"\n}\n'
    })
    fake.resetLog()
    const first = await runAction({ inputs: inputs(), workspace, event, env: { GITHUB_API_URL: gh.url } })
    // No PUT to a connector config; only the list and validate calls.
    expect(fake.requests.filter(r => r.method === 'PUT' && r.path.endsWith('/config') && !r.path.includes('connector-plugins'))).toHaveLength(0)
    expect(fake.requests.filter(r => r.path.endsWith('/config/validate'))).toHaveLength(2)
    expect(fake.connector(ENV, CLUSTER, 'orders-source')?.config['database.hostname']).toBe('db1.internal')

    const results = JSON.parse(first.outputs.results) as Array<{ name: string; action: string }>
    expect(results.map(r => [r.name, r.action])).toEqual([
      ['new-sink', 'create'],
      ['orders-source', 'update']
    ])
    // The validate error sits on the line of its key; the step fails because of it.
    const annotation = first.annotations.find(a => a.level === 'error' && a.message.includes('flush.size'))
    expect(annotation).toMatchObject({ file: 'connectors/new.json', line: 5 })
    expect(first.code).toBe(1)

    // The diff: the changed host shown, the password (sensitive) never.
    expect(first.summary).toContain('database.hostname')
    expect(first.summary).toContain('db2.internal')
    expect(first.summary).toMatch(/database\.password.*\(sensitive[;)]/)
    const logLines = first.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n')
    for (const text of [first.summary, logLines, JSON.stringify(first.outputs), ...gh.comments.map(c => c.body)]) {
      for (const secret of [DB_PASSWORD, NEW_DB_PASSWORD, 'pr-cloud-secret-canary', 'pr-kafka-secret-canary']) expect(text).not.toContain(secret)
    }

    expect(gh.comments).toHaveLength(1)
    expect(gh.comments[0].issue).toBe(17)
    expect(gh.comments[0].body).toMatch(/^<!-- apply-connectors:[0-9a-f]{16} -->/)
    expect(gh.comments[0].body).toContain('orders-source')

    // Second run: the same comment is updated, not a new one added.
    const second = await runAction({ inputs: inputs(), workspace, event, env: { GITHUB_API_URL: gh.url } })
    expect(second.code).toBe(1)
    expect(gh.comments).toHaveLength(1)
    expect(gh.requests.filter(r => r.method === 'PATCH')).toHaveLength(1)

    // Another job applying other files keeps its own comment.
    const other = await runAction({ inputs: inputs({ files: 'connectors/orders.yaml' }), workspace, event, env: { GITHUB_API_URL: gh.url } })
    expect(other.code).toBe(0)
    expect(gh.comments).toHaveLength(2)
  })

  it('validate is skipped for CUSTOM connectors (any case), and asked for the others', async () => {
    const workspace = makeWorkspace({
      'connectors/custom.json': JSON.stringify([
        { name: 'custom-upper', 'confluent.connector.type': 'CUSTOM', 'confluent.custom.plugin.id': 'ccp-abc123', 'connector.class': 'io.example.Source' },
        { name: 'custom-lower', 'confluent.connector.type': 'custom', 'confluent.custom.plugin.id': 'ccp-abc123', 'connector.class': 'io.example.Sink' }
      ]),
      'connectors/managed.json': JSON.stringify({ name: 'managed-one', 'connector.class': 'DatagenSource' })
    })
    fake.resetLog()
    const run = await runAction({ inputs: inputs({ comment: 'false' }), workspace })
    expect(run.code).toBe(0)
    const validations = fake.requests.filter(r => r.path.endsWith('/config/validate'))
    expect(validations.map(r => r.path.split('/').at(-3))).toEqual(['DatagenSource'])
  })

  it('a read-only token gives a warning, not a failure', async () => {
    gh.readOnly = true
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'fork-pr', 'connector.class': 'DatagenSource' }) })
    const run = await runAction({ inputs: inputs({ files: 'connectors/a.json' }), workspace, event, env: { GITHUB_API_URL: gh.url } })
    gh.readOnly = false
    expect(run.code).toBe(0)
    expect(run.annotations.some(a => a.level === 'warning' && a.message.includes('pull-request comment'))).toBe(true)
  })

  it("adopts only the token's own comment: a stranger's comment carrying the marker is left alone", async () => {
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'owned-check', 'connector.class': 'DatagenSource' }) })
    const pr = { ...event, payload: { ...event.payload, pull_request: { number: 41 } } }
    // Learn the marker of this scope from a first run, then plant a stranger's comment that carries it.
    await runAction({ inputs: inputs({ files: 'connectors/a.json', wait: 'false' }), workspace, event: pr, env: { GITHUB_API_URL: gh.url } })
    const ours = gh.comments.filter(c => c.issue === 41)
    expect(ours).toHaveLength(1)
    expect(ours[0].user.login).toBe('github-actions[bot]')
    const marker = ours[0].body.split('\n')[0]
    ours[0].issue = 4100 // moved away: only the stranger's remains on the pull request
    gh.comments.push({
      id: 99999,
      issue: 41,
      body: `${marker}\nplanted by someone else`,
      html_url: 'https://github.example/c/99999',
      user: { login: 'mallory', type: 'User' }
    })
    const run = await runAction({ inputs: inputs({ files: 'connectors/a.json', wait: 'false' }), workspace, event: pr, env: { GITHUB_API_URL: gh.url } })
    expect(run.code).toBe(0)
    expect(gh.comments.find(c => c.id === 99999)?.body).toBe(`${marker}\nplanted by someone else`)
    const mine = gh.comments.filter(c => c.issue === 41 && c.user.login === 'github-actions[bot]')
    expect(mine).toHaveLength(1)
    expect(mine[0].body.startsWith(marker)).toBe(true)
  })

  it('a run with invalid inputs replaces the plan of the earlier run in the comment: it does not stay as if current', async () => {
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'stale-check', 'connector.class': 'DatagenSource' }) })
    const pr = { ...event, payload: { ...event.payload, pull_request: { number: 44 } } }
    const extra = { files: 'connectors/a.json', wait: 'false' }
    await runAction({ inputs: inputs(extra), workspace, event: pr, env: { GITHUB_API_URL: gh.url } })
    expect(gh.comments.filter(c => c.issue === 44).map(c => c.body)).toEqual([expect.stringContaining('stale-check')])
    const run = await runAction({ inputs: inputs({ ...extra, 'wait-timeout': '0' }), workspace, event: pr, env: { GITHUB_API_URL: gh.url } })
    expect(run.code).toBe(1)
    const comments = gh.comments.filter(c => c.issue === 44)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain('invalid inputs')
    expect(comments[0].body).toContain('wait-timeout')
    expect(comments[0].body).not.toContain('stale-check')
  })

  it("GitHub's passing failures are tried once more: a 502 on the update, a 429 on the create; a 503 on a create is not", async () => {
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'retry-check', 'connector.class': 'DatagenSource' }) })
    const pr = { ...event, payload: { ...event.payload, pull_request: { number: 45 } } }
    const run = (extra: Record<string, string> = {}) =>
      runAction({ inputs: inputs({ files: 'connectors/a.json', wait: 'false', ...extra }), workspace, event: pr, env: { GITHUB_API_URL: gh.url } })
    // A create answered 503 may have been made: not sent again, a warning.
    gh.faults.push({ method: 'POST', pathIncludes: '/comments', status: 503 })
    const failed = await run()
    expect(failed.code).toBe(0)
    expect(failed.annotations.some(a => a.level === 'warning' && a.message.includes('HTTP 503'))).toBe(true)
    expect(gh.comments.filter(c => c.issue === 45)).toHaveLength(0)
    // A 429 (Retry-After: 1) on the create: sent again, one comment.
    gh.faults.push({ method: 'POST', pathIncludes: '/comments', status: 429, headers: { 'retry-after': '1' }, message: 'rate limited' })
    expect((await run()).annotations.filter(a => a.level === 'warning')).toEqual([])
    expect(gh.comments.filter(c => c.issue === 45)).toHaveLength(1)
    // A 502 on the update: sent again, the comment shows this run.
    gh.faults.push({ method: 'PATCH', pathIncludes: '/comments', status: 502 })
    const updated = await run()
    expect(updated.annotations.filter(a => a.level === 'warning')).toEqual([])
    expect(gh.comments.filter(c => c.issue === 45)).toHaveLength(1)
    expect(
      gh.requests
        .filter(r => r.method === 'PATCH')
        .slice(-2)
        .map(r => r.status)
    ).toEqual([502, 200])
  })

  it('a secret that is part of the hidden marker does not make every run post a new comment', async () => {
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'marker-word', 'connector.class': 'DatagenSource' }) })
    const pr = { ...event, payload: { ...event.payload, pull_request: { number: 43 } } }
    // "app" is part of `<!-- apply-connectors:… -->`.
    const extra = { files: 'connectors/a.json', secrets: JSON.stringify({ SHORT: 'app' }) }
    for (let i = 0; i < 2; i++) {
      const run = await runAction({ inputs: inputs(extra), workspace, event: pr, env: { GITHUB_API_URL: gh.url } })
      expect(run.code).toBe(0)
    }
    const comments = gh.comments.filter(c => c.issue === 43)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toMatch(/^<!-- apply-connectors:[0-9a-f]{16} -->\n/)
    expect(comments[0].body.split('\n').slice(1).join('\n')).not.toContain('app')
  })

  it('a personal token finds its own comments by its login (GET /user)', async () => {
    const pat = await startFakeGitHub({ token: 'ghp_personal1234', identity: { kind: 'user', login: 'octo-dev' } })
    try {
      const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'pat-check', 'connector.class': 'DatagenSource' }) })
      const run1 = await runAction({
        inputs: inputs({ files: 'connectors/a.json', 'github-token': 'ghp_personal1234' }),
        workspace,
        event,
        env: { GITHUB_API_URL: pat.url }
      })
      const run2 = await runAction({
        inputs: inputs({ files: 'connectors/a.json', 'github-token': 'ghp_personal1234' }),
        workspace,
        event,
        env: { GITHUB_API_URL: pat.url }
      })
      expect([run1.code, run2.code]).toEqual([0, 0])
      expect(pat.comments.map(c => c.user.login)).toEqual(['octo-dev'])
      expect(pat.requests.filter(r => r.method === 'PATCH')).toHaveLength(1)
    } finally {
      await pat.close()
    }
  })

  it('a GitHub API that never answers costs a warning, not the step', async () => {
    gh.hang = true
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'hang-check', 'connector.class': 'DatagenSource' }) })
    try {
      const run = await runAction({ inputs: inputs({ files: 'connectors/a.json' }), workspace, event, env: { GITHUB_API_URL: gh.url }, timeoutMs: 45_000 })
      expect(run.code).toBe(0)
      expect(run.annotations.some(a => a.level === 'warning' && /pull-request comment: GitHub did not answer .* within 10 s/.test(a.message))).toBe(true)
    } finally {
      gh.hang = false
    }
  })

  it('when GitHub refuses the job summary, the comment points at the step log, not the summary', async () => {
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'nosummary-check', 'connector.class': 'DatagenSource' }) })
    const pr = { ...event, payload: { ...event.payload, pull_request: { number: 52 } } }
    // A directory as the summary file: core.summary.write() fails (EISDIR), as when GitHub refuses it.
    const run = await runAction({
      inputs: inputs({ files: 'connectors/a.json' }),
      workspace,
      event: pr,
      env: { GITHUB_API_URL: gh.url, GITHUB_STEP_SUMMARY: tmpdir() }
    })
    expect(run.code).toBe(0)
    expect(run.annotations.some(a => a.level === 'warning' && a.message.includes('job summary'))).toBe(true)
    const body = gh.comments.find(c => c.issue === 52)?.body ?? ''
    expect(body).toContain('nosummary-check')
    expect(body).toContain('the step log of [the run](https://github.example/acme/connectors/actions/runs/4242)')
    expect(body).not.toContain('job summary](')
  })
})
