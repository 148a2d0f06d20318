// Typed values that flow one way through the pipeline:
// discover -> parse -> substitute -> validate -> plan -> apply -> (wait) -> report.
// Nothing here knows about @actions/*.

/** A problem found in a file before any request is sent. Line numbers are 1-based. */
export interface Problem {
  file: string // path relative to the workspace, forward slashes
  line?: number
  column?: number
  message: string // must never contain a secret value
}

/** Where a value came from in its file, so errors and annotations land on the right line. */
export interface Location {
  line: number
  column: number
}

/** One connector document as parsed from a file, before placeholders are filled in. */
export interface RawConnector {
  file: string // relative to the workspace
  /** 0-based index of the document inside the file (array element or YAML document). */
  index: number
  /** Line of the document's start. */
  line: number
  name?: string
  /** From a wrapped document's `environment_id` / `kafka_cluster_id`. */
  environmentId?: string
  kafkaClusterId?: string
  /** Config values, already converted to strings. Insertion order is the file's order. */
  config: Record<string, string>
  /** Line/column of each config key (and of `name` under the key "name"). */
  locations: Record<string, Location>
}

/** A connector ready to be planned: placeholders filled in, credentials completed, target known. */
export interface ConnectorSpec {
  name: string
  file: string
  line: number
  environmentId: string
  kafkaClusterId: string
  /** The exact PUT body. Includes `name`. */
  config: Record<string, string>
  locations: Record<string, Location>
  /** Config keys whose value came (wholly or partly) from `secrets` or a secret input. */
  sensitiveKeys: string[]
}

export type Target = { environmentId: string; kafkaClusterId: string }

export function targetKey(t: Target): string {
  return `${t.environmentId}/${t.kafkaClusterId}`
}

export interface TaskInfo {
  id: number
  state?: string
  trace?: string
}

/** What the list call (`?expand=info,status,id`) tells about one existing connector. */
export interface LiveConnector {
  name: string
  id?: string
  type?: string
  config: Record<string, string>
  state?: string
  trace?: string
  tasks: TaskInfo[]
}

export type PlannedAction = 'create' | 'update' | 'unchanged'

export interface KeyChange {
  key: string
  kind: 'added' | 'changed' | 'removed' | 'secret-unknown'
  /** Undefined when sensitive: the value must never be shown. */
  before?: string
  after?: string
  sensitive: boolean
}

export interface PlanItem {
  spec: ConnectorSpec
  action: PlannedAction
  live?: LiveConnector
  changes: KeyChange[]
  /** Validation errors from the validate endpoint (dry run), keyed by config key ('' for general). */
  validationErrors?: { key: string; message: string }[]
}

export interface Plan {
  items: PlanItem[]
  /** Targets whose list call failed: every connector there is failed. */
  failedTargets: { target: Target; error: string }[]
}

export type ResultAction = 'created' | 'updated' | 'unchanged' | 'failed' | 'create' | 'update'

export interface Result {
  name: string
  file: string
  environment_id: string
  kafka_cluster_id: string
  action: ResultAction
  /** What was intended before a failure ('create' | 'update' | 'unchanged'). */
  planned?: PlannedAction
  type: string
  tasks: TaskInfo[]
  state: string
  error: string
  changes: KeyChange[]
  validationErrors?: { key: string; message: string }[]
  line: number
}

/** Logger handed to the core. `main.ts` maps it to @actions/core; tests capture it. */
export interface Logger {
  info(message: string): void
  warning(message: string, where?: { file?: string; line?: number }): void
  error(message: string, where?: { file?: string; line?: number }): void
  debug(message: string): void
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
}

/** Injected time: production uses the real clock, tests a virtual one. */
export interface Clock {
  now(): number // milliseconds
  sleep(ms: number): Promise<void>
}

export interface HttpRequest {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE'
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
}

export interface HttpResponse {
  status: number
  /** Header names lower-cased. */
  headers: Record<string, string>
  body: string
}

/** Sends one request. Rejects only on network-level failures (reset, DNS, timeout). */
export type Transport = (req: HttpRequest) => Promise<HttpResponse>

/** Everything the core needs from the action's inputs, already validated. */
export interface Settings {
  workspace: string
  files: string[]
  apiKey: string
  apiSecret: string
  environmentId: string
  kafkaClusterId: string
  kafkaApiKey: string
  kafkaApiSecret: string
  secrets: Record<string, string>
  vars: Record<string, string>
  dryRun: boolean
  validate: boolean
  force: boolean
  wait: boolean
  waitTimeoutSeconds: number
  maxConcurrency: number
  maxRetries: number
  apiUrl: string
  failOnEmpty: boolean
  requestTimeoutMs: number
  userAgent: string
}
