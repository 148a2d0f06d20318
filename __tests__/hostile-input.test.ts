// Hostile input (issue 12, file side) and the declared state (issue 14): every example of the issue is
// a test of the right answer. Speed is measured in BENCHMARKS, not asserted here.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { discover, printable } from '../src/stages/discover.js'
import { MAX_PROBLEMS_PER_FILE, readRegularFile, tidyProblems } from '../src/stages/load.js'
import { MAX_DEPTH, tooDeep } from '../src/stages/parse-guards.js'
import { fastJson } from '../src/stages/parse-json.js'
import { MAX_ALIASES, MAX_KEYS, parseFile } from '../src/stages/parse.js'
import { substitute, substituteString } from '../src/stages/substitute.js'

const LONE = JSON.parse('"\\ud800"') as string

describe('discover: file names and file kinds', () => {
  let ws: string
  const injected = 'connectors/a\n::warning file=README.md,line=1::Plan approved\n::stop-commands::x\n.json'
  beforeAll(async () => {
    ws = await mkdtemp(path.join(tmpdir(), 'hostile-'))
    await mkdir(path.join(ws, 'connectors'))
    await writeFile(path.join(ws, injected), '{}')
    await writeFile(path.join(ws, 'connectors/tab\there.json'), '{}')
    await writeFile(path.join(ws, 'connectors/c1\u0085x.json'), '{}')
    await writeFile(path.join(ws, 'connectors/ls\u2028x.json'), '{}')
    await writeFile(path.join(ws, 'connectors/del\u007fx.json'), '{}')
    await writeFile(path.join(ws, 'connectors/ok.json'), '{}')
    await writeFile(path.join(ws, 'connectors/caf\u00e9.json'), '{}')
    execFileSync('mkfifo', [path.join(ws, 'connectors/fifo.json')])
  })
  afterAll(async () => rm(ws, { recursive: true, force: true }))

  it('refuses names with control characters, printing them escaped on one line', async () => {
    const { files, problems } = await discover(ws, ['connectors/*.json'])
    expect(files).toEqual(['connectors/caf\u00e9.json', 'connectors/ok.json'])
    const named = problems.filter(p => /control character/.test(p.message))
    expect(named.map(p => p.file).sort()).toEqual([
      'connectors/a\\n::warning file=README.md,line=1::Plan approved\\n::stop-commands::x\\n.json',
      'connectors/c1\\u0085x.json',
      'connectors/del\\u007fx.json',
      'connectors/ls\\u2028x.json',
      'connectors/tab\\there.json'
    ])
    for (const p of named) {
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      expect(`${p.file} ${p.message}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
      expect(p.message).toContain(`"${p.file}"`)
    }
  })

  it('refuses a FIFO matching the glob without reading it (reading would block forever)', async () => {
    const { problems } = await discover(ws, ['connectors/fifo.json'])
    expect(problems).toEqual([
      { file: 'connectors/fifo.json', message: '"connectors/fifo.json" is not a regular file (a FIFO, socket or device?); it is not read' }
    ])
  })

  it('reads without blocking: a FIFO swapped in after discover is refused on the open file', async () => {
    expect(await readRegularFile(path.join(ws, 'connectors/fifo.json'))).toBe('not a regular file (a FIFO, socket or device?); it is not read')
    expect(await readRegularFile(path.join(ws, 'connectors/ok.json'))).toEqual(Buffer.from('{}'))
    expect(await readRegularFile(path.join(ws, 'connectors/none.json'))).toBe('the file could not be read (ENOENT)')
  })

  it('printable() escapes C0, DEL, C1, U+2028/9 and lone surrogates, and keeps other text', () => {
    expect(printable(`a\n\r\u0000\u007f\u0085\u2028\u2029${LONE}é`)).toBe('"a\\n\\r\\u0000\\u007f\\u0085\\u2028\\u2029\\ud800é"')
  })
})

describe('parse: YAML aliases', () => {
  it('refuses the 6,000-alias file at the first alias past the cap, with nothing parsed', () => {
    let text = 'name: a\nconnector.class: X\nt: &t v\n'
    for (let i = 0; i < 6000; i++) text += `k${i}: *t\n`
    const { connectors, problems } = parseFile('c/a.yaml', text)
    expect(connectors).toEqual([])
    expect(problems).toEqual([
      { file: 'c/a.yaml', line: 4 + MAX_ALIASES, column: 8, message: `more than ${MAX_ALIASES} YAML aliases (*name) in one file; write the values out` }
    ])
  })

  it(`accepts ${MAX_ALIASES} aliases to a scalar, each with its value`, () => {
    let text = 'name: a\nconnector.class: X\nt: &t v\n'
    for (let i = 0; i < MAX_ALIASES; i++) text += `k${i}: *t\n`
    const { connectors, problems } = parseFile('c/a.yaml', text)
    expect(problems).toEqual([])
    expect(Object.keys(connectors[0].config)).toHaveLength(3 + MAX_ALIASES)
    expect(connectors[0].config[`k${MAX_ALIASES - 1}`]).toBe('v')
  })

  it('counts aliases over all documents of a file', () => {
    const doc = (n: number) => `name: a${n}\nconnector.class: X\nt: &t v\n${Array.from({ length: 600 }, (_, i) => `k${i}: *t`).join('\n')}\n`
    const { problems } = parseFile('c/a.yaml', `${doc(1)}---\n${doc(2)}`)
    // Document 2 starts on line 605; its aliases on 608...; the 1,001st alias of the file is its 401st.
    expect(problems).toEqual([expect.objectContaining({ line: 608 + (MAX_ALIASES - 600), message: expect.stringContaining('more than') })])
  })

  it('resolves an alias to the last anchor of that name before it', () => {
    const { connectors } = parseFile('c/a.yaml', 'name: a\nconnector.class: X\nx: &v one\ny: *v\nz: &v two\nw: *v\n')
    expect(connectors[0].config).toMatchObject({ y: 'one', w: 'two' })
  })

  it('refuses an alias to an object or array, and an alias without anchor, at the alias', () => {
    const obj = parseFile('c/a.yaml', 'base: &b\n  connector.class: X\nname: a\nconfig: *b\n')
    expect(obj.connectors).toEqual([])
    expect(obj.problems).toEqual([
      { file: 'c/a.yaml', line: 4, column: 9, message: 'the alias *b stands for an object; aliases may only stand for a single value' }
    ])
    const seq = parseFile('c/a.yaml', 'name: a\nconnector.class: X\nl: &l [1, 2]\nm: *l\n')
    expect(seq.problems).toEqual([expect.objectContaining({ line: 4, message: expect.stringContaining('stands for an array') })])
    const none = parseFile('c/a.yaml', 'name: a\nconnector.class: X\nm: *nope\n')
    expect(none.problems).toEqual([{ file: 'c/a.yaml', line: 3, column: 4, message: 'the alias *nope has no anchor before it' }])
  })
})

describe('parse: sizes', () => {
  it('refuses a connector with 60,000 keys at the first key past the cap', () => {
    const o: Record<string, string> = { name: 'a', 'connector.class': 'X' }
    for (let i = 0; i < 60000; i++) o[`k${i}`] = 'v'
    const text = JSON.stringify(o, null, 1)
    const { connectors, problems } = parseFile('c/a.json', text)
    expect(connectors).toEqual([])
    expect(problems).toEqual([
      { file: 'c/a.json', line: 2 + MAX_KEYS, column: 2, message: `more than ${MAX_KEYS} keys in one object; a connector config has far fewer` }
    ])
  })

  it(`accepts ${MAX_KEYS} keys, and still finds a duplicate among them`, () => {
    const lines = Array.from({ length: MAX_KEYS - 2 }, (_, i) => `"k${i}": "v"`)
    const ok = parseFile('c/a.json', `{"name": "a", "connector.class": "X",\n${lines.join(',\n')}\n}`)
    expect(ok.problems).toEqual([])
    expect(Object.keys(ok.connectors[0].config)).toHaveLength(MAX_KEYS)
    lines[5000] = '"k17": "w"'
    const dup = parseFile('c/a.json', `{"name": "a", "connector.class": "X",\n${lines.join(',\n')}\n}`)
    expect(dup.problems).toEqual([{ file: 'c/a.json', line: 5002, column: 1, message: 'duplicate key "k17" (first on line 19)' }])
  })
})

describe('parse: nesting guard counts every nesting indicator', () => {
  const compact = `${'- '.repeat(1000)}leaf\n`
  it.each([
    ['block sequence dashes on one line', compact, 1],
    ['compact dashes after a key', `name: a\nx:\n${compact}`, 3],
    ['explicit keys', `${'? '.repeat(1000)}k\n`, 1],
    ['dashes and explicit values', `${'- : '.repeat(500)}x\n`, 1],
    ['one indentation step per level', Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'), MAX_DEPTH + 1],
    ['flow inside block', `a:\n  - - [${'['.repeat(100)}`, 2],
    ['dashes with anchors between them', `${'- &a '.repeat(500)}x\n`, 1]
  ])('%s: a located error before the parser sees it', (_what, text, line) => {
    for (const file of ['c/a.yaml', 'c/b.yml']) {
      const { connectors, problems } = parseFile(file, text)
      expect(connectors).toEqual([])
      expect(problems).toEqual([
        expect.objectContaining({ file, line, message: `nested more than ${MAX_DEPTH} levels deep; a connector config is a flat map of strings` })
      ])
    }
  })

  it('is not fooled by dashes, brackets or quotes inside strings and comments', () => {
    expect(tooDeep(`a: "${'- '.repeat(200)}"\nb: '${'['.repeat(200)}'\n# ${'{'.repeat(200)}\nc: x # ${'['.repeat(200)}\n`)).toBeUndefined()
    expect(tooDeep(`name: a\nlist:\n  - - - x\n  - y\nmap:\n  ? k\n  : v\n`)).toBeUndefined()
  })

  it('JSON: the fast path stops at the same bracket, line and column as tooDeep, and lets the limit through', () => {
    // A JSON text is one block level plus its brackets; fastJson counts them while it builds the nodes.
    // (tooDeep alone counts one more level for a line holding only a tab or BOM before the value.)
    const nest = (levels: number, pretty: boolean) => {
      const open = Array.from({ length: levels }, (_, i) => (i % 2 ? '[' : '{"k":')).join(pretty ? '\n ' : '')
      const close = Array.from({ length: levels }, (_, i) => (i % 2 ? ']' : '}'))
        .reverse()
        .join('')
      return `  ${open}1${close}\n`
    }
    for (const pretty of [false, true]) {
      const over = nest(MAX_DEPTH, pretty)
      const deep = tooDeep(over)
      expect(deep).toBeDefined()
      expect(fastJson(over, MAX_DEPTH)).toEqual({ deep })
      const lines = over.slice(0, deep).split('\n')
      expect(parseFile('c/a.json', over).problems).toEqual([
        expect.objectContaining({
          line: lines.length,
          column: lines[lines.length - 1].length + 1,
          message: expect.stringMatching(/^nested more than 64 levels/)
        })
      ])
      const ok = nest(MAX_DEPTH - 1, pretty)
      expect(tooDeep(ok)).toBeUndefined()
      expect(fastJson(ok, MAX_DEPTH)).toEqual({ node: expect.anything() })
    }
  })

  it('lets real nesting up to the limit through', () => {
    const ok = Array.from({ length: MAX_DEPTH }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')
    expect(tooDeep(ok)).toBeUndefined()
    expect(tooDeep(`${'- '.repeat(MAX_DEPTH - 1)}x`)).toBeUndefined()
    expect(tooDeep(`${'- '.repeat(MAX_DEPTH)}x`)).toBe(2 * MAX_DEPTH)
  })
})

describe('parse: line ends and Unicode', () => {
  it('accepts JSON with CR-only line ends, with the right lines', () => {
    const r = parseFile('c/a.json', '{\r  "name": "a",\r  "connector.class": "X",\r  "tasks.max": "1"\r}\r')
    expect(r.problems).toEqual([])
    expect(r.connectors[0].locations).toEqual({ name: { line: 2, column: 3 }, 'connector.class': { line: 3, column: 3 }, 'tasks.max': { line: 4, column: 3 } })
    const bad = parseFile('c/a.json', '{\r  "name": "a",\r  "connector.class": "X",\r  "x": null\r}\r')
    expect(bad.problems).toEqual([expect.objectContaining({ line: 4 })])
  })

  it('accepts YAML with CR-only line ends and mixed CRLF', () => {
    const r = parseFile('c/a.yaml', 'name: a\rconnector.class: X\r\ntopic: t\r')
    expect(r.problems).toEqual([])
    expect(r.connectors[0].config).toEqual({ name: 'a', 'connector.class': 'X', topic: 't' })
    expect(r.connectors[0].locations.topic.line).toBe(3)
  })

  it('refuses a lone surrogate in a value, a key or the name, without showing the value', () => {
    const value = parseFile('c/a.json', '{\n  "name": "a",\n  "connector.class": "X",\n  "database.password": "hunter2\\ud800"\n}')
    expect(value.connectors).toEqual([])
    expect(value.problems).toEqual([
      {
        file: 'c/a.json',
        line: 4,
        column: 24,
        message: 'value of "database.password" is not well-formed Unicode (a lone surrogate, e.g. from a "\\ud800" escape); it cannot be sent'
      }
    ])
    const key = parseFile('c/a.json', '{\n  "name": "a",\n  "connector.class": "X",\n  "k\\udc00": "v"\n}')
    expect(key.problems).toEqual([expect.objectContaining({ line: 4, column: 3, message: expect.stringMatching(/^a key is not well-formed Unicode/) })])
    const name = parseFile('c/a.json', '{\n  "name": "\\udbff",\n  "config": {"connector.class": "X"}\n}')
    expect(name.problems).toEqual([expect.objectContaining({ line: 2, message: expect.stringMatching(/^value of "name" is not well-formed/) })])
    expect(JSON.stringify([value, key, name])).not.toContain('hunter2')
  })

  it('a surrogate pair is well-formed; lone halves (also a low one first, or a pair in the wrong order) are not', () => {
    const valueOf = (escaped: string) => parseFile('c/a.json', `{"name": "a", "connector.class": "X", "k": "${escaped}"}`).problems
    expect(valueOf('a\\ud83d\\ude00b é')).toEqual([])
    expect(valueOf('a\\ud800')).toEqual([expect.objectContaining({ message: expect.stringMatching(/not well-formed/) })])
    expect(valueOf('\\ude00x')).toEqual([expect.objectContaining({ message: expect.stringMatching(/not well-formed/) })])
    expect(valueOf('\\ude00\\ud83d')).toEqual([expect.objectContaining({ message: expect.stringMatching(/not well-formed/) })])
  })
})

describe('parse: the declared state (issue 14)', () => {
  it.each([['RUNNING'], ['PAUSED']])('keeps state %s of a wrapped document, with its location', state => {
    const r = parseFile('c/a.json', `{\n  "name": "a",\n  "state": "${state}",\n  "config": {"connector.class": "X"}\n}`)
    expect(r.problems).toEqual([])
    expect(r.connectors[0].state).toBe(state)
    expect(r.connectors[0].locations.state).toEqual({ line: 3, column: 3 })
    expect(r.connectors[0].config).toEqual({ name: 'a', 'connector.class': 'X' })
  })

  it('has no state when none is declared', () => {
    const r = parseFile('c/a.yaml', 'name: a\nconfig:\n  connector.class: X\n')
    expect('state' in r.connectors[0]).toBe(false)
  })

  it.each([['running'], ['Paused'], ['STOPPED'], ['1'], ['']])('refuses state %j at its line', state => {
    const r = parseFile('c/a.yaml', `name: a\nconfig:\n  connector.class: X\nstate: "${state}"\n`)
    expect(r.connectors).toEqual([])
    expect(r.problems).toEqual([
      expect.objectContaining({ file: 'c/a.yaml', line: 4, column: 1, message: expect.stringContaining('must be RUNNING or PAUSED') })
    ])
  })

  it('refuses a state that is not a string', () => {
    const r = parseFile('c/a.yaml', 'name: a\nconfig:\n  connector.class: X\nstate: [RUNNING]\n')
    expect(r.problems).toEqual([expect.objectContaining({ line: 4, message: 'value of "state" is an array; config values must be strings' })])
  })

  it('refuses "state" in a flat config, explaining the wrapped shape', () => {
    const r = parseFile('c/a.json', '{\n  "name": "a",\n  "connector.class": "X",\n  "state": "PAUSED"\n}')
    expect(r.connectors).toEqual([])
    expect(r.problems).toEqual([
      {
        file: 'c/a.json',
        line: 4,
        column: 3,
        message: '"state" belongs to the wrapped shape {"name", "config", "state"}; in a flat config it would be sent to Confluent as a connector setting'
      }
    ])
  })
})

describe('substitute: linear placeholder scanning', () => {
  it('reports 80,000 "${{" as one unterminated placeholder and keeps the value', () => {
    const value = '${{'.repeat(80000)
    const r = substituteString(value, { secrets: {}, vars: {} })
    expect(r.value).toBe(value)
    expect(r.invalid).toEqual(['a "${{" without its closing "}}"'])
    expect(r.missing).toEqual([])
  })

  it('fills what it can before an unterminated "${{"', () => {
    const r = substituteString('${{ vars.A }}-${{ vars.B', { secrets: {}, vars: { A: 'x' } })
    expect(r).toEqual({ value: 'x-${{ vars.B', usedSecret: false, missing: [], empty: [], invalid: ['a "${{" without its closing "}}"'] })
  })

  it('lists each missing name once, and at most 10 per value', () => {
    const r = substituteString('${{ vars.A }}${{ vars.A }}'.repeat(3), { secrets: {}, vars: {} })
    expect(r.missing).toEqual(['vars.A'])
    const many = substituteString(Array.from({ length: 50 }, (_, i) => `\${{ vars.V${i} }}`).join(''), { secrets: {}, vars: {} })
    expect(many.missing).toHaveLength(10)
    const invalid = substituteString('${{}}'.repeat(50000), { secrets: {}, vars: {} })
    expect(invalid.invalid).toEqual(['a ${{ ... }} expression'])
  })

  it('reports the 80,000 "${{" value once, at its key', () => {
    const r = substitute(
      { file: 'c/a.json', index: 0, line: 1, config: { name: 'a', x: '${{'.repeat(80000) }, locations: { x: { line: 3, column: 3 } } },
      { secrets: {}, vars: {} }
    )
    expect(r.problems).toEqual([
      {
        file: 'c/a.json',
        line: 3,
        column: 3,
        message: 'a "${{" without its closing "}}" in "x": only ${{ secrets.NAME }} and ${{ vars.NAME }} are substituted'
      }
    ])
  })
})

describe('problems as annotated: one per line and message, a few per file', () => {
  it('collapses repeats of a problem on one line, and counts what is over the per-file limit so other files still show', () => {
    const alias = (line: number, column: number) => ({ file: 'c/a.yaml', line, column, message: 'the alias *x stands for an object' })
    const repeated = Array.from({ length: 11 }, (_, l) => Array.from({ length: 10 }, (_, c) => alias(l + 1, 3 * c + 1))).flat()
    const other = { file: 'c/b.json', line: 2, message: 'value of "x" is an array' }
    const out = tidyProblems([...repeated, other])
    expect(out.filter(p => p.file === 'c/a.yaml' && p.line !== undefined).map(p => p.line)).toEqual(
      Array.from({ length: MAX_PROBLEMS_PER_FILE }, (_, i) => i + 1)
    )
    expect(out).toContainEqual(other)
    expect(out).toContainEqual({ file: 'c/a.yaml', message: '1 more problem(s) in this file, not listed: fix the ones above first' })
    expect(out).toHaveLength(MAX_PROBLEMS_PER_FILE + 2)
  })
})
