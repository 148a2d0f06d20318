// Writes the README's Inputs and Outputs tables from action.yml, so the two never disagree.
//   tsx scripts/docs.ts           rewrite the tables in README.md
//   tsx scripts/docs.ts --check   exit 1 when README.md is stale (CI and __tests__/docs.test.ts)
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse as parseYaml } from 'yaml'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface ActionInput {
  description?: string
  required?: boolean | string
  default?: unknown
}

export interface ActionSpec {
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description?: string }>
}

export function parseAction(text: string): ActionSpec {
  const doc = parseYaml(text) as Partial<ActionSpec> | null
  return { inputs: doc?.inputs ?? {}, outputs: doc?.outputs ?? {} }
}

/** Text for one table cell: one line, `|` escaped (GitHub needs that even inside code spans). */
export function cell(text: string): string {
  return text
    .trim()
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
}

/** A value as inline code, with a longer fence when the value itself holds backticks. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`
}

/** Empty default: empty cell. Multi-line default: each line as code, `<br>` between them. */
export function formatDefault(value: unknown): string {
  if (value === undefined || value === null) return ''
  const lines = (typeof value === 'string' ? value : JSON.stringify(value))
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '')
  return lines.map(code).join('<br>')
}

function isRequired(input: ActionInput): boolean {
  return input.required === true || input.required === 'true'
}

export function inputsTable(spec: ActionSpec): string {
  const rows = Object.entries(spec.inputs).map(
    ([name, input]) => `| ${code(name)} | ${formatDefault(input.default)} | ${isRequired(input) ? 'yes' : 'no'} | ${cell(input.description ?? '')} |`
  )
  return ['| Input | Default | Required | Description |', '|---|---|---|---|', ...rows].join('\n')
}

export function outputsTable(spec: ActionSpec): string {
  const rows = Object.entries(spec.outputs).map(([name, output]) => `| ${code(name)} | ${cell(output.description ?? '')} |`)
  return ['| Output | Description |', '|---|---|', ...rows].join('\n')
}

function replaceBlock(text: string, marker: string, body: string): string {
  const start = `<!-- ${marker}:start -->`
  const end = `<!-- ${marker}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${start} ... ${end}`)
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`
}

/** The README with both tables regenerated from the text of action.yml. */
export function renderReadme(readme: string, actionYml: string): string {
  const spec = parseAction(actionYml)
  return replaceBlock(replaceBlock(readme, 'inputs', inputsTable(spec)), 'outputs', outputsTable(spec))
}

function main(args: string[]): number {
  const readmePath = path.join(ROOT, 'README.md')
  const current = readFileSync(readmePath, 'utf8')
  const wanted = renderReadme(current, readFileSync(path.join(ROOT, 'action.yml'), 'utf8'))
  if (args.includes('--check')) {
    if (wanted === current) return 0
    console.error('README.md: the Inputs/Outputs tables differ from action.yml; run `npx tsx scripts/docs.ts` and commit README.md')
    return 1
  }
  if (wanted !== current) writeFileSync(readmePath, wanted)
  console.log(wanted === current ? 'README.md is up to date' : 'README.md: tables rewritten from action.yml')
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2))
}
