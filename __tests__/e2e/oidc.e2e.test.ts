// Keyless login end to end: the bundle gets the job's OIDC token from the runner's endpoint (served by
// the fake GitHub, as the runner does: ACTIONS_ID_TOKEN_REQUEST_URL + `&audience=`, Bearer
// ACTIONS_ID_TOKEN_REQUEST_TOKEN) and exchanges it at the fake Confluent's STS endpoint.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js'
import { channels, describeLeaks, findLeaks, maskedValues } from '../../test-support/channels.js'
import { makeWorkspace, runAction, type ActionRun } from '../../test-support/run-action.js'
import { targetInputs, type Target } from '../../test-support/e2e-target.js'

const ENV = 'env-oidc01'
const CLUSTER = 'lkc-oidc01'
const POOL = 'pool-Deploy1'
const REQUEST_TOKEN = 'runner-request-token-canary-51f0'
const CLAIMS = { sub: 'repo:acme/connectors:environment:prod', repository: 'acme/connectors', ref: 'refs/heads/main', environment: 'prod', event_name: 'push' }

let fake: FakeConfluent
let gh: FakeGitHub
beforeAll(async () => {
  fake = await startFakeConfluent({ sts: { pools: [POOL] } })
  fake.addCluster(ENV, CLUSTER)
  gh = await startFakeGitHub({ token: 'ghs_unused', oidc: { requestToken: REQUEST_TOKEN, claims: CLAIMS } })
})
afterAll(async () => {
  await fake.close()
  await gh.close()
})

/** No API key: the login is the OIDC exchange with the identity pool. */
const TARGET: Target = { key: '', secret: '', env: ENV, cluster: CLUSTER, kafkaKey: 'KAFKAKEY', kafkaSecret: 'oidc-kafka-secret-canary' }
const inputs = (extra: Record<string, string> = {}): Record<string, string> =>
  targetInputs(fake.url, TARGET, { 'identity-pool-id': POOL, comment: 'false', ...extra })
const oidcEnv = (): Record<string, string> => ({ ACTIONS_ID_TOKEN_REQUEST_URL: gh.oidcRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN })
const exchanges = (): number => fake.requests.filter(r => r.method === 'POST' && r.path === '/sts/v1/oauth2/token').length

/** Every token handed out (OIDC JWTs, the runner's request token) and every access token seen, in no channel. */
function expectNoTokens(run: ActionRun): void {
  // The Confluent access tokens are known only to the action: each was registered with ::add-mask::.
  const jwts = maskedValues(run).filter(v => v.split('.').length === 3)
  const leaks = findLeaks(channels(run), [...jwts, ...gh.oidcTokens, ...gh.oidcTokens.map(t => t.split('.')[2]), REQUEST_TOKEN, 'oidc-kafka-secret-canary'])
  expect(describeLeaks(leaks)).toBe('')
}

