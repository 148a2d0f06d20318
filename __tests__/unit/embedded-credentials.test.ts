// embeddedCredentials (src/secrets/policy.ts): the credentials written inside a value whose key no rule
// calls secret, as connectors made by hand hold them (a JDBC or MongoDB URL, a header list).
import { describe, expect, it } from '@jest/globals'
import { embeddedCredentials, isRegistrableCredential, maskEmbedded, registerSecrets } from '../../src/secrets/policy.js'
import { Redactor } from '../../src/secrets/redactor.js'
import type { ConnectorSpec } from '../../src/model/types.js'

describe('embeddedCredentials', () => {
  it.each([
    ['jdbc:postgresql://db/x?user=app&password=PLAIN-pw-1', ['PLAIN-pw-1']],
    ['mongodb+srv://admin:PLAIN-pw-2@cluster0.example.net/db', ['PLAIN-pw-2']],
    ['https://u:p%40ss-word@host:8443/path', ['p%40ss-word']],
    ['Authorization: Bearer PLAIN-pw-5abc', ['PLAIN-pw-5abc']],
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', ['dXNlcjpwYXNzd29yZA==']],
    ['PlainLoginModule required username="u" password="PLAIN-pw-6";', ['PLAIN-pw-6']],
    ['a=1;token=abc-123-def;b=2', ['abc-123-def']],
    ['Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=app;SharedAccessKey=k3yV4lue+abc=', ['k3yV4lue+abc=']],
    ['DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFy1234==;EndpointSuffix=core.windows.net', ['Zm9vYmFy1234==']],
    ['jdbc:oracle:thin:scott/tiger123@db.example.com:1521/ORCL', ['tiger123']],
    ['Authorization:Token abc123def456', ['abc123def456']],
    ['X-API-Key: k-12345678abc', ['k-12345678abc']],
    ['aws_access_key_id=AKIA1;aws_secret_access_key=wJalrXUtnFEMI/K7MDENG', ['wJalrXUtnFEMI/K7MDENG']],
    ["user='u' password='p4ssw0rd!'", ['p4ssw0rd!']]
  ])('finds the credential in %s', (value, expected) => {
    expect(embeddedCredentials(value)).toEqual(expected)
  })

  it.each([
    // References that are not secrets themselves, flags, masks, too short, no password at all.
    'https://host/path?token=${file:/secrets:tok}',
    'password=true',
    'password=****************',
    'http://user:@host',
    'http://user@host/path',
    'a://b:c@d',
    's3://bucket/key',
    'https://host:8443/path@x',
    'topics.regex=orders.*',
    'Basic authentication is required; use a Bearer tokenized header',
    'Basic 2024-01-01',
    'Bearer 1234567890 tokens'
  ])('finds none in %s', value => {
    expect(embeddedCredentials(value)).toEqual([])
  })

  it('reads hostile shapes in one pass each (a scheme regex would backtrack over `a-a-a-...`)', () => {
    for (const value of [
      'a-'.repeat(50_000) + ':/',
      'a.'.repeat(50_000) + '://x',
      'x://a:'.repeat(20_000),
      ' password='.repeat(20_000),
      'password="'.repeat(20_000),
      "password='".repeat(20_000),
      'thin:a/'.repeat(50_000),
      'Bearer a'.repeat(50_000),
      'X-API-Key: '.repeat(50_000)
    ]) {
      // Each distinct credential once: at most one here (`password="password="` reads as a password).
      expect(embeddedCredentials(value).length).toBeLessThanOrEqual(1)
    }
  })

  it('registers a strong credential found inside a value everywhere: an error echoing the config must not show it', () => {
    const redactor = new Redactor()
    const spec = { secretKeys: [], config: { 'connection.url': 'jdbc:postgresql://app:Xq7LeakPw2024z@db/x', topics: 'orders' } } as unknown as ConnectorSpec
    expect(registerSecrets(spec, redactor)).toBe(1)
    expect(redactor.redact('400: Received config: {"db.pass.copy":"Xq7LeakPw2024z"}')).toBe('400: Received config: {"db.pass.copy":"***"}')
    for (const weak of ['test', 'guest', 'postgres', 'changeme', 'Xq7', '12345678']) expect(isRegistrableCredential(weak)).toBe(false)
    for (const strong of ['Xq7LeakPw2024z', 'p4ssw0rd!', 'tiger123']) expect(isRegistrableCredential(strong)).toBe(true)
  })

  it('maskEmbedded masks the credential in that value only, and a weak one is not registered (a dev password `test` must not mask every `orders-test`)', () => {
    const redactor = new Redactor()
    const spec = { secretKeys: [], config: { 'connection.url': 'jdbc:postgresql://dev:test1@pg/x', topics: 'orders-test1' } } as unknown as ConnectorSpec
    expect(registerSecrets(spec, redactor)).toBe(0)
    expect(maskEmbedded('jdbc:postgresql://dev:test1@pg/x')).toBe('jdbc:postgresql://dev:***@pg/x')
    expect(maskEmbedded('no credential here')).toBe('no credential here')
    expect(redactor.redact('orders-test1')).toBe('orders-test1')
  })
})
