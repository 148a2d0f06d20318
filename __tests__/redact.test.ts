import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { encodedForms, MAX_ENCODED_BYTES, Redactor } from '../src/secrets/redactor.js'

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

describe('the `+`-as-space view', () => {
  it('finds a secret with a space written with `+`, also when that secret is registered after others without one', () => {
    const r = new Redactor()
    r.add('nospace-secret')
    const diff = '+ a: 1\n+ b: nospace-secret\n+ c: open+sesame+now'
    expect(r.redact(diff)).toBe('+ a: 1\n+ b: ***\n+ c: open+sesame+now')
    r.add('open sesame now')
    expect(r.redact(diff)).toBe('+ a: 1\n+ b: ***\n+ c: ***')
    expect(r.redact('q=open+sesame+now&x=1')).toBe('q=***&x=1')
  })
})

/** Java's URLEncoder.encode: `+` for a space, and `!'()~` encoded, unlike encodeURIComponent. */
function javaUrlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}
/** Every character as a JSON `\uXXXX` escape, lower- or upper-case hex. */
function allUnicodeEscapes(s: string, upper: boolean): string {
  return [...s]
    .flatMap(ch => (ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [ch.charCodeAt(0)]))
    .map(c => `\\u${c.toString(16).padStart(4, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`)
    .join('')
}
const htmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