describe('keyless login (GitHub OIDC -> Confluent STS)', () => {
  it('applies with one OIDC request and one exchange; every request carries the Bearer token', async () => {
    fake.resetLog()
    gh.oidcRequests.length = 0
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'keyless-one', 'connector.class': 'DatagenSource' }) })
    const run = await runAction({ inputs: inputs({ wait: 'false', 'oidc-audience': 'confluent-cloud' }), workspace, env: oidcEnv() })
    expect(run.code).toBe(0)
    expect(fake.connector(ENV, CLUSTER, 'keyless-one')).toBeDefined()
    expect(gh.oidcRequests).toEqual([{ audience: 'confluent-cloud' }])
    expect(exchanges()).toBe(1)
    const stsForm = fake.requests.find(r => r.path === '/sts/v1/oauth2/token')?.body as Record<string, string>
    expect(stsForm).toMatchObject({ identity_pool_id: POOL, subject_token: '[redacted]' })
    const api = fake.requests.filter(r => r.path.startsWith('/connect/'))
    expect(api.length).toBeGreaterThan(0)
    expect(api.every(r => r.apiKey === 'bearer' && r.status !== 401)).toBe(true)
    // The summary counts every request the run sent, the token exchange too.
    expect(run.summary).toContain(`<sub>${fake.requests.length} requests,`)
    // Both the OIDC token and the access token were registered with the runner's masking.
    expect(maskedValues(run)).toEqual(expect.arrayContaining(gh.oidcTokens))
    expect(maskedValues(run).filter(v => v.split('.').length === 3 && !gh.oidcTokens.includes(v))).toHaveLength(1)
    expectNoTokens(run)
  })

  it('renews the Confluent token before it expires: a short lifetime means a second exchange', async () => {
    // renewal at min(60 s, half the lifetime) before expiry: a 2 s token is renewed after 1 s; the
    // wait for RUNNING (800 ms provisioning, 1 s list lag) outlasts that.
    fake.setOptions({ sts: { pools: [POOL], tokenLifetimeSec: 2 } })
    fake.resetLog()
    gh.oidcRequests.length = 0
    try {
      const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'keyless-renew', 'connector.class': 'DatagenSource' }) })
      const run = await runAction({ inputs: inputs({ wait: 'true' }), workspace, env: oidcEnv() })
      expect(run.code).toBe(0)
      expect(exchanges()).toBeGreaterThanOrEqual(2)
      expect(gh.oidcRequests.length).toBe(exchanges())
      expect(fake.requests.filter(r => r.path.startsWith('/connect/')).every(r => r.status !== 401)).toBe(true)
      expectNoTokens(run)
    } finally {
      fake.setOptions({ sts: { pools: [POOL] } })
    }
  })

  it('a token refused with 401 before the expires_in it was given (revoked, a slow clock) is exchanged again, and the request sent again', async () => {
    // The tokens last 1 s, but the exchange says an hour: without renewal on 401 every status call of the
    // wait got 401 until wait-timeout, and the connector was reported failed.
    fake.setOptions({ sts: { pools: [POOL], tokenLifetimeSec: 1, statedExpiresInSec: 3600 } })
    fake.resetLog()
    gh.oidcRequests.length = 0
    try {
      const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'keyless-revoked', 'connector.class': 'DatagenSource' }) })
      const run = await runAction({ inputs: inputs({ wait: 'true' }), workspace, env: oidcEnv() })
      expect(run.code).toBe(0)
      expect(run.outputs.created).toBe('["keyless-revoked"]')
      const connect = fake.requests.filter(r => r.path.startsWith('/connect/'))
      const refused = connect.findIndex(r => r.status === 401)
      expect(refused).toBeGreaterThanOrEqual(0) // the wait outlasted the token
      // Each 401 is followed by a new exchange and the same request again, answered 200.
      expect(exchanges()).toBeGreaterThanOrEqual(2)
      expect(connect[refused + 1]).toMatchObject({ method: connect[refused].method, path: connect[refused].path, status: 200 })
      // The request sent again is counted with the others.
      expect(run.summary).toContain(`<sub>${fake.requests.length} requests,`)
      expectNoTokens(run)
    } finally {
      fake.setOptions({ sts: { pools: [POOL] } })
    }
  })

  it('without id-token: write (no OIDC variables) fails naming the permission, and sends nothing to Confluent', async () => {
    fake.resetLog()
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'keyless-none', 'connector.class': 'DatagenSource' }) })
    const run = await runAction({ inputs: inputs({ wait: 'false' }), workspace })
    expect(run.code).toBe(1)
    expect(run.annotations.some(a => a.level === 'error' && a.message.includes('id-token: write'))).toBe(true)
    expect(fake.requests).toEqual([])
    // Every connector is in the outputs as failed (not planned), as with a wrong API key.
    expect(JSON.parse(run.outputs.failed)).toEqual(['keyless-none'])
    const [r] = JSON.parse(run.outputs.results) as Array<{ name: string; action: string; error: string }>
    expect(r).toMatchObject({ name: 'keyless-none', action: 'failed' })
    expect(r.error).toMatch(/^not planned: keyless login failed/)
  })

  it('a pool that refuses the token: the claims are shown, never the token', async () => {
    fake.setOptions({ sts: { pools: [POOL], subjectTokens: () => false } })
    fake.resetLog()
    try {
      const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'keyless-refused', 'connector.class': 'DatagenSource' }) })
      const run = await runAction({ inputs: inputs({ wait: 'false' }), workspace, env: oidcEnv() })
      expect(run.code).toBe(1)
      const error = run.annotations.find(a => a.level === 'error')?.message ?? ''
      expect(error).toContain('400')
      for (const claim of ['sub="repo:acme/connectors:environment:prod"', 'repository="acme/connectors"', 'ref="refs/heads/main"', 'environment="prod"'])
        expect(error).toContain(claim)
      expect(fake.requests.filter(r => r.path.startsWith('/connect/'))).toEqual([])
      expect(JSON.parse(run.outputs.failed)).toEqual(['keyless-refused'])
      expectNoTokens(run)
    } finally {
      fake.setOptions({ sts: { pools: [POOL] } })
    }
  })

  it('api-key together with identity-pool-id is an input error, before any request', async () => {
    fake.resetLog()
    gh.oidcRequests.length = 0
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'keyless-both', 'connector.class': 'DatagenSource' }) })
    const run = await runAction({ inputs: inputs({ 'api-key': 'SOMEKEY', 'api-secret': 'both-secret-canary' }), workspace, env: oidcEnv() })
    expect(run.code).toBe(1)
    expect(run.annotations.some(a => a.level === 'error' && a.message.includes('identity-pool-id') && a.message.includes('exclude each other'))).toBe(true)
    expect(fake.requests).toEqual([])
    expect(gh.oidcRequests).toEqual([])
    expect(describeLeaks(findLeaks(channels(run), ['both-secret-canary']))).toBe('')
  })
})
