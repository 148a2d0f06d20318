// One function per connect/v1 operation. Each returns a Reply; server.ts adds headers and writes it.
import { connectorType, maskConfig } from './masking.js'
import { expandedView, infoView, statusView, type ExpandPart, type Store, type StoredConnector } from './state.js'
import { bodyShapeError, configErrors, invalidConfigMessage, validateResponse } from './validation.js'
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
}

export const errorReply = (status: number, message: string): Reply => ({ status, body: { error: { code: status, message } } })
export const errorCodeReply = (status: number, message: string): Reply => ({ status, body: { error_code: status, message } })
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

const masked = (c: Ctx) => c.options.maskKafkaApiKey ?? false
const extra = (c: Ctx): readonly string[] => c.options.passwordKeys ?? []

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
    out[name] = expandedView(stored, c.store.live(stored), wanted, masked(c), extra(c))
  }
  return { status: 200, body: out }
}

function withConnector(c: Ctx, fn: (stored: StoredConnector) => Reply): Reply {
  const stored = c.connectors.get(c.param)
  return stored ? fn(stored) : notFound()
}

export const readConnector = (c: Ctx): Reply => withConnector(c, s => ({ status: 200, body: infoView(s, c.store.live(s), masked(c), extra(c)) }))

export const readConfig = (c: Ctx): Reply => withConnector(c, s => ({ status: 200, body: maskConfig(s.config, masked(c), extra(c)) }))

export const readStatus = (c: Ctx): Reply => withConnector(c, s => ({ status: 200, body: statusView(s, c.store.live(s)) }))

export const deleteConnector = (c: Ctx): Reply =>
  withConnector(c, () => {
    c.connectors.delete(c.param)
    return { status: 200, body: { error: null } }
  })

export const pauseConnector = (c: Ctx): Reply =>
  withConnector(c, s => {
    s.paused = true
    return { status: 202 }
  })

export const resumeConnector = (c: Ctx): Reply =>
  withConnector(c, s => {
    s.paused = false
    return { status: 202 }
  })

/** Upsert: the body replaces the whole config; 200 for create and update alike. */
export function putConfig(c: Ctx): Reply {
  const parsed = parseConfigBody(c)
  if ('reply' in parsed) return parsed.reply
  const config = parsed.config
  const name = c.param
  if (config.name !== undefined && config.name !== name) {
    return badRequest(c, `Connector name in the request body ("${config.name}") does not match the name in the URL ("${name}")`)
  }
  const errors = configErrors(config, extra(c))
  const cls = config['connector.class']
  const classMissing = errors.some(e => e.key === 'connector.class' || e.key === 'confluent.custom.plugin.id')
  if (!classMissing && cls && c.options.rejectClasses?.(cls)) return unknownClass(cls)
  if (errors.length > 0) return badRequest(c, invalidConfigMessage(errors))
  const stored = c.store.upsert(c.env, c.cluster, name, config)
  const live = c.store.live(stored)
  return {
    status: 200,
    body: {
      name,
      type: connectorType(stored.config),
      config: maskConfig(stored.config, masked(c), extra(c)),
      tasks: live.tasks.map(t => ({ connector: name, task: t.id }))
    }
  }
}

export function validatePlugin(c: Ctx): Reply {
  const parsed = parseConfigBody(c)
  if ('reply' in parsed) return parsed.reply
  const rejected = [c.param, parsed.config['connector.class']].find(cls => cls && c.options.rejectClasses?.(cls))
  if (rejected) return unknownClass(rejected)
  return { status: 200, body: validateResponse(c.param, parsed.config, extra(c)) }
}
