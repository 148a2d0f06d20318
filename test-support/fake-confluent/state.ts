// Stored clusters and connectors, the state machine driven by the injected clock, and the
// response views (info, status, id, expand) shaped like the fixtures.
import { connectorType, isCustom, maskConfig, withServerKeys } from './masking.js'
import type { FakeConnectorBehaviour, FakeOptions } from './types.js'

export const DEFAULT_PROVISIONING_MS = 800
export const DEFAULT_LIST_LAG_MS = 1000
export const DEFAULT_PAUSE_RESUME_DELAY_MS = 500

export interface StoredConnector {
  id: string
  name: string
  /** Unmasked, including the server-added keys. */
  config: Record<string, string>
  behaviour: FakeConnectorBehaviour
  /** Clock time of the last PUT; undefined for a seeded connector never PUT since. */
  putAt?: number
  /** Clock time of the create (first PUT of the name); undefined for seeded connectors. */
  createdAt?: number
  /** Seeded state, in force until the next PUT. */
  fixedState?: string
  fixedTrace?: string
  /** `key: message` lines of the outside checks that failed on the last PUT (accept-then-FAIL). */
  validationErrors: string[]
  /** Tasks of the previous valid configuration, still running while an accepted-then-FAILED config is shown. */
  previousValidTasks: number
  /** Pause/resume take effect `pauseResumeDelayMs` after the request: `prev` is in force until then. */
  pause: { target: boolean; prev: boolean; at: number }
  /** Restarts per task id since the last PUT (connector restarts count for every task). */
  taskRestarts: number[]
}

export interface LiveTask {
  id: number
  state: string
  msg: string
}

export interface LiveState {
  state: string
  trace: string
  tasks: LiveTask[]
  validationErrors: string[]
}

const DEFAULT_TRACE = 'There were some errors with your configuration:\nkafka.api.secret: Provided Kafka ApiKey is invalid'
const DEFAULT_TASK_MSG = 'org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSourceTask due to unrecoverable exception.'
/** The trace of an accepted-then-FAILED config, before its `key: message` lines (api-notes: "trace that starts
 * 'Unable to validate configuration.' and says the connector keeps running on its previous valid configuration"). */
