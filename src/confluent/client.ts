// The Confluent Cloud connect/v1 calls this action makes (the ConfluentApi port), on top of the request
// engine. Parses responses leniently (the real API adds fields the spec lacks) and turns error bodies
// into ApiError (api-error.ts).
import type { ConfluentApi, HttpRequest, HttpResponse, LiveConnector, PutResult, Target, TaskInfo, ValidationOutcome } from '../model/types.js'
import { ApiError, RateLimitedError } from '../model/errors.js'
import { readRateLimitHeaders } from '../http/rate-limit-headers.js'
import type { SendRequest } from '../http/request-engine.js'
import { errorMessage } from './api-error.js'

/** What the client needs of the request engine (RequestEngine.send). */
export interface Requester {
  send(req: SendRequest, opts?: { deadline?: number }): Promise<HttpResponse>
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
    else if (val !== null && val !== undefined) out[k] = JSON.stringify(val) // a value parsed from JSON: number, boolean, array or object
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
  // `validation_errors`: an array of strings (api-notes.md, "Status extras"); read at either level.
  const rawErrors = Array.isArray(status.validation_errors)
    ? status.validation_errors
    : Array.isArray(connector.validation_errors)
      ? connector.validation_errors
      : []
  const validationErrors = rawErrors.filter((v): v is string => typeof v === 'string' && v !== '')
  return {
    name,
    id: str(record(e.id).id),
    type: str(info.type) ?? str(status.type),
    config: stringConfig(info.config),
    state: str(connector.state),
    ...(trace ? { trace } : {}),
    tasks: parseTasks(status.tasks, info.tasks),
    ...(validationErrors.length > 0 ? { validationErrors } : {})
  }
}

/**
 * Resolves in the event loop's check phase (setImmediate), i.e. after every I/O callback already due
 * has run. See ConfluentClient.call for why.
 */
export const afterPendingIo = (): Promise<void> => new Promise<void>(resolve => setImmediate(resolve))

export class ConfluentClient implements ConfluentApi {
  constructor(
    private readonly requester: Requester,
    private readonly apiUrl: string,
    /** Applied to every text taken from a response before it goes into an error. */
    private readonly redact: (text: string) => string = t => t,
    /**
     * Awaited between a response and the work on it (default afterPendingIo). Issue 16: the responses of
     * a round of `max-concurrency` requests arrive together; by the time this resolves, the engine has
     * already handed each freed slot to the next queued request and those requests are written, so
     * parsing, secret registration and progress logging run while they are in flight instead of
     * delaying them. Only when the work happens changes, not what it does.
     */
    private readonly settle: () => Promise<void> = afterPendingIo
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
    await this.settle()
    if (res.status === 429) throw new RateLimitedError(errorMessage(res, this.redact), res.headers['x-request-id'], readRateLimitHeaders(res).retryAfterMs)
    if (res.status < 200 || res.status > 299) {
      throw new ApiError(res.status, errorMessage(res, this.redact), res.headers['x-request-id'])
    }
    return res
  }

  /** One call for the whole cluster: every connector with its config, status and id. No retry or
   * rate-limit wait goes past `deadline` (the wait for RUNNING uses it). Throws an ApiError for an answer
   * of another shape than the spec's (an object by name, or an array of names): read as an empty
   * cluster, it would plan every connector as a create (product.md step 3: never a plan to create from
   * a list that failed). An empty array stays an empty cluster, as the API answers without expand. */
  async list(t: Target, expand = 'info,status,id', deadline?: number): Promise<Map<string, LiveConnector>> {
    const res = await this.call('GET', `${this.base(t)}/connectors?expand=${expand}`, undefined, deadline)
    const body = parseJson(res)
    const out = new Map<string, LiveConnector>()
    const malformed = (): ApiError =>
      new ApiError(res.status, 'the list of connectors is neither an object by name nor an array of names', res.headers['x-request-id'])
    if (Array.isArray(body)) {
      // Without expand the API answers with names only.
      for (const name of body) {
        if (typeof name !== 'string') throw malformed()
        out.set(name, { name, config: {}, tasks: [] })
      }
      return out
    }
    if (!body || typeof body !== 'object') throw malformed()
    for (const [name, entry] of Object.entries(body as Record<string, unknown>)) out.set(name, parseLiveConnector(name, entry))
    return out
  }

  async putConfig(t: Target, name: string, config: Record<string, string>): Promise<PutResult> {
    const res = await this.call('PUT', `${this.connectorUrl(t, name)}/config`, config)
    const body = record(parseJson(res))
    return { type: str(body.type), tasks: parseTasks(undefined, body.tasks), config: stringConfig(body.config) }
  }

  private connectorUrl(t: Target, name: string): string {
    return `${this.base(t)}/connectors/${encodeURIComponent(name)}`
  }

  async pause(t: Target, name: string): Promise<void> {
    await this.call('PUT', `${this.connectorUrl(t, name)}/pause`)
  }

  async resume(t: Target, name: string): Promise<void> {
    await this.call('PUT', `${this.connectorUrl(t, name)}/resume`)
  }

  async remove(t: Target, name: string): Promise<boolean> {
    try {
      await this.call('DELETE', this.connectorUrl(t, name))
      return true
    } catch (err) {
      // Already gone is not an error (product.md: prune).
      if (err instanceof ApiError && err.status === 404) return false
      throw err
    }
  }

  async restartTask(t: Target, name: string, taskId: number, deadline?: number): Promise<void> {
    await this.call('POST', `${this.connectorUrl(t, name)}/tasks/${taskId}/restart`, undefined, deadline)
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
