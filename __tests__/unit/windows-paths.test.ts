// The Windows side of the path rules of src/stages/discover.ts. discover.ts uses the host's `node:path`
// with no way to hand in `path.win32`, so only its pure pattern helper is tested here for Windows
// inputs; its `isInside` and `toPosix` (not exported, host path only) run on Windows only in CI's
// windows-latest self-test job. `path.win32` below states what Windows calls absolute, so the refusals
// are checked against the platform's own rule and not only against our regexes.
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { compareStrings, isInside, splitPatterns, toPosix } from '../../src/stages/discover.js'

describe('splitPatterns with Windows paths', () => {
  const refused = (pattern: string): boolean => splitPatterns([pattern]).problems.length === 1

  it.each(['C:\\connectors\\*.json', 'c:/connectors/*.json', 'D:relative-to-drive\\*.json', '\\\\server\\share\\*.json', '\\connectors\\*.json'])(
    'refuses %s, which leaves the workspace on Windows',
    pattern => {
      // Each is absolute, or rooted on a drive, by Windows' own rule.
      expect(path.win32.isAbsolute(pattern) || /^[A-Za-z]:/.test(pattern)).toBe(true)
      expect(refused(pattern)).toBe(true)
      expect(refused(`!${pattern}`)).toBe(true)
    }
  )

  it.each(['..\\other\\*.json', 'connectors\\..\\..\\*.json', '..', 'a/..\\..\\x.json'])('refuses %s, which climbs out with backslashes', pattern => {
    expect(path.win32.normalize(pattern).startsWith('..')).toBe(true)
    expect(refused(pattern)).toBe(true)
  })

  it('keeps relative patterns written with backslashes, inside the workspace', () => {
    const out = splitPatterns(['connectors\\**\\*.json', '!connectors\\old\\*.json', 'a\\..\\b.json'])
    expect(out.problems).toEqual([])
    expect(out.includes).toEqual(['connectors\\**\\*.json', 'a\\..\\b.json'])
    expect(out.excludes).toEqual(['connectors\\old\\*.json'])
  })

  it('names the pattern in the problem, without the workspace path', () => {
    const [problem] = splitPatterns(['C:\\Users\\me\\connectors\\*.json']).problems
    expect(problem.message).toBe(
      'pattern "C:\\Users\\me\\connectors\\*.json" is outside the workspace: patterns are relative to the workspace and cannot leave it'
    )
  })
})

describe('file order', () => {
  it('is by code point, not by locale or case folding, so Windows and Linux runs agree', () => {
    const files = ['connectors/b.json', 'connectors/B.json', 'connectors/a.json', 'connectors/ä.json', 'connectors/A.json']
    expect([...files].sort(compareStrings)).toEqual(['connectors/A.json', 'connectors/B.json', 'connectors/a.json', 'connectors/b.json', 'connectors/ä.json'])
  })
})

describe('Windows paths of matched files (path.win32)', () => {
  it('turns a Windows relative path into forward slashes, as annotations and the summary show it', () => {
    expect(toPosix('connectors\\sinks\\s3.json', path.win32)).toBe('connectors/sinks/s3.json')
    expect(toPosix('connectors\\.\\x.json', path.win32)).toBe('connectors/x.json')
    // On POSIX a backslash is part of the name, not a separator.
    expect(toPosix('a\\b.json', path.posix)).toBe('a\\b.json')
  })

  it('tells a file inside the workspace from one outside, drive letters and case included', () => {
    const ws = 'C:\\work\\repo'
    expect(isInside(ws, 'C:\\work\\repo\\connectors\\a.json', path.win32)).toBe(true)
    expect(isInside(ws, 'C:\\work\\repo', path.win32)).toBe(true)
    expect(isInside(ws, 'c:\\WORK\\Repo\\connectors\\a.json', path.win32)).toBe(true)
    expect(isInside(ws, 'C:\\work\\repo2\\a.json', path.win32)).toBe(false)
    expect(isInside(ws, 'C:\\work\\a.json', path.win32)).toBe(false)
    expect(isInside(ws, 'D:\\work\\repo\\a.json', path.win32)).toBe(false)
    expect(isInside(ws, '\\\\server\\share\\a.json', path.win32)).toBe(false)
  })
})
