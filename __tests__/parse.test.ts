import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parseFile } from '../src/stages/parse.js'

const FIXTURES = new URL('./fixtures/real-configs', import.meta.url).pathname

function one(file: string, text: string) {
  const r = parseFile(file, text)
  expect(r.problems).toEqual([])
  expect(r.connectors).toHaveLength(1)
  return r.connectors[0]
}

function problemsOf(file: string, text: string) {
  const r = parseFile(file, text)
  expect(r.connectors).toEqual([])
  expect(r.problems.length).toBeGreaterThan(0)
  return r.problems
}

describe('parseFile: shapes', () => {
  it('reads a flat JSON config with the locations of its keys', () => {
    const c = one('c/a.json', '{\n  "name": "orders",\n  "connector.class": "S3_SINK",\n  "topics": "orders"\n}\n')
    expect(c).toEqual({
      file: 'c/a.json',
      index: 0,
      line: 1,
      name: 'orders',
      config: { name: 'orders', 'connector.class': 'S3_SINK', topics: 'orders' },
      locations: { name: { line: 2, column: 3 }, 'connector.class': { line: 3, column: 3 }, topics: { line: 4, column: 3 } }
    })
    expect(Object.keys(c.config)).toEqual(['name', 'connector.class', 'topics'])
  })

  it('reads a wrapped document, with its target and name put into config first', () => {
    const text = [
      '{',
      '  "name": "orders",',
      '  "environment_id": "env-1",',
      '  "kafka_cluster_id": "lkc-2",',
      '  "config": {',
      '    "connector.class": "S3_SINK",',
      '    "tasks.max": "1"',
      '  }',
      '}'
    ].join('\n')
    const c = one('w.json', text)
    expect(c.name).toBe('orders')
    expect(c.environmentId).toBe('env-1')
    expect(c.kafkaClusterId).toBe('lkc-2')
    expect(Object.keys(c.config)).toEqual(['name', 'connector.class', 'tasks.max'])
    expect(c.locations.name).toEqual({ line: 2, column: 3 })
    expect(c.locations['tasks.max']).toEqual({ line: 7, column: 5 })
  })

  it('accepts config.name equal to the outer name and rejects a different one on its line', () => {
    expect(one('w.yaml', 'name: a\nconfig:\n  name: a\n  connector.class: X\n').config).toEqual({ name: 'a', 'connector.class': 'X' })
    const [p] = problemsOf('w.yaml', 'name: a\nconfig:\n  connector.class: X\n  name: b\n')
    expect(p).toMatchObject({ file: 'w.yaml', line: 4, column: 3 })
    expect(p.message).toContain('differs')
  })

  it('takes the name from config when the wrapper has none', () => {
    const c = one('w.yaml', 'config:\n  name: inner\n  connector.class: X\n')
    expect(c.name).toBe('inner')
    expect(c.locations.name.line).toBe(2)
  })

  it('names any other top-level key of a wrapped document', () => {
    const ps = problemsOf('w.json', '{"name": "a", "config": {"connector.class": "X"},\n "tasks": [], "type": "sink"}')
    expect(ps.map(p => p.message).join('\n')).toMatch(/unexpected key "tasks"[\s\S]*unexpected key "type"/)
    expect(ps[0].line).toBe(2)
  })

  it('refuses a YAML tag it would otherwise drop (sending `DbHost` for `!Ref DbHost`), on its line; core scalar tags stay', () => {
    const text = [
      'name: tagged',
      'config:',
      '  connector.class: X',
      '  connection.host: !Ref DbHost',
      '  connection.password: !secret db_password',
      '  blob: !!binary aGVsbG8=',
      '  plain: !!str 12',
      '  nonspecific: ! 123',
      '  count: !!int "7"'
    ].join('\n')
    const r = parseFile('connectors/t.yaml', text)
    expect(r.problems.map(p => [p.line, p.message])).toEqual([
      [4, 'value of "config.connection.host" is tagged !Ref (YAML tags are not evaluated: write the value itself); config values must be strings'],
      [5, 'value of "config.connection.password" is tagged !secret (YAML tags are not evaluated: write the value itself); config values must be strings'],
      [6, 'value of "config.blob" is tagged !!binary (YAML tags are not evaluated: write the value itself); config values must be strings']
    ])
    // The tag's text is file text: a long or odd one is not echoed.
    const odd = parseFile('connectors/t.yaml', `name: t\nconfig:\n  k: !<tag:example.com,2000:${'x'.repeat(60)}> v\n`)
    expect(odd.problems.map(p => p.message)).toEqual([
      'value of "config.k" is tagged (YAML tags are not evaluated: write the value itself); config values must be strings'
    ])
  })

  it('rejects a config that is not an object', () => {
    const [p] = problemsOf('w.yaml', 'name: a\nconfig: nope\n')
    expect(p).toMatchObject({ line: 2, message: expect.stringContaining('"config" is a string') })
  })

  it('rejects environment_id in a flat config', () => {
    const [p] = problemsOf('f.yaml', 'name: a\nconnector.class: X\nenvironment_id: env-1\n')
    expect(p).toMatchObject({ line: 3, message: expect.stringContaining('wrapped shape') })
  })

  it('returns a flat config without a name (validate reports it)', () => {
    const c = one('f.json', '{"connector.class": "X"}')
    expect(c.name).toBeUndefined()
    expect(c.config).toEqual({ 'connector.class': 'X' })
  })

  it('reads a JSON array as several documents with their index and line', () => {
    const r = parseFile('many.json', '[\n  {"name": "a", "connector.class": "X"},\n  {"name": "b", "config": {"connector.class": "Y"}}\n]')
    expect(r.problems).toEqual([])
    expect(r.connectors.map(c => [c.name, c.index, c.line])).toEqual([
      ['a', 0, 2],
      ['b', 1, 3]
    ])
  })

  it('reads a YAML stream as several documents, skipping empty ones', () => {
    const text = '# header\n---\nname: a\nconnector.class: X\n---\n# nothing here\n---\nname: b\nconnector.class: Y\n---\n'
    const r = parseFile('many.yaml', text)
    expect(r.problems).toEqual([])
    expect(r.connectors.map(c => [c.name, c.index, c.line])).toEqual([
      ['a', 0, 3],
      ['b', 1, 8]
    ])
  })

  it('reports a bad array element on its line and still reads the others', () => {
    const r = parseFile('many.json', '[\n  {"name": "a", "connector.class": "X"},\n  "oops"\n]')
    expect(r.connectors.map(c => c.name)).toEqual(['a'])
    expect(r.problems).toEqual([expect.objectContaining({ line: 3, message: expect.stringContaining('array element 2 is a string') })])
  })

  it.each([
    ['empty file', 'e.json', ''],
    ['whitespace only', 'e.json', '  \n\n'],
    ['comments only', 'e.yaml', '# nothing\n# here\n'],
    ['empty array', 'e.json', '[]'],
    ['document separators only', 'e.yaml', '---\n---\n']
  ])('says a file with no connector (%s) holds none, with a line', (_what, file, text) => {
    const [p] = problemsOf(file, text)
    expect(p.message).toContain('holds no connector')
    expect(p.line).toBeGreaterThanOrEqual(1)
  })

  it('recognises what is not a connector and says what is expected', () => {
    const k8s = problemsOf('k.yaml', 'apiVersion: kafka.strimzi.io/v1\nkind: KafkaConnector\nmetadata:\n  name: x\nspec:\n  config: {}\n')
    expect(k8s[0].message).toMatch(/Kubernetes KafkaConnector resource[\s\S]*expected \{"name"/)
    const tf = problemsOf('t.json', '{"resource": {"confluent_connector": {"x": {}}}}')
    expect(tf[0].message).toContain('Terraform')
    const other = problemsOf('o.yaml', 'foo: bar\n')
    expect(other[0]).toMatchObject({ line: 1, message: expect.stringContaining('does not look like a connector') })
    const props = problemsOf('p.yaml', 'name=x\nconnector.class=Y\n')
    expect(props[0].message).toContain('.properties')
  })
})

describe('parseFile: values', () => {
  it('keeps strings exactly and writes numbers and booleans as in the source', () => {
    const text = [
      'name: a',
      'connector.class: X',
      'v1: 1.0',
      'v2: 0x1F',
      'v3: True',
      'v4: "007"',
      'v5: 12345678901234567890',
      'v6: 1e3',
      "v7: '  spaced  '",
      'v8: -1',
      'v9: |',
      '  one',
      '  two',
      ''
    ].join('\n')
    expect(one('v.yaml', text).config).toMatchObject({
      v1: '1.0',
      v2: '0x1F',
      v3: 'True',
      v4: '007',
      v5: '12345678901234567890',
      v6: '1e3',
      v7: '  spaced  ',
      v8: '-1',
      v9: 'one\ntwo\n'
    })
    const json = one('v.json', '{"name": "a", "b": true, "c": false, "n": 1.50, "i": 2}').config
    expect(json).toEqual({ name: 'a', b: 'true', c: 'false', n: '1.50', i: '2' })
  })

  it('leaves placeholders and dollar signs untouched', () => {
    const text = JSON.stringify({ name: 'a', a: '${file:/secrets/x.properties:user}', b: 'kafka_${topic}', c: 'org.X$Key', d: '$1', e: '${{ secrets.X }}' })
    expect(one('p.json', text).config).toMatchObject({
      a: '${file:/secrets/x.properties:user}',
      b: 'kafka_${topic}',
      c: 'org.X$Key',
      d: '$1',
      e: '${{ secrets.X }}'
    })
  })

  it('resolves YAML aliases', () => {
    expect(one('a.yaml', 'name: a\nx: &v 5\ny: *v\n').config).toEqual({ name: 'a', x: '5', y: '5' })
  })

  it.each([
    ['null', 'name: a\nx: null\n', 2],
    ['null', 'name: a\nx:\ny: 1\n', 2],
    ['an object', 'name: a\nx: {secret: hunter2}\n', 2],
    ['an array', 'name: a\nconfig:\n  k: [hunter2]\n', 3]
  ])('rejects %s as a value on its line, without showing it', (what, text, line) => {
    const [p] = problemsOf('n.yaml', text)
    expect(p.line).toBe(line)
    expect(p.message).toContain(`is ${what}; config values must be strings`)
    expect(p.message).not.toContain('hunter2')
  })

  it('rejects keys that are not strings', () => {
    const [p] = problemsOf('k.yaml', 'name: a\n1: x\n')
    expect(p).toMatchObject({ line: 2, message: expect.stringContaining('key must be a string') })
  })
})

describe('parseFile: errors', () => {
  it('reports duplicate keys at the duplicate, in flat and wrapped documents', () => {
    const [flat] = problemsOf('d.json', '{\n  "name": "a",\n  "x": "1",\n  "x": "2"\n}')
    expect(flat).toEqual({ file: 'd.json', line: 4, column: 3, message: 'duplicate key "x" (first on line 3)' })
    const [wrapped] = problemsOf('d.yaml', 'name: a\nconfig:\n  x: 1\n  y: 2\n  x: 3\n')
    expect(wrapped).toMatchObject({ line: 5, message: expect.stringContaining('duplicate key "x"') })
  })

  it('reports CRLF files on the right lines', () => {
    const [p] = problemsOf('d.json', '{\r\n"name": "a",\r\n"x": "1",\r\n"x": "2"\r\n}')
    expect(p.line).toBe(4)
  })

  it('reports syntax errors with line and column and never echoes the source', () => {
    const [p] = problemsOf('s.json', '{\n  "name": "a",\n  "kafka.api.secret": "TOP SECRET"\n  "x": "1"\n}')
    expect(p).toMatchObject({ file: 's.json', line: 4, column: 3 })
    expect(p.message).toMatch(/^not valid JSON: /)
    expect(p.message).not.toContain('SECRET')
    expect(p.message).not.toContain('\n')
  })

  it('explains two concatenated JSON objects without echoing the second', () => {
    const [p] = problemsOf('two.json', '{"name": "a"}\n{"kafka.api.secret": "TOPSECRET"}\n')
    expect(p.line).toBe(2)
    expect(p.message).toContain('JSON array')
    expect(p.message).not.toContain('TOPSECRET')
  })

  it('reports an unterminated YAML quote', () => {
    const [p] = problemsOf('q.yaml', "name: a\npassword: 'hunter2\n")
    expect(p.message).toMatch(/^not valid YAML: /)
    expect(p.message).not.toContain('hunter2')
  })

  it.each([
    ['double', 'name: a\nconfig:\n  connector.class: X\n  topic: "orders\n  tasks.max: 1\n  other: b\n'],
    ['single', "name: a\nconfig:\n  connector.class: X\n  topic: 'orders\n  tasks.max: 1\n  other: b\n"],
    ['double, after an escaped quote', 'name: a\nconfig:\n  connector.class: "X"\n  topic: "say \\"hi\\"\n  tasks.max: 1\n']
  ])('points an unclosed %s quote at the line where it opens, not at the end of the file', (_, text) => {
    // A quoted YAML scalar may span lines, so the parser only notices at the end of the file.
    expect(problemsOf('q.yaml', text)).toEqual([{ file: 'q.yaml', line: 4, column: 10, message: 'not valid YAML: the quote that opens here is never closed' }])
  })
})

describe('parseFile over the real-world fixtures', () => {
  const files = readdirSync(FIXTURES)
    .filter(f => f !== 'INDEX.md')
    .sort()

  it('has the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(60)
  })

  it.each(files)('%s: a connector or a located problem, never a throw', file => {
    const text = readFileSync(path.join(FIXTURES, file), 'utf8')
    const r = parseFile(file, text)
    expect(r.connectors.length + r.problems.length).toBeGreaterThan(0)
    if (r.connectors.length === 0) {
      for (const p of r.problems) {
        expect(p.file).toBe(file)
        expect(p.line).toBeGreaterThanOrEqual(1)
        expect(p.message.length).toBeGreaterThan(10)
      }
    }
    for (const c of r.connectors) {
      for (const key of Object.keys(c.config)) expect(c.locations[key]?.line).toBeGreaterThanOrEqual(1)
    }
  })

  const read = (name: string) => parseFile(name, readFileSync(path.join(FIXTURES, name), 'utf8'))

  it('keeps booleans, ${topic}, ${file:...} and $Key as written', () => {
    const questdb = read('debezium__debezium-examples__cqrs__questdb-sink.json').connectors[0]
    expect(questdb.config).toMatchObject({ 'include.key': 'false', 'value.converter.schemas.enable': 'true', table: '${topic}', 'tasks.max': '5' })
    const ext = read('debezium__debezium-examples__tutorial__register-mysql-ext-secrets.json').connectors[0]
    expect(ext.config['database.user']).toBe('${file:/secrets/mysql.properties:user}')
    const smt = read('confluentinc__examples__connect-streams-pipeline__jdbcjson-connector.json').connectors[0]
    expect(Object.values(smt.config).some(v => v.includes('ExtractField$Key'))).toBe(true)
    const heartbeat = read('kcctl__kcctl__src__test__resources__heartbeat-source.json').connectors[0]
    expect(heartbeat.config['tasks.max']).toBe('1')
  })

  it('reads the shapes the index describes', () => {
    expect(read('debezium__debezium-examples__mysql-replication__connector-config-replica.json').connectors[0].name).toBeUndefined()
    expect(read('confluentinc__demo-scene__streaming-etl-mongodb-snowflake__data__ccloud__mongodb_sink.json').connectors[0].name).toBe(
      'MongoDbAtlasSinkConnector_transactions'
    )
    expect(read('strimzi__strimzi-kafka-operator__packaging__examples__connect__source-connector.yaml').problems[0].message).toContain('Kubernetes')
    const dw = read('confluentinc__demo-scene__azure-sqldw-sink-connector__azure.sqldw.json').connectors[0]
    expect(dw.config).toMatchObject({ 'auto.create': 'true', 'table.name.format': 'kafka_${topic}' })
  })
})

