// One function per connect/v1 operation. Each returns a Reply; server.ts adds headers and writes it.
import { connectorType, isCustom, maskConfig } from './masking.js'
import { expandedView, infoView, statusView, type ExpandPart, type Store, type StoredConnector } from './state.js'
import { bodyShapeError, configErrors, invalidConfigMessage, lineToKeyError, outsideCheckLines, validateResponse } from './validation.js'
import type { FakeOptions } from './types.js'

export interface Reply {
  status: number
  /** Serialized as JSON unless undefined (empty body). */
  body?: unknown
}

export interface Ctx {
  method: string
  query: URLSearchParams
  rawBody: string
  contentType: string
  options: FakeOptions
  store: Store
  env: string
  cluster: string
  connectors: Map<string, StoredConnector>
  /** Decoded path parameter: connector name or plugin name. */
  param: string
  /** Second decoded path parameter (task id of a task restart), else ''. */
  param2: string
}

export const errorReply = (status: number, message: string): Reply => ({ status, body: { error: { code: status, message } } })
export const errorCodeReply = (status: number, message: string): Reply => ({ status, body: { error_code: status, message } })
/** The third shape, `{"errors":[{"status":"401","detail":"..."}]}` (status as a string): what a wrong Cloud API key gets. */
export const errorsReply = (status: number, detail: string): Reply => ({ status, body: { errors: [{ status: String(status), detail }] } })
const notFound = (): Reply => errorCodeReply(404, 'resource not found')

/** A 400 in the `{"error":{...}}` shape; with echoConfigInErrors the received JSON is appended. */
function badRequest(c: Ctx, message: string): Reply {
  const echo = c.options.echoConfigInErrors ? `\nReceived config: ${c.rawBody}` : ''
  return errorReply(400, message + echo)
}

function parseConfigBody(c: Ctx): { config: Record<string, string> } | { reply: Reply } {
  if (!/^application\/json\b/i.test(c.contentType)) {
    return { reply: errorCodeReply(415, 'HTTP 415 Unsupported Media Type') }
  }
  let body: unknown
  try {
    body = JSON.parse(c.rawBody)
  } catch {
    return { reply: badRequest(c, 'Invalid JSON in request body') }
  }
  const shapeError = bodyShapeError(body)
  if (shapeError) return { reply: badRequest(c, shapeError) }
  return { config: body as Record<string, string> }
}

function unknownClass(cls: string): Reply {
  return errorCodeReply(
    500,
    `Failed to find any class that implements Connector and which name matches ${cls}, available connectors are: ` +
      'PluginDesc{klass=class io.confluent.connect.datagen.DatagenConnector, name=DatagenSource, type=source}'
  )
}

export function listConnectors(c: Ctx): Reply {
  const parts = c.query
    .getAll('expand')
    .flatMap(v => v.split(','))
    .map(p => p.trim())
    .filter(p => p !== '')
  const names = [...c.connectors.keys()].sort()
  if (parts.length === 0) return { status: 200, body: names }
  const unknown = parts.find(p => p !== 'info' && p !== 'status' && p !== 'id')
  if (unknown) return errorReply(400, `Invalid expand value "${unknown}": must be any of id, info, status`)
  const wanted = new Set(parts as ExpandPart[])
  const out: Record<string, unknown> = {}
  for (const name of names) {
    const stored = c.connectors.get(name)!
    // api-notes: "a just-created connector can be missing from the list for a few seconds".
    if (c.store.inListLag(stored)) continue
    out[name] = expandedView(stored, c.store.live(stored), wanted, c.options)
  }
  return { status: 200, body: out }
}

function withConnector(c: Ctx, fn: (stored: StoredConnector) => Reply): Reply {
  const stored = c.connectors.get(c.param)
  return stored ? fn(stored) : notFound()
}

export const readConnector = (c: Ctx): Reply => withConnector(c, s => ({ status: 200, body: infoView(s, c.store.live(s), c.options) }))

export const readConfig = (c: Ctx): Reply => withConnector(c, s => ({ status: 200, body: maskConfig(s.config, c.options) }))

export const readStatus = (c: Ctx): Reply => withConnector(c, s => ({ status: 200, body: statusView(s, c.store.live(s)) }))

