// The HTTP server: logging, concurrency limit, latency, faults, rate limit, STS, auth, then routing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { Faults } from './faults.js'
import { errorCodeReply, errorReply, errorsReply, type Reply } from './handlers.js'
import { connectorType } from './masking.js'
import { RateLimiter, rateLimitHeaders } from './rate-limit.js'
import { route } from './routes.js'
import { Store } from './state.js'
import { loggableForm, STS_PATH, Sts } from './sts.js'
import type { FakeConfluent, FakeOptions, InjectedFault, RequestLogEntry } from './types.js'

const DEFAULT_CREDENTIALS = [{ key: 'test-key', secret: 'test-secret' }]
/** How long before an answer is due its timer fires; the rest is waited turn by turn (see deliver). */
const FINAL_STRETCH_MS = 1.5
const HTML_BODY = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>'

export async function startFakeConfluent(initial: FakeOptions = {}): Promise<FakeConfluent> {
  let options: FakeOptions = { ...initial }
  const store = new Store(() => options)
  const limiter = new RateLimiter()
  const sts = new Sts()
  let inFlight = 0
  const faults = new Faults()
  faults.configure(options.faults)
  const requests: RequestLogEntry[] = []
  const timers = new Set<NodeJS.Timeout>()
  const now = () => (options.now ?? Date.now)()

  const sleep = (ms: number) =>
    new Promise<void>(resolve => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.add(t)
    })

  // Latency (`latencyMs`): each answer leaves the fake `latencyMs` after its request arrived (real time),
  // however many requests arrived with it. The request is handled on arrival and its answer held until
  // then, as a server farm answers requests side by side; handling after the wait would queue a burst's
  // answers behind each other on this one thread and add the fake's own processing to every round.
  // Never earlier: a timer counts from the event loop's cached time, which a busy turn leaves behind.
  // Not much later either: on this 2-core VM a timer armed for the whole wait fired about 2 ms late (whole
  // milliseconds, then the kernel's wake-up), some 4% of a 50 ms latency on every round. So the timer is
  // armed FINAL_STRETCH_MS early and the last stretch is waited turn by turn (setImmediate, which still
  // lets arriving requests in): answers then left 0.6 ms after they were due at the median
  // (`scripts/bench/floor.ts` measures what this fake allows).
  const dueAt = new WeakMap<RequestLogEntry, number>()
  let closed = false
  const deliver = (entry: RequestLogEntry, write: () => void): void => {
    const wait = (dueAt.get(entry) ?? 0) - performance.now()
    if (wait <= 0 || closed) return write() // after close() the socket is gone: nothing to hold
    if (wait <= FINAL_STRETCH_MS) {
      setImmediate(() => deliver(entry, write))
      return
    }
    const t = setTimeout(() => {
      timers.delete(t)
      deliver(entry, write)
    }, wait - FINAL_STRETCH_MS)
    timers.add(t)
  }

  function send(
    res: ServerResponse,
    entry: RequestLogEntry,
    status: number,
    body: string,
    headers: Record<string, string> = {},
    contentType = 'application/json'
  ) {
    entry.status = status
    deliver(entry, () => {
      if (res.destroyed || res.writableEnded) return
      // With Content-Length (as the cloud's gateway sends it) the answer is one write, not chunks.
      const length = String(Buffer.byteLength(body))
      res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': length, 'X-Request-Id': randomUUID(), ...headers })
      res.end(body)
    })
  }
  const sendReply = (res: ServerResponse, entry: RequestLogEntry, reply: Reply, headers: Record<string, string> = {}) =>
    send(res, entry, reply.status, reply.body === undefined ? '' : JSON.stringify(reply.body), headers)
  const reset = (req: IncomingMessage, entry: RequestLogEntry) => {
    entry.status = 0
    deliver(entry, () => req.socket.destroy())
  }

  async function handle(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): Promise<void> {
    const { method, path: rawPath, query } = entry
    const url = req.url ?? '/'
    const creds = parseBasic(req.headers.authorization)
    const bearer = parseBearer(req.headers.authorization)
    if (creds) entry.apiKey = creds.key
    if (bearer !== undefined) entry.apiKey = 'bearer' // never the token
    const isSts = rawPath === STS_PATH
    const rawBody = await readBody(req)
    if (rawBody !== '') entry.body = isSts ? loggableForm(rawBody) : parseOrRaw(rawBody)
    // Concurrency limit (api-notes: "concurrency limits exist too"): checked on arrival; the 429 uses no rate budget.
    if (options.concurrencyLimit !== undefined && inFlight > options.concurrencyLimit) {
      const peek = rateLimitHeaders(limiter.peek(creds?.key ?? 'anonymous', options.rateLimit, now()))
      dueAt.delete(entry) // refused at once, before the latency
      return sendReply(res, entry, errorReply(429, 'Too many concurrent requests'), { ...peek, 'Retry-After': '1' })
    }

    const injected = faults.take(method, url)
    if (injected && injected.kind !== 'slow') return applyFault(req, res, entry, injected)
    if (injected?.kind === 'slow') {
      const delay = injected.delayMs ?? 1000
      const due = dueAt.get(entry)
      if (due !== undefined) dueAt.set(entry, due + delay) // on top of the latency, as before
      await sleep(delay)
    }
    const random = faults.roll()
    if (random === 'reset') return reset(req, entry)
    if (random === '503') return sendReply(res, entry, errorReply(503, 'Service Unavailable'))

    // Budget is per presented API key (unauthenticated requests share 'anonymous').
    const decision = limiter.take(
      bearer !== undefined ? `bearer:${sts.check(bearer, now()) ?? 'unknown'}` : (creds?.key ?? 'anonymous'),
      options.rateLimit,
      now()
    )
    const rlHeaders = rateLimitHeaders(decision)
    if (decision && !decision.allowed) return sendReply(res, entry, errorReply(429, 'Too Many Requests'), rlHeaders)

    if (isSts) {
      if (method !== 'POST') return sendReply(res, entry, errorCodeReply(405, 'HTTP 405 Method Not Allowed'), rlHeaders)
      return sendReply(res, entry, sts.exchange(rawBody, String(req.headers['content-type'] ?? ''), options.sts, now()), rlHeaders)
    }

    // HTTP Basic with a Cloud API key, or an STS access token (sts-token-exchange.md: "Calls then send
    // Authorization: Bearer <access_token> instead of HTTP Basic"). api-notes: a wrong key gets the errors[] shape.
    const accepted = options.credentials ?? DEFAULT_CREDENTIALS
    const basicOk = creds !== undefined && accepted.some(c => c.key === creds.key && c.secret === creds.secret)
    const bearerOk = bearer !== undefined && sts.check(bearer, now()) !== undefined
    if (!basicOk && !bearerOk) {
      const detail = bearer !== undefined ? 'The access token is invalid or has expired' : 'Unauthorized'
      const reply = options.authErrorShape === 'error' ? errorReply(401, detail) : errorsReply(401, detail)
      return sendReply(res, entry, reply, rlHeaders)
    }

    const reply = route({
      method,
      rawPath,
      query: new URLSearchParams(query),
      rawBody,
      contentType: String(req.headers['content-type'] ?? ''),
      options,
      store
    })
    sendReply(res, entry, reply, rlHeaders)
  }

  function applyFault(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, f: InjectedFault): void {
    if (f.kind === 'reset') return reset(req, entry)
    if (f.kind === 'non-json') return send(res, entry, f.status ?? 200, f.body ?? HTML_BODY, {}, 'text/html')
    const status = f.status ?? 500
    const body = f.body ?? JSON.stringify({ error: { code: status, message: 'Injected fault' } })
    send(res, entry, status, body)
  }

  const server = createServer((req, res) => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const entry: RequestLogEntry = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      status: 0,
      time: now()
    }
    requests.push(entry)
    if (options.latencyMs) dueAt.set(entry, performance.now() + options.latencyMs)
    inFlight++
    res.once('close', () => inFlight--)
    handle(req, res, entry).catch((err: unknown) => {
      send(res, entry, 500, JSON.stringify({ error_code: 500, message: `Fake server error: ${String(err)}` }))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addCluster: (env, cluster) => store.addCluster(env, cluster),
    seed: (env, cluster, name, config, opts) => store.seed(env, cluster, name, config, opts),
    connector(env, cluster, name) {
      const stored = store.cluster(env, cluster)?.get(name)
      if (!stored) return undefined
      const live = store.live(stored)
      return {
        id: stored.id,
        config: { ...stored.config },
        state: live.state,
        trace: live.trace,
        type: connectorType(stored.config),
        tasks: live.tasks.map(t => ({ ...t })),
        validationErrors: [...live.validationErrors]
      }
    },
    setOptions(patch) {
      options = { ...options, ...patch }
      if ('faults' in patch) faults.configure(options.faults)
      if ('rateLimit' in patch) limiter.reset()
    },
    inject: fault => faults.inject(fault),
    resetLog: () => void requests.splice(0, requests.length),
    close: () =>
      new Promise<void>((resolve, reject) => {
        closed = true
        for (const t of timers) clearTimeout(t)
        timers.clear()
        server.close(err => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      })
  }
}

function parseBasic(header: string | undefined): { key: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(header ?? '')
  if (!m) return undefined
  const decoded = Buffer.from(m[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) }
}

function parseBearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return m ? m[1] : undefined
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function parseOrRaw(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