describe('parseFile: .json files must be JSON', () => {
  const cases: Array<[string, string, number]> = [
    ['a trailing comma', '{\n  "name": "a",\n  "connector.class": "X",\n}', 3],
    ['single quotes', "{\n  'name': 'a',\n  'connector.class': 'X'\n}", 2],
    ['a comment', '{\n  // why\n  "name": "a",\n  "connector.class": "X"\n}', 2],
    ['an unquoted value', '{\n  "name": "a",\n  "connector.class": X\n}', 3],
    ['block YAML', 'name: a\nconnector.class: X\n', 1]
  ]
  for (const [what, text, line] of cases) {
    it(`rejects ${what} at its line, without echoing the text`, () => {
      const { connectors, problems } = parseFile('connectors/a.json', text)
      expect(connectors).toEqual([])
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatchObject({ file: 'connectors/a.json', line, message: expect.stringMatching(/^not valid JSON/) })
      expect(problems[0].message).not.toMatch(/connector\.class|X/)
    })
  }

  it('the same text is fine as YAML, and a BOM is fine in JSON', () => {
    expect(parseFile('a.yaml', "{\n  'name': 'a',\n  'connector.class': 'X',\n}").problems).toEqual([])
    expect(parseFile('a.json', '\uFEFF{"name": "a", "connector.class": "X"}').problems).toEqual([])
  })

  it('rejects nesting deeper than 64 levels before parsing, and keeps "__proto__" from vanishing', () => {
    for (const text of [
      '['.repeat(1000) + ']'.repeat(1000),
      '{"a":'.repeat(1000) + '1' + '}'.repeat(1000),
      Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')
    ]) {
      const { problems } = parseFile('deep.json', text)
      expect(problems[0].message).toMatch(/nested more than 64 levels deep/)
    }
    expect(parseFile('p.json', '{"name":"a","connector.class":"X","__proto__":"v"}').problems[0].message).toMatch(/__proto__/)
  })
})
