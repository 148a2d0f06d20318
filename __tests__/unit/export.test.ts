// buildExports (src/stages/export.ts), the pure half of `export-to`: which values become placeholders
// and which names those get. The end-to-end test (e2e/export.e2e.test.ts) writes and re-plans the files.
import { describe, expect, it } from '@jest/globals'
import { buildExports, exportFolderRefusal, writeExports } from '../../src/stages/export.js'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { LiveConnector, Target } from '../../src/model/types.js'
import { Redactor } from '../../src/secrets/redactor.js'

const A: Target = { environmentId: 'env-1', kafkaClusterId: 'lkc-a' }
const B: Target = { environmentId: 'env-1', kafkaClusterId: 'lkc-b' }
const live = (name: string, config: Record<string, string>): LiveConnector => ({ name, config: { name, ...config }, tasks: [] })
const configOf = (text: string): Record<string, string> => (JSON.parse(text) as { config: Record<string, string> }).config

describe('buildExports', () => {
  it('never writes a known secret value, even under a key no rule calls secret', () => {
    const redactor = new Redactor()
    redactor.add('shared-secret-value-canary')
    const [f] = buildExports(
      'imported',
      [
        {
          target: A,
          connector: live('app', { 'my.setting': 'shared-secret-value-canary', 'my.url': 'jdbc://u:shared-secret-value-canary@h', topics: 'orders' })
        }
      ],
      {
        holds: t => redactor.redact(t) !== t,
        names: ['SHARED']
      }
    )
    expect(f.text).not.toContain('shared-secret-value-canary')
    expect(configOf(f.text)).toMatchObject({
      'my.setting': '${{ secrets.APP_MY_SETTING }}',
      'my.url': '${{ secrets.APP_MY_URL }}',
      topics: 'orders'
    })
    expect(f.secrets).toEqual(['APP_MY_SETTING', 'APP_MY_URL'])
  })

  it('keeps the name as it is, takes a short secret inside a value for a coincidence, and never writes a possible mask', () => {
    const redactor = new Redactor()
    redactor.add('prod')
    redactor.add('a-long-shared-secret')
    redactor.add('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----')
    const [f] = buildExports(
      'imported',
      [
        {
          target: A,
          connector: live('orders-prod', {
            topics: 'orders-prod-events',
            'my.exact': 'prod',
            'my.long': 'x:a-long-shared-secret:y',
            'my.mask': '****abcd',
            'input.file.pattern': '**/*.csv',
            'pem.body': 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
            b64: Buffer.from('user:a-long-shared-secret').toString('base64'),
            'my.url': 'jdbc:postgresql://db/x?user=app&password=EMB-pw-1'
          })
        }
      ],
      { holds: t => redactor.holds(t, 8), names: [] }
    )
    expect(configOf(f.text)).toEqual({
      name: 'orders-prod',
      topics: 'orders-prod-events',
      'my.exact': '${{ secrets.ORDERS_PROD_MY_EXACT }}',
      'my.long': '${{ secrets.ORDERS_PROD_MY_LONG }}',
      'my.mask': '${{ secrets.ORDERS_PROD_MY_MASK }}',
      // A glob is a setting; a line of a known multi-line secret and base64 of user:secret are not.
      'input.file.pattern': '**/*.csv',
      'pem.body': '${{ secrets.ORDERS_PROD_PEM_BODY }}',
      b64: '${{ secrets.ORDERS_PROD_B64 }}',
      'my.url': '${{ secrets.ORDERS_PROD_MY_URL }}'
    })
  })

  it('gives every key of every connector a name of its own: look-alike names, one name on two clusters, names already given', () => {
    const files = buildExports(
      'imported',
      [
        { target: A, connector: live('orders-sink', { 'database.password': '****************' }) },
        { target: A, connector: live('orders_sink', { 'database.password': '****************' }) },
        { target: B, connector: live('orders-sink', { 'database.password': '****************' }) },
        // Two keys of one connector that map to one name.
        { target: A, connector: live('pg', { 'db.password': '****************', db_password: '****************' }) }
      ],
      // The `secrets` input already has this name (any case): a placeholder with it would read that secret.
      { holds: () => false, names: ['orders_sink_database_password'] }
    )
    expect(files.map(f => f.secrets)).toEqual([
      ['ORDERS_SINK_DATABASE_PASSWORD_2'],
      ['ORDERS_SINK_DATABASE_PASSWORD_3'],
      ['ORDERS_SINK_DATABASE_PASSWORD_4'],
      ['PG_DB_PASSWORD', 'PG_DB_PASSWORD_2']
    ])
    expect(configOf(files[3].text)).toEqual({
      name: 'pg',
      'db.password': '${{ secrets.PG_DB_PASSWORD }}',
      db_password: '${{ secrets.PG_DB_PASSWORD_2 }}'
    })
    // Names are stable for one input: a second build gives the same.
    expect(
      buildExports('imported', [{ target: A, connector: live('orders-sink', { 'database.password': '****************' }) }], {
        holds: () => false,
        names: []
      })[0].secrets
    ).toEqual(['ORDERS_SINK_DATABASE_PASSWORD'])
  })

  it('gives every connector a file of its own, however alike the names, and writes them all', async () => {
    const names = ['orders sink', 'orders_sink', 'orders/sink', 'é…', '😀…', 'a/b', 'a:b']
    const files = buildExports('imported', [
      ...names.map(name => ({ target: A, connector: live(name, { topics: 't' }) })),
      { target: B, connector: live('orders sink', { topics: 't' }) }
    ])
    expect(new Set(files.map(f => f.file)).size).toBe(files.length)
    // Unique names keep their plain file name; the cluster comes first, a hash only when still needed.
    expect(buildExports('imported', [{ target: A, connector: live('orders-sink', {}) }])[0].file).toBe('imported/orders-sink.json')
    expect(
      buildExports('imported', [
        { target: A, connector: live('x y', {}) },
        { target: B, connector: live('x_y', {}) }
      ]).map(f => f.file)
    ).toEqual(['imported/x_y-lkc-a.json', 'imported/x_y-lkc-b.json'])
    expect(files.map(f => f.file)).toEqual(
      buildExports('imported', [
        ...names.map(name => ({ target: A, connector: live(name, { topics: 't' }) })),
        { target: B, connector: live('orders sink', { topics: 't' }) }
      ]).map(f => f.file)
    )
    const ws = mkdtempSync(path.join(tmpdir(), 'export-names-'))
    try {
      const written = await writeExports(ws, files)
      expect(written.filter(e => e.skipped)).toEqual([])
      expect(readdirSync(path.join(ws, 'imported'))).toHaveLength(files.length)
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  })

  it('does not write a connector that no file could declare (its name), and says why', async () => {
    const [lead, fine] = buildExports('imported', [
      { target: A, connector: live(' lead', { topics: 't' }) },
      { target: A, connector: live('fine', { topics: 't' }) }
    ])
    expect(lead).toMatchObject({ file: '', text: '', refused: 'the connector name " lead" starts or ends with whitespace, so no file can declare it' })
    expect(fine.refused).toBeUndefined()
    const ws = mkdtempSync(path.join(tmpdir(), 'export-refused-'))
    try {
      const written = await writeExports(ws, [lead, fine])
      expect(written.map(e => [e.name, e.file, e.refused])).toEqual([
        [' lead', '', lead.refused],
        ['fine', 'imported/fine.json', undefined]
      ])
      expect(readdirSync(path.join(ws, 'imported'))).toEqual(['fine.json'])
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  })

  it('a file that cannot be written is refused with the error code and marked failed; the others are still written', async () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'export-unwritable-'))
    try {
      // `blocked` is a file, so nothing can be made under it (the pipeline refuses such a folder up front).
      writeFileSync(path.join(ws, 'blocked'), 'x')
      const [inBlocked] = buildExports('blocked/imported', [{ target: A, connector: live('one', { topics: 't' }) }])
      const [fine] = buildExports('imported', [{ target: A, connector: live('two', { topics: 't' }) }])
      const written = await writeExports(ws, [inBlocked, fine])
      expect(written.map(e => [e.name, e.file, e.refused, e.failed])).toEqual([
        ['one', '', 'blocked/imported/one.json could not be written (ENOTDIR)', true],
        ['two', 'imported/two.json', undefined, undefined]
      ])
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  })

  it('exportFolderRefusal: a file or a link out of the workspace is refused; a folder, a missing one, or a link inside is not', async () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'export-folder-'))
    const outside = mkdtempSync(path.join(tmpdir(), 'export-outside-'))
    try {
      writeFileSync(path.join(ws, 'file'), 'x')
      mkdirSync(path.join(ws, 'real'))
      symlinkSync(outside, path.join(ws, 'out'))
      symlinkSync(path.join(ws, 'real'), path.join(ws, 'in'))
      expect(await exportFolderRefusal(ws, 'file/imported')).toBe('"file" is a file, not a folder')
      expect(await exportFolderRefusal(ws, 'out/imported')).toBe('"out" is a symbolic link that leads outside the workspace')
      symlinkSync(path.join(ws, 'gone'), path.join(ws, 'dangling'))
      expect(await exportFolderRefusal(ws, 'dangling/imported')).toBe('"dangling" is a symbolic link to nothing (or to a loop)')
      for (const ok of ['real', 'real/new/deeper', 'missing/imported', 'in/imported']) expect(await exportFolderRefusal(ws, ok)).toBeUndefined()
    } finally {
      rmSync(ws, { recursive: true, force: true })
      rmSync(outside, { recursive: true, force: true })
    }
  })
})