export const UNABLE_TO_VALIDATE =
  'Unable to validate configuration. If an update was made to the configuration, this means that the configuration was invalid, ' +
  'and the connector continues to operate on a previous configuration that passed validation. Errors:'

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
    const full = { ...withServerKeys(config, cluster, this.options().customServerKeys), ...config }
    const existing = this.cluster(env, cluster)!.get(name)
    this.cluster(env, cluster)!.set(name, {
      id: existing?.id ?? this.newId(full),
      name,
      config: full,
      behaviour: this.behaviourFor(name),
      // Seeded PAUSED is a RUNNING connector that was paused: a resume brings it back (api-notes.md: pause
      // and resume answer 202 and act later).
      fixedState: opts?.state === 'PAUSED' ? 'RUNNING' : (opts?.state ?? 'RUNNING'),
      fixedTrace: opts?.trace,
      validationErrors: [],
      previousValidTasks: 0,
      pause: { target: opts?.state === 'PAUSED', prev: opts?.state === 'PAUSED', at: this.now() },
      taskRestarts: []
    })
  }

  /** PUT .../config: replace the whole config and restart the state machine. `validationErrors`: failed outside checks. */
  upsert(env: string, cluster: string, name: string, config: Record<string, string>, validationErrors: string[] = []): StoredConnector {
    const connectors = this.cluster(env, cluster)!
    const existing = connectors.get(name)
    const full = withServerKeys(config, cluster, this.options().customServerKeys)
    let previousValidTasks = 0
    if (existing) previousValidTasks = existing.validationErrors.length > 0 ? existing.previousValidTasks : this.live(existing).tasks.length
    const stored: StoredConnector = {
      id: existing?.id ?? this.newId(full),
      name,
      config: full,
      behaviour: this.behaviourFor(name),
      putAt: this.now(),
      createdAt: existing ? existing.createdAt : this.now(),
      validationErrors,
      previousValidTasks,
      pause: existing?.pause ?? { target: false, prev: false, at: this.now() },
      taskRestarts: []
    }
    connectors.set(name, stored)
    return stored
  }

  now(): number {
    return (this.options().now ?? Date.now)()
  }

  /** True while a just-created connector is still missing from the expanded list. */
  inListLag(c: StoredConnector): boolean {
    if (c.createdAt === undefined) return false
    return this.now() - c.createdAt < (this.options().listLagMs ?? DEFAULT_LIST_LAG_MS)
  }

  /** PUT .../pause (true) or .../resume (false): in force after `pauseResumeDelayMs`. */
  requestPause(c: StoredConnector, target: boolean): void {
    c.pause = { target, prev: this.isPaused(c), at: this.now() }
  }

  isPaused(c: StoredConnector): boolean {
    const delay = this.options().pauseResumeDelayMs ?? DEFAULT_PAUSE_RESUME_DELAY_MS
    return this.now() - c.pause.at >= delay ? c.pause.target : c.pause.prev
  }

  /** POST .../restart (taskId undefined: every task) or .../tasks/{id}/restart. */
  restart(c: StoredConnector, taskId?: number): void {
    const count = this.taskCount(c)
    for (let id = 0; id < count; id++) if (taskId === undefined || taskId === id) c.taskRestarts[id] = (c.taskRestarts[id] ?? 0) + 1
  }

  live(c: StoredConnector): LiveState {
    const taskCount = this.taskCount(c)
    const tasks = (state: string, n = taskCount): LiveTask[] => Array.from({ length: n }, (_, id) => ({ id, state, msg: '' }))
    const none = { validationErrors: [] as string[] }
    if (this.isPaused(c)) return { state: 'PAUSED', trace: '', tasks: tasks('PAUSED'), ...none }
    if (c.fixedState !== undefined) {
      const state = c.fixedState
      const trace = c.fixedTrace ?? (state === 'FAILED' ? DEFAULT_TRACE : '')
      if (state === 'RUNNING') return { state, trace, tasks: tasks('RUNNING'), ...none }
      if (state === 'DEGRADED') {
        const t = tasks('RUNNING')
        t[0] = { id: 0, state: 'FAILED', msg: trace }
        return { state, trace, tasks: t, ...none }
      }
      return { state, trace, tasks: [], ...none }
    }
    const b = c.behaviour
    const elapsed = this.now() - (c.putAt ?? 0)
    const p = b.provisioningMs ?? this.options().provisioningMs ?? DEFAULT_PROVISIONING_MS
    const failedMs = b.failedMs ?? 300
    if (b.kind === 'stuck' || elapsed < p) return { state: 'PROVISIONING', trace: '', tasks: [], ...none }
    if (c.validationErrors.length > 0) {
      const trace = [UNABLE_TO_VALIDATE, ...c.validationErrors].join('\n')
      return { state: 'FAILED', trace, tasks: tasks('RUNNING', c.previousValidTasks), validationErrors: [...c.validationErrors] }
    }
    const failed = { state: 'FAILED', trace: b.trace ?? DEFAULT_TRACE, tasks: [], ...none }
    const running = { state: 'RUNNING', trace: '', tasks: tasks('RUNNING'), ...none }
    const withFailedTasks = (state: 'RUNNING' | 'DEGRADED'): LiveState => {
      const t = tasks('RUNNING')
      const failing = Math.min(b.failedTasks ?? 1, taskCount)
      for (let id = 0; id < failing; id++) {
        if ((c.taskRestarts[id] ?? 0) > (b.restartFailures ?? 0)) continue
        t[id] = { id, state: b.taskState ?? 'FAILED', msg: b.taskMsg ?? DEFAULT_TASK_MSG }
      }
      const anyFailed = t.some(x => x.state !== 'RUNNING')
      return {
        state: state === 'DEGRADED' && anyFailed ? 'DEGRADED' : 'RUNNING',
        trace: state === 'DEGRADED' && anyFailed ? (b.trace ?? '') : '',
        tasks: t,
        ...none
      }
    }
    switch (b.kind) {
      case 'failed':
        return failed
      case 'transient-failed':
        return elapsed < p + failedMs ? failed : running
      case 'flapping': {
        const runningMs = b.runningMs ?? 300
        return elapsed >= p + runningMs && elapsed < p + runningMs + failedMs ? failed : running
      }
      case 'task-failed':
        return withFailedTasks('RUNNING')
      case 'degraded':
        return withFailedTasks('DEGRADED')
      case 'transient-degraded':
        return elapsed < p + (b.degradedMs ?? 300) ? withFailedTasks('DEGRADED') : running
      default:
        return running
    }
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

export function infoView(c: StoredConnector, live: LiveState, options: FakeOptions) {
  return {
    name: c.name,
    type: connectorType(c.config),
    config: maskConfig(c.config, options),
    tasks: live.tasks.map(t => ({ connector: c.name, task: t.id }))
  }
}

/** Status with the extras real answers carry (api-notes: "Status extras: errors_from_trace is an array of
 * objects with an error field; validation_errors is an array of strings"). */
export function statusView(c: StoredConnector, live: LiveState) {
  const traceLines = live.validationErrors.length > 0 ? live.validationErrors : live.trace === '' ? [] : [live.trace]
  return {
    name: c.name,
    connector: { state: live.state, worker_id: c.name, trace: live.trace },
    tasks: live.tasks.map(t => ({ id: t.id, state: t.state, worker_id: c.name, msg: t.msg })),
    type: connectorType(c.config),
    errors_from_trace: traceLines.map(error => ({ error })),
    validation_errors: [...live.validationErrors],
    override_message: ''
  }
}

export type ExpandPart = 'info' | 'status' | 'id'

/** One entry of `GET /connectors?expand=...`: only the requested parts, plus `extensions`. */
export function expandedView(c: StoredConnector, live: LiveState, parts: Set<ExpandPart>, options: FakeOptions) {
  const out: Record<string, unknown> = {}
  if (parts.has('status')) out.status = statusView(c, live)
  if (parts.has('info')) out.info = infoView(c, live, options)
  if (parts.has('id')) out.id = { id: c.id, id_type: 'ID' }
  out.extensions = {}
  return out
}
