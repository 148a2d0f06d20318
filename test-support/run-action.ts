// Runs the built dist/index.js the way the GitHub runner does: INPUT_* variables (defaults from
// action.yml filled in), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, an event payload, the workspace
// as the working directory. Used by the end-to-end tests, the demo and the benchmark.
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const DIST = path.join(ROOT, 'dist', 'index.js')

export interface ActionRun {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** The summary as a reader sees its text: HTML entities (`&#58;`, `&amp;`, ...) decoded, markup kept. */
  summaryText: string
  /** `::error file=...,line=...::message` lines, parsed. */
  annotations: Array<{ level: string; file?: string; line?: number; message: string }>
  workspace: string
  /** When the child process was spawned and when it closed (`Date.now()`, ms), and the wall time between
   * (`performance.now()`, ms): what the runner would time as the step, without this harness's own work. */
  timing: { spawnedAt: number; closedAt: number; wallMs: number }
}

export interface RunOptions {
  inputs: Record<string, string>
  files?: Record<string, string>
  workspace?: string
  event?: { name: string; payload: Record<string, unknown> }
  env?: Record<string, string>
  node?: string
  timeoutMs?: number
}

export function actionDefaults(): Record<string, string> {
  const doc = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: unknown }> }
  const out: Record<string, string> = {}
  for (const [name, spec] of Object.entries(doc.inputs)) {
    if (spec.default !== undefined && typeof spec.default === 'string' && !spec.default.includes('${{')) out[name] = spec.default
  }
  return out
}

export function makeWorkspace(files: Record<string, string>): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'apply-connectors-ws-'))
  writeFiles(ws, files)
  return ws
}

export function writeFiles(ws: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(ws, rel)
    mkdirSync(path.dirname(full), { recursive: true })
    writeFileSync(full, text)
  }
}

/** Parses the `name<<DELIM ... DELIM` blocks that @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const body: string[] = []
    i++
    while (i < lines.length && lines[i] !== m[2]) body.push(lines[i++])
    out[m[1]] = body.join('\n')
  }
  return out
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

export function parseAnnotations(stdout: string): ActionRun['annotations'] {
  const out: ActionRun['annotations'] = []
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line)
    if (!m) continue
    const props: Record<string, string> = {}
    for (const kv of (m[2] ?? '').trim().split(',')) {
      const eq = kv.indexOf('=')
      if (eq > 0) props[kv.slice(0, eq)] = unescapeData(kv.slice(eq + 1))
    }
    out.push({ level: m[1], ...(props.file ? { file: props.file } : {}), ...(props.line ? { line: Number(props.line) } : {}), message: unescapeData(m[3]) })
  }
  return out
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** Decodes numeric and the basic named HTML entities, as a browser shows them. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e.toLowerCase()] ?? m
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m
  })
}

export async function runAction(opts: RunOptions): Promise<ActionRun> {
  const workspace = opts.workspace ?? makeWorkspace({})
  if (opts.files) writeFiles(workspace, opts.files)
  const runnerDir = mkdtempSync(path.join(tmpdir(), 'apply-connectors-runner-'))
  const outputFile = path.join(runnerDir, 'output')
  const summaryFile = path.join(runnerDir, 'summary')
  const eventFile = path.join(runnerDir, 'event.json')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(eventFile, JSON.stringify(opts.event?.payload ?? {}))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? runnerDir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: opts.event?.name ?? 'push',
    GITHUB_REPOSITORY: 'acme/connectors',
    GITHUB_WORKFLOW: 'connectors',
    GITHUB_JOB: 'apply',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.example',
    RUNNER_TEMP: runnerDir
  }
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...opts.inputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  Object.assign(env, opts.env ?? {})
  const spawnedAt = Date.now()
  const spawnedPerf = performance.now()
  const child = spawn(opts.node ?? process.env.APPLY_CONNECTORS_NODE ?? process.execPath, [DIST], { cwd: workspace, env })
  let closedAt = spawnedAt
  let closedPerf = spawnedPerf
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => (stdout += d))
  child.stderr.on('data', d => (stderr += d))
  const code = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`action did not finish in ${opts.timeoutMs ?? 60000} ms\n${stdout}\n${stderr}`))
    }, opts.timeoutMs ?? 60000)
    child.on('close', c => {
      closedPerf = performance.now()
      closedAt = Date.now()
      clearTimeout(timer)
      resolve(c ?? -1)
    })
  })
  return {
    code,
    stdout,
    stderr,
    outputs: existsSync(outputFile) ? parseOutputFile(readFileSync(outputFile, 'utf8')) : {},
    summary: readFileSync(summaryFile, 'utf8'),
    summaryText: decodeEntities(readFileSync(summaryFile, 'utf8')),
    annotations: parseAnnotations(stdout),
    workspace,
    timing: { spawnedAt, closedAt, wallMs: closedPerf - spawnedPerf }
  }
}
