// Issue 14, end to end against the bundle: pruning (prune, prune-match, max-deletions), declared states
// (`"state": "RUNNING" | "PAUSED"` in a wrapped document), task restarts (restart-failed-tasks).
// Safety first: every refusal is checked to send nothing that changes anything.
//
// DECLARED STATE: the tests marked [needs parser `state`] need the parser to accept `state` beside
// `config` (another branch adds it). Until both branches are merged they fail at the parse stage.
//
// The two restart cases outlast the wait's 30 s grace (GRACE_MS in src/stages/wait.ts; after a restart
// the task gets a new grace): they get their own fakes, start in `beforeAll` and run beside the others.
import { beforeAll, describe, expect, it } from '@jest/globals'
import type { FakeConfluent, RequestLogEntry } from '../../test-support/fake-confluent/index.js'
import { fakeStarter, targetInputs, type Target } from '../../test-support/e2e-target.js'
import { makeWorkspace, runAction, type ActionRun } from '../../test-support/run-action.js'

const KEY = 'LIFEKEY'
const SECRET = 'life-cloud-secret'
const KAFKA_SECRET = 'life-kafka-secret'
const ENV = 'env-life'
const CLUSTER = 'lkc-life'
const CLUSTER_B = 'lkc-life-b'
const base = (cluster = CLUSTER): string => `/connect/v1/environments/${ENV}/clusters/${cluster}`

interface Res {
  name: string
  action: string
  state_change?: string
  state: string
  error: string
  restarts: number
  tasks: Array<{ id: number; state: string }>
}

const TARGET: Target = { key: KEY, secret: SECRET, env: ENV, cluster: CLUSTER, kafkaKey: 'LIFEKAFKAKEY', kafkaSecret: KAFKA_SECRET }
const fakeWith = fakeStarter(TARGET)
const inputs = (f: FakeConfluent, extra: Record<string, string> = {}): Record<string, string> =>
  targetInputs(f.url, TARGET, { wait: 'true', 'wait-timeout': '60', ...extra })

const SOURCE = { 'connector.class': 'DatagenSource', 'kafka.topic': 'orders', 'tasks.max': '1' }
/** What the fake must hold for a file of `config` to plan unchanged (credentials filled by the inputs). */
const asLive = (name: string, config: Record<string, string>): Record<string, string> => ({
  name,
  ...config,
  'kafka.api.key': 'LIFEKAFKAKEY',
  'kafka.api.secret': KAFKA_SECRET
})

function wrapped(name: string, config: Record<string, string>, state?: 'RUNNING' | 'PAUSED'): Record<string, string> {
  return { [`connectors/${name}.json`]: JSON.stringify({ name, ...(state ? { state } : {}), config }, null, 2) }
}

function results(run: ActionRun): Record<string, Res> {
  return Object.fromEntries((JSON.parse(run.outputs.results ?? '[]') as Res[]).map(r => [r.name, r]))
}

/** Requests that change something: PUT of a config, pause, resume, DELETE, restart. */
function changes(f: FakeConfluent): RequestLogEntry[] {
  return f.requests.filter(r => r.method === 'DELETE' || r.method === 'POST' || (r.method === 'PUT' && !r.path.endsWith('/config/validate')))
}

const line = (r: RequestLogEntry): string => `${r.method} ${decodeURIComponent(r.path)}${r.query ? `?${r.query}` : ''} -> ${r.status}`

