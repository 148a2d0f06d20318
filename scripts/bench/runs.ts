// Running one client against one fake and measuring it: our built action (dist/index.js via runAction,
// exactly as the runner would start it) and the naive in-process client. Counts come from the fake's
// own request log, not from what the clients say about themselves.
import { rmSync } from 'node:fs'
import { startFakeConfluent } from '../../test-support/fake-confluent/index.js'
import type { FakeConfluent, FakeOptions } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction } from '../../test-support/run-action.js'
import { runNaive } from './naive.js'

export const ENV = 'env-bench01'
export const CLUSTER = 'lkc-bench01'
export const API_KEY = 'BENCHKEY'
export const API_SECRET = 'bench-cloud-secret'
export const KAFKA_KEY = 'BENCHKAFKAKEY'
export const KAFKA_SECRET = 'bench-kafka-secret'
/** Our action gets this long per run before the bench records it as timed out (a miss, not a crash). */
const ACTION_TIMEOUT_MS = 90_000

export interface Measure {
  client: 'ours' | 'naive'
  /** How the row names the client when not the default (e.g. `ours (max-concurrency 1)`). */
  label?: string
  wallMs: number
  /** Requests the fake received during the run (every attempt, 429s included). */
  requests: number
  tooMany: number
  /**
   * Responses with a status >= 400 other than 429, plus connections reset without a response. The
   * naive client's 404s to `GET .../connectors/{name}` are its "does it exist" probe, not errors.
   */
  otherErrors: number
  /** Run start to the first request's arrival at the fake (process start-up and file loading for ours). */
  leadInMs: number
  /** First to last request arrival, by the fake's clock. */
  spanMs: number
  /** Last request's arrival to the end of the run (its response, then the report and exit for ours). */
  tailMs: number
  applied: number
  unchanged: number
  failed: number
  /** `GET .../connectors` (the list) requests. */
  listRequests: number
  /** Method + path of each request, when there are few (scenario 4). */
  requestLines: string[]
  exitCode?: number
  note?: string
  /** Wall time of every run when the measure is the median of several. */
  samplesMs?: number[]
}

export function fakeOptions(extra: FakeOptions): FakeOptions {
  return { credentials: [{ key: API_KEY, secret: API_SECRET }], defaultBehaviour: { kind: 'running' }, ...extra }
}

/** A fresh fake with the given clusters (default: the one CLUSTER) in ENV. */
export async function freshFake(opts: FakeOptions, clusters: string[] = [CLUSTER]): Promise<FakeConfluent> {
  const fake = await startFakeConfluent(fakeOptions(opts))
  for (const c of clusters) fake.addCluster(ENV, c)
  return fake
}

/** `lkc-bench01` (cluster 0 is CLUSTER), `lkc-bench02`, ... */
export const clusterId = (k: number) => (k === 0 ? CLUSTER : `lkc-bench${String(k + 1).padStart(2, '0')}`)
/** The cluster of connector i when n connectors are spread round-robin over `clusters` clusters. */
export const clusterOf = (i: number, clusters: number) => clusterId(i % clusters)

/**
 * A temporary workspace with n connectors spread round-robin over `clusters` clusters: one file per
 * cluster, `connectors/<cluster>.json`, a JSON array of wrapped documents naming their cluster.
 */
export function workspaceForClusters(n: number, clusters: number): string {
  const byCluster = new Map<string, unknown[]>()
  for (let i = 0; i < n; i++) {
    const { name, ...config } = connectorConfig(i, n)
    const cluster = clusterOf(i, clusters)
    const docs = byCluster.get(cluster) ?? []
    docs.push({ name, environment_id: ENV, kafka_cluster_id: cluster, config: { name, ...config } })
    byCluster.set(cluster, docs)
  }
  const files: Record<string, string> = {}
  for (const [cluster, docs] of byCluster) files[`connectors/${cluster}.json`] = `${JSON.stringify(docs, null, 2)}\n`
  const ws = makeWorkspace(files)
  workspaces.push(ws)
  return ws
}

export const connectorName = (i: number, n: number) => `c-${String(i + 1).padStart(Math.max(2, String(n).length), '0')}`

/** The desired config of connector i (what the file says, without the Kafka credentials). */
export function connectorConfig(i: number, n: number): Record<string, string> {
  const name = connectorName(i, n)
  return {
    name,
    'connector.class': 'DatagenSource',
    'kafka.topic': `bench-${name}`,
    quickstart: 'ORDERS',
    'output.data.format': 'JSON',
    'tasks.max': '1'
  }
}

const workspaces: string[] = []

/** A temporary workspace with n files `connectors/c-NN.json`, removed by removeWorkspaces(). */
export function workspaceFor(n: number): string {
  const files: Record<string, string> = {}
  for (let i = 0; i < n; i++) files[`connectors/${connectorName(i, n)}.json`] = `${JSON.stringify(connectorConfig(i, n), null, 2)}\n`
  const ws = makeWorkspace(files)
  workspaces.push(ws)
  return ws
}

export function removeWorkspaces(): void {
  for (const ws of workspaces.splice(0)) rmSync(ws, { recursive: true, force: true })
}

type LogPart = Pick<Measure, 'requests' | 'tooMany' | 'otherErrors' | 'leadInMs' | 'spanMs' | 'tailMs' | 'listRequests' | 'requestLines'>

