// Bounds (issue 12 items 6 and 8): response bodies are capped in the transport, gzip bodies without
// Content-Encoding are read, and error text is cut before any regex and cleaned up in linear time.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import zlib from 'node:zlib'
import { BODY_TOO_LARGE, decodeBody, nodeTransport } from '../src/http/transport.js'
import { RequestEngine } from '../src/http/request-engine.js'
import { realClock } from '../src/http/clock.js'
import { errorMessage, isPermanentServerError, isQuotaError, MAX_API_MESSAGE_CHARS, MAX_EXCERPT_CHARS, stripTags } from '../src/confluent/api-error.js'
import { capture } from '../test-support/capture-logger.js'

let server: http.Server
let base = ''
let bytesWritten = 0
const routes = new Map<string, (res: http.ServerResponse) => void>()

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const h = routes.get(req.url ?? '')
    if (h) h(res)
    else res.writeHead(404).end()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

const MiB = 1024 * 1024

describe('transport body cap', () => {
  const transport = nodeTransport({ maxBodyBytes: MiB })
  const get = (path: string) => transport({ method: 'GET', url: `${base}${path}`, headers: {}, timeoutMs: 10_000 })

  it('returns a body at the cap', async () => {
    routes.set('/at-cap', res => res.writeHead(200).end('x'.repeat(MiB)))
    expect((await get('/at-cap')).body.length).toBe(MiB)
  })

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    // Declares 600 MiB (more than a string can hold) and sends only the first MiB: never buffered.
    routes.set('/declared', res => {
      res.writeHead(200, { 'content-length': String(600 * MiB) })
      res.write(Buffer.alloc(MiB))
    })
    await expect(get('/declared')).rejects.toMatchObject({ code: BODY_TOO_LARGE, message: expect.stringContaining(`of ${600 * MiB} bytes`) })
  })

  it('abandons an endless chunked body once past the cap, and closes the connection', async () => {
    bytesWritten = 0
    let hungUp = false
    routes.set('/endless', res => {
      res.on('close', () => (hungUp = !res.writableFinished))
      res.writeHead(200, { 'content-type': 'text/plain' })
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      const pump = (): void => {
        // Bounded on the server side too: stops after 64 MiB if the client never hangs up.
        while (bytesWritten < 64 * MiB && !res.destroyed) {
          bytesWritten += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        if (!res.destroyed) res.end()
      }
      pump()
    })
    await expect(get('/endless')).rejects.toMatchObject({ code: BODY_TOO_LARGE })
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(hungUp).toBe(true)
    expect(bytesWritten).toBeLessThan(64 * MiB)
  })

  it('a body over the cap is not retried by the engine', async () => {
    let calls = 0
    routes.set('/big', res => (calls++, res.writeHead(200).end('y'.repeat(MiB + 1))))
    const e = new RequestEngine({ transport, clock: realClock, logger: capture().logger, maxConcurrency: 1, maxRetries: 3, requestTimeoutMs: 10_000 })
    await expect(e.send({ method: 'GET', url: `${base}/big` })).rejects.toMatchObject({ name: 'NetworkError', code: BODY_TOO_LARGE })
    expect(calls).toBe(1)
  })
})

describe('gzip bodies', () => {
  const transport = nodeTransport({ maxBodyBytes: MiB })
  const error = '{"error":{"code":400,"message":"Invalid config"}}'

  it('reads an error body that arrives gzip-compressed without Content-Encoding', async () => {
    routes.set('/gz', res => res.writeHead(400, { 'content-type': 'application/json' }).end(zlib.gzipSync(error)))
    const res = await transport({ method: 'PUT', url: `${base}/gz`, headers: {}, body: '{}', timeoutMs: 5000 })
    expect(res.status).toBe(400)
    expect(res.body).toBe(error)
    expect(errorMessage(res)).toBe('Invalid config')
  })

  it('refuses a gzip body that inflates beyond the cap (a gzip bomb), without inflating all of it', async () => {
    routes.set('/bomb', res => res.writeHead(500).end(zlib.gzipSync(Buffer.alloc(64 * MiB))))
    await expect(transport({ method: 'GET', url: `${base}/bomb`, headers: {}, timeoutMs: 5000 })).rejects.toMatchObject({ code: BODY_TOO_LARGE })
  })

  it('decodeBody: plain text as is, gzip by magic bytes or Content-Encoding, broken gzip as is', () => {
    expect(decodeBody(Buffer.from('héllo'), undefined, 100)).toBe('héllo')
    expect(decodeBody(zlib.gzipSync('abc'), undefined, 100)).toBe('abc')
    expect(decodeBody(zlib.gzipSync('abc'), 'gzip', 100)).toBe('abc')
    expect(decodeBody(Buffer.from([0x1f, 0x8b, 0x41]), undefined, 100)).toBe(Buffer.from([0x1f, 0x8b, 0x41]).toString('utf8'))
    expect(decodeBody(zlib.gzipSync('x'.repeat(101)), undefined, 100)).toBeUndefined()
  })
})

