// The production HTTP transport: one request over node:http / node:https with keep-alive agents.
// It never interprets a status: every response (2xx, 4xx, 5xx) resolves. It rejects only when no
// complete response arrived (reset, DNS failure, refused connection, timeout), with an Error that
// keeps the system `code` (ECONNRESET, ENOTFOUND, ETIMEDOUT, ...) so the request engine can decide
// whether to retry. Messages say what went wrong, never headers or bodies; the request engine, the one
// place that names requests, puts the method and path in front.
// Proxies: the action layer hands in `proxyAgentFor` (src/action/proxy.ts: @actions/http-client's proxy
// agent, honouring `https_proxy` / `http_proxy` / `no_proxy` as the runner's own tools do); this folder
// imports nothing from @actions/*.
//
// Bounded (issue 12 item 6): a body larger than maxBodyBytes (default 16 MiB; a connector list of
// thousands is a few MiB) is abandoned as soon as it is known to be too large (its Content-Length, or
// the bytes counted so far), never buffered whole, and rejects with code ERR_BODY_TOO_LARGE, which is
// not retried. An error body that arrives gzip-compressed without Content-Encoding (api-notes.md
// "Transport oddities") is recognised by its magic bytes and gunzipped, bounded by the same cap.
import http from 'node:http'
import https from 'node:https'
import zlib from 'node:zlib'
import { errorCode, messageOf } from '../model/errors.js'
import type { HttpRequest, HttpResponse, Transport } from '../model/types.js'

export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'TransportError'
  }
}

/** Default cap on a response body, in bytes (16 MiB). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024

/** Code of the error for a body over the cap (not in the engine's retryable set: a retry gets the same). */
export const BODY_TOO_LARGE = 'ERR_BODY_TOO_LARGE'

/**
 * The body's text: gunzipped first when it starts with the gzip magic bytes (1f 8b) or the server
 * said `Content-Encoding: gzip`, then decoded as UTF-8. Returns undefined when the gunzipped body
 * would exceed `maxBytes`; a body that only looks like gzip but does not inflate is decoded as is.
 */
export function decodeBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): string | undefined {
  const gzipped = (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) || /^\s*(x-)?gzip\s*$/i.test(contentEncoding ?? '')
  if (!gzipped) return raw.toString('utf8')
  try {
    return zlib.gunzipSync(raw, { maxOutputLength: maxBytes }).toString('utf8')
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return undefined
    return raw.toString('utf8')
  }
}

export interface NodeTransportOptions {
  /** Largest response body accepted, in bytes (after gunzipping); default MAX_BODY_BYTES. */
  maxBodyBytes?: number
  /** Extra agent options (tests, proxies). keepAlive is always on. */
  agentOptions?: http.AgentOptions
  /** The agent to use for a URL that goes through a proxy, or undefined for a direct connection. */
  proxyAgentFor?: (url: string) => http.Agent | undefined
}

/** Lower-cased header names; repeated headers joined with ', ' (from rawHeaders, so none is lost). */
export function collectHeaders(rawHeaders: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase()
    const value = rawHeaders[i + 1]
    out[name] = name in out ? `${out[name]}, ${value}` : value
  }
  return out
}

export function nodeTransport(opts: NodeTransportOptions = {}): Transport {
  // Free sockets are unref'd by the agent, so idle keep-alive connections do not hold the process.
  // Their 5 s idle timeout mirrors Node's global agent and stays under common server keep-alives.
  const agentOptions: http.AgentOptions = { keepAlive: true, scheduling: 'lifo', timeout: 5000, ...opts.agentOptions }
  const httpAgent = new http.Agent(agentOptions)
  const httpsAgent = new https.Agent(agentOptions)
  const maxBody = Math.max(0, opts.maxBodyBytes ?? MAX_BODY_BYTES)

  return (req: HttpRequest): Promise<HttpResponse> =>
    new Promise<HttpResponse>((resolve, reject) => {
      let url: URL
      try {
        url = new URL(req.url)
      } catch (err) {
        reject(new TransportError('invalid URL', 'ERR_INVALID_URL', { cause: err }))
        return
      }
      const isHttps = url.protocol === 'https:'
      if (!isHttps && url.protocol !== 'http:') {
        reject(new TransportError(`unsupported protocol ${url.protocol}`, 'ERR_INVALID_PROTOCOL'))
        return
      }
      const headers: Record<string, string> = { ...req.headers }
      const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8')
      if (body && !Object.keys(headers).some(h => h.toLowerCase() === 'content-length')) {
        headers['content-length'] = String(body.length)
      }

      let done = false
      const fail = (err: unknown, fallbackCode?: string): void => {
        if (done) return
        done = true
        clearTimeout(timer)
        const code = errorCode(err) ?? fallbackCode
        reject(new TransportError(messageOf(err), code, { cause: err }))
      }

      const request = (isHttps ? https : http).request(url, {
        method: req.method,
        headers,
        agent: opts.proxyAgentFor?.(req.url) ?? (isHttps ? httpsAgent : httpAgent)
      })

      // One timer for the whole exchange (connect, send, wait, read the body), not an idle timer:
      // a server that trickles bytes cannot keep a request alive past timeoutMs.
      const timer = setTimeout(
        () => {
          const err = Object.assign(new Error(`no complete response within ${req.timeoutMs} ms`), { code: 'ETIMEDOUT' })
          fail(err)
          request.destroy(err)
        },
        Math.max(1, req.timeoutMs)
      )

      request.on('error', err => fail(err))
      request.on('response', res => {
        const chunks: Buffer[] = []
        let size = 0
        const tooLarge = (what: string): void => {
          fail(new Error(`response body ${what}, over the ${maxBody} bytes this action reads; abandoned`), BODY_TOO_LARGE)
          res.destroy()
          request.destroy()
        }
        // Built once from rawHeaders (res.headers would build a second object).
        const headers = collectHeaders(res.rawHeaders)
        const declared = Number(headers['content-length'])
        if (Number.isFinite(declared) && declared > maxBody) {
          tooLarge(`of ${declared} bytes (Content-Length)`)
          return
        }
        res.on('data', (chunk: Buffer) => {
          if (done) return
          size += chunk.length
          if (size > maxBody) {
            chunks.length = 0
            tooLarge(`larger than ${maxBody} bytes`)
            return
          }
          chunks.push(chunk)
        })
        res.on('error', err => fail(err, 'ECONNRESET'))
        const cut = (): void => fail(new Error('the connection closed before the response was complete'), 'ECONNRESET')
        res.on('aborted', cut)
        res.on('close', () => {
          if (!res.complete) cut()
        })
        res.on('end', () => {
          if (done) return
          if (!res.complete) {
            cut()
            return
          }
          const body = decodeBody(Buffer.concat(chunks), headers['content-encoding'], maxBody)
          if (body === undefined) {
            fail(new Error(`gzip response body inflates beyond the ${maxBody} bytes this action reads; abandoned`), BODY_TOO_LARGE)
            return
          }
          done = true
          clearTimeout(timer)
          resolve({ status: res.statusCode ?? 0, headers, body })
        })
      })
      request.end(body)
    })
}
