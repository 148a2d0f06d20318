// The action's inputs (src/action/inputs.ts): one table of names, one typed Settings, every problem in
// one SettingsError, and no secret value echoed.
import { describe, expect, it } from '@jest/globals'
import { INPUTS, parseKeyValues, readSettings, SECRET_INPUTS, SettingsError, type InputName } from '../src/action/inputs.js'
import { readFileSync } from 'node:fs'
import { DEFAULT_FILES } from '../src/model/types.js'

const env = { workspace: '/ws', version: '1.2.3' }
const getter = (inputs: Partial<Record<InputName, string>>) => (name: InputName) => inputs[name] ?? ''
const keys = { 'api-key': 'K', 'api-secret': 'S' }

/** The problems readSettings throws for `inputs` (fails the test when it does not throw). */
function problemsOf(inputs: Partial<Record<InputName, string>>): string[] {
  try {
    readSettings(getter(inputs), env)
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError)
    return (e as SettingsError).problems
  }
  throw new Error('readSettings accepted the inputs')
}

describe('inputs', () => {
  it('fills defaults and parses types', () => {
    const s = readSettings(getter({ ...keys, 'max-concurrency': '4', 'dry-run': 'true' }), env)
    expect(s.files).toEqual(DEFAULT_FILES)
    expect(s.maxConcurrency).toBe(4)
    expect(s.dryRun).toBe(true)
    expect(s.validate).toBe(true)
    expect(s.apiUrl).toBe('https://api.confluent.cloud')
    expect(s.userAgent).toMatch(/^apply-connectors\/1\.2\.3/)
    expect(s.auth).toEqual({ kind: 'api-key', apiKey: 'K', apiSecret: 'S' })
  })

  it('defaults the new inputs: wait on, no restarts, no prune, literal-secrets warn', () => {
    const s = readSettings(getter(keys), env)
    expect(s).toMatchObject({
      wait: true,
      waitTimeoutSeconds: 600,
      restartFailedTasks: 0,
      runTimeoutSeconds: 3600,
      prune: false,
      pruneMatch: [],
      maxDeletions: 5,
      literalSecrets: 'warn',
      driftIssue: false,
      exportTo: ''
    })
    expect(readSettings(getter({ ...keys, wait: 'false' }), env).wait).toBe(false)
  })

  it('reads the new inputs', () => {
    const s = readSettings(
      getter({
        ...keys,
        'restart-failed-tasks': '2',
        'run-timeout': '900',
        prune: 'true',
        'prune-match': 'team-a-*\n!team-a-keep\n',
        'max-deletions': '0',
        'literal-secrets': 'ERROR',
        'drift-issue': 'yes',
        'export-to': 'exported\\connectors/'
      }),
      env
    )
    expect(s).toMatchObject({
      restartFailedTasks: 2,
      runTimeoutSeconds: 900,
      prune: true,
      pruneMatch: ['team-a-*', '!team-a-keep'],
      maxDeletions: 0,
      literalSecrets: 'error',
      driftIssue: true,
      exportTo: 'exported/connectors'
    })
  })

  it('collects every bad input in one error, without echoing secrets', () => {
    const problems = problemsOf({ 'max-concurrency': 'abc', 'api-url': 'http://evil.example', secrets: '{"A": "topsecret"', 'wait-timeout': '-1' }).join('\n')
    expect(problems).toContain('"api-key" is required')
    expect(problems).toContain('"max-concurrency" must be a whole number')
    expect(problems).toContain('"api-url" must use https')
    expect(problems).toContain('"secrets"')
    expect(problems).toContain('"wait-timeout"')
    expect(problems).not.toContain('topsecret')
  })

  it('allows plain http only on loopback', () => {
    expect(readSettings(getter({ ...keys, 'api-url': 'http://127.0.0.1:8080/' }), env).apiUrl).toBe('http://127.0.0.1:8080')
    expect(problemsOf({ ...keys, 'api-url': 'http://10.0.0.1' }).join('\n')).toContain('must use https')
  })

  it.each([
    ['user info', 'https://admin:Pa55wordInUrl@api.example.com', 'user name or password'],
    ['a user name alone', 'https://Pa55wordInUrl@api.example.com', 'user name or password'],
    ['a query', 'https://api.example.com/?token=Pa55wordInUrl', 'query or a fragment'],
    ['a fragment', 'https://api.example.com/#Pa55wordInUrl', 'query or a fragment'],
    ['a bare "?"', 'https://api.example.com/?', 'query or a fragment']
  ])('refuses an api-url with %s, without echoing it', (_what, url, message) => {
    const problems = problemsOf({ ...keys, 'api-url': url })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('"api-url"')
    expect(problems[0]).toContain(message)
    expect(problems[0]).not.toContain('Pa55wordInUrl')
    expect(problems[0]).not.toContain('api.example.com')
  })

  it('keyless login: identity-pool-id replaces api-key/api-secret and excludes them', () => {
    const s = readSettings(getter({ 'identity-pool-id': 'pool-AbC123', 'oidc-audience': 'confluent' }), env)
    expect(s.auth).toEqual({ kind: 'oidc', identityPoolId: 'pool-AbC123', audience: 'confluent' })
    const both = problemsOf({ ...keys, 'identity-pool-id': 'pool-AbC123' }).join('\n')
    expect(both).toContain('exclude each other')
    expect(both).not.toContain('"api-key" is required')
    expect(problemsOf({ 'identity-pool-id': 'not a pool' }).join('\n')).toContain('must look like pool-')
    expect(problemsOf({ 'api-key': 'K' }).join('\n')).toContain('"api-secret" is required (or "identity-pool-id"')
  })

  it('prune needs prune-match: none, or only `!` excludes, is an error', () => {
    for (const pruneMatch of [undefined, '', '!keep-*', '# a comment\n']) {
      const problems = problemsOf({ ...keys, prune: 'true', ...(pruneMatch === undefined ? {} : { 'prune-match': pruneMatch }) })
      expect(problems).toEqual([expect.stringContaining('"prune-match" is required when "prune" is true')])
    }
    // prune-match without prune is read and harmless.
    expect(readSettings(getter({ ...keys, 'prune-match': '*' }), env)).toMatchObject({ prune: false, pruneMatch: ['*'] })
  })

  it('literal-secrets accepts warn, error and allow only', () => {
    for (const v of ['warn', 'error', 'allow', 'Allow'])
      expect(readSettings(getter({ ...keys, 'literal-secrets': v }), env).literalSecrets).toBe(v.toLowerCase())
    expect(problemsOf({ ...keys, 'literal-secrets': 'ignore' })).toEqual(['input "literal-secrets" must be one of warn, error, allow, got "ignore"'])
  })

  it('export-to stays inside the workspace', () => {
    for (const bad of ['/abs', 'C:\\out', '../out', 'a/../../out'])
      expect(problemsOf({ ...keys, 'export-to': bad }).join('\n')).toContain('"export-to" must be a folder inside the workspace')
  })

  it('bounds the numbers', () => {
    expect(problemsOf({ ...keys, 'restart-failed-tasks': '11' }).join('\n')).toContain('"restart-failed-tasks" must be a whole number from 0 to 10')
    expect(problemsOf({ ...keys, 'run-timeout': '0' }).join('\n')).toContain('"run-timeout" must be a whole number from 1')
  })

  it('names every secret input in INPUTS', () => {
    expect(SECRET_INPUTS.filter(n => !INPUTS.includes(n))).toEqual([])
    expect(new Set(INPUTS).size).toBe(INPUTS.length)
  })

  it('parses secrets as JSON or NAME=value lines', () => {
    const problems: string[] = []
    expect(parseKeyValues('{"A":"1","B":{"x":1},"N":null}', 'secrets', problems)).toEqual({ A: '1', B: '{"x":1}' })
    expect(parseKeyValues('A=1\n# comment\nB = two=2\n', 'vars', problems)).toEqual({ A: '1', B: 'two=2' })
    // White space around a line's value is dropped (a YAML block keeps trailing ones); inner ones stay.
    expect(parseKeyValues('H = db.example.com \t\nS=\ta b\nE=   ', 'vars', problems)).toEqual({ H: 'db.example.com', S: 'a b', E: '' })
    // The JSON form keeps a value exactly.
    expect(parseKeyValues('{"P":" x "}', 'secrets', problems)).toEqual({ P: ' x ' })
    expect(problems).toEqual([])
    parseKeyValues('not a pair', 'vars', problems)
    expect(problems).toEqual(['input "vars" line 1: expected NAME=value (a value of several lines, such as a PEM key, needs the JSON form)'])
  })

  it('refuses an environment-id or kafka-cluster-id that cannot be a URL segment, once, as an input problem', () => {
    expect(problemsOf({ ...keys, 'environment-id': 'env a/1', 'kafka-cluster-id': 'lkc-ok1' })).toEqual([
      'input "environment-id" may only hold letters, digits, ".", "_", ":" and "-" and must start with a letter or digit (like env-a1b2c3, lkc-x1y2z3), got "env a/1"'
    ])
    expect(problemsOf({ ...keys, 'kafka-cluster-id': '-lkc' })).toHaveLength(1)
    expect(() => readSettings(getter({ ...keys, 'environment-id': ' env-a1 ', 'kafka-cluster-id': 'lkc-x1.y:2_z' }), env)).not.toThrow()
  })

  it('refuses a name given twice in NAME=value lines, without printing the name or either value', () => {
    const problems: string[] = []
    expect(parseKeyValues('DB_PASSWORD=first-value\nOTHER=x\n\nDB_PASSWORD=second-value', 'secrets', problems)).toEqual({
      DB_PASSWORD: 'first-value',
      OTHER: 'x'
    })
    expect(problems).toEqual(['input "secrets" line 4: the same name as line 1; give each name once'])
    // The step fails on it before anything is read or sent.
    const settingsProblems = problemsOf({ ...keys, vars: 'A=1\nA=2' })
    expect(settingsProblems).toEqual(['input "vars" line 2: the same name as line 1; give each name once'])
  })
})

