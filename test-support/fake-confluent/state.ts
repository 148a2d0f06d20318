// Stored clusters and connectors, the state machine driven by the injected clock, and the
// response views (info, status, id, expand) shaped like the fixtures.
import { connectorType, isCustom, maskConfig, withServerKeys } from './masking.js'
import type { FakeConnectorBehaviour, FakeOptions } from './types.js'

export interface StoredConnector {
  id: string
  name: string
  /** Unmasked, including the server-added keys. */
  config: Record<string, string>
  behaviour: FakeConnectorBehaviour
  /** Clock time of the last PUT; undefined for a seeded connector never PUT since. */
  putAt?: number
  /** Seeded state, in force until the next PUT. */
  fixedState?: string
  fixedTrace?: string
  paused: boolean
}

export interface LiveState {
  state: string
  trace: string
  tasks: { id: number; state: string; msg: string }[]
}

const DEFAULT_TRACE = 'There were some errors with your configuration:\nkafka.api.secret: Provided Kafka ApiKey is invalid'

export class Store {
  private readonly clusters = new Map<string, Map<string, StoredConnector>>()
  private readonly envs = new Set<string>()
  private nextId = 1

  constructor(private readonly options: () => FakeOptions) {}

  addCluster(env: string, cluster: string): void {
    this.envs.add(env)
    const key = clusterKey(env, cluster)
    if (!this.clusters.has(key)) this.clusters.set(key, new Map())
  }

  hasEnv(env: string): boolean {
    return this.envs.has(env)
  }

  cluster(env: string, cluster: string): Map<string, StoredConnector> | undefined {
    return this.clusters.get(clusterKey(env, cluster))
  }

  seed(env: string, cluster: string, name: string, config: Record<string, string>, opts?: { state?: string; trace?: string }): void {
    this.addCluster(env, cluster)
    const full = { ...withServerKeys(config, cluster), ...config }
    const existing = this.cluster(env, cluster)!.get(name)
    this.cluster(env, cluster)!.set(name, {
      id: existing?.id ?? this.newId(full),
      name,
      config: full,
      behaviour: this.behaviourFor(name),
      fixedState: opts?.state ?? 'RUNNING',
      fixedTrace: opts?.trace,
      paused: false
    })
  }

  /** PUT .../config: replace the whole config and restart the state machine. */
  upsert(env: string, cluster: string, name: string, config: Record<string, string>): StoredConnector {
    const connectors = this.cluster(env, cluster)!
    const existing = connectors.get(name)
    const full = withServerKeys(config, cluster)
    const stored: StoredConnector = {
      id: existing?.id ?? this.newId(full),
      name,
      config: full,
      behaviour: this.behaviourFor(name),
      putAt: this.now(),
      paused: existing?.paused ?? false
    }
    connectors.set(name, stored)
    return stored
  }

  now(): number {
    return (this.options().now ?? Date.now)()
  }

  live(c: StoredConnector): LiveState {
    const taskCount = this.taskCount(c)
    const tasks = (state: string) => Array.from({ length: taskCount }, (_, id) => ({ id, state, msg: '' }))
    if (c.paused) return { state: 'PAUSED', trace: '', tasks: tasks('PAUSED') }
    if (c.fixedState !== undefined) {
      const state = c.fixedState
      const trace = c.fixedTrace ?? (state === 'FAILED' ? DEFAULT_TRACE : '')
      if (state === 'RUNNING') return { state, trace, tasks: tasks('RUNNING') }
      if (state === 'DEGRADED') {
        const t = tasks('RUNNING')
        t[0] = { id: 0, state: 'FAILED', msg: trace }
        return { state, trace, tasks: t }
      }
      return { state, trace, tasks: [] }
    }
    const b = c.behaviour
    const elapsed = this.now() - (c.putAt ?? 0)
    const provisioning = b.provisioningMs ?? 200
    const failed = { state: 'FAILED', trace: b.trace ?? DEFAULT_TRACE, tasks: [] }
    if (b.kind === 'stuck' || elapsed < provisioning) return { state: 'PROVISIONING', trace: '', tasks: [] }
    if (b.kind === 'failed') return failed
    if (b.kind === 'transient-failed' && elapsed < provisioning + (b.failedMs ?? 300)) return failed
    return { state: 'RUNNING', trace: '', tasks: tasks('RUNNING') }
  }

  private taskCount(c: StoredConnector): number {
    if (c.behaviour.tasks !== undefined) return c.behaviour.tasks
    const max = c.config['tasks.max']
    return max !== undefined && /^[1-9]\d*$/.test(max) ? Number(max) : 1
  }

  private behaviourFor(name: string): FakeConnectorBehaviour {
    const o = this.options()
    return { ...(o.behaviours?.[name] ?? o.defaultBehaviour ?? { kind: 'running' }) }
  }

  private newId(config: Record<string, string>): string {
    const n = this.nextId++
    return `${isCustom(config) ? 'clcc' : 'lcc'}-${(n * 7919 + 46656).toString(36)}`
  }
}

function clusterKey(env: string, cluster: string): string {
  return `${env}\u0000${cluster}`
}

// ---- views ---------------------------------------------------------------------------------

export function infoView(c: StoredConnector, live: LiveState, maskKafkaApiKey: boolean, extra: readonly string[] = []) {
  return {
    name: c.name,
    type: connectorType(c.config),
    config: maskConfig(c.config, maskKafkaApiKey, extra),
    tasks: live.tasks.map(t => ({ connector: c.name, task: t.id }))
  }
}

export function statusView(c: StoredConnector, live: LiveState) {
  return {
    name: c.name,
    connector: { state: live.state, worker_id: c.name, trace: live.trace },
    tasks: live.tasks.map(t => ({ id: t.id, state: t.state, worker_id: c.name, msg: t.msg })),
    type: connectorType(c.config),
    errors_from_trace: [],
    validation_errors: [],
    override_message: ''
  }
}

export type ExpandPart = 'info' | 'status' | 'id'

/** One entry of `GET /connectors?expand=...`: only the requested parts, plus `extensions`. */
export function expandedView(c: StoredConnector, live: LiveState, parts: Set<ExpandPart>, maskKafkaApiKey: boolean, extra: readonly string[] = []) {
  const out: Record<string, unknown> = {}
  if (parts.has('status')) out.status = statusView(c, live)
  if (parts.has('info')) out.info = infoView(c, live, maskKafkaApiKey, extra)
  if (parts.has('id')) out.id = { id: c.id, id_type: 'ID' }
  out.extensions = {}
  return out
}
