// Auth headers (src/confluent/auth.ts): the Basic pair, encoded, is a secret like the key's secret.
import { describe, expect, it } from '@jest/globals'
import { basicAuth } from '../src/confluent/auth.js'
import { Redactor } from '../src/secrets/redactor.js'

describe('basicAuth', () => {
  it('registers the encoded pair before first use, so an echoed Authorization header is redacted', async () => {
    const redactor = new Redactor()
    const header = await basicAuth('CLOUDKEY', 'cloud-secret-value', v => redactor.add(v))()
    expect(header).toBe(`Basic ${Buffer.from('CLOUDKEY:cloud-secret-value').toString('base64')}`)
    expect(redactor.redact(`proxy says: Authorization: ${header}`)).toBe('proxy says: Authorization: Basic ***')
  })
})