describe('bad values are never quoted in part', () => {
  it('a long value (a secret pasted into the wrong input) is described by its length, never cut', () => {
    const pasted = 'Zq8vN3xL0pR7tY2wK5mB9cD4fG6hJ1sA3eT8uI0oP2lQ7rS5vW9xY4zC6bN1mV3k'
    const problems = problemsOf({ ...keys, 'dry-run': pasted, 'max-retries': pasted, 'literal-secrets': pasted })
    expect(problems).toHaveLength(3)
    for (const p of problems) {
      expect(p).toContain('a value of 64 characters')
      for (let i = 0; i + 8 <= pasted.length; i++) expect(p.toLowerCase()).not.toContain(pasted.slice(i, i + 8).toLowerCase())
    }
  })

  it('a short value is quoted whole and as written (the action redacts it before printing)', () => {
    expect(problemsOf({ ...keys, 'literal-secrets': 'IGNORE' })).toEqual(['input "literal-secrets" must be one of warn, error, allow, got "IGNORE"'])
  })
})

describe('the README states the ranges the code keeps', () => {
  // "`wait-timeout` is 1–86400, `run-timeout` 1–21600, ..." after the inputs table.
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const sentence = readme.slice(readme.indexOf('<!-- inputs:end -->')).split('\n\n')[1] ?? ''
  const ranges = [...sentence.matchAll(/`([a-z-]+)`(?: is)? (\d+)–(\d+)/g)].map(m => ({ name: m[1] as InputName, min: Number(m[2]), max: Number(m[3]) }))
  const accepts = (name: InputName, value: number): boolean => {
    try {
      readSettings(getter({ ...keys, [name]: String(value) }), env)
      return true
    } catch (e) {
      expect(e).toBeInstanceOf(SettingsError)
      return false
    }
  }

  it('names every whole-number input', () => {
    expect(ranges.map(r => r.name).sort()).toEqual([
      'max-concurrency',
      'max-deletions',
      'max-retries',
      'request-timeout',
      'restart-failed-tasks',
      'run-timeout',
      'wait-timeout'
    ])
  })

  it.each(['max-concurrency', 'max-deletions', 'max-retries', 'request-timeout', 'restart-failed-tasks', 'run-timeout', 'wait-timeout'] as InputName[])(
    '%s: accepts its bounds and refuses one past each',
    name => {
      const r = ranges.find(x => x.name === name)
      expect(r).toBeDefined()
      if (!r) return
      expect([accepts(name, r.min - 1), accepts(name, r.min), accepts(name, r.max), accepts(name, r.max + 1)]).toEqual([false, true, true, false])
    }
  )
})
