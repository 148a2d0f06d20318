// Starts the fake Confluent Cloud Connect API until SIGINT/SIGTERM.
//   tsx scripts/fake-server.ts --port 8080 [--cluster env-a1b2c3/lkc-x1y2z3 ...]
//     [--key test-key --secret test-secret] [--rate-limit 10/1000] [--no-rate-headers]
//     [--latency 50] [--provisioning-ms 2000] [--rate-503 0.05] [--rate-reset 0.01] [--seed 1]
//     [--mask-kafka-api-key] [--list-lag-ms 1000] [--pause-resume-delay-ms 500]
//     [--behaviour NAME=KIND ...] [--end-of-life CLASS ...] [--verbose]
// The fake follows the cloud by default (test-support/fake-confluent/types.ts): 800 ms provisioning,
// 1000 ms list lag after a create, pause/resume acting 500 ms after their 202, accept-then-FAIL for a
// literal INVALID value. KIND is one of FakeConnectorBehaviour's kinds (running, transient-failed,
// failed, stuck, task-failed, transient-degraded, degraded, flapping).
// Prints the URL alone on stdout's first line; everything else goes to stderr.
import { parseArgs } from 'node:util'
import { startFakeConfluent, type FakeConnectorBehaviour, type FakeOptions } from '../test-support/fake-confluent/index.js'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    cluster: { type: 'string', multiple: true },
    key: { type: 'string', default: 'test-key' },
    secret: { type: 'string', default: 'test-secret' },
    'rate-limit': { type: 'string' },
    'no-rate-headers': { type: 'boolean', default: false },
    latency: { type: 'string' },
    'provisioning-ms': { type: 'string' },
    'rate-503': { type: 'string' },
    'rate-reset': { type: 'string' },
    seed: { type: 'string' },
    'mask-kafka-api-key': { type: 'boolean', default: false },
    'list-lag-ms': { type: 'string' },
    'pause-resume-delay-ms': { type: 'string' },
    behaviour: { type: 'string', multiple: true },
    'end-of-life': { type: 'string', multiple: true },
    verbose: { type: 'boolean', default: false }
  },
  strict: true
})

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`)
  return n
}

function rateLimit(v: string | undefined): FakeOptions['rateLimit'] {
  if (v === undefined) return undefined
  const m = /^(\d+)\/(\d+)$/.exec(v)
  if (!m) throw new Error('--rate-limit must look like LIMIT/WINDOW_MS, e.g. 10/1000')
  return { limit: Number(m[1]), windowMs: Number(m[2]), sendHeaders: !values['no-rate-headers'] }
}

const KINDS: ReadonlyArray<FakeConnectorBehaviour['kind']> = [
  'running',
  'transient-failed',
  'failed',
  'stuck',
  'task-failed',
  'transient-degraded',
  'degraded',
  'flapping'
]

/** `--behaviour NAME=KIND` (repeatable) -> behaviours by connector name. Throws on a malformed one. */
function behaviours(list: string[] | undefined): Record<string, FakeConnectorBehaviour> | undefined {
  if (!list) return undefined
  const out: Record<string, FakeConnectorBehaviour> = {}
  for (const item of list) {
    const eq = item.lastIndexOf('=')
    const kind = item.slice(eq + 1) as FakeConnectorBehaviour['kind']
    if (eq <= 0 || !KINDS.includes(kind)) throw new Error(`--behaviour must look like NAME=KIND with KIND one of ${KINDS.join(', ')}; got "${item}"`)
    out[item.slice(0, eq)] = { kind }
  }
  return out
}

async function main(): Promise<void> {
  const provisioningMs = num('provisioning-ms', values['provisioning-ms'])
  const fake = await startFakeConfluent({
    port: num('port', values.port),
    credentials: [{ key: values.key, secret: values.secret }],
    rateLimit: rateLimit(values['rate-limit']),
    latencyMs: num('latency', values.latency),
    defaultBehaviour: provisioningMs === undefined ? undefined : { kind: 'running', provisioningMs },
    maskKafkaApiKey: values['mask-kafka-api-key'] ? true : undefined,
    listLagMs: num('list-lag-ms', values['list-lag-ms']),
    pauseResumeDelayMs: num('pause-resume-delay-ms', values['pause-resume-delay-ms']),
    behaviours: behaviours(values.behaviour),
    endOfLifeClasses: values['end-of-life'],
    faults: {
      rate503: num('rate-503', values['rate-503']),
      rateReset: num('rate-reset', values['rate-reset']),
      seed: num('seed', values.seed)
    }
  })
  const clusters = values.cluster ?? ['env-a1b2c3/lkc-x1y2z3']
  for (const c of clusters) {
    const [env, cluster, extra] = c.split('/')
    if (!env || !cluster || extra !== undefined) throw new Error(`--cluster must look like ENV/CLUSTER, got "${c}"`)
    fake.addCluster(env, cluster)
  }
  process.stdout.write(`${fake.url}\n`)
  process.stderr.write(`fake Confluent Cloud API on ${fake.url} (key ${values.key}); clusters: ${clusters.join(', ')}\n`)

  // A reset keeps status 0 for good: print it once a later request has arrived.
  let logged = 0
  const ticker = values.verbose
    ? setInterval(() => {
        for (; logged < fake.requests.length; logged++) {
          const r = fake.requests[logged]
          if (r.status === 0 && logged === fake.requests.length - 1) break
          const status = r.status === 0 ? 'reset' : String(r.status)
          process.stderr.write(`${r.method} ${r.path}${r.query ? `?${r.query}` : ''} -> ${status}\n`)
        }
      }, 200)
    : undefined

  const stop = () => {
    if (ticker) clearInterval(ticker)
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
