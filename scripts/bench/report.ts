// Renders the benchmark's results as Markdown: the table printed to stdout and BENCHMARKS.md.
import type { Measure } from './runs.js'
import type { ScenarioResult, TargetCheck } from './scenarios.js'

export interface Environment {
  command: string
  date: string
  node: string
  /** `node --version` of the node that runs our bundle and the @actions/core floor (APPLY_CONNECTORS_NODE). */
  actionNode: string
  nproc: number
  cpu: string
  os: string
}

export interface StartupInfo {
  medianMs: number
  samplesMs: number[]
}

const ms = (n: number) => String(Math.round(n))

/** The rows of a scenario: ours, ours at max-concurrency 1 when run, the naive client when run. */
export function measures(r: ScenarioResult): Measure[] {
  return [r.ours, ...(r.oneAtATime ? [r.oneAtATime] : []), ...(r.naive ? [r.naive] : [])]
}
const ratio = (n: number) => `${n.toFixed(2)}×`

function row(r: ScenarioResult, m: Measure, startupMs: number): string {
  const s = r.scenario
  const isOurs = m.client === 'ours'
  const up = isOurs ? startupMs : 0
  let bound: string
  let incl: string
  let excl: string
  if (s.boundMs !== undefined) {
    bound = `${ms(s.boundMs)} ms`
    incl = ratio(m.wallMs / s.boundMs)
    excl = isOurs ? ratio((m.wallMs - up) / s.boundMs) : incl
  } else {
    bound = `${s.boundRequests} request`
    incl = `${ratio(m.requests / (s.boundRequests ?? 1))} (requests)`
    excl = incl
  }
  const client = m.label ?? (isOurs ? `ours (max-concurrency ${s.maxConcurrency})` : 'naive (Terraform-like)')
  const cells = [
    String(s.id),
    client,
    ms(m.wallMs),
    isOurs ? ms(startupMs) : '0 (in process)',
    String(m.requests),
    String(m.tooMany),
    String(m.otherErrors),
    ms(m.leadInMs),
    ms(m.spanMs),
    ms(m.tailMs),
    String(m.applied),
    String(m.unchanged),
    String(m.failed),
    bound,
    incl,
    excl
  ]
  return `| ${cells.join(' | ')} |`
}

export function resultsTable(results: ScenarioResult[], startupMs: number): string {
  const head =
    '| # | client | wall ms | start-up ms | requests | 429s | other errors | to 1st request ms | API span ms | after last request ms | applied | unchanged | failed | bound | wall / bound (incl. start-up) | wall / bound (excl. start-up) |'
  const sep = `|${' --- |'.repeat(16)}`
  const lines = [head, sep]
  for (const r of results) {
    for (const m of measures(r)) lines.push(row(r, m, startupMs))
    if (r.scenario.noNaive) lines.push(`| ${r.scenario.id} | naive (Terraform-like) | ${r.scenario.noNaive.replace(/\|/g, '\\|')} |${' |'.repeat(13)}`)
  }
  return lines.join('\n')
}

const verdict = (met: boolean) => (met ? 'met' : '**MISSED**')

export function targetsTable(checks: TargetCheck[]): string {
  const lines = ['| # | target | measured (ours) | excl. start-up | incl. start-up |', '| --- | --- | --- | --- | --- |']
  for (const c of checks) lines.push(`| ${c.id} | ${c.target} | ${c.measured} | ${verdict(c.metExcl)} | ${verdict(c.metIncl)} |`)
  return lines.join('\n')
}

/** "Scenarios 3 and 6 report the median of 3 runs of ours, scenario 5 of 5", from the scenarios' oursRuns. */
function repeatedRuns(results: ScenarioResult[]): string {
  const byCount = new Map<number, number[]>()
  for (const r of results) {
    const n = r.scenario.oursRuns ?? 1
    if (n > 1) byCount.set(n, [...(byCount.get(n) ?? []), r.scenario.id])
  }
  if (byCount.size === 0) return 'Every scenario is a single run of ours'
  const parts = [...byCount].map(([n, ids]) => `${ids.length > 1 ? 'scenarios' : 'scenario'} ${ids.join(', ').replace(/, (\d+)$/, ' and $1')} of ${n}`)
  return `Ours reports the median of several runs: ${parts.join('; ')}`
}

