// `npm run bench`: builds dist/ (npm script), then runs our action and a naive Terraform-like client side
// by side against the local fake Confluent API (127.0.0.1 only) in seven scenarios, compares our start-up with a
// bundle of @actions/core alone, prints a Markdown table
// and writes BENCHMARKS.md. A missed target is printed as MISSED; the exit code is non-zero only on a crash.
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DIST, ROOT } from '../test-support/run-action.js'
import {
  measures,
  renderMarkdown,
  resultsTable,
  startupComparison,
  targetsTable,
  type CoreStartupInfo,
  type Environment,
  type StartupInfo
} from './bench/report.js'
import { removeWorkspaces, startupProbe } from './bench/runs.js'
import { checkTargets, runAll } from './bench/scenarios.js'
import { loadingLines, measureLoading, type LoadingInfo } from './bench/scaling.js'
import { buildCoreBundle, measureStartupPair, type CoreBundle, type StartupPair } from './bench/startup.js'

/** The version of the node runAction starts our bundle with (APPLY_CONNECTORS_NODE, else this one). */
function actionNodeVersion(): string {
  const node = process.env.APPLY_CONNECTORS_NODE
  if (!node) return process.version
  const r = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 })
  if (r.status !== 0) throw new Error(`APPLY_CONNECTORS_NODE=${node} does not run: ${r.stderr || r.error?.message || ''}`)
  return r.stdout.trim()
}

async function main(): Promise<void> {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` first (npm run bench does)`)
  const started = performance.now()
  const log = (line: string) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`)
  const cpus = os.cpus()
  const env: Environment = {
    command: 'npm run bench',
    date: new Date().toISOString(),
    node: process.version,
    actionNode: actionNodeVersion(),
    nproc: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    os: `${os.type()} ${os.release()} ${os.arch()}`
  }

  log('building a bundle of @actions/core alone, then timing its start-up and ours alternately ...')
  const probe = await startupProbe()
  let pair: StartupPair
  try {
    let bundle: CoreBundle | undefined
    try {
      bundle = buildCoreBundle()
    } catch (err) {
      log(`core-only start-up not measured: ${err instanceof Error ? err.message : String(err)}`)
    }
    try {
      pair = await measureStartupPair(() => probe.once(), bundle?.script, 9)
    } finally {
      bundle?.remove()
    }
  } finally {
    await probe.close()
  }
  const startup: StartupInfo = pair.ours
  const core: CoreStartupInfo | undefined = pair.core
  log(`start-up median ${Math.round(startup.medianMs)} ms`)
  log('measuring loading with 200 and 2,000 files ...')
  const loading: LoadingInfo = await measureLoading()
  const results = await runAll(log)
  const checks = checkTargets(results, startup.medianMs)

  console.log(`\n## Results (${env.date}, node ${env.node}, nproc ${env.nproc})\n`)
  console.log(resultsTable(results, startup.medianMs))
  console.log('\n## Targets (ours)\n')
  console.log(targetsTable(checks))
  console.log(`\nstart-up: ${startupComparison(startup, core)}`)
  console.log(`\nloading:\n${loadingLines(loading, startup.medianMs).join('\n')}`)
  console.log('')
  for (const c of checks) {
    const line = `scenario ${c.id}: ${c.target}: ${c.measured}`
    if (c.metExcl && c.metIncl) console.log(`met     ${line}`)
    else console.log(`MISSED  ${line} (excl. start-up: ${c.metExcl ? 'met' : 'MISSED'}, incl. start-up: ${c.metIncl ? 'met' : 'MISSED'})`)
  }
  for (const r of results) {
    for (const m of measures(r)) if (m.note) console.log(`note: scenario ${r.scenario.id}, ${m.client}: ${m.note}`)
    if (r.floor)
      console.log(
        `note: scenario ${r.scenario.id}: the fake's floor (minimal client, ${r.floor.requests} requests): span ${Math.round(r.floor.spanMs)} ms; ours ${r.ours.spanMs} ms`
      )
  }

  const file = path.join(ROOT, 'BENCHMARKS.md')
  writeFileSync(file, renderMarkdown(env, results, checks, startup, core, loadingLines(loading, startup.medianMs)))
  log(`wrote ${path.relative(process.cwd(), file) || file}; total ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

try {
  await main()
} catch (err) {
  console.error('bench crashed:', err instanceof Error ? (err.stack ?? err.message) : err)
  process.exitCode = 1
} finally {
  removeWorkspaces()
}
