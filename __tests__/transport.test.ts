import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { collectHeaders, nodeTransport, TransportError } from '../src/http/transport.js'
import { proxyAgents } from '../src/action/proxy.js'
import { realClock } from '../src/http/clock.js'
import { RequestEngine } from '../src/http/request-engine.js'

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void

let server: http.Server
let base = ''
let connections = 0
const routes = new Map<string, Handler>()

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const handler = routes.get(new URL(req.url ?? '/', 'http://x').pathname)
      if (handler) handler(req, res, Buffer.concat(chunks).toString('utf8'))
      else res.writeHead(404).end()
    })
  })
  server.on('connection', () => connections++)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

const transport = nodeTransport()
const get = (path: string, timeoutMs = 5000) => transport({ method: 'GET', url: `${base}${path}`, headers: {}, timeoutMs })

describe('nodeTransport', () => {
  it('sends method, headers and body, and returns status, lower-cased headers and the body', async () => {
    routes.set('/echo', (req, res, body) => {
      res.writeHead(201, [
        ['X-Request-Id', 'req-1'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['X-Dup', 'one'],
        ['X-Dup', 'two'],
        ['Content-Type', 'application/json']
      ])
      res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization, length: req.headers['content-length'], body }))
    })
    const body = JSON.stringify({ name: 'café ☕', 'connector.class': 'X' })
    const res = await transport({ method: 'PUT', url: `${base}/echo?x=1`, headers: { Authorization: 'Basic abc' }, body, timeoutMs: 5000 })
    expect(res.status).toBe(201)
    expect(res.headers['x-request-id']).toBe('req-1')
    expect(res.headers['set-cookie']).toBe('a=1, b=2')
    expect(res.headers['x-dup']).toBe('one, two')
    expect(Object.keys(res.headers).every(k => k === k.toLowerCase())).toBe(true)
    expect(JSON.parse(res.body)).toEqual({ method: 'PUT', auth: 'Basic abc', length: String(Buffer.byteLength(body)), body })
  })

  it('resolves on error statuses: only network failures reject', async () => {
    routes.set('/fail', (_req, res) => res.writeHead(503, { 'Retry-After': '3' }).end('<html>busy</html>'))
    const res = await get('/fail')
    expect(res).toMatchObject({ status: 503, body: '<html>busy</html>' })
    expect(res.headers['retry-after']).toBe('3')
  })

  it('reuses connections (keep-alive)', async () => {
    routes.set('/ok', (_req, res) => res.end('ok'))
    await get('/ok')
    const before = connections
    for (let i = 0; i < 3; i++) expect((await get('/ok')).body).toBe('ok')
    expect(connections).toBe(before)
  })

  it('rejects with code ECONNRESET when the server drops the connection before answering', async () => {
    routes.set('/reset', req => req.socket.destroy())
    const err = await get('/reset').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransportError)
    expect(err).toMatchObject({ code: 'ECONNRESET' })
    // The request engine names the request (request-engine.test); the transport's message does not repeat it.
    expect((err as Error).message).not.toContain('/reset')
  })

  it('rejects with ECONNRESET when the connection drops in the middle of the body', async () => {
    routes.set('/partial', (req, res) => {
      res.writeHead(200, { 'Content-Length': '100' })
      res.write('{"half":', () => setTimeout(() => req.socket.destroy(), 20))
    })
    await expect(get('/partial')).rejects.toMatchObject({ code: 'ECONNRESET' })
  })

  it('rejects with ETIMEDOUT after timeoutMs, for a silent server and for a trickling one', async () => {
    routes.set('/silent', () => undefined)
    routes.set('/trickle', (_req, res) => {
      res.writeHead(200)
      const t = setInterval(() => (res.writableEnded || res.destroyed ? clearInterval(t) : res.write('.')), 20)
      res.on('close', () => clearInterval(t))
    })
    await expect(get('/silent', 150)).rejects.toMatchObject({ code: 'ETIMEDOUT' })
    await expect(get('/trickle', 150)).rejects.toMatchObject({ code: 'ETIMEDOUT' })
    // The transport still works afterwards.
    expect((await get('/ok')).status).toBe(200)
  })

  it('keeps the code of a refused connection and of a DNS failure', async () => {
    const closed = http.createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise(resolve => closed.close(resolve))
    await expect(transport({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {}, timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'ECONNREFUSED'
    })
    // A resolver that fails like getaddrinfo, so no DNS query leaves the machine.
    const lookup = (_h: string, _o: unknown, cb: (err: Error) => void): void =>
      cb(Object.assign(new Error('getaddrinfo ENOTFOUND api.invalid'), { code: 'ENOTFOUND' }))
    const noDns = nodeTransport({ agentOptions: { lookup } as never })
    await expect(noDns({ method: 'GET', url: 'http://api.invalid/', headers: {}, timeoutMs: 5000 })).rejects.toMatchObject({ code: 'ENOTFOUND' })
  })

  it('rejects a URL it cannot send without leaking it into the message', async () => {
    const bad = await transport({ method: 'GET', url: 'not a url', headers: {}, timeoutMs: 100 }).catch((e: Error) => e)
    expect(bad).toMatchObject({ code: 'ERR_INVALID_URL' })
    expect((bad as Error).message).not.toContain('not a url')
    await expect(transport({ method: 'GET', url: 'ftp://127.0.0.1/', headers: {}, timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_INVALID_PROTOCOL' })
  })
})

describe('nodeTransport through a proxy', () => {
  it('sends through https_proxy/http_proxy (CONNECT tunnel), but never for loopback (no_proxy is left to @actions/http-client)', async () => {
    routes.set('/via-proxy', (_req, res) => void res.writeHead(200).end('tunnelled'))
    const target = new URL(base)
    const tunnels: string[] = []
    // A minimal CONNECT proxy on 127.0.0.1 that sends every tunnel to the local test server.
    const proxy = http.createServer((_req, res) => void res.writeHead(405).end())
    proxy.on('connect', (req, socket) => {
      tunnels.push(req.url ?? '')
      const upstream = net.connect(Number(target.port), '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(socket)
        socket.pipe(upstream)
      })
      upstream.on('error', () => socket.destroy())
      socket.on('error', () => upstream.destroy())
    })
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
    const saved = { http_proxy: process.env.http_proxy }
    process.env.http_proxy = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    try {
      const t = nodeTransport({ proxyAgentFor: proxyAgents() })
      // A name that only the proxy can reach: no DNS lookup happens on this side.
      const res = await t({ method: 'GET', url: 'http://api.connectors.test/via-proxy', headers: {}, timeoutMs: 5000 })
      expect(res.body).toBe('tunnelled')
      expect(tunnels).toEqual(['api.connectors.test:80'])
      // Loopback is never proxied.
      expect((await t({ method: 'GET', url: `${base}/via-proxy`, headers: {}, timeoutMs: 5000 })).body).toBe('tunnelled')
      expect(tunnels).toHaveLength(1)
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
      proxy.closeAllConnections()
      await new Promise(resolve => proxy.close(resolve))
    }
  })
})

describe('proxyAgents', () => {
  it('decides once per origin: one agent for every path of a proxied origin, none for loopback or no_proxy hosts', () => {
    const saved = { http_proxy: process.env.http_proxy, no_proxy: process.env.no_proxy }
    process.env.http_proxy = 'http://127.0.0.1:3128'
    process.env.no_proxy = 'direct.test'
    try {
      const agentFor = proxyAgents()
      const a = agentFor('http://api.connectors.test/connect/v1/a')
      expect(a).toBeDefined()
      expect(agentFor('http://api.connectors.test/connect/v1/b?x=1')).toBe(a)
      expect(agentFor('http://127.0.0.1:8080/connect/v1/a')).toBeUndefined()
      expect(agentFor('http://direct.test/connect/v1/a')).toBeUndefined()
      // Another host behind the same proxy is its own origin, decided on its own.
      expect(agentFor('http://other.connectors.test/x')).toBeDefined()
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
  })
})

describe('collectHeaders', () => {
  it('lower-cases names and joins repeated ones', () => {
    expect(collectHeaders(['X-A', '1', 'x-a', '2', 'Content-Type', 'text/plain'])).toEqual({ 'x-a': '1, 2', 'content-type': 'text/plain' })
  })
})

describe('network errors behind the request engine', () => {
  it('name the request once: method and path from the engine, the reason from the transport', async () => {
    const closed = http.createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise(resolve => closed.close(resolve))
    const logger = {
      info: () => undefined,
      warning: () => undefined,
      error: () => undefined,
      debug: () => undefined,
      group: <T>(_: string, fn: () => Promise<T>) => fn()
    }
    const engine = new RequestEngine({ transport: nodeTransport(), clock: realClock, logger, maxConcurrency: 1, maxRetries: 0, requestTimeoutMs: 5000 })
    const err = await engine.send({ method: 'GET', url: `http://127.0.0.1:${port}/connect/v1/x?y=1` }).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'NetworkError', code: 'ECONNREFUSED' })
    const message = (err as Error).message
    expect(message).toMatch(/^GET \/connect\/v1\/x\?y=1: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(gave up after 1 attempt\)$/)
    expect(message.split('/connect/v1/x').length - 1).toBe(1)
  })
})
