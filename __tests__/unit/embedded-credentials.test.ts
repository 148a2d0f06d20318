// embeddedCredentials (src/secrets/policy.ts): the credentials written inside a value whose key no rule
// calls secret, as connectors made by hand hold them (a JDBC or MongoDB URL, a header list).
import { describe, expect, it } from '@jest/globals'
import { embeddedCredentials, registerSecrets } from '../../src/secrets/policy.js'
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
    ['a=1;token=abc-123-def;b=2', ['abc-123-def']]
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
    'Basic authentication is required; use a Bearer tokenized header'
  ])('finds none in %s', value => {
    expect(embeddedCredentials(value)).toEqual([])
  })

  it('reads hostile shapes in one pass each (a scheme regex would backtrack over `a-a-a-...`)', () => {
    for (const value of [
      'a-'.repeat(50_000) + ':/',
      'a.'.repeat(50_000) + '://x',
      'x://a:'.repeat(20_000),
      ' password='.repeat(20_000),
      'password="'.repeat(20_000)
    ]) {
      // Each distinct credential once: at most one here (`password="password="` reads as a password).
      expect(embeddedCredentials(value).length).toBeLessThanOrEqual(1)
    }
  })

  it('registerSecrets registers the credential inside a value, so the rest of the value stays readable', () => {
    const redactor = new Redactor()
    const spec = {
      secretKeys: [],
      config: { 'connection.url': 'jdbc:postgresql://db/x?user=app&password=PLAIN-pw-1', topics: 'orders' }
    } as unknown as ConnectorSpec
    registerSecrets(spec, redactor)
    expect(redactor.redact('url jdbc:postgresql://db/x?user=app&password=PLAIN-pw-1')).toBe('url jdbc:postgresql://db/x?user=app&password=***')
    expect(redactor.redact('topic orders')).toBe('topic orders')
  })
})
