// The Confluent Cloud connect/v1 calls this action makes, on top of the request engine.
// Parses responses leniently (the real API adds fields the spec lacks) and turns error bodies of
// both shapes into ApiError with status, message and request id.
import type { HttpRequest, HttpResponse, LiveConnector, Target, TaskInfo } from './types.js'

export interface Requester {
  send(
    req: { method: HttpRequest['method']; url: string; headers?: Record<string, string>; body?: string },
    opts?: { deadline?: number }
  ): Promise<HttpResponse>
}

export const MASK = '****************'

/** The real API answers an unknown `connector.class` with a 500 that no retry will change. */
export function isPermanentServerError(res: HttpResponse): boolean {
  return res.status === 500 && /Failed to find any class that implements Connector/i.test(res.body)
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly apiMessage: string,
    readonly requestId: string | undefined
  ) {
    super(`HTTP ${status}: ${apiMessage}${requestId ? ` (request id ${requestId})` : ''}`)
    this.name = 'ApiError'
  }
}

/** Reads `{"error":{"code","message"}}` and `{"error_code","message"}`; falls back to the body's text.
 * `redact` is applied before anything is stripped or cut: cutting could split a secret so that the
 * redactor no longer recognises it. */
export function errorMessage(res: HttpResponse, redact: (text: string) => string = t => t): string {
  try {
    const body = JSON.parse(res.body) as Record<string, unknown>
    const nested = body.error as Record<string, unknown> | undefined
    if (nested && typeof nested === 'object' && typeof nested.message === 'string') return redact(nested.message)
    if (typeof body.message === 'string') return redact(body.message)
  } catch {
    // not JSON: an HTML error page from a proxy or load balancer
  }
  const text = redact(res.body)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  const short = text.length > 200 ? `${text.slice(0, 200)}…` : text
  return short ? `unexpected response: ${short}` : 'no error message in the response'
}

function parseJson(res: HttpResponse): unknown {
  try {
    return JSON.parse(res.body)
  } catch {
    throw new ApiError(res.status, 'the response body is not JSON', res.headers['x-request-id'])
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}

function stringConfig(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, val] of Object.entries(record(v))) {
    if (typeof val === 'string') out[k] = val
    else if (val !== null && val !== undefined) out[k] = String(val)
  }
  return out
}

/** Tasks from a status object (`tasks: [{id, state, msg}]`) or an info object (`tasks: [{task}]`). */
export function parseTasks(statusTasks: unknown, infoTasks: unknown): TaskInfo[] {
  if (Array.isArray(statusTasks) && statusTasks.length > 0) {
    return statusTasks.map((t, i) => {
      const r = record(t)
      const id = typeof r.id === 'number' ? r.id : i
      const msg = str(r.msg) || str(r.trace)
      return { id, state: str(r.state), ...(msg ? { trace: msg } : {}) }
    })
  }
  if (Array.isArray(infoTasks)) {
    return infoTasks.map((t, i) => {
      const r = record(t)
      return { id: typeof r.task === 'number' ? r.task : i }
    })
  }
  return []
}

export function parseLiveConnector(name: string, entry: unknown): LiveConnector {
  const e = record(entry)
  const info = record(e.info)
  const status = record(e.status)
  const connector = record(status.connector)
  const trace = str(connector.trace)
  return {
    name,
    id: str(record(e.id).id),
    type: str(info.type) ?? str(status.type),
    config: stringConfig(info.config),
    state: str(connector.state),
    ...(trace ? { trace } : {}),
    tasks: parseTasks(status.tasks, info.tasks)
  }
}

export interface PutResult {
  type?: string
  tasks: TaskInfo[]
  config: Record<string, string>
}

export interface ValidationOutcome {
  errors: { key: string; message: string }[]
  passwordKeys: string[]
}

export class ConfluentClient {
  constructor(
    private readonly requester: Requester,
    private readonly apiUrl: string,
    /** Applied to every text taken from a response before it goes into an error. */
    private readonly redact: (text: string) => string = t => t
  ) {}

  private base(t: Target): string {
    return `${this.apiUrl}/connect/v1/environments/${encodeURIComponent(t.environmentId)}/clusters/${encodeURIComponent(t.kafkaClusterId)}`
  }

  private async call(method: HttpRequest['method'], url: string, body?: unknown, deadline?: number): Promise<HttpResponse> {
    const res = await this.requester.send(
      {
        method,
        url,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
      },
      deadline === undefined ? {} : { deadline }
    )
    if (res.status < 200 || res.status > 299) {
      throw new ApiError(res.status, errorMessage(res, this.redact), res.headers['x-request-id'])
    }
    return res
  }

  /** One call for the whole cluster: every connector with its config, status and id. No retry or
   * rate-limit wait goes past `deadline` (the wait for RUNNING uses it). */
  async list(t: Target, expand = 'info,status,id', deadline?: number): Promise<Map<string, LiveConnector>> {
    const res = await this.call('GET', `${this.base(t)}/connectors?expand=${expand}`, undefined, deadline)
    const body = parseJson(res)
    const out = new Map<string, LiveConnector>()
    if (Array.isArray(body)) {
      // Without expand the API answers with names only.
      for (const name of body) if (typeof name === 'string') out.set(name, { name, config: {}, tasks: [] })
      return out
    }
    for (const [name, entry] of Object.entries(record(body))) out.set(name, parseLiveConnector(name, entry))
    return out
  }

  async putConfig(t: Target, name: string, config: Record<string, string>): Promise<PutResult> {
    const res = await this.call('PUT', `${this.base(t)}/connectors/${encodeURIComponent(name)}/config`, config)
    const body = record(parseJson(res))
    return { type: str(body.type), tasks: parseTasks(undefined, body.tasks), config: stringConfig(body.config) }
  }

  async validate(t: Target, plugin: string, config: Record<string, string>): Promise<ValidationOutcome> {
    const url = `${this.base(t)}/connector-plugins/${encodeURIComponent(plugin)}/config/validate`
    const body = record(parseJson(await this.call('PUT', url, config)))
    const errors: ValidationOutcome['errors'] = []
    const passwordKeys: string[] = []
    for (const c of Array.isArray(body.configs) ? body.configs : []) {
      const def = record(record(c).definition)
      const value = record(record(c).value)
      const key = str(def.name) ?? str(value.name) ?? ''
      if (def.type === 'PASSWORD' && key) passwordKeys.push(key)
      for (const msg of Array.isArray(value.errors) ? value.errors : []) {
        if (typeof msg === 'string' && msg) errors.push({ key, message: msg })
      }
    }
    return { errors, passwordKeys }
  }
}
