// Public types of the fake Confluent Cloud Connect API (connect/v1).
// Defaults follow the real cloud (shared/reference/api-notes.md, "Learned since"), within test speed.

/**
 * How a connector's state evolves after a create or update (PUT .../config). Timings are by the
 * fake's clock (`now`), counted from the PUT.
 * - `running`: PROVISIONING, then RUNNING.
 * - `transient-failed`: PROVISIONING, FAILED for `failedMs`, then RUNNING ("can show FAILED for a short while").
 * - `failed`: PROVISIONING, then FAILED for good.
 * - `stuck`: PROVISIONING forever.
 * - `task-failed`: PROVISIONING, then the connector RUNNING while `failedTasks` tasks are FAILED
 *   (`msg` = `taskMsg`) until restarted ("A connector can be RUNNING while a task is FAILED").
 * - `transient-degraded`: PROVISIONING, DEGRADED (some tasks failed) for `degradedMs`, then RUNNING
 *   ("DEGRADED ... is a normal stop on the way PROVISIONING → DEGRADED → RUNNING").
 * - `degraded`: PROVISIONING, then DEGRADED for good (failed tasks as in `task-failed`).
 * - `flapping`: PROVISIONING, RUNNING for `runningMs`, FAILED for `failedMs`, then RUNNING
 *   ("connectors went RUNNING → FAILED → RUNNING ... after a create").
 */
export interface FakeConnectorBehaviour {
  kind: 'running' | 'transient-failed' | 'failed' | 'stuck' | 'task-failed' | 'transient-degraded' | 'degraded' | 'flapping'
  /** PROVISIONING before the next state; default `FakeOptions.provisioningMs` (800). */
  provisioningMs?: number
  /** FAILED lasts this long in transient-failed and flapping (default 300). */
  failedMs?: number
  /** RUNNING lasts this long before the FAILED of flapping (default 300). */
  runningMs?: number
  /** DEGRADED lasts this long in transient-degraded (default 300). */
  degradedMs?: number
  /** Trace text for FAILED (and DEGRADED). */
  trace?: string
  /** Number of tasks once running (default: tasks.max or 1). */
  tasks?: number
  /** task-failed/degraded/transient-degraded: how many tasks (ids 0..n-1) fail; default 1. */
  failedTasks?: number
  /** State of the failed tasks: FAILED (default) or USER_ACTIONABLE_ERROR ("tasks can be in state USER_ACTIONABLE_ERROR"). */
  taskState?: 'FAILED' | 'USER_ACTIONABLE_ERROR'
  /** A failed task's `msg`; default a Java-like exception text. */
  taskMsg?: string
  /** A restarted failed task fails again this many restarts before it recovers (default 0). */
  restartFailures?: number
}

/** Keyless login (Confluent STS token exchange, POST /sts/v1/oauth2/token). Always served. */
export interface FakeStsOptions {
  /** Accepted `identity_pool_id` values; default ['pool-test']. Others: 400. */
  pools?: string[]
  /** Accepted subject tokens (the external JWT): a list, or a predicate (the pool's filter).
   * Default: any well-formed JWT (three base64url parts whose payload is JSON). Rejected: 400. */
  subjectTokens?: string[] | ((jwt: string, pool: string) => boolean)
  /** Lifetime of an issued access token in seconds, by the fake's clock; a smaller `expires_in`
   * asked for wins. Default 3600. */
  tokenLifetimeSec?: number
  /** A fault: the `expires_in` the answer states, when it is not the real lifetime (a token revoked
   * before its time, or a runner whose clock runs slow). Default: the real lifetime. */
  statedExpiresInSec?: number
}

