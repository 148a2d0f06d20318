// The seven benchmark scenarios, their bounds and their targets. Each client runs against its own fresh
// fake with the same options; scenario 4 reruns scenario 1 on the same fakes and workspace.
import type { FakeConfluent, FakeOptions } from '../../test-support/fake-confluent/index.js'
import { measureFakeFloor, type FloorInfo } from './floor.js'
import { clusterId, freshFake, measureNaive, measureOurs, workspaceFor, workspaceForClusters, type Measure } from './runs.js'

export interface Scenario {
  id: 1 | 2 | 3 | 4 | 5 | 6 | 7
  title: string
  connectors: number
  maxConcurrency: number
  fake: FakeOptions
  /** Wall-time bound in ms (scenarios 1-3) ... */
  boundMs?: number
  /** ... or a request-count bound (scenario 4). */
  boundRequests?: number
  boundText: string
  /** Runs of ours, each on a fresh fake and workspace; the median by wall time is reported (default 1). */
  oursRuns?: number
  /** Clusters the connectors are spread over (default 1). */
  clusters?: number
  /** The bound as the issues first wrote it, without the validate calls of product.md step 3; reported
   * next to boundMs (scenarios 3, 5 and 6). */
  issueBoundMs?: number
  /** Why the naive client is not run, when it is not. */
  noNaive?: string
  /** Also run ours with max-concurrency 1 on a fresh fake: the one-at-a-time reference. */
  oneAtATime?: boolean
}

export interface ScenarioResult {
  scenario: Scenario
  ours: Measure
  /** Absent when the scenario does not run it (Scenario.noNaive). */
  naive?: Measure
  /** Ours with max-concurrency 1 (Scenario.oneAtATime). */
  oneAtATime?: Measure
  /** The fake's floor: a minimal client sending as many requests as ours did (floor.ts; scenarios 5 and 6). */
  floor?: FloorInfo
}

const RATE = { limit: 10, windowMs: 2000 }
const LATENCY_MS = 150

/** Fixed-window bound: the k-th window opens no earlier than (k-1)·W after the first request. */
export const rateBoundMs = (requests: number, limit: number, windowMs: number) => (Math.ceil(requests / limit) - 1) * windowMs
/** Latency bound: the list (one latency, before any PUT), then the PUTs in rounds of `concurrency`. */
export const latencyBoundMs = (puts: number, latencyMs: number, concurrency: number) => latencyMs * (1 + Math.ceil(puts / concurrency))
/** The same with the validate call of the connectors' one class between the list and the first PUT
 * (product.md step 3: the plan decides that a PUT is needed, the validate must answer before it). */
export const validatedLatencyBoundMs = (puts: number, latencyMs: number, concurrency: number) => latencyMs * (2 + Math.ceil(puts / concurrency))

/** Issue 16's formula for several clusters side by side: the lists (one per cluster) in rounds of c, then
 * the PUTs in rounds of c. It leaves out the validate calls the contract requires (see clustersBoundMs). */
export const issueClustersBoundMs = (clusters: number, connectors: number, latencyMs: number, c: number) =>
  latencyMs * (Math.ceil(clusters / c) + Math.ceil(connectors / c))

/**
 * The bound for several clusters side by side: every request the job needs (a list per cluster, a
 * validate per class and cluster before that class's first PUT there, product.md step 3, and a PUT per
 * connector) takes at least one latency and at most c are in flight, so T ≥ latency · ⌈R / c⌉ with
 * R = clusters + validates + connectors.
 */
export const clustersBoundMs = (clusters: number, validates: number, connectors: number, latencyMs: number, c: number) =>
  latencyMs * Math.ceil((clusters + validates + connectors) / c)

const MANY = { clusters: 20, latencyMs: 50, c: 8 }
const CONC = { connectors: 200, latencyMs: 50, c: 4 }

