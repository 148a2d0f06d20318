// The documentation and the repository's metadata agree with the code: the README's tables with
// action.yml, action.yml with the inputs the code reads, the example and CI workflows with both.
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { formatDefault, inputsTable, outputsTable, parseAction, renderReadme, ROOT } from '../scripts/docs.js'
import { INPUTS } from '../src/action/inputs.js'
import { buildOutputs } from '../src/report/outputs.js'
import { outcome } from '../test-support/outcome-builders.js'

const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8')
const actionText = read('action.yml')
const action = parseAction(actionText)
const inputNames = Object.keys(action.inputs)

interface Step {
  name?: string
  id?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Job {
  steps?: Step[]
  permissions?: Record<string, string>
}
interface Workflow {
  on?: unknown
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

function workflow(rel: string): Workflow {
  const doc = parseYaml(read(rel)) as Workflow
  expect(doc && typeof doc.jobs).toBe('object')
  return doc
}

const steps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap(job => job.steps ?? [])
const THIS_ACTION = /^[\w.-]+\/apply-connectors@v\d+$/

/** The `NAME` of `NAME=value` lines. */
const lineNames = (text: unknown): string[] =>
  (typeof text === 'string' ? text : '')
    .split('\n')
    .map(line => /^\s*([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined)

describe('README tables', () => {
  it('equal what scripts/docs.ts generates from action.yml', () => {
    const readme = read('README.md')
    expect(renderReadme(readme, actionText)).toBe(readme)
  })

  it('become stale when action.yml changes, and need their markers', () => {
    const readme = read('README.md')
    const changed = actionText.replace('Seconds that `wait` allows in total.', 'Seconds that `wait` may take in total.')
    expect(changed).not.toBe(actionText)
    expect(renderReadme(readme, changed)).not.toBe(readme)
    expect(() => renderReadme('# no markers\n', actionText)).toThrow(/inputs:start/)
  })

  it('show defaults as code, multi-line ones with <br>, empty ones as nothing', () => {
    expect(formatDefault('a/**/*.json\na/**/*.yml\n')).toBe('`a/**/*.json`<br>`a/**/*.yml`')
    expect(formatDefault('')).toBe('')
    expect(formatDefault(undefined)).toBe('')
    expect(formatDefault('${{ github.token }}')).toBe('`${{ github.token }}`')
    expect(formatDefault('a|b')).toBe('`a\\|b`')
    const table = inputsTable(action)
    expect(table.split('\n')[0]).toBe('| Input | Default | Required | Description |')
    expect(table).toContain('| `files` | `connectors/**/*.json`<br>`connectors/**/*.yaml`<br>`connectors/**/*.yml` | no |')
    expect(table).toContain('| `api-key` |  | no |') // required unless identity-pool-id: action.yml cannot say "one of"
    expect(table.split('\n')).toHaveLength(inputNames.length + 2)
    expect(outputsTable(action).split('\n')[0]).toBe('| Output | Description |')
  })

  it('give the newcomer commands exactly', () => {
    const readme = read('README.md')
    expect(readme).toContain('npm ci && npm run demo')
    expect(readme).toContain('npm ci && npm test')
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts
    for (const name of ['build', 'test', 'lint', 'demo', 'fake', 'bench']) expect(scripts[name]).toBeDefined()
  })
})

describe('action.yml and the code', () => {
  // The code reads its inputs from one table (src/action/inputs.ts INPUTS): compared both ways, so an
  // input action.yml declares but the code never reads fails as much as one the code reads undeclared.
  it('declare the same inputs the code reads (INPUTS), both ways', () => {
    expect([...INPUTS].filter(name => !inputNames.includes(name))).toEqual([])
    expect(inputNames.filter(name => !(INPUTS as readonly string[]).includes(name))).toEqual([])
  })

  // The outputs the code sets are the keys buildOutputs returns (main.ts sets each of them).
  it('declare the same outputs the code sets, both ways', () => {
    const outputs = Object.keys((parseYaml(actionText) as { outputs?: Record<string, unknown> }).outputs ?? {})
    const empty = outcome([], { waited: false, stats: { requests: 0, retries: 0, tooManyRequests: 0, waitedMs: 0 } })
    const set = Object.keys(buildOutputs(empty))
    expect(set.filter(name => !outputs.includes(name))).toEqual([])
    expect(outputs.filter(name => !set.includes(name))).toEqual([])
  })

  it('runs the bundle on node24', () => {
    const runs = (parseYaml(actionText) as { runs: { using: string; main: string } }).runs
    expect(runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })
})

describe('example workflows', () => {
  const dir = path.join(ROOT, 'examples', 'workflows')
  const files = readdirSync(dir).filter(f => /\.ya?ml$/.test(f))

  it('exist: a deploy and a plan workflow', () => {
    expect(files.sort()).toEqual(expect.arrayContaining(['deploy.yml', 'plan.yml']))
  })

  it.each(files)('%s uses this action with real inputs only', file => {
    const uses = steps(workflow(`examples/workflows/${file}`)).filter(s => s.uses && THIS_ACTION.test(s.uses))
    expect(uses.length).toBeGreaterThan(0)
    for (const step of uses) {
      expect(Object.keys(step.with ?? {}).filter(key => !inputNames.includes(key))).toEqual([])
      for (const required of inputNames.filter(n => action.inputs[n].required === true)) expect(step.with?.[required]).toBeTruthy()
    }
  })

  it('plan.yml is a dry run that may comment', () => {
    const wf = workflow('examples/workflows/plan.yml')
    expect(Object.keys(wf.on as object)).toEqual(['pull_request'])
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' })
    const uses = steps(wf).filter(s => s.uses && THIS_ACTION.test(s.uses))
    for (const step of uses) expect(String(step.with?.['dry-run'])).toBe('true')
  })

  it('deploy.yml applies on push to main with a read-only token', () => {
    const wf = workflow('examples/workflows/deploy.yml')
    expect((wf.on as { push: { branches: string[] } }).push.branches).toEqual(['main'])
    expect(wf.permissions).toEqual({ contents: 'read' })
    for (const step of steps(wf).filter(s => s.uses && THIS_ACTION.test(s.uses))) expect(step.with?.['dry-run']).toBeUndefined()
  })

  it('README workflow snippets use real inputs only', () => {
    const blocks = [...read('README.md').matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1])
    let checked = 0
    for (const block of blocks) {
      let doc: unknown
      try {
        doc = parseYaml(block)
      } catch {
        continue // a fragment ("...") rather than a whole workflow
      }
      if (!doc || typeof doc !== 'object' || !('jobs' in doc)) continue
      for (const step of steps(doc as Workflow).filter(s => s.uses && THIS_ACTION.test(s.uses))) {
        expect(Object.keys(step.with ?? {}).filter(key => !inputNames.includes(key))).toEqual([])
        checked++
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2)
  })
})

describe('.github', () => {
  const dir = path.join(ROOT, '.github', 'workflows')

  it.each(readdirSync(dir).filter(f => /\.ya?ml$/.test(f)))('%s parses', file => {
    expect(Object.keys(workflow(`.github/workflows/${file}`).jobs).length).toBeGreaterThan(0)
  })

  it('ci.yml lints and tests on Node 24', () => {
    const all = steps(workflow('.github/workflows/ci.yml'))
    const nodes = all.filter(s => s.uses?.startsWith('actions/setup-node@')).map(s => String(s.with?.['node-version']))
    expect(nodes.length).toBeGreaterThan(0)
    expect(new Set(nodes)).toEqual(new Set(['24']))
    const runs = all.map(s => s.run ?? '')
    expect(runs).toContain('npm run lint')
    expect(runs).toContain('npm test')
  })

  it('ci.yml runs the action itself against the fake it starts, with every placeholder the examples need', () => {
    const wf = workflow('.github/workflows/ci.yml')
    const job = Object.values(wf.jobs).find(j => (j.steps ?? []).some(s => s.uses === './'))
    expect(job).toBeDefined()
    const jobSteps = job?.steps ?? []
    const start = jobSteps.findIndex(s => /npm run fake -- --port 8080\b[^\n]*&/.test(s.run ?? ''))
    expect(start).toBeGreaterThanOrEqual(0)
    expect(jobSteps[start].run).toContain('http://127.0.0.1:8080')

    // The credentials the fake accepts by default, and the cluster it is started with.
    const fakeCli = read('scripts/fake-server.ts')
    const defaultOf = (opt: string): string | undefined => new RegExp(`\\b${opt}: \\{ type: 'string', default: '([^']*)'`).exec(fakeCli)?.[1]
    const flags = [...(jobSteps[start].run ?? '').matchAll(/--cluster[ =](\S+)/g)].map(m => m[1])
    const clusters = flags.length > 0 ? flags : [/values\.cluster \?\? \['([^']+)'\]/.exec(fakeCli)?.[1]]

    const placeholders = { secrets: new Set<string>(), vars: new Set<string>() }
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]))
    for (const file of walk(path.join(ROOT, 'examples', 'connectors'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\$\{\{\s*(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) {
        placeholders[m[1] as 'secrets' | 'vars'].add(m[2].toUpperCase())
      }
    }
    expect(placeholders.secrets.size + placeholders.vars.size).toBeGreaterThan(0)

    const runs = jobSteps.map((s, i) => ({ s, i })).filter(({ s }) => s.uses === './')
    expect(runs.length).toBeGreaterThanOrEqual(2)
    for (const { s, i } of runs) {
      const w = s.with ?? {}
      expect(i).toBeGreaterThan(start)
      expect(Object.keys(w).filter(key => !inputNames.includes(key))).toEqual([])
      expect(w['api-url']).toBe('http://127.0.0.1:8080')
      expect(w['api-key']).toBe(defaultOf('key'))
      expect(w['api-secret']).toBe(defaultOf('secret'))
      expect(clusters).toContain(`${String(w['environment-id'])}/${String(w['kafka-cluster-id'])}`)
      expect(String(w.files)).toContain('examples/connectors/')
      expect(w['kafka-api-key']).toBeTruthy()
      expect(w['kafka-api-secret']).toBeTruthy()
      for (const kind of ['secrets', 'vars'] as const) {
        const given = lineNames(w[kind]).map(n => n.toUpperCase())
        expect([...placeholders[kind]].filter(name => !given.includes(name))).toEqual([])
      }
    }
    expect(runs.some(({ s }) => String(s.with?.['dry-run']) === 'true')).toBe(true)
  })

  it('codeql.yml analyses javascript-typescript weekly and on push and pull request', () => {
    const wf = workflow('.github/workflows/codeql.yml')
    const on = wf.on as Record<string, unknown>
    expect(Object.keys(on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'schedule']))
    const init = steps(wf).find(s => s.uses?.startsWith('github/codeql-action/init@'))
    expect(init?.with?.languages).toBe('javascript-typescript')
  })

  it('check-dist.yml rebuilds dist/ and compares it', () => {
    const runs = steps(workflow('.github/workflows/check-dist.yml')).map(s => s.run ?? '')
    expect(runs).toContain('npm run build')
    expect(runs.join('\n')).toContain('git status --porcelain -- dist')
  })

  it('dependabot updates npm and GitHub Actions weekly', () => {
    const doc = parseYaml(read('.github/dependabot.yml')) as { version: number; updates: { 'package-ecosystem': string; schedule: { interval: string } }[] }
    expect(doc.version).toBe(2)
    expect(doc.updates.map(u => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
    for (const u of doc.updates) expect(u.schedule.interval).toBe('weekly')
  })
})

describe('release metadata', () => {
  it('CHANGELOG.md follows Keep a Changelog with an Unreleased section', () => {
    const changelog = read('CHANGELOG.md')
    expect(changelog).toMatch(/keepachangelog\.com/)
    expect(changelog).toMatch(/^## \[Unreleased\]$/m)
  })

  it('LICENSE is MIT', () => {
    const license = read('LICENSE')
    expect(license).toMatch(/^MIT License/)
    expect(license).toContain('Copyright (c) 2026 apply-connectors contributors')
    expect(license).toContain('Permission is hereby granted, free of charge')
    expect((JSON.parse(read('package.json')) as { license: string }).license).toBe('MIT')
  })

  it('scripts/release is executable', () => {
    expect(statSync(path.join(ROOT, 'scripts', 'release')).mode & 0o111).not.toBe(0)
  })

  describe('scripts/release refuses before touching anything', () => {
    // A scratch repository holding only the script: every check below fails before the build.
    const made: string[] = []
    afterAll(() => made.forEach(dir => rmSync(dir, { recursive: true, force: true })))
    function scratch(branch: string, dirty: boolean): string {
      const dir = mkdtempSync(path.join(tmpdir(), 'apply-connectors-release-'))
      made.push(dir)
      mkdirSync(path.join(dir, 'scripts'))
      copyFileSync(path.join(ROOT, 'scripts', 'release'), path.join(dir, 'scripts', 'release'))
      chmodSync(path.join(dir, 'scripts', 'release'), 0o755)
      git(dir, 'init', '--quiet', '--initial-branch', branch)
      git(dir, 'add', '.')
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'x')
      if (dirty) writeFileSync(path.join(dir, 'stray.txt'), 'x')
      return dir
    }
    const git = (cwd: string, ...args: string[]): void => {
      const r = spawnSync('git', args, { cwd, encoding: 'utf8' })
      if (r.status !== 0) throw new Error(r.stderr)
    }
    const release = (dir: string, ...args: string[]) => spawnSync('bash', [path.join(dir, 'scripts', 'release'), ...args], { cwd: dir, encoding: 'utf8' })
    const tags = (dir: string): string => spawnSync('git', ['tag'], { cwd: dir, encoding: 'utf8' }).stdout

    it('without a vX.Y.Z version', () => {
      const dir = scratch('main', false)
      for (const args of [[], ['1.2.3'], ['v1.2'], ['v1.2.3', 'v1.2.4']]) {
        const r = release(dir, ...args)
        expect(r.status).toBe(2)
      }
    })

    it('off main', () => {
      const r = release(scratch('feature', false), 'v1.0.0', '--dry-run')
      expect(r.status).toBe(1)
      expect(r.stderr).toContain('releases are made from main')
    })

    it('with a dirty tree, and tags nothing', () => {
      const dir = scratch('main', true)
      const r = release(dir, 'v1.0.0', '--dry-run')
      expect(r.status).toBe(1)
      expect(r.stderr).toContain('not clean')
      expect(tags(dir)).toBe('')
    })

    it('when the tag exists', () => {
      const dir = scratch('main', false)
      git(dir, 'tag', 'v1.0.0')
      const r = release(dir, 'v1.0.0', '--dry-run')
      expect(r.status).toBe(1)
      expect(r.stderr).toContain('exists already')
    })
  })
})
