// Public types of the fake Confluent Cloud Connect API (connect/v1).

/** How a connector's state evolves after a create or update (PUT .../config). */
export interface FakeConnectorBehaviour {
  kind: 'running' | 'transient-failed' | 'failed' | 'stuck' // stuck = PROVISIONING forever
  provisioningMs?: number // default 200: PROVISIONING before next state
  failedMs?: number // for transient-failed: FAILED lasts this long, then RUNNING (default 300)
  trace?: string // trace text for FAILED
  tasks?: number // number of tasks once RUNNING (default: tasks.max or 1)
}

export interface FakeOptions {
  port?: number
  /** Accepted HTTP Basic pairs; default [{key:'test-key',secret:'test-secret'}]. */
  credentials?: { key: string; secret: string }[]
  /** Fixed window per API key; undefined = no limit (and no X-RateLimit-* headers). */
  /** Fixed window per API key. `resetRounding: 'down'` sends X-RateLimit-Reset rounded down (0 possible), as some servers do; default up. */
  rateLimit?: { limit: number; windowMs: number; sendHeaders?: boolean /* default true */; resetRounding?: 'up' | 'down' }
  latencyMs?: number
  /** Injectable clock for state transitions, rate-limit windows and log times; default Date.now. */
  now?: () => number
  /** By connector name; default `defaultBehaviour`, else {kind:'running'}. */
  behaviours?: Record<string, FakeConnectorBehaviour>
  /** Addition: behaviour for connectors not named in `behaviours` (handy for demo/bench). */
  defaultBehaviour?: FakeConnectorBehaviour
  /** PUT (or validate) with such a class -> 500 `{"error_code":500,"message":"Failed to find any class ..."}`. */
  rejectClasses?: (cls: string) => boolean
  /** 400 errors include the received config JSON in the message (for redaction tests). */
  echoConfigInErrors?: boolean
  /** Default false (the real API varies). */
  maskKafkaApiKey?: boolean
  /** More keys of type PASSWORD, masked like the built-in ones: the real API masks by the plugin's
   * declared type, not by the key's name (e.g. `connection.uri` of MongoDB connectors). */
  passwordKeys?: string[]
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
  /** Key of the HTTP Basic pair presented (never the secret). */
  apiKey?: string
  /** Parsed JSON body, or the raw text when not JSON; undefined when empty. */
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
