import type { Target } from './connector.js'
import type { LiveConnector, PutResult, ValidationOutcome } from './live.js'

// The ports the core is handed: time, HTTP and logging. Production implementations live in src/http/
// and src/action/; tests hand in a virtual clock, the fake Confluent Cloud and a capturing logger.

/** Logger handed to the core. src/action/logger.ts maps it to @actions/core; tests capture it.
 * Every text passed in may hold file or server text: the implementation escapes and redacts it. */
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

/**
 * The Confluent Cloud connect/v1 operations the stages call (src/confluent/client.ts implements it over
 * the request engine). Every method rejects with an ApiError (HTTP status, the API's message, request id)
 * or a network error once retries are spent; `deadline` (clock ms) bounds retries and waits.
 */
export interface ConfluentApi {
  /** `GET .../connectors?expand=...`: every connector of the cluster by name. */
  list(t: Target, expand?: string, deadline?: number): Promise<Map<string, LiveConnector>>
  /** `PUT .../connectors/{name}/config`: create or update. */
  putConfig(t: Target, name: string, config: Record<string, string>): Promise<PutResult>
  /** `PUT .../connector-plugins/{class}/config/validate`. */
  validate(t: Target, plugin: string, config: Record<string, string>): Promise<ValidationOutcome>
  /** `PUT .../connectors/{name}/pause` (202, acts later). */
  pause(t: Target, name: string): Promise<void>
  /** `PUT .../connectors/{name}/resume` (202, acts later). */
  resume(t: Target, name: string): Promise<void>
  /** `DELETE .../connectors/{name}`; resolves `false` when it was already gone (404). */
  remove(t: Target, name: string): Promise<boolean>
  /** `POST .../connectors/{name}/tasks/{id}/restart` (api-notes.md: 400 unless RUNNING). */
  restartTask(t: Target, name: string, taskId: number, deadline?: number): Promise<void>
}
