import { describe, expect, it } from '@jest/globals'
import { DEFAULT_FILES, parseKeyValues, readSettings, SettingsError } from '../src/action/inputs.js'

const env = { workspace: '/ws', version: '1.2.3' }
const getter = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

describe('settings', () => {
  it('fills defaults and parses types', () => {
    const s = readSettings(getter({ 'api-key': 'K', 'api-secret': 'S', 'max-concurrency': '4', 'dry-run': 'true' }), env)
    expect(s.files).toEqual(DEFAULT_FILES)
    expect(s.maxConcurrency).toBe(4)
    expect(s.dryRun).toBe(true)
    expect(s.validate).toBe(true)
    expect(s.apiUrl).toBe('https://api.confluent.cloud')
    expect(s.userAgent).toMatch(/^apply-connectors\/1\.2\.3/)
  })

  it('collects every bad input in one error, without echoing secrets', () => {
    let err: unknown
    try {
      readSettings(getter({ 'max-concurrency': 'abc', 'api-url': 'http://evil.example', secrets: '{"A": "topsecret"', 'wait-timeout': '-1' }), env)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(SettingsError)
    const problems = (err as SettingsError).problems.join('\n')
    expect(problems).toContain('"api-key" is required')
    expect(problems).toContain('"max-concurrency" must be a whole number')
    expect(problems).toContain('"api-url" must use https')
    expect(problems).toContain('"secrets"')
    expect(problems).toContain('"wait-timeout"')
    expect(problems).not.toContain('topsecret')
  })

  it('allows plain http only on loopback', () => {
    expect(readSettings(getter({ 'api-key': 'K', 'api-secret': 'S', 'api-url': 'http://127.0.0.1:8080/' }), env).apiUrl).toBe('http://127.0.0.1:8080')
    expect(() => readSettings(getter({ 'api-key': 'K', 'api-secret': 'S', 'api-url': 'http://10.0.0.1' }), env)).toThrow(SettingsError)
  })

  it('parses secrets as JSON or NAME=value lines', () => {
    const problems: string[] = []
    expect(parseKeyValues('{"A":"1","B":{"x":1},"N":null}', 'secrets', problems)).toEqual({ A: '1', B: '{"x":1}' })
    expect(parseKeyValues('A=1\n# comment\nB = two=2\n', 'vars', problems)).toEqual({ A: '1', B: ' two=2' })
    expect(problems).toEqual([])
    parseKeyValues('not a pair', 'vars', problems)
    expect(problems).toEqual(['input "vars" line 1: expected NAME=value'])
  })
})