export const SCENARIOS: Scenario[] = [
  {
    id: 1,
    title: '60 new connectors, 10 req / 2 s, X-RateLimit-* headers sent',
    connectors: 60,
    maxConcurrency: 2,
    fake: { rateLimit: { ...RATE, sendHeaders: true } },
    boundMs: rateBoundMs(62, RATE.limit, RATE.windowMs),
    boundText: `(⌈62/${RATE.limit}⌉−1)·${RATE.windowMs} ms`
  },
  {
    id: 2,
    title: '60 new connectors, 10 req / 2 s, only Retry-After (no X-RateLimit-*)',
    connectors: 60,
    maxConcurrency: 2,
    fake: { rateLimit: { ...RATE, sendHeaders: false } },
    boundMs: rateBoundMs(62, RATE.limit, RATE.windowMs),
    boundText: `(⌈62/${RATE.limit}⌉−1)·${RATE.windowMs} ms`
  },
  {
    id: 3,
    title: `100 new connectors, ${LATENCY_MS} ms latency, no rate limit, max-concurrency 4`,
    connectors: 100,
    maxConcurrency: 4,
    fake: { latencyMs: LATENCY_MS },
    boundMs: validatedLatencyBoundMs(100, LATENCY_MS, 4),
    boundText: `${LATENCY_MS}·(1+1+⌈100/4⌉) ms`,
    issueBoundMs: latencyBoundMs(100, LATENCY_MS, 4),
    oursRuns: 3
  },
  {
    id: 4,
    title: 'rerun of scenario 1, nothing changed (second run measured)',
    connectors: 60,
    maxConcurrency: 2,
    fake: { rateLimit: { ...RATE, sendHeaders: true } },
    boundRequests: 1,
    boundText: '1 list request per cluster'
  },
  ...[400, 2000].map((n, k): Scenario => ({
    id: (5 + k) as 5 | 6,
    title: `${n} new connectors over ${MANY.clusters} clusters, ${MANY.latencyMs} ms latency, no rate limit, max-concurrency ${MANY.c}`,
    connectors: n,
    clusters: MANY.clusters,
    maxConcurrency: MANY.c,
    fake: { latencyMs: MANY.latencyMs },
    // One connector class in every cluster's file (runs.ts connectorConfig): one validate per cluster.
    boundMs: clustersBoundMs(MANY.clusters, MANY.clusters, n, MANY.latencyMs, MANY.c),
    boundText: `${MANY.latencyMs}·⌈(${MANY.clusters}+${MANY.clusters}+${n})/${MANY.c}⌉ ms`,
    issueBoundMs: issueClustersBoundMs(MANY.clusters, n, MANY.latencyMs, MANY.c),
    // A single run of a few seconds moves by ±3% with the machine's noise: the median of 5 runs of
    // scenario 5 (3 s each), of 3 of scenario 6 (14 s each), as scenario 3.
    oursRuns: n === 400 ? 5 : 3,
    noNaive: `not run: sequential with a read and a PUT per connector, it needs at least 2·${n}·${MANY.latencyMs} ms = ${(2 * n * MANY.latencyMs) / 1000} s`
  })),
  {
    id: 7,
    title: `${CONC.connectors} new connectors, server concurrency limit 1 (429 + Retry-After: 1 beyond it, no X-RateLimit-*), ${CONC.latencyMs} ms latency, max-concurrency ${CONC.c}`,
    connectors: CONC.connectors,
    maxConcurrency: CONC.c,
    fake: { latencyMs: CONC.latencyMs, concurrencyLimit: 1 },
    boundMs: latencyBoundMs(CONC.connectors, CONC.latencyMs, 1),
    boundText: `${CONC.latencyMs}·(1+${CONC.connectors}) ms (one at a time)`,
    oneAtATime: true
  }
]

const byId = (id: number) => SCENARIOS.find(s => s.id === id) as Scenario
const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

async function withFreshFake<T>(opts: FakeOptions, fn: (fake: FakeConfluent) => Promise<T>, clusters?: string[]): Promise<T> {
  const fake = await freshFake(opts, clusters)
  try {
    return await fn(fake)
  } finally {
    await fake.close()
  }
}

/** The run with the median wall time, carrying every run's wall time. */
function median(samples: Measure[]): Measure {
  const sorted = [...samples].sort((a, b) => a.wallMs - b.wallMs)
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]
  return samples.length > 1 ? { ...mid, samplesMs: samples.map(m => m.wallMs) } : mid
}