function notes(results: ScenarioResult[]): string {
  const out: string[] = []
  for (const r of results) {
    for (const m of measures(r)) {
      if (m.samplesMs)
        out.push(`- scenario ${r.scenario.id}, ${m.client}: median of ${m.samplesMs.length} runs, each on a fresh fake: ${m.samplesMs.map(ms).join(', ')} ms`)
      if (m.note) out.push(`- scenario ${r.scenario.id}, ${m.client}: ${m.note.replace(/\|/g, '\\|')}`)
      if (m.requestLines.length > 0) out.push(`- scenario ${r.scenario.id}, ${m.client}: requests sent: ${m.requestLines.map(l => `\`${l}\``).join(', ')}`)
    }
    const f = r.floor
    if (f) {
      const rounds = Math.ceil(f.requests / f.concurrency)
      out.push(
        `- scenario ${r.scenario.id}: the fake's floor: a minimal client (node:http in its own process, no parsing or logging) sending the same ${f.requests} requests, ${f.concurrency} at a time, spans ${ms(f.spanMs)} ms (${(f.spanMs / Math.max(1, rounds - 1)).toFixed(1)} ms a round for a ${r.scenario.fake.latencyMs ?? 0} ms latency); with its last response, ${ratio((f.spanMs + (r.scenario.fake.latencyMs ?? 0)) / (r.scenario.boundMs ?? 1))} the bound before any start-up. Ours spanned ${ms(r.ours.spanMs)} ms, reached the fake ${ms(r.ours.leadInMs)} ms after its start and ended ${ms(r.ours.tailMs)} ms after its last request's arrival (one latency of that is the last response)`
      )
    }
  }
  return out.length > 0 ? out.join('\n') : '- (none)'
}

/** A few sentences derived from the numbers (nothing here is typed in by hand). */
export function observations(results: ScenarioResult[], startupMs: number): string {
  const get = (id: number) => results.find(r => r.scenario.id === id)
  const out: string[] = []
  for (const r of results) {
    if (!r.naive) {
      out.push(
        `- scenario ${r.scenario.id}: ours took ${ms(r.ours.wallMs)} ms and ${r.ours.requests} requests; the naive client was ${r.scenario.noNaive ?? 'not run'}.`
      )
      continue
    }
    const faster = r.naive.wallMs / r.ours.wallMs
    out.push(
      `- scenario ${r.scenario.id}: ours took ${ms(r.ours.wallMs)} ms and ${r.ours.requests} requests, the naive client ${ms(r.naive.wallMs)} ms and ${r.naive.requests} requests (${faster.toFixed(1)}× the time).`
    )
  }
  for (const id of [1, 2]) {
    const r = get(id)
    const windowMs = r?.scenario.fake.rateLimit?.windowMs
    if (!r || r.scenario.boundMs === undefined || !windowMs) continue
    const windows = Math.round(r.scenario.boundMs / windowMs)
    const over = r.ours.spanMs - r.scenario.boundMs
    out.push(
      `- scenario ${id}: ours' API span (first to last request) is ${ms(r.ours.spanMs)} ms, ${ms(over)} ms over the bound across ${windows} window waits (${ms(over / windows)} ms a window), with ${r.ours.tooMany} × 429.`
    )
  }
  const r7 = get(7)
  if (r7?.oneAtATime) {
    out.push(
      `- scenario 7: with the server's concurrency limit of 1, ours at max-concurrency ${r7.scenario.maxConcurrency} took ${ms(r7.ours.wallMs)} ms with ${r7.ours.tooMany} × 429, ours at max-concurrency 1 ${ms(r7.oneAtATime.wallMs)} ms with ${r7.oneAtATime.tooMany} × 429 (${(r7.ours.wallMs / r7.oneAtATime.wallMs).toFixed(2)}×).`
    )
  }
  const r3 = get(3)
  if (r3) {
    out.push(
      `- scenario 3: ours reached the fake ${ms(r3.ours.leadInMs)} ms after the run started (start-up alone: ${ms(startupMs)} ms; the rest is reading, parsing and validating 100 files), then spent ${ms(r3.ours.spanMs + r3.ours.tailMs)} ms from the first request to the end against a bound of ${ms(r3.scenario.boundMs ?? 0)} ms.`
    )
  }
  return out.join('\n')
}

export function scenarioList(results: ScenarioResult[]): string {
  return results.map(r => `${r.scenario.id}. ${r.scenario.title}; bound: ${r.scenario.boundText}.`).join('\n')
}

export interface CoreStartupInfo {
  /** Median start-up of a bundle of `@actions/core` alone (ms). */
  medianMs: number
  samplesMs: number[]
}

/** `ours / core-only` start-up, as a line for stdout and BENCHMARKS.md. */
/** Issue 16: our start-up at most this many times the @actions/core floor's. */
export const STARTUP_TARGET = 1.3