/** `startedAt` / `endedAt`: Date.now() around the run (the fake's default clock is Date.now too). */
function fromLog(fake: FakeConfluent, startedAt: number, endedAt: number): LogPart {
  const log = fake.requests
  const times = log.map(r => r.time)
  const first = times.length > 0 ? Math.min(...times) : endedAt
  const last = times.length > 0 ? Math.max(...times) : endedAt
  const isList = (r: { method: string; path: string }) => r.method === 'GET' && /\/connectors$/.test(r.path)
  const isProbe404 = (r: { method: string; path: string; status: number }) => r.status === 404 && r.method === 'GET' && /\/connectors\/[^/]+$/.test(r.path)
  return {
    requests: log.length,
    tooMany: log.filter(r => r.status === 429).length,
    otherErrors: log.filter(r => r.status === 0 || (r.status >= 400 && r.status !== 429 && !isProbe404(r))).length,
    leadInMs: first - startedAt,
    spanMs: last - first,
    tailMs: endedAt - last,
    listRequests: log.filter(isList).length,
    requestLines: log.length <= 5 ? log.map(r => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''} -> ${r.status}`) : []
  }
}

function arrayLength(json: string | undefined): number {
  try {
    const v: unknown = JSON.parse(json ?? '[]')
    return Array.isArray(v) ? v.length : 0
  } catch {
    return 0
  }
}

/** The inputs of a measured run. `wait: false`: the benchmark measures applying, not the fake's
 * provisioning time (the action waits for RUNNING by default). */
export function actionInputs(fake: FakeConfluent, maxConcurrency: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    wait: 'false',
    'api-url': fake.url,
    'api-key': API_KEY,
    'api-secret': API_SECRET,
    'environment-id': ENV,
    'kafka-cluster-id': CLUSTER,
    'kafka-api-key': KAFKA_KEY,
    'kafka-api-secret': KAFKA_SECRET,
    'max-concurrency': String(maxConcurrency),
    comment: 'false',
    ...extra
  }
}

/**
 * Runs the built action once against `fake` (its log is reset first). A timeout is recorded, not thrown.
 * `env`: extra environment for the action process (e.g. NODE_OPTIONS=--cpu-prof when profiling).
 */
export async function measureOurs(
  fake: FakeConfluent,
  workspace: string,
  maxConcurrency: number,
  label?: string,
  env?: Record<string, string>
): Promise<Measure> {
  fake.resetLog()
  const startedAt = Date.now()
  const start = performance.now()
  let run: Awaited<ReturnType<typeof runAction>> | undefined
  let note: string | undefined
  try {
    run = await runAction({ inputs: actionInputs(fake, maxConcurrency), workspace, timeoutMs: ACTION_TIMEOUT_MS, ...(env ? { env } : {}) })
  } catch (err) {
    note = `action run aborted: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`
  }
  // The step as the runner times it: from spawning the process to its exit. The harness's own work
  // before the spawn (reading action.yml, writing the runner's files) and after the exit (parsing
  // outputs, summary and annotations) is left out; an aborted run falls back to the harness's clock.
  const wallMs = run ? run.timing.wallMs : performance.now() - start
  const endedAt = run ? run.timing.closedAt : Date.now()
  const out = run?.outputs ?? {}
  if (run && run.code !== 0 && !note) {
    const failure = run.annotations.find(a => a.level === 'error')?.message ?? run.stderr.split('\n')[0]
    note = `exit code ${run.code}: ${failure.slice(0, 200)}`
  }
  return {
    client: 'ours',
    ...(label ? { label } : {}),
    wallMs,
    ...fromLog(fake, run ? run.timing.spawnedAt : startedAt, endedAt),
    applied: arrayLength(out.created) + arrayLength(out.updated),
    unchanged: arrayLength(out.unchanged),
    failed: arrayLength(out.failed),
    ...(run ? { exitCode: run.code } : {}),
    ...(note ? { note } : {})
  }
}

export async function measureNaive(fake: FakeConfluent, n: number): Promise<Measure> {
  fake.resetLog()
  const connectors = Array.from({ length: n }, (_, i) => ({ ...connectorConfig(i, n), 'kafka.api.key': KAFKA_KEY, 'kafka.api.secret': KAFKA_SECRET }))
  const startedAt = Date.now()
  const r = await runNaive({ baseUrl: fake.url, environmentId: ENV, kafkaClusterId: CLUSTER, apiKey: API_KEY, apiSecret: API_SECRET, connectors })
  return {
    client: 'naive',
    wallMs: r.wallMs,
    ...fromLog(fake, startedAt, Date.now()),
    applied: r.applied,
    unchanged: r.unchanged,
    failed: r.failed,
    ...(r.errors.length > 0 ? { note: r.errors.join('; ') } : {})
  }
}

/**
 * A start-up probe of our action: node starting dist/index.js, reading inputs, globbing (no match,
 * `fail-on-empty: false`), writing the summary and outputs, exiting. No request is sent (throws if one
 * is, or if the run fails). Returns one run's wall time in ms, spawn to exit (the child's own timing).
 */
export interface StartupProbe {
  once(): Promise<number>
  close(): Promise<void>
}

export async function startupProbe(): Promise<StartupProbe> {
  const fake = await freshFake({})
  const workspace = workspaceFor(0)
  return {
    async once() {
      const run = await runAction({
        inputs: actionInputs(fake, 2, { files: 'connectors/none/*.json', 'fail-on-empty': 'false' }),
        workspace,
        timeoutMs: 30_000
      })
      if (run.code !== 0) throw new Error(`start-up run exited ${run.code}: ${run.stdout}\n${run.stderr}`)
      if (fake.requests.length > 0) throw new Error('start-up run sent a request')
      return run.timing.wallMs
    },
    close: () => fake.close()
  }
}
