// The JSON fast path of parseFile (issue 16) must give exactly what yaml's parser gives for the same
// valid JSON text: connectors, values as written, and every location. A `.yaml` name sends the same
// text through yaml's parser (JSON is YAML), so the two results are compared field by field.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parseFile } from '../src/stages/parse.js'
import { literalBase, mapBounded } from '../src/stages/discover.js'

const FIXTURES = new URL('./fixtures/real-configs', import.meta.url).pathname

/** parseFile of `text` as `f.json` (fast path) and as `f.yaml` (yaml's parser), file names aligned. */
function both(text: string): [unknown, unknown] {
  const viaYaml = parseFile('f.yaml', text)
  const rename = <T extends { file: string }>(x: T): T => ({ ...x, file: 'f.json' })
  return [parseFile('f.json', text), { connectors: viaYaml.connectors.map(rename), problems: viaYaml.problems.map(rename) }]
}

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''))
    return true
  } catch {
    return false
  }
}

describe('parseFile: the JSON fast path matches yaml', () => {
  const files = readdirSync(FIXTURES).filter(f => f.endsWith('.json'))
  const valid = files.map(f => readFileSync(path.join(FIXTURES, f), 'utf8')).filter(isJson)

  it('on every valid JSON fixture', () => {
    expect(valid.length).toBeGreaterThan(10)
    for (const text of valid) {
      const [fast, slow] = both(text)
      expect(fast).toEqual(slow)
    }
  })

  it.each([
    ['numbers and booleans as written', '{"name":"a","connector.class":"X","n":-1.50e+3,"t":true,"f":false,"i":10}'],
    ['escapes, quotes and backslashes', '{"name":"a\\"b\\\\","connector.class":"X\\u0041","p":"c:\\\\dir\\\\"}'],
    ['a lone surrogate escape', '{"name":"a","connector.class":"X","k":"\\udc00"}'],
    ['duplicate keys on their lines', '{\n  "name": "a",\n  "x": "1",\n  "x": "2"\n}'],
    ['a BOM and CRLF', '\uFEFF{\r\n  "name": "a",\r\n  "connector.class": "X"\r\n}\r\n'],
    ['null, arrays and objects as values', '{"name":"a","connector.class":"X","n":null,"arr":[1],"o":{}}'],
    ['an array with a non-object', '[{"name":"a","connector.class":"X"},{"x":1},3,"s",[]]'],
    ['the wrapped shape', '{"name":"a","kafka_cluster_id":"lkc-1","state":"PAUSED","config":{"connector.class":"X","name":"a"}}'],
    ['an empty array', '[]'],
    ['a bare string', '"abc"'],
    ['__proto__', '{"__proto__":"x","name":"a","connector.class":"b"}'],
    ['a Kubernetes resource', '{"apiVersion":"v1","kind":"ConfigMap"}']
  ])('on %s', (_what, text) => {
    const [fast, slow] = both(text)
    expect(fast).toEqual(slow)
  })
})

describe('discover helpers', () => {
  it('literalBase: the directories before the first glob syntax, nothing for escapes', () => {
    expect(literalBase('connectors/none/*.json')).toBe('connectors/none')
    expect(literalBase('a/b/**/c.json')).toBe('a/b')
    expect(literalBase('a/{x,y}/c.json')).toBe('a')
    expect(literalBase('*.json')).toBe('')
    expect(literalBase('a/b.json')).toBe('a')
    expect(literalBase('a\\*/b.json')).toBe('')
  })

  it('mapBounded: results in input order, never more than the limit in flight', async () => {
    let inFlight = 0
    let most = 0
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n, i) => {
      inFlight++
      most = Math.max(most, inFlight)
      for (let k = 0; k < n; k++) await Promise.resolve()
      inFlight--
      return `${i}:${n}`
    })
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3'])
    expect(most).toBe(2)
  })
})