/** Scenarios 1 and 4 share their fakes (4 is the rerun of 1); 2 and 3 get their own. */
export async function runAll(log: (line: string) => void): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = []
  const s1 = byId(1)
  const oursFake = await freshFake(s1.fake)
  const naiveFake = await freshFake(s1.fake)
  try {
    const workspace = workspaceFor(s1.connectors)
    log(`scenario 1: ours ...`)
    const ours1 = await measureOurs(oursFake, workspace, s1.maxConcurrency)
    log(`scenario 1: naive ...`)
    const naive1 = await measureNaive(naiveFake, s1.connectors)
    results.push({ scenario: s1, ours: ours1, naive: naive1 })
    // A rerun happens long after the first run: let the rate-limit window expire so it starts fresh.
    await sleep(s1.fake.rateLimit!.windowMs + 100)
    const s4 = byId(4)
    log(`scenario 4: ours (second run) ...`)
    const ours4 = await measureOurs(oursFake, workspace, s4.maxConcurrency)
    log(`scenario 4: naive (second run) ...`)
    const naive4 = await measureNaive(naiveFake, s4.connectors)
    results.push({ scenario: s4, ours: ours4, naive: naive4 })
  } finally {
    await oursFake.close()
    await naiveFake.close()
  }
  for (const id of [2, 3, 5, 6, 7]) {
    const s = byId(id)
    const runs = s.oursRuns ?? 1
    const clusters = Array.from({ length: s.clusters ?? 1 }, (_, k) => clusterId(k))
    const workspace = () => (s.clusters ? workspaceForClusters(s.connectors, s.clusters) : workspaceFor(s.connectors))
    const samples: Measure[] = []
    for (let i = 0; i < runs; i++) {
      log(`scenario ${id}: ours${runs > 1 ? ` (run ${i + 1} of ${runs})` : ''} ...`)
      samples.push(await withFreshFake(s.fake, fake => measureOurs(fake, workspace(), s.maxConcurrency), clusters))
    }
    const result: ScenarioResult = { scenario: s, ours: median(samples) }
    if (s.oneAtATime) {
      log(`scenario ${id}: ours, max-concurrency 1 ...`)
      result.oneAtATime = await withFreshFake(s.fake, fake => measureOurs(fake, workspace(), 1, 'ours (max-concurrency 1)'), clusters)
    }
    if (s.clusters && result.ours.requests > 0) {
      log(`scenario ${id}: the fake's floor (minimal client, ${result.ours.requests} requests) ...`)
      result.floor = await measureFakeFloor(s.fake, result.ours.requests, s.clusters, s.maxConcurrency)
    }
    if (!s.noNaive) {
      log(`scenario ${id}: naive ...`)
      result.naive = await withFreshFake(s.fake, fake => measureNaive(fake, s.connectors))
    }
    results.push(result)
  }
  return results.sort((a, b) => a.scenario.id - b.scenario.id)
}

export interface TargetCheck {
  id: number
  target: string
  measured: string
  /** Verdict judged on our wall time minus the measured start-up (for the timed targets). */
  metExcl: boolean
  /** Verdict judged on our whole wall time, start-up included. */
  metIncl: boolean
}

/** Judges each scenario's target. The judged ratios are shown to three decimals, so that a verdict at
 * the boundary (1.1015, MISSED) does not read as 1.10. */
