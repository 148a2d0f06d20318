// runPipeline over two clusters without phase barriers (issue 16): a cluster whose list is slow does
// not hold back another cluster's validate and PUTs; a PUT of a class goes out only after that class's
// validate on that cluster was answered; progress lines stay in plan order; a rerun that changes
// nothing costs one list per cluster. Deterministic: the slow list is held by the test's transport
// until the other cluster's PUT was sent (or a bounded 5 s, after which the test fails).
import { describe, expect, it } from '@jest/globals'
import { nodeTransport } from '../../src/http/transport.js'
import type { HttpRequest, Transport } from '../../src/model/types.js'
import { runPipeline } from '../../src/pipeline.js'
import { Redactor } from '../../src/secrets/redactor.js'
import { capture } from '../../test-support/capture-logger.js'
import { CLUSTER, ENV, harnessStarter, type Harness } from './harness.js'

const OTHER = 'lkc-p2'
const HOLD_MS = 5_000

const start = harnessStarter()

const doc = (name: string, cluster: string, cls = 'DatagenSource') => ({
  name,
  kafka_cluster_id: cluster,
  config: { 'connector.class': cls, 'kafka.topic': 'orders', quickstart: 'ORDERS', 'output.data.format': 'JSON', 'tasks.max': '1' }
})

/** What the transport saw, in order: `send METHOD path` and `answer METHOD path STATUS`. */
function recording(inner: Transport, hold?: { list: string; until: (req: HttpRequest) => boolean }) {
  const events: string[] = []
  let release: () => void = () => undefined
  const released = new Promise<void>(resolve => {
    release = resolve
    setTimeout(resolve, HOLD_MS).unref()
  })
  let releasedEarly = false
  const transport: Transport = async req => {
    const where = `${req.method} ${new URL(req.url).pathname.replace(/^.*\/clusters\//, '')}`
    events.push(`send ${where}`)
    if (hold?.until(req)) {
      releasedEarly = true
      release()
    }
    const res = await inner(req)
    if (hold && req.method === 'GET' && req.url.includes(`/clusters/${hold.list}/connectors?`)) await released
    events.push(`answer ${where} ${res.status}`)
    return res
  }
  return { transport, events, releasedEarly: () => releasedEarly }
}

async function setup(): Promise<Harness> {
  const h = await start({ provisioningMs: 0, listLagMs: 0 })
  h.fake.addCluster(ENV, OTHER)
  h.file('connectors/a.json', [doc('a1', CLUSTER), doc('a2', CLUSTER)])
  h.file('connectors/b.json', [doc('b1', OTHER), doc('b2', OTHER, 'PostgresSink')])
  return h
}

describe('streaming across clusters', () => {
  it('applies a cluster as soon as its own list returns, validate before the first PUT of each class, lines in plan order', async () => {
    const h = await setup()
    const rec = recording(nodeTransport(), { list: CLUSTER, until: req => req.method === 'PUT' && req.url.includes(`/clusters/${OTHER}/connectors/b1/config`) })
    const { logger, lines } = capture()
    const outcome = await runPipeline(h.settings({ wait: 'false' }), {
      logger,
      clock: h.clock,
      transport: rec.transport,
      redactor: new Redactor(),
      random: () => 0.5
    })

    expect(outcome.results.map(r => `${r.name} ${r.done}`)).toEqual(['a1 created', 'a2 created', 'b1 created', 'b2 created'])
    // The other cluster's PUT went out while the first cluster's list was still unanswered.
    expect(rec.releasedEarly()).toBe(true)
    const at = (e: string) => rec.events.indexOf(e)
    expect(at(`send PUT ${OTHER}/connectors/b1/config`)).toBeLessThan(at(`answer GET ${CLUSTER}/connectors 200`))
    // On each cluster, each class's validate was answered before that class's first PUT was sent.
    const validated = (cluster: string, cls: string) => at(`answer PUT ${cluster}/connector-plugins/${cls}/config/validate 200`)
    expect(validated(OTHER, 'DatagenSource')).toBeGreaterThanOrEqual(0)
    expect(validated(OTHER, 'DatagenSource')).toBeLessThan(at(`send PUT ${OTHER}/connectors/b1/config`))
    expect(validated(OTHER, 'PostgresSink')).toBeLessThan(at(`send PUT ${OTHER}/connectors/b2/config`))
    expect(validated(CLUSTER, 'DatagenSource')).toBeLessThan(at(`send PUT ${CLUSTER}/connectors/a1/config`))
    expect(validated(CLUSTER, 'DatagenSource')).toBeLessThan(at(`send PUT ${CLUSTER}/connectors/a2/config`))
    // One validate per class and cluster, no more.
    expect(rec.events.filter(e => e.startsWith('send PUT') && e.endsWith('/validate'))).toHaveLength(3)
    // Progress in plan order although the second cluster finished first; over two clusters each line says where.
    expect(lines.filter(l => /^info: \[\d\/4\]/.test(l))).toEqual([
      'info: [1/4] created a1 on env-p1/lkc-p1',
      'info: [2/4] created a2 on env-p1/lkc-p1',
      'info: [3/4] created b1 on env-p1/lkc-p2',
      'info: [4/4] created b2 on env-p1/lkc-p2'
    ])
  }, 20_000)

  it('a rerun that changes nothing costs one list per cluster', async () => {
    const h = await setup()
    await h.run({ wait: 'false' })
    h.fake.resetLog()
    const { outcome } = await h.run({ wait: 'false' })
    expect(outcome.results.map(r => `${r.name} ${r.done}`)).toEqual(['a1 unchanged', 'a2 unchanged', 'b1 unchanged', 'b2 unchanged'])
    expect(h.fake.requests.map(r => `${r.method} ${r.path.replace(/^.*\/clusters\//, '')}`).sort()).toEqual([
      `GET ${CLUSTER}/connectors`,
      `GET ${OTHER}/connectors`
    ])
  })

  it('a cluster whose list fails leaves the other applied, and its lines out', async () => {
    const h = await setup()
    h.fake.inject({ method: 'GET', pathIncludes: `/clusters/${CLUSTER}/connectors`, kind: 'status', status: 403, times: 5 })
    const { outcome, lines } = await h.run({ wait: 'false' })
    expect(outcome.results.map(r => `${r.name} ${r.planned} ${r.done}`)).toEqual([
      'a1 not-planned failed',
      'a2 not-planned failed',
      'b1 create created',
      'b2 create created'
    ])
    expect(lines.filter(l => /^info: \[\d\/4\]/.test(l))).toEqual(['info: [3/4] created b1 on env-p1/lkc-p2', 'info: [4/4] created b2 on env-p1/lkc-p2'])
  })
})