describe('Redactor: other encodings of a secret', () => {
  const SECRET = `CNRY p@ss "q" 'x' <a&b> /x/ (1)!~ ü€🔑 \\ end`
  const r = new Redactor()
  r.add(SECRET)
  const cases: Array<[string, string, string?]> = [
    ['HTML entities', htmlEscape(SECRET)],
    ['HTML &#x27; and &apos;', htmlEscape(SECRET).replace(/&#39;/g, '&#x27;')],
    ['numeric entities for everything', [...SECRET].map(c => `&#${c.codePointAt(0)};`).join('')],
    ['hex numeric entities, upper case', [...SECRET].map(c => `&#X${c.codePointAt(0)?.toString(16).toUpperCase()};`).join('')],
    ['JSON with \\/', JSON.stringify(SECRET).slice(1, -1).replace(/\//g, '\\/')],
    ['JSON \\u escapes, lower hex', allUnicodeEscapes(SECRET, false)],
    ['JSON \\u escapes, upper hex', allUnicodeEscapes(SECRET, true)],
    ['JSON inside JSON', JSON.stringify(JSON.stringify(SECRET)).slice(1, -1), '\\"***\\"'],
    ['Java URLEncoder', javaUrlEncode(SECRET)],
    ['lower-case %xx', encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, m => m.toLowerCase())],
    ['HTML-escaped JSON (a FAILED trace shown in a page)', htmlEscape(JSON.stringify({ password: SECRET })), '{&quot;password&quot;:&quot;***&quot;}'],
    ['Markdown-escaped', SECRET.replace(/[\\`*_{}[\]()#+\-.!|~<>&"']/g, c => `\\${c}`)]
  ]
  it.each(cases)('%s', (_name, encoded, expected = '***') => {
    const out = r.redact(`before ${encoded} after`)
    expect(out).toBe(`before ${expected} after`)
  })

  it('replaces the whole encoded span, leaving the text around it as it was', () => {
    const text = `a&amp;b ${htmlEscape(SECRET)} &lt;kept&gt; %41 \\u0041`
    expect(r.redact(text)).toBe('a&amp;b *** &lt;kept&gt; %41 \\u0041')
  })
})

describe('Redactor: base64 and hex', () => {
  const secret = 'db-password-canary-77'
  const r = new Redactor()
  r.add(secret)

  it('finds a secret echoed in base64 at any of the three byte offsets, in either alphabet, and in hex of either case', () => {
    const echoes = [
      Buffer.from(secret).toString('base64'),
      Buffer.from(`u:${secret}`).toString('base64'),
      Buffer.from(`us:${secret}`).toString('base64'),
      Buffer.from(`use:${secret}x`).toString('base64'),
      Buffer.from(`??>${secret}`).toString('base64url'),
      Buffer.from(secret).toString('hex'),
      Buffer.from(secret).toString('hex').toUpperCase()
    ]
    for (const e of echoes) {
      const out = r.redact(`server said: ${e};`)
      expect(out).toContain('***')
      // What is left of the encoded text no longer decodes to the secret, nor to most of it.
      for (const piece of out.split('***'))
        expect(Buffer.from(piece.replace(/^server said: |;$/g, ''), 'base64').toString('latin1')).not.toContain('password-canary')
    }
  })

  it('leaves short encoded runs alone (ids and hashes stay readable) and keeps short secrets to their plain form', () => {
    expect(encodedForms('abc')).toEqual([])
    expect(encodedForms('abcdef')).toEqual(['YWJjZGVm', '616263646566'])
    expect(r.redact('cluster lkc-abc123, commit 3f2a9c1e, token ZGItcGFz')).toBe('cluster lkc-abc123, commit 3f2a9c1e, token ZGItcGFz')
  })
})

describe('Redactor: long tokens echoed encoded, and a JWT signature alone', () => {
  // A GitHub OIDC token is a JWT of about 1,000 to 1,400 characters: longer than MAX_ENCODED_BYTES.
  const b64url = (v: string) => Buffer.from(v).toString('base64url')
  const claims = { sub: 'repo:acme/connectors:ref:refs/heads/main', pad: 'x'.repeat(900), repository: 'acme/connectors' }
  const jwt = `${b64url('{"alg":"RS256","typ":"JWT","kid":"k1"}')}.${b64url(JSON.stringify(claims))}.${b64url('s'.repeat(200) + 'signature-tail')}`
  const r = new Redactor()
  r.add(jwt)
  const signature = jwt.split('.')[2]

  it('masks the whole base64 or hex run that holds a token longer than 512 bytes, at any byte offset', () => {
    expect(Buffer.byteLength(jwt)).toBeGreaterThan(MAX_ENCODED_BYTES)
    for (const echo of [
      Buffer.from(jwt).toString('base64'),
      Buffer.from(`u:${jwt}`).toString('base64'),
      Buffer.from(`us:${jwt}`).toString('base64url'),
      Buffer.from(jwt).toString('hex'),
      Buffer.from(jwt).toString('hex').toUpperCase()
    ]) {
      const out = r.redact(`rejected token (encoded) ${echo} at 12:00`)
      expect(out).toBe('rejected token (encoded) *** at 12:00')
    }
  })

  it('also when the base64 is wrapped at 76 or 64 characters a line (MIME, PEM): every line of it goes', () => {
    for (const width of [76, 64]) {
      const b64 = Buffer.from(`Authorization: Bearer ${jwt}`).toString('base64')
      const wrapped = b64.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\r\n')
      const out = r.redact(`echo:\n${wrapped}\nend`)
      expect(out.startsWith('echo:\n')).toBe(true)
      expect(out.endsWith('\nend')).toBe(true)
      // No line of the blob is left but the first, whose start encodes "Authorization: Bea" before the token.
      const left = out.split('\n').filter(l => /[A-Za-z0-9+/]{16,}/.test(l))
      expect(left.length).toBeLessThanOrEqual(1)
      expect(Buffer.from(left.join(''), 'base64').toString('latin1')).not.toContain(signature.slice(0, 12))
    }
  })

  it('keeps what stands next to the encoded run: a URL path, words with hyphens', () => {
    const hex = Buffer.from(jwt).toString('hex')
    expect(r.redact(`GET https://host/a?t=${Buffer.from(jwt).toString('base64')} x-y`)).toBe('GET https://host/a?t=*** x-y')
    expect(r.redact(`id-${hex}-end`)).toBe('id-***-end')
  })

  it('finds a long value whose middle cuts a multi-byte character, and masks a run of many hits whole', () => {
    const r2 = new Redactor()
    const odd = `${'é'.repeat(300)}-tail-of-the-secret`
    r2.add(odd)
    for (const shift of ['', 'a', 'ab']) expect(r2.redact(Buffer.from(shift + odd).toString('base64'))).toBe('***')
    // 200 hits in one run, all inside the run the first one marked (each skipped: it was quadratic; the
    // time is for `npm run bench`-style measurement, not an assertion here).
    expect(r2.redact(Buffer.from(odd.repeat(200)).toString('base64'))).toBe('***')
  })

  it('tells apart two PEM keys that begin alike, and holds() sees a long value encoded', () => {
    const pem = (body: string) => `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC${body}\n-----END PRIVATE KEY-----\n`
    const r2 = new Redactor()
    const mine = pem('A'.repeat(40) + 'x9'.repeat(300))
    const other = pem('B'.repeat(40) + 'y8'.repeat(300))
    r2.add(mine)
    const otherB64 = Buffer.from(other).toString('base64')
    expect(r2.redact(otherB64)).toBe(otherB64)
    expect(r2.redact(Buffer.from(mine).toString('base64'))).toBe('***')
    expect(r2.holds(`"key_b64": "${Buffer.from(mine).toString('base64')}"`, 8)).toBe(true)
    expect(r2.holds(otherB64, 8)).toBe(false)
  })

  it('masks the signature when a server quotes it alone, and registers it with the runner too', () => {
    const heard: string[] = []
    const r2 = new Redactor()
    r2.onRegister(v => heard.push(v))
    r2.add(jwt)
    expect(r2.redact(`signature ${signature} invalid`)).toBe('signature *** invalid')
    expect(heard).toContain(signature)
    // Not a JWT (two dots, short parts): nothing more than the value itself is registered.
    const r3 = new Redactor()
    r3.onRegister(v => heard.push(v))
    heard.length = 0
    r3.add('v1.2.3')
    expect(heard).toEqual(['v1.2.3'])
  })
})

describe('Redactor: what it never does', () => {
  it('redactDeep never changes an object key, even when a secret is that word', () => {
    const r = new Redactor()
    for (const w of ['kafka', 'env', 'key', 'cluster', 'name']) r.add(w)
    const outcome = { name: 'orders-kafka', kafka_cluster_id: 'lkc-1', env: { key: 'a key', list: ['cluster'] } }
    expect(r.redactDeep(outcome)).toEqual({ name: 'orders-***', kafka_cluster_id: 'lkc-1', env: { key: 'a ***', list: ['***'] } })
  })

  it('redactDeep copies the fields named in `keep` as they are, at any depth, and redacts the rest', () => {
    const r = new Redactor()
    r.add('created')
    const outcome = { results: [{ name: 'created-sink', done: 'created', changes: [{ kind: 'created', after: 'created' }] }], note: 'created' }
    expect(r.redactDeep(outcome, new Set(['done', 'kind']))).toEqual({
      results: [{ name: '***-sink', done: 'created', changes: [{ kind: 'created', after: '***' }] }],
      note: '***'
    })
  })

  it('redact masks a secret wherever it stands in a JSON text, field names included (outputs are built from redactDeep, not from text)', () => {
    const r = new Redactor()
    for (const w of ['kafka', 'name', 'CNRYdataKey']) r.add(w)
    const doc = JSON.stringify([{ name: 'kafka-sink', kafka_cluster_id: 'lkc', error: 'the name is kafka' }, { 'CNRYdataKey here': 1 }])
    expect(r.redact(doc)).toBe('[{"***":"***-sink","***_cluster_id":"lkc","error":"the *** is ***"},{"*** here":1}]')
    expect(r.redact('name: kafka_cluster_id')).toBe('***: ***_cluster_id')
  })

  it('a JSON document that IS a secret is masked whole', () => {
    const secret = JSON.stringify({ type: 'service_account', client_id: '123' })
    const r = new Redactor()
    r.add(secret)
    expect(r.redact(secret)).toBe('***')
  })

  it('never throws on a lone surrogate, in a value or in the text, and still masks it', () => {
    const r = new Redactor()
    const lone = 'pw\uD800x\uDC00yz'
    expect(() => r.add(lone)).not.toThrow()
    expect(r.redact(`a ${lone} b`)).toBe('a *** b')
    expect(r.redact(JSON.stringify({ p: lone }))).toBe('{"p":"***"}')
    expect(() => r.redact('\uD800%ED%A0%80&#xD800;\\ud800')).not.toThrow()
  })

  it('registers 1- and 2-character values with the runner, but does not search for them', () => {
    const r = new Redactor()
    const seen: string[] = []
    r.onRegister(v => seen.push(v))
    r.add('x')
    r.add('ab')
    expect(seen).toEqual(['x', 'ab'])
    expect(r.redact('x ab xab')).toBe('x ab xab')
  })

  it('a secret that ends in the marker does not come back when replacing joins it with its neighbours', () => {
    const r = new Redactor()
    r.add('ab***')
    expect(r.redact('aab******')).not.toContain('ab***')
  })

  it('malformed escapes are left as they are', () => {
    const r = new Redactor()
    r.add('secret-value')
    const text = '%zz %4 %E2%82 &#xZZ; &unknown; \\q \\u12 &#99999999; %FF%FE'
    expect(r.redact(text)).toBe(text)
  })
})

describe('Redactor: property, encoded forms', () => {
  it('no secret survives in any supported encoding, whatever surrounds it', () => {
    const encoders: Array<(s: string) => string> = [
      s => s,
      s => JSON.stringify(s).slice(1, -1),
      s => JSON.stringify(JSON.stringify(s)).slice(1, -1),
      s => allUnicodeEscapes(s, false),
      htmlEscape,
      s => htmlEscape(JSON.stringify(s)),
      javaUrlEncode,
      s => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, m => m.toLowerCase())
    ]
    const secret = fc
      .string({ unit: 'binary', minLength: 3, maxLength: 24 })
      .filter(
        s => s.trim().length >= 3 && !/[\r\n]/.test(s) && s !== '***' && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)
      )
    fc.assert(
      fc.property(secret, fc.integer({ min: 0, max: encoders.length - 1 }), fc.string(), fc.string(), (s, e, before, after) => {
        const r = new Redactor()
        r.add(s)
        const encoded = encoders[e](s)
        const out = r.redact(`${before}${encoded}${after}`)
        expect(out.includes(encoded)).toBe(false)
      }),
      { seed: 12, numRuns: 500 }
    )
  })
})

describe('Redactor: found by the fuzz suite', () => {
  it('a secret holding U+FEFF, URL-encoded (%EF%BB%BF is a character, not a byte-order mark)', () => {
    const r = new Redactor()
    r.add('CNRYa\uFEFF\u0000CNRYz')
    expect(r.redact('x CNRYa%EF%BB%BF%00CNRYz y')).toBe('x *** y')
  })

  it('a secret with a lone surrogate, echoed after a trip through UTF-8 (U+FFFD in its place), also URL-encoded', () => {
    const r = new Redactor()
    r.add('CNRYa\uD800CNRYz')
    expect(r.redact('x CNRYa\uFFFDCNRYz y')).toBe('x *** y')
    expect(r.redact('x CNRYa%EF%BF%BDCNRYz y')).toBe('x *** y')
  })

  it('a secret JSON-escaped three and four times (a JSON-in-JSON echo inside a JSON body)', () => {
    const r = new Redactor()
    r.add('CNRYa"CNRYz')
    let text = 'CNRYa"CNRYz'
    for (let level = 1; level <= 4; level++) {
      text = JSON.stringify(text).slice(1, -1)
      expect(r.redact(`<${text}>`)).toBe('<***>')
    }
  })
})