export function checkTargets(results: ScenarioResult[], startupMs: number): TargetCheck[] {
  const get = (id: number) => results.find(r => r.scenario.id === id) as ScenarioResult
  const ratios = (r: ScenarioResult) => ({ incl: r.ours.wallMs / r.scenario.boundMs!, excl: (r.ours.wallMs - startupMs) / r.scenario.boundMs! })
  const complete = (m: Measure, n: number) => m.applied === n && m.failed === 0 && m.exitCode === 0
  const checks: TargetCheck[] = []

  const r1 = get(1)
  const q1 = ratios(r1)
  const ok1 = r1.ours.tooMany <= 1 && complete(r1.ours, 60)
  checks.push({
    id: 1,
    target: '≤ 1.10× the bound, at most one 429, all 60 applied',
    measured: `${q1.excl.toFixed(3)}× excl. / ${q1.incl.toFixed(3)}× incl. start-up, ${r1.ours.tooMany} × 429, ${r1.ours.applied} applied, ${r1.ours.failed} failed`,
    metExcl: ok1 && q1.excl <= 1.1,
    metIncl: ok1 && q1.incl <= 1.1
  })

  const r2 = get(2)
  const ok2 = complete(r2.ours, 60) && r2.ours.otherErrors === 0
  checks.push({
    id: 2,
    target: 'every connector applied, no error response other than 429',
    measured: `${r2.ours.applied} applied, ${r2.ours.failed} failed, ${r2.ours.tooMany} × 429, ${r2.ours.otherErrors} other errors`,
    metExcl: ok2,
    metIncl: ok2
  })

  const r3 = get(3)
  const q3 = ratios(r3)
  const ok3 = complete(r3.ours, 100)
  checks.push({
    id: 3,
    target: '≤ 1.15× the bound, all 100 applied',
    measured: `${q3.excl.toFixed(3)}× excl. / ${q3.incl.toFixed(3)}× incl. start-up, ${r3.ours.applied} applied, ${r3.ours.failed} failed; against the formula without the validate call (${r3.scenario.issueBoundMs} ms): ${((r3.ours.wallMs - startupMs) / r3.scenario.issueBoundMs!).toFixed(2)}× excl. / ${(r3.ours.wallMs / r3.scenario.issueBoundMs!).toFixed(2)}× incl.`,
    metExcl: ok3 && q3.excl <= 1.15,
    metIncl: ok3 && q3.incl <= 1.15
  })

  const r4 = get(4)
  const ok4 = r4.ours.requests === 1 && r4.ours.listRequests === 1 && r4.ours.unchanged === 60 && r4.ours.applied === 0 && r4.ours.exitCode === 0
  checks.push({
    id: 4,
    target: 'one list request per cluster and nothing else',
    measured: `${r4.ours.requests} request(s) (${r4.ours.listRequests} list), ${r4.ours.unchanged} unchanged, ${r4.ours.applied} applied`,
    metExcl: ok4,
    metIncl: ok4
  })
  for (const id of [5, 6]) {
    const r = get(id)
    const q = ratios(r)
    const ok = complete(r.ours, r.scenario.connectors)
    const issue = r.scenario.issueBoundMs!
    // The requests' span (first to last arrival at the fake), the measure issue 16's "Why" used: at best
    // the last request goes out ⌈R/c⌉ − 1 rounds after the first, one latency short of the bound.
    const spanBound = r.scenario.boundMs! - (r.scenario.fake.latencyMs ?? 0)
    const floorSpan = r.floor ? `, the fake's floor ${(r.floor.spanMs / spanBound).toFixed(2)}×` : ''
    checks.push({
      id,
      // Issue 16 ("Scale"): at most 1.10× (it was 1.25×).
      target: `≤ 1.10× the bound, all ${r.scenario.connectors} applied`,
      measured: `${q.excl.toFixed(3)}× excl. / ${q.incl.toFixed(3)}× incl. start-up, ${r.ours.applied} applied, ${r.ours.failed} failed, ${r.ours.requests} requests; against issue 16's formula (${issue} ms, no validate calls): ${((r.ours.wallMs - startupMs) / issue).toFixed(2)}× excl. / ${(r.ours.wallMs / issue).toFixed(2)}× incl.; API span ${Math.round(r.ours.spanMs)} ms = ${(r.ours.spanMs / spanBound).toFixed(2)}× the ${spanBound} ms it needs at best${floorSpan} (not judged)`,
      metExcl: ok && q.excl <= 1.1,
      metIncl: ok && q.incl <= 1.1
    })
  }

  const r7 = get(7)
  const one = r7.oneAtATime
  const vsOne = one ? r7.ours.wallMs / one.wallMs : Number.NaN
  const vsOneExcl = one ? (r7.ours.wallMs - startupMs) / (one.wallMs - startupMs) : Number.NaN
  const ok7 = r7.ours.tooMany <= 3 && complete(r7.ours, r7.scenario.connectors)
  checks.push({
    id: 7,
    target: `at most 3 × 429 and ≤ 1.20× the time of ours at max-concurrency 1, all ${r7.scenario.connectors} applied`,
    measured: `${r7.ours.tooMany} × 429, ${vsOneExcl.toFixed(3)}× excl. / ${vsOne.toFixed(3)}× incl. start-up (${Math.round(r7.ours.wallMs)} vs ${Math.round(one?.wallMs ?? 0)} ms), ${r7.ours.applied} applied`,
    metExcl: ok7 && vsOneExcl <= 1.2,
    metIncl: ok7 && vsOne <= 1.2
  })
  return checks
}
