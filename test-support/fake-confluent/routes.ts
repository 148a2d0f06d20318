// Maps a request path to a handler under /connect/v1/environments/{env}/clusters/{cluster}.
import {
  deleteConnector,
  errorCodeReply,
  errorReply,
  listConnectors,
  pauseConnector,
  putConfig,
  readConfig,
  readConnector,
  readStatus,
  restartConnector,
  restartTask,
  resumeConnector,
  validatePlugin,
  type Ctx,
  type Reply
} from './handlers.js'
import type { Store } from './state.js'
import type { FakeOptions } from './types.js'

type Handler = (c: Ctx) => Reply

const ROUTES: { pattern: string[]; methods: Record<string, Handler> }[] = [
  { pattern: ['connectors'], methods: { GET: listConnectors } },
  { pattern: ['connectors', ':param'], methods: { GET: readConnector, DELETE: deleteConnector } },
  { pattern: ['connectors', ':param', 'config'], methods: { GET: readConfig, PUT: putConfig } },
  { pattern: ['connectors', ':param', 'status'], methods: { GET: readStatus } },
  { pattern: ['connectors', ':param', 'pause'], methods: { PUT: pauseConnector } },
  { pattern: ['connectors', ':param', 'resume'], methods: { PUT: resumeConnector } },
  // Not in the spec (api-notes: "Restart exists although the spec omits it").
  { pattern: ['connectors', ':param', 'restart'], methods: { POST: restartConnector } },
  { pattern: ['connectors', ':param', 'tasks', ':param2', 'restart'], methods: { POST: restartTask } },
  { pattern: ['connector-plugins', ':param', 'config', 'validate'], methods: { PUT: validatePlugin } }
]

export interface RouteInput {
  method: string
  /** Raw (encoded) path, without the query. */
  rawPath: string
  query: URLSearchParams
  rawBody: string
  contentType: string
  options: FakeOptions
  store: Store
}

/** Splits on '/' first, then URL-decodes each segment (so `orders%20sink%2F1` is one name). */
function segments(rawPath: string): string[] | undefined {
  try {
    return rawPath
      .split('/')
      .slice(1)
      .map(s => decodeURIComponent(s))
  } catch {
    return undefined
  }
}

export function route(input: RouteInput): Reply {
  const s = segments(input.rawPath)
  if (!s) return errorReply(400, 'Malformed URL encoding in path')
  const isPrefix = s.length >= 7 && s[0] === 'connect' && s[1] === 'v1' && s[2] === 'environments' && s[4] === 'clusters'
  if (!isPrefix) return errorCodeReply(404, 'HTTP 404 Not Found')
  const [env, cluster] = [s[3], s[5]]
  const rest = s.slice(6)
  const found = ROUTES.find(r => r.pattern.length === rest.length && r.pattern.every((p, i) => (p.startsWith(':') ? rest[i] !== '' : p === rest[i])))
  if (!found) return errorCodeReply(404, 'HTTP 404 Not Found')
  const handler = found.methods[input.method]
  if (!handler) return errorCodeReply(405, 'HTTP 405 Method Not Allowed')
  if (!input.store.hasEnv(env)) return errorCodeReply(404, `Environment '${env}' not found`)
  const connectors = input.store.cluster(env, cluster)
  if (!connectors) return errorCodeReply(404, `Kafka cluster '${cluster}' not found in environment '${env}'`)
  const param = rest[found.pattern.indexOf(':param')] ?? ''
  const param2 = rest[found.pattern.indexOf(':param2')] ?? ''
  return handler({ ...input, env, cluster, connectors, param, param2 })
}
