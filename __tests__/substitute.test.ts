import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { substitute, substituteString } from '../src/stages/substitute.js'
import type { RawConnector } from '../src/model/types.js'

function raw(config: Record<string, string>): RawConnector {
  const locations: RawConnector['locations'] = {}
  Object.keys(config).forEach((k, i) => (locations[k] = { line: i + 2, column: 3 }))
  return { file: 'c/x.json', index: 0, line: 1, name: config.name, config, locations }
}

const inputs = { secrets: { DB_PASSWORD: 'p@ss$&word', API: 'k' }, vars: { HOST: 'db.example.com', Mixed_Case: 'm' } }

describe('substituteString', () => {
  it('replaces secrets and vars, with or without spaces, case-insensitively', () => {
    expect(substituteString('${{ secrets.DB_PASSWORD }}', inputs)).toEqual({ value: 'p@ss$&word', usedSecret: true, missing: [], empty: [], invalid: [] })
    expect(substituteString('jdbc://${{vars.HOST}}:5432/${{  vars.host  }}', inputs).value).toBe('jdbc://db.example.com:5432/db.example.com')
    expect(substituteString('${{ secrets.db_password }}', inputs).value).toBe('p@ss$&word')
    expect(substituteString('${{ VARS.mixed_case }}', inputs).value).toBe('m')
  })

  it('an empty secret is a problem on its line (NAME=${{ secrets.TYPO }} gives an empty value); an empty var is not', () => {
    const r = substitute(raw({ name: 'a', 'database.password': 'pw-${{ secrets.PG }}', prefix: '${{ vars.P }}' }), { secrets: { PG: '' }, vars: { P: '' } })
    expect(r.problems).toEqual([
      {
        file: 'c/x.json',
        line: 3,
        column: 3,
        message:
          'placeholder ${{ secrets.PG }} in "database.password" is empty: the secrets input gives PG no value (a secret GitHub does not have expands to nothing; check its name)'
      }
    ])
  })

  it('prefers the exact name over a case-insensitive one', () => {
    expect(substituteString('${{ vars.a }}-${{ vars.A }}', { secrets: {}, vars: { A: 'upper', a: 'lower' } }).value).toBe('lower-upper')
  })

  it('leaves everything else byte for byte', () => {
    for (const text of ['${file:/path:key}', 'kafka_${topic}', '${date:now:yyyyMMdd}', 'org.X$Key', '$1', '${secrets.X}', '{{ secrets.X }}', '$${{', 'a}}b']) {
      const r = substituteString(text, inputs)
      expect(r.value).toBe(text)
      expect(r.missing).toEqual([])
    }
  })

  it('reports missing names as written, keeping the placeholder', () => {
    const r = substituteString('${{ secrets.NOPE }}/${{ vars.Nope2 }}', inputs)
    expect(r.value).toBe('${{ secrets.NOPE }}/${{ vars.Nope2 }}')
    expect(r.missing).toEqual(['secrets.NOPE', 'vars.Nope2'])
    expect(r.usedSecret).toBe(true)
  })

  it('flags other contexts and unterminated placeholders', () => {
    expect(substituteString('${{ github.sha }}', inputs).invalid).toEqual(['${{ github.sha }}'])
    expect(substituteString("${{ secrets['X'] }}", inputs).invalid).toEqual(['a ${{ ... }} expression'])
    expect(substituteString('${{ secrets.API }', inputs).invalid).toEqual(['a "${{" without its closing "}}"'])
  })

  it('does not substitute inside a substituted value', () => {
    const r = substituteString('${{ vars.A }}', { secrets: { B: 'secret' }, vars: { A: '${{ secrets.B }}' } })
    expect(r).toEqual({ value: '${{ secrets.B }}', usedSecret: false, missing: [], empty: [], invalid: [] })
  })

  const noPlaceholder = fc.string({ unit: 'binary' }).filter(s => !s.includes('${{'))
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/)

  it('returns text without placeholders unchanged (property)', () => {
    fc.assert(
      fc.property(noPlaceholder, fc.dictionary(name, fc.string()), (text, secrets) => {
        const r = substituteString(text, { secrets, vars: secrets })
        expect(r).toEqual({ value: text, usedSecret: false, missing: [], empty: [], invalid: [] })
      })
    )
  })

  it('replaces each placeholder exactly, whatever surrounds it and whatever the values hold (property)', () => {
    const part = fc.record({
      before: noPlaceholder,
      name,
      kind: fc.constantFrom('secrets', 'vars'),
      value: fc.string({ unit: 'binary' }),
      spaces: fc.tuple(fc.constantFrom('', ' ', '  ', '\t'), fc.constantFrom('', ' ', '  '))
    })
    fc.assert(
      fc.property(fc.array(part, { maxLength: 5 }), noPlaceholder, (parts, tail) => {
        const secrets: Record<string, string> = {}
        const vars: Record<string, string> = {}
        // The same name (ignoring case) in one context must hold one value.
        const seen = new Map<string, string>()
        for (const p of parts) {
          const key = `${p.kind}.${p.name.toLowerCase()}`
          if (!seen.has(key)) seen.set(key, p.value)
          p.value = seen.get(key) as string
          ;(p.kind === 'secrets' ? secrets : vars)[p.name] = p.value
        }
        const template = parts.map(p => `${p.before}\${{${p.spaces[0]}${p.kind}.${p.name}${p.spaces[1]}}}`).join('') + tail
        const expected = parts.map(p => p.before + p.value).join('') + tail
        const r = substituteString(template, { secrets, vars })
        expect(r.value).toBe(expected)
        expect(r.missing).toEqual([])
        expect(r.usedSecret).toBe(parts.some(p => p.kind === 'secrets'))
      })
    )
  })
})

