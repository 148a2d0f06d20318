import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { discover, MAX_FILE_BYTES, splitPatterns } from '../src/stages/discover.js'

let root: string
let ws: string

async function put(rel: string, content = '{}'): Promise<void> {
  const abs = path.join(ws, rel)
  await mkdir(path.dirname(abs), { recursive: true })
  await writeFile(abs, content)
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'discover-'))
  ws = path.join(root, 'ws')
  await mkdir(ws)
  await put('connectors/prod/b.json')
  await put('connectors/prod/a.yaml')
  await put('connectors/prod/c.YML')
  await put('connectors/prod/sub/d.json')
  await put('connectors/prod/.hidden.json')
  await put('connectors/dev/x.json')
  await put('connectors/README.md', '# docs')
  await put('connectors/big.json', 'x'.repeat(MAX_FILE_BYTES + 1))
  await put('connectors/exact.json', 'x'.repeat(MAX_FILE_BYTES))
  await put('root.json')
  await writeFile(path.join(root, 'outside.json'), '{}')
  await mkdir(path.join(ws, 'links'))
  await symlink(path.join(root, 'outside.json'), path.join(ws, 'links/escape.json'))
  await symlink(path.join(ws, 'connectors/dev/x.json'), path.join(ws, 'links/inside.json'))
  await symlink(path.join(ws, 'nowhere.json'), path.join(ws, 'links/broken.json'))
  await mkdir(path.join(root, 'elsewhere'))
  await writeFile(path.join(root, 'elsewhere/e.json'), '{}')
  await symlink(path.join(root, 'elsewhere'), path.join(ws, 'links/dir'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('splitPatterns', () => {
  it('trims, skips blanks and comments, and splits on !', () => {
    expect(splitPatterns(['  a/*.json  ', '', '   ', '# comment', '! a/x.json', '!b'])).toEqual({
      includes: ['a/*.json'],
      excludes: ['a/x.json', 'b'],
      problems: []
    })
  })

  it.each([['/etc/*.json'], ['../x/*.json'], ['connectors/../../x.json'], ['..'], ['C:\\x\\*.json'], ['!/abs/*.json'], ['\\\\server\\share\\*.json']])(
    'refuses %j as outside the workspace',
    pattern => {
      const { includes, excludes, problems } = splitPatterns([pattern])
      expect(includes).toEqual([])
      expect(excludes).toEqual([])
      expect(problems).toEqual([{ file: pattern, message: expect.stringContaining('outside the workspace') }])
    }
  )

  it('accepts .. that stays inside', () => {
    expect(splitPatterns(['connectors/../connectors/*.json']).includes).toEqual(['connectors/../connectors/*.json'])
  })
})

describe('discover', () => {
  it('returns sorted, deduplicated relative paths with forward slashes', async () => {
    const r = await discover(ws, ['connectors/prod/**/*.json', 'connectors/prod/*.json', 'connectors/prod/*.yaml', 'connectors/prod/*.YML'])
    expect(r).toEqual({
      files: ['connectors/prod/a.yaml', 'connectors/prod/b.json', 'connectors/prod/c.YML', 'connectors/prod/sub/d.json'],
      problems: [],
      unmatched: []
    })
  })

  it('does not match dot files', async () => {
    const r = await discover(ws, ['connectors/prod/*.json'])
    expect(r.files).toEqual(['connectors/prod/b.json'])
  })

  it('applies exclusions', async () => {
    const r = await discover(ws, ['connectors/**/*.json', '!connectors/dev/**', '!connectors/big.json', '! connectors/exact.json'])
    expect(r.files).toEqual(['connectors/prod/b.json', 'connectors/prod/sub/d.json'])
    expect(r.problems).toEqual([])
  })

  it('normalises ./ prefixes', async () => {
    const r = await discover(ws, ['./connectors/dev/*.json'])
    expect(r.files).toEqual(['connectors/dev/x.json'])
  })

  it('lists include patterns that matched nothing, which is not a problem', async () => {
    const r = await discover(ws, ['connectors/dev/*.json', 'nothing/**/*.json', '!connectors/dev/x.json'])
    expect(r).toEqual({ files: [], problems: [], unmatched: ['nothing/**/*.json'] })
  })

  it('refuses files over 1 MiB and keeps one of exactly 1 MiB', async () => {
    const r = await discover(ws, ['connectors/*.json'])
    expect(r.files).toEqual(['connectors/exact.json'])
    expect(r.problems).toEqual([{ file: 'connectors/big.json', message: `file is ${MAX_FILE_BYTES + 1} bytes; a connector file is at most 1 MiB` }])
  })

  it('refuses a matched file of another format, naming it', async () => {
    const r = await discover(ws, ['connectors/*'])
    expect(r.problems).toContainEqual({ file: 'connectors/README.md', message: expect.stringContaining('not a supported format') })
    expect(r.files).not.toContain('connectors/README.md')
  })

  it('refuses patterns outside the workspace', async () => {
    const r = await discover(ws, ['../*.json', path.join(root, '*.json'), 'connectors/dev/*.json'])
    expect(r.files).toEqual(['connectors/dev/x.json'])
    expect(r.problems.map(p => p.file)).toEqual(['../*.json', path.join(root, '*.json')])
    expect(r.unmatched).toEqual([])
  })

  it('refuses a symlink that leads out of the workspace, keeps one that stays inside', async () => {
    const r = await discover(ws, ['links/*.json'])
    expect(r.files).toEqual(['links/inside.json'])
    expect(r.problems).toEqual([
      { file: 'links/broken.json', message: expect.stringContaining('cannot be resolved') },
      { file: 'links/escape.json', message: expect.stringContaining('outside the workspace') }
    ])
  })

  it('refuses a file reached through a symlinked directory that leads out', async () => {
    const r = await discover(ws, ['links/dir/*.json'])
    expect(r.files).toEqual([])
    expect(r.problems).toEqual([{ file: 'links/dir/e.json', message: expect.stringContaining('outside the workspace') }])
  })

  it('refuses what a brace pattern brings in from outside', async () => {
    const r = await discover(path.join(ws, 'connectors'), ['{..,dev}/*.json'])
    expect(r.files).toEqual(['dev/x.json'])
    expect(r.problems).toEqual([{ file: '../root.json', message: expect.stringContaining('outside the workspace') }])
  })

  it('finds nothing in a missing workspace without throwing', async () => {
    const r = await discover(path.join(root, 'missing'), ['**/*.json'])
    expect(r).toEqual({ files: [], problems: [], unmatched: ['**/*.json'] })
  })
})