describe('error text: bounded and linear', () => {
  const res = (status: number, body: string) => ({ status, headers: {}, body })

  it('stripTags gives what /<[^>]*>/g gives, on random text of < > and letters', () => {
    const alphabet = ['<', '>', 'a', ' ', '\n', 'b']
    let seed = 7
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: Math.floor(rnd() * 30) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('')
      expect(stripTags(text)).toBe(
        text
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
      )
    }
  })

  it('100 KB of `<` (quadratic for the old regex: about 12 s) gives a bounded excerpt', () => {
    const msg = errorMessage(res(502, '<'.repeat(100_000)))
    expect(msg).toBe(`unexpected response: ${'<'.repeat(MAX_EXCERPT_CHARS)}…`)
  })

  it('an HTML page of 5 MB is cut to the excerpt, tags stripped', () => {
    const page = `<html><body><h1>502 Bad Gateway</h1>${'<p>filler</p>'.repeat(400_000)}</body></html>`
    const msg = errorMessage(res(502, page))
    expect(msg.startsWith('unexpected response: 502 Bad Gateway filler filler')).toBe(true)
    expect(msg.length).toBeLessThanOrEqual('unexpected response: '.length + MAX_EXCERPT_CHARS + 1)
  })

  it('an API message over the cap is cut', () => {
    const long = 'bad value; '.repeat(1000)
    expect(errorMessage(res(400, JSON.stringify({ error: { code: 400, message: long } })))).toBe(`${long.slice(0, MAX_API_MESSAGE_CHARS)}…`)
    expect(errorMessage(res(400, JSON.stringify({ errors: Array(5000).fill({ detail: 'd' }) }))).length).toBeLessThanOrEqual(MAX_API_MESSAGE_CHARS + 1)
  })

  it('redacts before cutting: a secret across the excerpt cut never leaks in part', () => {
    const secret = 'S3CR3T-VALUE-THAT-IS-LONG'
    const body = `<p>${'x'.repeat(MAX_EXCERPT_CHARS - 10)}${secret}</p>`
    const msg = errorMessage(res(502, body), t => t.split(secret).join('***'))
    expect(msg).not.toContain('S3CR3T')
    expect(msg).toContain('***')
  })

  it('redact sees at most 64 KiB', () => {
    let seen = 0
    errorMessage(res(502, 'a'.repeat(10 * MiB)), t => ((seen = t.length), t))
    expect(seen).toBe(65_536)
  })
})

describe('quota messages are final whatever their status', () => {
  const quota = '{"error":{"code":429,"message":"Your organization is currently limited to 10 connectors"}}'
  it.each([400, 402, 429, 500, 503])('status %d', status => {
    expect(isQuotaError({ status, headers: {}, body: quota })).toBe(true)
    expect(isPermanentServerError({ status, headers: {}, body: quota })).toBe(true)
  })
  it('other messages are not', () => {
    expect(isPermanentServerError({ status: 503, headers: {}, body: '{"error":{"message":"Service Unavailable"}}' })).toBe(false)
    expect(isPermanentServerError({ status: 429, headers: {}, body: '{"error":{"message":"Too many requests"}}' })).toBe(false)
    expect(isQuotaError({ status: 200, headers: {}, body: quota })).toBe(false)
  })
})