export const deleteConnector = (c: Ctx): Reply =>
  withConnector(c, () => {
    c.connectors.delete(c.param)
    return { status: 200, body: { error: null } }
  })

/** 202 now, PAUSED later (api-notes: "Pause and resume answer 202 and take effect later"). */
export const pauseConnector = (c: Ctx): Reply =>
  withConnector(c, s => {
    c.store.requestPause(s, true)
    return { status: 202 }
  })

export const resumeConnector = (c: Ctx): Reply =>
  withConnector(c, s => {
    c.store.requestPause(s, false)
    return { status: 202 }
  })

/** api-notes: "Restart exists although the spec omits it ... Both answer 400 while the connector is not
 * RUNNING (provisioning included)". Success: 202 without a body (the real code is not recorded). */
function restartReply(c: Ctx, s: StoredConnector, taskId?: number): Reply {
  const live = c.store.live(s)
  if (live.state !== 'RUNNING') return errorReply(400, `Connector ${s.name} cannot be restarted in state ${live.state}: it must be RUNNING`)
  if (taskId !== undefined && !live.tasks.some(t => t.id === taskId)) return notFound()
  c.store.restart(s, taskId)
  return { status: 202 }
}

export const restartConnector = (c: Ctx): Reply => withConnector(c, s => restartReply(c, s))

export const restartTask = (c: Ctx): Reply =>
  withConnector(c, s => (/^\d+$/.test(c.param2) ? restartReply(c, s, Number(c.param2)) : errorReply(400, `Invalid task id ${c.param2}`)))

/** Upsert: the body replaces the whole config; 200 for create and update alike. */
export function putConfig(c: Ctx): Reply {
  const parsed = parseConfigBody(c)
  if ('reply' in parsed) return parsed.reply
  const config = parsed.config
  const name = c.param
  if (config.name !== undefined && config.name !== name) {
    return badRequest(c, `Connector name in the request body ("${config.name}") does not match the name in the URL ("${name}")`)
  }
  const cls = config['connector.class']
  // api-notes: "CUSTOM connectors need connector.class although the spec says it is ignored for them".
  if (isCustom(config) && !cls?.trim()) return badRequest(c, 'connector.class value should not be empty')
  const errors = configErrors(config)
  const classMissing = errors.some(e => e.key === 'connector.class' || e.key === 'confluent.custom.plugin.id')
  if (!classMissing && cls && c.options.rejectClasses?.(cls)) return unknownClass(cls)
  if (errors.length > 0) return badRequest(c, invalidConfigMessage(errors))
  const isCreate = !c.connectors.has(name)
  if (isCreate && cls && c.options.endOfLifeClasses?.includes(cls)) {
    // api-notes: "403 answers a create of an end-of-life plugin".
    return errorReply(403, `Connector plugin ${cls} has reached End-of-Life and cannot be used for new connectors`)
  }
  const quota = c.options.connectorQuota
  if (isCreate && quota && c.connectors.size >= quota.limit) {
    // api-notes: "Quota exhaustion can come as a retryable status (a 5xx), not only as 402".
    return errorsReply(quota.status ?? 500, `Number of connectors in Kafka cluster ${c.cluster} is currently limited to ${quota.limit}`)
  }
  const outside = outsideCheckLines(name, config, c.options)
  if (outside.length > 0 && c.options.outsideChecks === 'reject-at-put') return badRequest(c, invalidConfigMessage(outside.map(lineToKeyError)))
  // Default: accept-then-FAIL (api-notes: "A 200 from the PUT does not mean the config is in force").
  const stored = c.store.upsert(c.env, c.cluster, name, config, outside)
  const live = c.store.live(stored)
  return {
    status: 200,
    body: {
      name,
      type: connectorType(stored.config),
      config: maskConfig(stored.config, c.options),
      tasks: live.tasks.map(t => ({ connector: name, task: t.id }))
    }
  }
}

export function validatePlugin(c: Ctx): Reply {
  const parsed = parseConfigBody(c)
  if ('reply' in parsed) return parsed.reply
  const rejected = [c.param, parsed.config['connector.class']].find(cls => cls && c.options.rejectClasses?.(cls))
  if (rejected) return unknownClass(rejected)
  return { status: 200, body: validateResponse(c.param, parsed.config, c.options) }
}
