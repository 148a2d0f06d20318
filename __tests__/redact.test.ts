import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { Redactor } from '../src/secrets/redactor.js'

describe('Redactor', () => {
  it('removes a secret as-is, JSON-escaped, URL-encoded and line by line', () => {
    const r = new Redactor()
    const key = '{"type":"service_account","private_key":"-----BEGIN KEY-----\nABCDEF123456\n-----END KEY-----\n"}'
    r.add(key)
    r.add('p@ss "quoted" %41 $HOME ünï')
    expect(r.redact(`x ${key} y`)).toBe('x *** y')
    expect(r.redact(JSON.stringify({ v: key }))).not.toContain('ABCDEF123456')
    expect(r.redact(JSON.stringify(JSON.stringify({ v: key })))).not.toContain('ABCDEF123456')
    expect(r.redact('line: ABCDEF123456 end')).toBe('line: *** end')
    expect(r.redact(encodeURIComponent('p@ss "quoted" %41 $HOME ünï'))).toBe('***')
    expect(r.redact(JSON.stringify('p@ss "quoted" %41 $HOME ünï'))).toBe('"***"')
  })

  it('tells the runner about each value and each of its lines', () => {
    const r = new Redactor()
    const seen: string[] = []
    r.onRegister(v => seen.push(v))
    r.add('first\nsecond')
    expect(seen).toEqual(['first\nsecond', 'first', 'second'])
  })

  it('property: no occurrence of any secret survives, whatever surrounds it', () => {
    const secret = fc.string({ minLength: 3, maxLength: 30 }).filter(s => s.trim().length >= 3 && !/[\r\n]/.test(s))
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 4 }), fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (secrets, around) => {
        const r = new Redactor()
        for (const s of secrets) r.add(s)
        const text = around.map((a, i) => `${a}${secrets[i % secrets.length]}`).join('')
        const out = r.redact(text)
        for (const s of secrets) expect(out.includes(s)).toBe(false)
      })
    )
  })
})
