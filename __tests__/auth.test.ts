// Auth headers (src/confluent/auth.ts): the Basic pair, encoded, is a secret like the key's secret.
import { describe, expect, it } from '@jest/globals'
import { basicAuth, oidcAuth } from '../src/confluent/auth.js'
import { Redactor } from '../src/secrets/redactor.js'

describe('basicAuth', () => {
  it('registers the encoded pair before first use, so an echoed Authorization header is redacted', async () => {
    const redactor = new Redactor()
    const header = await basicAuth('CLOUDKEY', 'cloud-secret-value', v => redactor.add(v))()
    expect(header).toBe(`Basic ${Buffer.from('CLOUDKEY:cloud-secret-value').toString('base64')}`)
    expect(redactor.redact(`proxy says: Authorization: ${header}`)).toBe('proxy says: Authorization: Basic ***')
  })
})

describe('oidcAuth', () => {
  const claims = Buffer.from(JSON.stringify({ sub: 'repo:acme/connectors:ref:refs/heads/main', repository: 'acme/connectors' })).toString('base64url')
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${claims}.c2lnbmF0dXJlLXNlY3JldA`
  const login = (status: number, body: string) => {
    const redactor = new Redactor()
    const header = oidcAuth({
      apiUrl: 'https://api.example',
      identityPoolId: 'pool-AbC1',
      getIdToken: () => Promise.resolve(jwt),
      post: () => Promise.resolve({ status, body, headers: {} }),
      clock: { now: () => 0, sleep: () => Promise.resolve() },
      onSecret: v => redactor.add(v),
      redact: t => redactor.redact(t)
    })
    return header().then(
      () => 'no error',
      (err: Error) => err.message
    )
  }

  it("an OAuth error (401 invalid_client) reads as one, with the pool and the token's claims, never the token", async () => {
    const message = await login(401, '{"error":"invalid_client","error_description":"client authentication failed"}')
    expect(message).toContain('the Confluent token exchange failed: HTTP 401: invalid_client: client authentication failed')
    expect(message).toContain('the identity pool pool-AbC1 refused the token, whose claims are: sub="repo:acme/connectors:ref:refs/heads/main"')
    expect(message).not.toContain(jwt.split('.')[2])
    expect(message).not.toContain('unexpected response')
  })

  it('a tiny expires_in is taken as 2 s (renewed after 1 s), and a refused token is exchanged again once', async () => {
    let now = 0
    let posts = 0
    const header = oidcAuth({
      apiUrl: 'https://api.example',
      identityPoolId: 'pool-AbC1',
      getIdToken: () => Promise.resolve(jwt),
      post: () => Promise.resolve({ status: 200, body: JSON.stringify({ access_token: `token-${++posts}`, expires_in: 0.001 }), headers: {} }),
      clock: { now: () => now, sleep: () => Promise.resolve() },
      onSecret: () => undefined,
      redact: t => t
    })
    expect(await header()).toBe('Bearer token-1')
    now = 900
    expect(await header()).toBe('Bearer token-1')
    now = 1000
    expect(await header()).toBe('Bearer token-2')
    // A 401 to an older header than the current one does not renew again.
    header.refused?.('Bearer token-1')
    expect(await header()).toBe('Bearer token-2')
    header.refused?.('Bearer token-2')
    expect(await header()).toBe('Bearer token-3')
    expect(posts).toBe(3)
  })

  it('an answer too large to read is not "no answer"', async () => {
    const header = oidcAuth({
      apiUrl: 'https://api.example',
      identityPoolId: 'pool-AbC1',
      getIdToken: () => Promise.resolve(jwt),
      post: () => Promise.reject(Object.assign(new Error('response body over 16777216 bytes'), { code: 'ERR_BODY_TOO_LARGE' })),
      clock: { now: () => 0, sleep: () => Promise.resolve() },
      onSecret: () => undefined,
      redact: t => t
    })
    await expect(header()).rejects.toThrow('the Confluent token exchange answered with a body over the size limit (ERR_BODY_TOO_LARGE); it was not read')
  })

  it('a 500 is not a refusal: no claims hint', async () => {
    const message = await login(500, '{"error":"server_error"}')
    expect(message).toContain('HTTP 500: server_error')
    expect(message).not.toContain('refused the token')
  })
})