/** Pauses a connector the way a person would, through the API, and waits (bounded) until it shows PAUSED. */
async function pauseByHand(f: FakeConfluent, name: string): Promise<void> {
  const auth = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`
  const res = await fetch(`${f.url}${base()}/connectors/${name}/pause`, { method: 'PUT', headers: { authorization: auth } })
  expect(res.status).toBe(202)
  const end = Date.now() + 5000
  while (f.connector(ENV, CLUSTER, name)?.state !== 'PAUSED') {
    if (Date.now() > end) throw new Error(`${name} did not pause`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  f.resetLog()
}

interface Scenario {
  fake: FakeConfluent
  run: ActionRun
}
function start(make: () => Promise<Scenario>): Promise<Scenario> {
  const p = make()
  p.catch(() => undefined)
  return p
}
let slow: { restart: Promise<Scenario>; failed: Promise<Scenario> }

beforeAll(() => {
  slow = {
    // A task that FAILs under a RUNNING connector, fails again after its first restart, recovers after the second.
    restart: start(async () => {
      const fake = await fakeWith({
        behaviours: {
          'flaky-task': {
            kind: 'task-failed',
            tasks: 2,
            restartFailures: 1,
            taskMsg: 'org.apache.kafka.connect.errors.RetriableException: restart-me: broker not available'
          }
        }
      })
      const run = await runAction({
        inputs: inputs(fake, { 'restart-failed-tasks': '2', 'wait-timeout': '200' }),
        workspace: makeWorkspace(wrapped('flaky-task', SOURCE)),
        timeoutMs: 170_000
      })
      return { fake, run }
    }),
    // A FAILED connector: restart answers 400 unless RUNNING, so it is reported, never restarted.
    failed: start(async () => {
      const fake = await fakeWith({ behaviours: { 'dead-source': { kind: 'failed', trace: 'dead-trace: the database refused the login' } } })
      const run = await runAction({
        inputs: inputs(fake, { 'restart-failed-tasks': '2', 'wait-timeout': '120' }),
        workspace: makeWorkspace(wrapped('dead-source', SOURCE)),
        timeoutMs: 110_000
      })
      return { fake, run }
    })
  }
})

describe('safety refusals: nothing changes', () => {
  it('prune without prune-match is an input error; nothing is sent', async () => {
    const f = await fakeWith()
    f.seed(ENV, CLUSTER, 'app-old', asLive('app-old', SOURCE))
    const run = await runAction({ inputs: inputs(f, { prune: 'true' }), workspace: makeWorkspace(wrapped('app-new', SOURCE)) })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/prune-match/)
    expect(f.requests).toEqual([])
    expect(f.connector(ENV, CLUSTER, 'app-old')).toBeDefined()
  })

  it('more deletions than max-deletions: fails before any change (no PUT of a config, no DELETE)', async () => {
    const f = await fakeWith()
    for (const n of ['app-a', 'app-b', 'app-c']) f.seed(ENV, CLUSTER, n, asLive(n, SOURCE))
    f.seed(ENV, CLUSTER, 'app-kept', asLive('app-kept', SOURCE))
    const run = await runAction({
      inputs: inputs(f, { prune: 'true', 'prune-match': 'app-*', 'max-deletions': '2' }),
      workspace: makeWorkspace({ ...wrapped('app-new', SOURCE), ...wrapped('app-kept', { ...SOURCE, 'kafka.topic': 'changed' }) })
    })
    expect(run.code).toBe(1)
    expect(changes(f)).toEqual([])
    expect(run.summary).toMatch(/max-deletions/)
    expect(run.stdout).toMatch(/deletes 3 connector\(s\), more than max-deletions \(2\)/)
    for (const n of ['app-a', 'app-b', 'app-c']) expect(f.connector(ENV, CLUSTER, n)).toBeDefined()
    expect(f.connector(ENV, CLUSTER, 'app-new')).toBeUndefined()
    expect(f.connector(ENV, CLUSTER, 'app-kept')?.config['kafka.topic']).toBe('orders')
    // The outputs and the summary say nothing was created, updated or deleted.
    expect([run.outputs.created, run.outputs.updated, run.outputs.deleted, run.outputs.changed]).toEqual(['[]', '[]', '[]', 'false'])
    expect(JSON.parse(run.outputs.failed).sort()).toEqual(['app-a', 'app-b', 'app-c', 'app-kept', 'app-new'])
    expect(run.summary).not.toMatch(/[1-9]\d* (created|updated|deleted)\b/)
    expect(run.summary).toContain('### Not deleted (3)')
    expect(run.summary).toMatch(/\*\*Nothing was changed\.\*\* The plan deletes 3/)
  })

  it('a file problem: no request at all, prune or not', async () => {
    const f = await fakeWith()
    f.seed(ENV, CLUSTER, 'app-old', asLive('app-old', SOURCE))
    const run = await runAction({
      inputs: inputs(f, { prune: 'true', 'prune-match': '*' }),
      workspace: makeWorkspace({ ...wrapped('app-new', SOURCE), 'connectors/broken.json': '{"name": "broken", "config": {"connector.class": }' })
    })
    expect(run.code).toBe(1)
    expect(run.annotations.some(a => a.level === 'error' && a.file === 'connectors/broken.json')).toBe(true)
    expect(f.requests).toEqual([])
  })

  it('a failed list on one cluster: no deletion there; the other cluster is pruned', async () => {
    const f = await fakeWith()
    f.addCluster(ENV, CLUSTER_B)
    f.seed(ENV, CLUSTER, 'app-old-a', asLive('app-old-a', SOURCE))
    f.seed(ENV, CLUSTER_B, 'app-old-b', asLive('app-old-b', SOURCE))
    f.inject({
      kind: 'status',
      status: 403,
      method: 'GET',
      pathIncludes: `/clusters/${CLUSTER_B}/connectors`,
      body: JSON.stringify({ error_code: 403, message: 'Forbidden on b' })
    })
    const workspace = makeWorkspace({
      ...wrapped('app-a', SOURCE),
      'connectors/app-b.json': JSON.stringify({ name: 'app-b', environment_id: ENV, kafka_cluster_id: CLUSTER_B, config: SOURCE })
    })
    const run = await runAction({ inputs: inputs(f, { prune: 'true', 'prune-match': 'app-old-*', wait: 'false' }), workspace })
    expect(run.code).toBe(1)
    expect(f.requests.filter(r => r.method === 'DELETE').map(r => r.path)).toEqual([`${base()}/connectors/app-old-a`])
    expect(f.connector(ENV, CLUSTER_B, 'app-old-b')).toBeDefined()
    expect(f.requests.filter(r => r.path.startsWith(base(CLUSTER_B)) && r.method !== 'GET')).toEqual([])
    const r = results(run)
    expect(r['app-b'].action).toBe('failed')
    expect(r['app-b'].error).toMatch(/not planned: .*Forbidden on b/)
    expect(JSON.parse(run.outputs.deleted)).toEqual(['app-old-a'])
  })
})

describe('prune and declared states', () => {
  /** One cluster with: a connector to update, one to leave, one to delete, one to pause, one paused by
   * hand to resume, and a file with a new connector of the deleted one's class (a possible rename). */
  async function scene(): Promise<{ f: FakeConfluent; workspace: string }> {
    const f = await fakeWith()
    f.seed(ENV, CLUSTER, 'app-update', asLive('app-update', SOURCE))
    f.seed(ENV, CLUSTER, 'app-same', asLive('app-same', SOURCE))
    f.seed(ENV, CLUSTER, 'app-old', asLive('app-old', { ...SOURCE, 'connector.class': 'S3_SINK', topics: 'orders' }))
    f.seed(ENV, CLUSTER, 'app-pause', asLive('app-pause', SOURCE))
    f.seed(ENV, CLUSTER, 'app-resume', asLive('app-resume', SOURCE))
    f.seed(ENV, CLUSTER, 'other-team', asLive('other-team', SOURCE))
    await pauseByHand(f, 'app-resume')
    const workspace = makeWorkspace({
      ...wrapped('app-update', { ...SOURCE, 'kafka.topic': 'orders-v2' }),
      ...wrapped('app-same', SOURCE),
      ...wrapped('app-new', { ...SOURCE, 'connector.class': 'S3_SINK', topics: 'orders' }),
      ...wrapped('app-pause', SOURCE, 'PAUSED'),
      ...wrapped('app-resume', SOURCE, 'RUNNING')
    })
    return { f, workspace }
  }

  it('[needs parser `state`] a dry run lists the deletion and the state changes, and sends only lists and validates', async () => {
    const { f, workspace } = await scene()
    const run = await runAction({ inputs: inputs(f, { 'dry-run': 'true', prune: 'true', 'prune-match': 'app-*' }), workspace })
    expect(run.code).toBe(0)
    const r = results(run)
    expect(r['app-old']).toMatchObject({ action: 'delete' })
    expect(r['app-pause']).toMatchObject({ action: 'unchanged', state_change: 'pause' })
    expect(r['app-resume']).toMatchObject({ action: 'unchanged', state_change: 'resume' })
    expect(r['app-update'].action).toBe('update')
    expect(r['app-new'].action).toBe('create')
    expect(r['app-same'].state_change).toBeUndefined()
    expect(JSON.parse(run.outputs.deleted)).toEqual(['app-old'])
    expect(JSON.parse(run.outputs.unmanaged)).toEqual([{ name: 'other-team', environment_id: ENV, kafka_cluster_id: CLUSTER }])
    expect(run.outputs.changed).toBe('true')
    expect(run.summary).toMatch(/possible rename.*app-old.*app-new/)
    expect(f.requests.filter(q => !(q.method === 'GET' && q.query === 'expand=info,status,id') && !q.path.endsWith('/config/validate'))).toEqual([])
    expect(f.requests.filter(q => q.method === 'GET')).toHaveLength(1)
  })

  it('[needs parser `state`] an apply makes exactly the planned PUTs, DELETE, pause and resume, and waits for the declared states', async () => {
    const { f, workspace } = await scene()
    const run = await runAction({ inputs: inputs(f, { prune: 'true', 'prune-match': 'app-*' }), workspace })
    // The request log of this one apply (creates, updates, pauses, resumes and deletes), for the record.
    console.log(`request log of one apply:\n${f.requests.map(q => `${String(q.time - f.requests[0].time).padStart(6)} ms  ${line(q)}`).join('\n')}`)
    expect(run.code).toBe(0)
    expect(changes(f).map(line).sort()).toEqual(
      [
        `DELETE ${base()}/connectors/app-old -> 200`,
        `PUT ${base()}/connectors/app-new/config -> 200`,
        `PUT ${base()}/connectors/app-pause/pause -> 202`,
        `PUT ${base()}/connectors/app-resume/resume -> 202`,
        `PUT ${base()}/connectors/app-update/config -> 200`
      ].sort()
    )
    const r = results(run)
    expect(r['app-old']).toMatchObject({ action: 'deleted', error: '' })
    expect(r['app-pause']).toMatchObject({ action: 'unchanged', state_change: 'paused', state: 'PAUSED', error: '' })
    expect(r['app-resume']).toMatchObject({ action: 'unchanged', state_change: 'resumed', state: 'RUNNING', error: '' })
    expect(r['app-new']).toMatchObject({ action: 'created', state: 'RUNNING' })
    expect(r['app-update']).toMatchObject({ action: 'updated', state: 'RUNNING' })
    expect(f.connector(ENV, CLUSTER, 'app-old')).toBeUndefined()
    expect(f.connector(ENV, CLUSTER, 'other-team')).toBeDefined()
    expect(f.connector(ENV, CLUSTER, 'app-pause')?.state).toBe('PAUSED')
    expect(f.connector(ENV, CLUSTER, 'app-resume')?.state).toBe('RUNNING')
    // The wait judged the paused one after its pause took effect (the fake acts 500 ms after the 202).
    const pausedAt = f.requests.find(q => q.path.endsWith('/app-pause/pause'))?.time ?? Infinity
    expect(f.requests.some(q => q.query === 'expand=status' && q.time - pausedAt >= 500)).toBe(true)
    expect(JSON.parse(run.outputs.deleted)).toEqual(['app-old'])
    expect(run.summary).toMatch(/possible rename.*app-old.*app-new/)

    // A rerun converges: one list, nothing else.
    f.resetLog()
    const again = await runAction({ inputs: inputs(f, { prune: 'true', 'prune-match': 'app-*' }), workspace })
    expect(again.code).toBe(0)
    expect(f.requests.map(line)).toEqual([`GET ${base()}/connectors?expand=info,status,id -> 200`])
  })

  it('[needs parser `state`] a new connector declared PAUSED is created, then paused, and ends PAUSED', async () => {
    const f = await fakeWith()
    const run = await runAction({ inputs: inputs(f), workspace: makeWorkspace(wrapped('born-paused', SOURCE, 'PAUSED')) })
    expect(run.code).toBe(0)
    expect(changes(f).map(line)).toEqual([`PUT ${base()}/connectors/born-paused/config -> 200`, `PUT ${base()}/connectors/born-paused/pause -> 202`])
    expect(results(run)['born-paused']).toMatchObject({ action: 'created', state_change: 'paused', state: 'PAUSED', error: '' })
  })

  it('a connector already gone at delete time is not an error', async () => {
    const f = await fakeWith()
    f.seed(ENV, CLUSTER, 'app-gone', asLive('app-gone', SOURCE))
    f.inject({
      kind: 'status',
      status: 404,
      method: 'DELETE',
      pathIncludes: '/connectors/app-gone',
      body: JSON.stringify({ error_code: 404, message: 'resource not found' })
    })
    const run = await runAction({ inputs: inputs(f, { prune: 'true', 'prune-match': 'app-*' }), workspace: makeWorkspace(wrapped('app-here', SOURCE)) })
    expect(run.code).toBe(0)
    expect(f.requests.filter(q => q.method === 'DELETE').map(q => q.status)).toEqual([404])
    expect(results(run)['app-gone']).toMatchObject({ action: 'deleted', error: '' })
    expect(run.stdout).toMatch(/deleted app-gone \(it was already gone\)/)
  })
})

describe('restart-failed-tasks', () => {
  it('a task that FAILs and recovers after its second restart ends green, restarts counted', async () => {
    const { fake, run } = await slow.restart
    expect(run.code).toBe(0)
    const r = results(run)['flaky-task']
    expect(r).toMatchObject({ action: 'created', state: 'RUNNING', restarts: 2, error: '' })
    expect(r.tasks.map(t => t.state)).toEqual(['RUNNING', 'RUNNING'])
    const restarts = fake.requests.filter(q => q.method === 'POST')
    expect(restarts.map(line)).toEqual([
      `POST ${base()}/connectors/flaky-task/tasks/0/restart -> 202`,
      `POST ${base()}/connectors/flaky-task/tasks/0/restart -> 202`
    ])
    expect(run.stdout).toMatch(/restarted task 0 \(restart 1 of 2\) after: .*restart-me: broker not available/)
  }, 180_000)

  it('a FAILED connector is reported with its trace, not restarted', async () => {
    const { fake, run } = await slow.failed
    expect(run.code).toBe(1)
    const r = results(run)['dead-source']
    expect(r).toMatchObject({ action: 'failed', state: 'FAILED', restarts: 0 })
    expect(r.error).toMatch(/connector FAILED: dead-trace: the database refused the login/)
    expect(fake.requests.filter(q => q.path.includes('/restart'))).toEqual([])
  }, 120_000)
})