export function startupComparison(startup: StartupInfo, core: CoreStartupInfo | undefined): string {
  if (!core) return 'not measured (the @actions/core bundle could not be built)'
  const r = startup.medianMs / core.medianMs
  return `ours ${ms(startup.medianMs)} ms vs a bundle of \`@actions/core\` alone ${ms(core.medianMs)} ms (median of ${core.samplesMs.length}: ${core.samplesMs.map(ms).join(', ')} ms): ${ratio(r)}, ${ms(startup.medianMs - core.medianMs)} ms more (target, issue 16: ≤ ${ratio(STARTUP_TARGET)}: ${r <= STARTUP_TARGET ? 'met' : '**MISSED**'})`
}

export function renderMarkdown(
  env: Environment,
  results: ScenarioResult[],
  checks: TargetCheck[],
  startup: StartupInfo,
  core?: CoreStartupInfo,
  loading: string[] = []
): string {
  return `# Benchmarks

Generated by \`${env.command}\` (it builds \`dist/\` first, then runs \`scripts/bench.ts\`); do not edit by hand.

- date: ${env.date}
- node running the action and the \`@actions/core\` floor: ${env.actionNode}${env.actionNode === env.node ? '' : ' (set by `APPLY_CONNECTORS_NODE`; `npm run bench:node24` fetches Node 24, the runtime `action.yml` declares)'}
- node running the benchmark, the fakes, the naive client and the fake's floor client: ${env.node}
- machine: nproc ${env.nproc}, ${env.cpu}, ${env.os}
- our start-up (node starting \`dist/index.js\`, reading inputs, globbing no file with \`fail-on-empty: false\`,
  writing summary and outputs, exiting; no request): median ${ms(startup.medianMs)} ms of ${startup.samplesMs.length} runs
  (${startup.samplesMs.map(ms).join(', ')} ms) after one warm-up run, timed from the spawn to the exit of the process
- start-up against a floor: ${startupComparison(startup, core)}. The floor is built at bench time with ncc from
  \`import * as core from '@actions/core'; core.setOutput(...); core.info(...)\` and started the same way (node, the
  runner's variables, stdout and stderr piped, no request), one run of each in turn so both see the same machine
  load; the difference is what our bundle loads and does before it has work to do.

## Loading: 200 vs 2,000 files

Time from the start of a run to its first request with 200 and with 2,000 connector files (one connector each,
one cluster; \`scripts/bench/scaling.ts\`): a dry run with \`validate: false\` on a fresh fake without latency,
median of 3 runs each. Loading (discover, read, parse, substitute, check, then the plan's list) should grow
linearly with the files.

${loading.length > 0 ? loading.join('\n') : '- not measured'}

## Scenarios

${scenarioList(results)}

Every scenario gives each client its own fresh fake Confluent API (\`test-support/fake-confluent\`, listening on
127.0.0.1) with the same options, so neither client's requests count against the other's budget. The fake's rate
limit is a fixed window per API key: the window opens with the first request after the previous one expired and
admits \`limit\` requests; a 429 does not use budget. \`X-RateLimit-Reset\` and \`Retry-After\` are whole seconds,
rounded up. With a latency, the fake handles each request as it arrives and holds its answer until the latency
has passed since that arrival, as a server farm answers requests side by side (before, it waited first and then
handled them, so a burst's answers queued behind each other on the fake's one thread, some 3 ms a round of 8
requests on this machine). Its timer is armed 1.5 ms before an answer is due and the rest is waited turn by
turn: a timer armed for the whole latency fired about 2 ms late on this machine (since 30 November, 16:00 UTC;
earlier benchmarks had that lateness in every round, for ours and for the fake's floor alike). Every run of ours passes \`wait: false\`: the benchmark measures applying, not the fake's provisioning
time (800 ms by default) that \`wait\` would poll for. Scenario 4 reruns scenario 1 on the same fakes and workspace after waiting one window (2 s), so the
second run starts with a fresh budget; only the second run is measured.

**Ours** is the built bundle \`dist/index.js\`, started by \`test-support/run-action.ts\` exactly as the GitHub
runner would (\`INPUT_*\` variables, \`GITHUB_OUTPUT\`, \`GITHUB_STEP_SUMMARY\`). Its wall time runs from spawning
the process to its exit, as the runner times a step, so it includes the node process start-up but not the harness's
own work before the spawn or after the exit (reading the outputs and the summary back); the table shows the ratio
with and without the measured start-up median.

**Naive** (\`scripts/bench/naive.ts\`, in process, \`fetch\`) does what Confluent's Terraform provider does:
sequential; one read per connector (\`GET .../connectors/{name}\`, 404 means create), then
\`PUT .../connectors/{name}/config\` unless the read shows the same visible config (Terraform's plan shows no diff);
on 429 it sleeps exactly \`Retry-After\` and retries, at most 4 retries, then gives up on that connector (counted
under *failed*); it never reads \`X-RateLimit-*\`. It has no process start-up.

Columns: *requests* and *429s* come from the fake's own request log (every attempt counts); *other errors* are
responses ≥ 400 other than 429, plus connections reset without an answer (the naive client's 404s to
\`GET .../connectors/{name}\` are its "does it exist" probe and not counted); *to 1st request* is the time from the
start of the run to the first request's arrival at the fake (for ours: process start-up plus reading, parsing and
validating the files), *API span* from the first to the last request's arrival, *after last request* from there
to the end of the run (the last response, then for ours the summary, outputs and exit); *applied* counts
connectors created or updated. ${repeatedRuns(results)} (each on a fresh fake,
every run's wall time in the notes); the others are single runs.

## Bounds

- **Scenarios 1 and 2:** bound = (⌈R / L⌉ − 1) · W, with R the requests the job needs (1 list + 1 validate + 60 PUTs = 62),
  L = 10 requests per window, W = 2000 ms: (7 − 1) · 2000 = 12000 ms. Why: R requests need ⌈R / L⌉ windows; a
  window opens no earlier than the previous one expires, so the k-th opens no earlier than (k − 1) · W after the
  first request. The requests of the last window can all go out at its start (loopback, no added latency: a
  request takes about a millisecond), so no client can send the last request earlier than (⌈R / L⌉ − 1) · W after
  the first, and the job cannot finish sooner. The same bound (the job's R = 62) is used for the naive client,
  which needs R = 120 itself (its own floor would be 11 · 2000 = 22000 ms). The bound leaves out the start-up
  (measured separately) and the milliseconds of the last response; a client that waits the whole-second
  \`X-RateLimit-Reset\` also overshoots each window boundary by the time its burst took, which is a few ms here.
- **Scenario 3:** bound = latency · (1 + 1 + ⌈N / c⌉) = 150 · (1 + 1 + 25) = 4050 ms: N · latency / c = 3750 ms
  for the PUTs (each takes at least the fake's 150 ms and at most c = 4 are in flight), plus one latency for the
  list call, which must finish before the first PUT (the plan needs it), plus one for the \`validate\` call of the
  connectors' class, which the plan asks for and the first PUT waits for (product.md step 3). The bound used to
  leave the validate call out (150 · (1 + 25) = 3900 ms); the targets table gives that ratio too.
- **Scenarios 5 and 6:** bound = latency · ⌈R / c⌉ with R = K + V + N requests: K = 20 list calls (one per
  cluster, before that cluster's plan), V = 20 \`validate\` calls (one per connector class and cluster, before
  that class's first PUT there: product.md step 3; every cluster's file here holds one class) and N PUTs; c = 8.
  Each request takes at least the fake's 50 ms and at most c are in flight, so no client that keeps the contract
  finishes sooner. Issue 16 wrote the bound as latency · (⌈K / c⌉ + ⌈N / c⌉), without the validate calls the
  contract adds (2 more rounds here); the targets table gives our ratio against that formula too. The fake's floor
  (notes below) shows what this fake allows on this machine: a minimal client in its own process, sending R
  requests c at a time, takes a little more than the latency a round.
  The naive client is sequential and would need 2 · N · latency (a read and a PUT per connector); it is not run.
- **Scenario 7:** the reference is ours with max-concurrency 1 on a fresh fake with the same options (one request
  at a time never meets the limit); the table's bound column shows latency · (1 + N), the one-at-a-time floor.
  Every request beyond the first in flight gets 429 with \`Retry-After: 1\` and no \`X-RateLimit-*\` (the fake's
  \`concurrencyLimit\`), so such a 429 cannot be told from a rate limit; ours lowers the requests in flight and
  holds requests for the Retry-After.
- **Scenario 4:** 1 list request per cluster (\`GET .../connectors?expand=...\`) and nothing else: the ratio
  shown is requests sent / 1.

## Results

${resultsTable(results, startup.medianMs)}

## Targets (ours)

${targetsTable(checks)}

## Observations

${observations(results, startup.medianMs)}

## Notes

${notes(results)}
`
}
