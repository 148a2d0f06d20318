// The scheduled drift check, end to end: a dry run on a `schedule` event with `drift-issue: true` opens
// ONE issue (hidden marker, authored by the token's own bot), updates it on the next run, closes it with
// a comment when the files and the cloud agree again; without `issues: write` only a warning.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { scheduleEvent, startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js'
import { makeWorkspace, runAction, writeFiles } from '../../test-support/run-action.js'
import { targetInputs, type Target } from '../../test-support/e2e-target.js'

const ENV = 'env-drift01'
const CLUSTER = 'lkc-drift01'
const TOKEN = 'ghs_drifttoken4567'
const TARGET: Target = {
  key: 'DRIFTKEY',
  secret: 'drift-cloud-secret-canary',
  env: ENV,
  cluster: CLUSTER,
  kafkaKey: 'KAFKAKEY',
  kafkaSecret: 'drift-kafka-secret-canary'
}

let fake: FakeConfluent
let gh: FakeGitHub
beforeAll(async () => {
  fake = await startFakeConfluent({ credentials: [{ key: TARGET.key, secret: TARGET.secret }] })
  gh = await startFakeGitHub({ token: TOKEN })
})
afterAll(async () => {
  await fake.close()
  await gh.close()
})

const inputs = (extra: Record<string, string> = {}): Record<string, string> =>
  targetInputs(fake.url, TARGET, { 'dry-run': 'true', 'drift-issue': 'true', 'github-token': TOKEN, ...extra })

const file = (host: string): string =>
  JSON.stringify({
    name: 'orders-sink',
    'connector.class': 'DatagenSource',
    'kafka.api.key': 'KAFKAKEY',
    'kafka.api.secret': 'drift-kafka-secret-canary',
    host
  })

describe('drift issue', () => {
  it('opens one issue for drift and unmanaged connectors, updates it, and closes it when the drift is gone', async () => {
    fake.seed(ENV, CLUSTER, 'orders-sink', {
      name: 'orders-sink',
      'connector.class': 'DatagenSource',
      'kafka.api.key': 'KAFKAKEY',
      'kafka.api.secret': 'drift-kafka-secret-canary',
      host: 'changed-by-hand'
    })
    fake.seed(ENV, CLUSTER, 'hand-made', {
      name: 'hand-made',
      'connector.class': 'DatagenSource',
      'kafka.api.key': 'KAFKAKEY',
      'kafka.api.secret': 'drift-kafka-secret-canary'
    })
    // A stranger's open issue that carries any marker is never adopted (listing is by creator).
    gh.issues.push({
      number: 900,
      title: 'planted',
      body: '<!-- apply-connectors-drift:0000000000000000 -->',
      state: 'open',
      state_reason: null,
      html_url: 'x',
      user: { login: 'mallory', type: 'User' }
    })
    const workspace = makeWorkspace({ 'connectors/orders.json': file('from-git') })
    const event = scheduleEvent()
    const env = { GITHUB_API_URL: gh.url }

    const first = await runAction({ inputs: inputs(), workspace, event, env })
    expect(first.code).toBe(0)
    const ours = gh.issues.filter(i => i.user.login === 'github-actions[bot]')
    expect(ours).toHaveLength(1)
    expect(ours[0].state).toBe('open')
    expect(ours[0].body).toMatch(/^<!-- apply-connectors-drift:[0-9a-f]{16} -->\n/)
    expect(ours[0].body).toContain('orders-sink')
    expect(ours[0].body).toContain('hand-made')
    expect(ours[0].body).toContain('(https://github.example/acme/connectors/actions/runs/4242)')
    expect(ours[0].title).toContain('1 to update')
    expect(
      gh.requests.some(
        r =>
          r.method === 'GET' &&
          r.path === '/repos/acme/connectors/issues' &&
          r.query.includes('creator=github-actions%5Bbot%5D') &&
          r.query.includes('state=open')
      )
    ).toBe(true)
    for (const secret of ['drift-cloud-secret-canary', 'drift-kafka-secret-canary', TOKEN]) expect(ours[0].body).not.toContain(secret)

    const second = await runAction({ inputs: inputs(), workspace, event, env })
    expect(second.code).toBe(0)
    expect(gh.issues.filter(i => i.user.login === 'github-actions[bot]')).toHaveLength(1)
    expect(gh.requests.filter(r => r.method === 'PATCH' && r.path === `/repos/acme/connectors/issues/${ours[0].number}`)).toHaveLength(1)

    // The drift is gone: the file says what the cloud has, and the hand-made connector is declared too.
    writeFiles(workspace, {
      'connectors/orders.json': file('changed-by-hand'),
      'connectors/hand.json': JSON.stringify({ name: 'hand-made', 'connector.class': 'DatagenSource' })
    })
    const third = await runAction({ inputs: inputs(), workspace, event, env })
    expect(third.code).toBe(0)
    expect(third.outputs.changed).toBe('false')
    expect(ours[0].state).toBe('closed')
    expect(gh.comments.filter(c => c.issue === ours[0].number).map(c => c.body)).toEqual([expect.stringContaining('found no drift')])
    expect(gh.issues.find(i => i.number === 900)?.state).toBe('open')

    // No drift and no open issue: nothing is written.
    const writes = gh.requests.filter(r => r.method !== 'GET' && r.path !== '/graphql').length
    await runAction({ inputs: inputs(), workspace, event, env })
    expect(gh.requests.filter(r => r.method !== 'GET' && r.path !== '/graphql').length).toBe(writes)
  })

  it('a secret that is part of the hidden marker does not hide the issue from the next run', async () => {
    // "connectors" is part of `<!-- apply-connectors-drift:… -->`: redacted there, the marker was never found
    // again and every scheduled run opened one more issue.
    const workspace = makeWorkspace({ 'connectors/own.json': JSON.stringify({ name: 'marker-word', 'connector.class': 'DatagenSource' }) })
    const run = () =>
      runAction({
        inputs: inputs({ files: 'connectors/own.json', secrets: JSON.stringify({ DB_NAME: 'connectors' }) }),
        workspace,
        event: scheduleEvent(),
        env: { GITHUB_API_URL: gh.url }
      })
    const before = gh.issues.length
    expect((await run()).code).toBe(0)
    expect((await run()).code).toBe(0)
    const opened = gh.issues.slice(before)
    expect(opened).toHaveLength(1)
    expect(opened[0].body).toMatch(/^<!-- apply-connectors-drift:[0-9a-f]{16} -->\n/)
    // Everywhere else the secret is masked, as always.
    expect(opened[0].body.split('\n').slice(1).join('\n')).not.toContain('connectors')
  })

  it('without issues: write, a warning and the step result unchanged', async () => {
    gh.issuesReadOnly = true
    try {
      const workspace = makeWorkspace({ 'connectors/x.json': JSON.stringify({ name: 'brand-new', 'connector.class': 'DatagenSource' }) })
      const run = await runAction({ inputs: inputs(), workspace, event: scheduleEvent(), env: { GITHUB_API_URL: gh.url } })
      expect(run.code).toBe(0)
      expect(run.annotations.some(a => a.level === 'warning' && a.message.includes('drift issue') && a.message.includes('issues: write'))).toBe(true)
    } finally {
      gh.issuesReadOnly = false
    }
  })
})