describe('substitute', () => {
  it('fills config values and marks keys that used a secret', () => {
    const r = substitute(
      raw({ name: 'pg-${{ vars.HOST }}', 'database.password': 'x${{ secrets.DB_PASSWORD }}', 'database.hostname': '${{ vars.HOST }}', table: '${topic}' }),
      inputs
    )
    expect(r.problems).toEqual([])
    expect(r.connector.config).toEqual({
      name: 'pg-db.example.com',
      'database.password': 'xp@ss$&word',
      'database.hostname': 'db.example.com',
      table: '${topic}'
    })
    expect(r.connector.secretKeys).toEqual(['database.password'])
  })

  it('does not change the raw connector', () => {
    const r0 = raw({ a: '${{ vars.HOST }}' })
    substitute(r0, inputs)
    expect(r0.config.a).toBe('${{ vars.HOST }}')
  })

  it('names file, line, key and the missing placeholder, never a value', () => {
    const r = substitute(raw({ name: 'a', 'database.password': 'hunter2-${{ secrets.MISSING_ONE }}' }), inputs)
    expect(r.problems).toEqual([
      {
        file: 'c/x.json',
        line: 3,
        column: 3,
        message: 'placeholder ${{ secrets.MISSING_ONE }} in "database.password" is not set: the secrets input has no MISSING_ONE'
      }
    ])
    expect(r.problems[0].message).not.toContain('hunter2')
    expect(r.connector.secretKeys).toEqual(['database.password'])
  })

  it('reports a non secrets/vars expression at the key', () => {
    const r = substitute(raw({ name: 'a', 'x.sha': '${{ github.sha }}' }), inputs)
    expect(r.problems).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining('only ${{ secrets.NAME }} and ${{ vars.NAME }} are substituted') })
    ])
    expect(r.connector.config['x.sha']).toBe('${{ github.sha }}')
  })

  it('falls back to the document line for a key without a location', () => {
    const r0: RawConnector = { file: 'f.yaml', index: 0, line: 7, config: { a: '${{ vars.NONE }}' }, locations: {} }
    expect(substitute(r0, inputs).problems[0].line).toBe(7)
  })
})

describe('substitute: the target of a wrapped document', () => {
  it('fills environment_id and kafka_cluster_id, and reports a missing name on the document line', () => {
    const r = { ...raw({ name: 'c' }), environmentId: '${{ vars.ENV }}', kafkaClusterId: '${{ secrets.CLUSTER }}' }
    const ok = substitute(r, { secrets: { CLUSTER: 'lkc-9' }, vars: { ENV: 'env-9' } })
    expect(ok.problems).toEqual([])
    expect(ok.connector).toMatchObject({ environmentId: 'env-9', kafkaClusterId: 'lkc-9' })
    const missing = substitute(r, { secrets: {}, vars: { ENV: 'env-9' } })
    expect(missing.problems).toEqual([
      { file: r.file, line: r.line, message: 'placeholder ${{ secrets.CLUSTER }} in kafka_cluster_id is not set: the secrets input has no CLUSTER' }
    ])
  })
})