export interface FakeOptions {
  port?: number
  /** Accepted HTTP Basic pairs; default [{key:'test-key',secret:'test-secret'}]. */
  credentials?: { key: string; secret: string }[]
  /** Fixed window per API key. `resetRounding: 'down'` sends X-RateLimit-Reset rounded down (0 possible), as some servers do; default up.
   * Undefined = no limit (and no X-RateLimit-* headers). */
  rateLimit?: { limit: number; windowMs: number; sendHeaders?: boolean /* default true */; resetRounding?: 'up' | 'down' }
  /** More than this many requests in flight at once: 429 with `Retry-After: 1` (and X-RateLimit-*
   * showing the budget left, when `rateLimit` is on; the 429 uses no budget). Default: no limit.
   * api-notes: "Limits are per user and per organization, concurrency limits exist too". */
  concurrencyLimit?: number
  latencyMs?: number
  /** Injectable clock for state transitions, rate-limit windows, tokens and log times; default Date.now. */
  now?: () => number
  /** By connector name; default `defaultBehaviour`, else {kind:'running'}. */
  behaviours?: Record<string, FakeConnectorBehaviour>
  /** Behaviour for connectors not named in `behaviours` (handy for demo/bench). */
  defaultBehaviour?: FakeConnectorBehaviour
  /** Default PROVISIONING time in ms (a behaviour's own `provisioningMs` wins). Default 800 (was 200):
   * the real cloud takes minutes ("provisioning typically takes 2-6 minutes"); 0 allowed. */
  provisioningMs?: number
  /** A just-created connector (new name) is missing from `GET .../connectors?expand=...` for this
   * many ms. Default 1000; 0 = no lag. The plain name list is not delayed. Seeded connectors never lag.
   * api-notes: "a just-created connector can be missing from the list for a few seconds". */
  listLagMs?: number
  /** PUT .../pause and .../resume answer 202 and take effect this many ms later. Default 500; 0 allowed.
   * api-notes: "just after a resume the connector can still show PAUSED". */
  pauseResumeDelayMs?: number
  /** PUT (or validate) with such a class -> 500 `{"error_code":500,"message":"Failed to find any class ..."}`. */
  rejectClasses?: (cls: string) => boolean
  /**
   * Checks "against the outside system" (api-notes: "A 200 from the PUT does not mean the config is in
   * force"). Return `key: message` lines to fail the config, undefined or [] to pass. Built in as well:
   * any value that is the literal `INVALID` fails its key.
   */
  rejectOnRun?: (name: string, config: Record<string, string>) => string[] | undefined
  /** What a failing outside check does: `accept-then-fail` (default, as the cloud): the PUT answers 200,
   * then the connector shows FAILED with an "Unable to validate configuration." trace and
   * `validation_errors`; `reject-at-put` (the fake's old behaviour): 400 at PUT. */
  outsideChecks?: 'accept-then-fail' | 'reject-at-put'
  /** 400 errors include the received config JSON in the message (for redaction tests). */
  echoConfigInErrors?: boolean
  /** `kafka.api.key` masking. Undefined (default): as the plugin catalogue says (PASSWORD for a few
   * classes, STRING for most); true: always masked; false: never. */
  maskKafkaApiKey?: boolean
  /** More keys of type PASSWORD for every class (e.g. what a CUSTOM plugin's uploader declared). */
  passwordKeys?: string[]
  /** More PASSWORD keys per `connector.class`, added to the catalogue (plugin-password-keys.json). */
  pluginPasswordKeys?: Record<string, string[]>
  /** The mask for non-empty PASSWORD values; default sixteen asterisks (MASK). An empty value comes back "". */
  mask?: string
  /** Classes whose CREATE (new name) gets 403 "... has reached End-of-Life and cannot be used for new
   * connectors"; updates of existing connectors pass. Default none. */
  endOfLifeClasses?: string[]
  /** At most this many connectors per cluster: a create beyond it is refused with `status`
   * (default 500: the cloud has sent quota errors as a retryable status; 402 seen too) and
   * `{"errors":[{"status":"...","detail":"... is currently limited to N ..."}]}`. Default: no quota. */
  connectorQuota?: { limit: number; status?: number }
  /** Keys the server fills into a CUSTOM connector's config when absent. Defaults: runtime '3.9.0',
   * javaVersion '17', versionId 'ver-<hash>' (false: not set). */
  customServerKeys?: { runtime?: string; javaVersion?: string; versionId?: string | false }
  /** Shape of 401 for a missing/wrong key or token: `errors` (default, as the cloud:
   * `{"errors":[{"status":"401","detail":"..."}]}`) or `error` (old: `{"error":{"code":401,...}}`). */
  authErrorShape?: 'errors' | 'error'
  /** Keyless login; served always, with these settings. */
  sts?: FakeStsOptions
  /** Random transient faults on every request, seeded PRNG (default seed 1). */
  faults?: { rate503?: number; rateReset?: number; seed?: number }
}

export interface RequestLogEntry {
  method: string
  /** Raw path as received (still URL-encoded). */
  path: string
  /** Query string without the leading '?'. */
  query: string
  /** 0 when the connection was reset without a response. */
  status: number
  /** Arrival time by the fake's clock (`now`). */
  time: number
  /** Key of the HTTP Basic pair presented (never the secret); 'bearer' for an STS access token
   * (never the token). */
  apiKey?: string
  /** Parsed JSON body, or the raw text when not JSON; undefined when empty. The STS form body is
   * logged as its fields with `subject_token` replaced by '[redacted]'. */
  body?: unknown
}

export interface InjectedFault {
  method?: string
  pathIncludes?: string
  times?: number /* default 1 */
  kind: 'status' | 'reset' | 'slow' | 'non-json'
  status?: number
  body?: string
  delayMs?: number
}

export interface ConnectorSnapshot {
  id: string
  /** Stored, UNMASKED config (what was really sent plus the server-added keys). */
  config: Record<string, string>
  state: string
  trace: string
  type: string
  /** Live task states (id order). */
  tasks: { id: number; state: string; msg: string }[]
  /** `key: message` lines of a failed outside check (status `validation_errors`). */
  validationErrors: string[]
}

export interface FakeConfluent {
  url: string // e.g. http://127.0.0.1:43121
  requests: RequestLogEntry[] // every request, in arrival order
  addCluster(env: string, cluster: string): void
  seed(env: string, cluster: string, name: string, config: Record<string, string>, opts?: { state?: string; trace?: string }): void
  connector(env: string, cluster: string, name: string): ConnectorSnapshot | undefined
  setOptions(patch: Partial<FakeOptions>): void
  inject(fault: InjectedFault): void
  resetLog(): void
  close(): Promise<void>
}
