// Sends requests with bounded concurrency, rate-limit pacing and retries.
//
// - At most maxConcurrency send() calls are in progress; the others wait in call order (FIFO). A
//   send() keeps its slot through its own retries and backoff.
// - Every attempt takes a permit of the adaptive concurrency limit (adaptive-concurrency.ts) and goes
//   through the RateLimiter: acquire() before, observe() (or release()) after. Whether and when to
//   retry is decided by decideRetry() (retry-decision.ts, pure); this loop only acts on it.
// - 429 with budget left (X-RateLimit-Remaining > 0): a server concurrency limit. The limit of
//   attempts in flight is halved; only this request waits its Retry-After, then retries.
//   A 429 without X-RateLimit-Remaining may be either kind: it lowers the limit and holds every request.
// - 429: wait Retry-After (else the window's reset, else backoff; the RateLimiter holds every
//   request for that time, not only this one), then retry.
// - 5xx other than 501, and network errors (reset, timeout, DNS, refused, broken pipe): capped
//   exponential backoff with full jitter, delay = random() * min(maxBackoff, base * 2^retry).
// - Any other status (2xx, 3xx, 4xx such as 400/401/402/403/404/409, and 501) is returned at once.
// - Each kind counts against maxRetries; out of retries, the last response is returned, or
//   NetworkError is thrown when the last attempt failed without a response.
//
// Deadline (absolute clock ms; no attempt starts after it) behaves like running out of retries:
// - a backoff wait (5xx, network) is cut to end at the deadline, and one last attempt is made then;
// - a rate-limit wait (429, spent window) that would end after the deadline is not started at all,
//   since an attempt before the server's window resets would only earn another 429;
// - when no further attempt is allowed, the last response is returned (the caller reports its
//   status and message as for any final error status); if the last attempt got no response, or no
//   attempt could start at all, the promise rejects with DeadlineError (a NetworkError, code
//   'EDEADLINE', `cause` the last network error if any).
//
// Logs one line per retry with the reason, e.g. `PUT /connect/v1/.../connectors/x/config: 503,
// retry 2 of 5 in 1.3 s`. Only the method and the URL's path and query are logged (URLs hold no
// secrets); never headers (Authorization) nor bodies.
import { formatDuration } from './clock.js'
import { errorCode, messageOf } from '../model/errors.js'
import { AdaptiveConcurrency } from './adaptive-concurrency.js'
import { classifyTooManyRequests, MAX_RATE_LIMIT_WAIT_MS, readRateLimitHeaders } from './rate-limit-headers.js'
import { RateLimiter } from './rate-limiter.js'
import { decideRetry, fullJitterBackoffMs, isRetryableServerStatus } from './retry-decision.js'
import type { Clock, HttpRequest, HttpResponse, Logger, RunStats, Transport } from '../model/types.js'

export interface EngineOptions {
  transport: Transport
  clock: Clock
  logger: Logger
  /** Returns a number in [0, 1); Math.random by default. */
  random?: () => number
  maxConcurrency: number
  maxRetries: number
  requestTimeoutMs: number
  /** Default 30000. */
  maxBackoffMs?: number
  /** Absolute clock ms; no new attempt starts after it. */
  deadline?: number
  /** A 5xx that will not change on a retry (the API's way of saying "unknown connector class"). */
  isPermanent?: (res: HttpResponse) => boolean
}

export interface SendRequest {
  method: HttpRequest['method']
  url: string
  headers?: Record<string, string>
  body?: string
}

export class NetworkError extends Error {
  readonly code?: string
  constructor(
    message: string,
    code: string | undefined,
    readonly attempts: number,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'NetworkError'
    if (code !== undefined) this.code = code
  }
}

export class DeadlineError extends NetworkError {
  constructor(message: string, attempts: number, options?: { cause?: unknown }) {
    super(message, 'EDEADLINE', attempts, options)
    this.name = 'DeadlineError'
  }
}

export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET'
])

export function isRetryableNetworkError(err: unknown): boolean {
  const code = errorCode(err)
  return (code !== undefined && RETRYABLE_NETWORK_CODES.has(code)) || /socket hang up/i.test(messageOf(err))
}

/** `PUT /connect/v1/...?x=1`: what log lines show of a request. */
function describe(req: SendRequest): string {
  try {
    const u = new URL(req.url)
    return `${req.method} ${u.pathname}${u.search}`
  } catch {
    return `${req.method} (invalid URL)`
  }
}

/** The first backoff's cap (ms): retry n waits a random time up to min(maxBackoffMs, 1000 · 2^n). */
const BASE_BACKOFF_MS = 1000

export class RequestEngine {
  private readonly limiter: RateLimiter
  private readonly gate: AdaptiveConcurrency
  private readonly random: () => number
  private readonly maxConcurrency: number
  private readonly maxRetries: number
  private readonly maxBackoffMs: number
  private active = 0
  private readonly waiting: (() => void)[] = []
  private readonly counters = { requests: 0, retries: 0, tooManyRequests: 0 }

  constructor(private readonly opts: EngineOptions) {
    this.limiter = new RateLimiter(opts.clock, opts.logger)
    this.random = opts.random ?? Math.random
    this.maxConcurrency = Math.max(1, Math.floor(opts.maxConcurrency) || 1)
    this.gate = new AdaptiveConcurrency(this.maxConcurrency, opts.clock, opts.logger)
    this.maxRetries = Math.max(0, Math.floor(opts.maxRetries) || 0)
    this.maxBackoffMs = opts.maxBackoffMs ?? 30000
  }

  /** Final response: 2xx, a status that is never retried, or the last one when retries ran out. */
  async send(req: SendRequest, opts: { deadline?: number } = {}): Promise<HttpResponse> {
    await this.takeSlot()
    try {
      const deadlines = [this.opts.deadline, opts.deadline].filter((d): d is number => d !== undefined)
      return await this.attempts(req, deadlines.length > 0 ? Math.min(...deadlines) : undefined)
    } finally {
      this.freeSlot()
    }
  }

  /** Attempts allowed in flight now: max-concurrency, lowered by concurrency 429s (adaptive-concurrency.ts). */
  get concurrencyLimit(): number {
    return this.gate.limit
  }

  stats(): RunStats {
    return { ...this.counters, waitedMs: this.limiter.waitedMs }
  }

  /** The delay before retry number `retry + 1` in ms: full jitter over a capped exponential. */
  backoffMs(retry: number): number {
    return fullJitterBackoffMs(retry, this.random(), BASE_BACKOFF_MS, this.maxBackoffMs)
  }

  private async attempts(req: SendRequest, deadline: number | undefined): Promise<HttpResponse> {
    const { clock, logger } = this.opts
    // Only log lines and errors show it: made when first needed, not for every request (issue 16).
    let labelText: string | undefined
    const label = (): string => (labelText ??= describe(req))
    const pastDeadline = (): boolean => deadline !== undefined && clock.now() > deadline
    let retry = 0
    let lastResponse: HttpResponse | undefined
    let lastError: unknown
    const stop = (why: string): HttpResponse => {
      if (lastResponse) return lastResponse
      const reason = lastError === undefined ? '' : `${errorCode(lastError) ?? messageOf(lastError)}; `
      throw new DeadlineError(`${label()}: ${reason}${why}`, retry + (lastError === undefined ? 0 : 1), { cause: lastError })
    }
    const common = () => ({
      retry,
      maxRetries: this.maxRetries,
      backoffMs: () => this.backoffMs(retry),
      ...(deadline !== undefined ? { msToDeadline: deadline - clock.now() } : {})
    })

    for (;;) {
      await this.gate.acquire()
      if (!(await this.limiter.acquire(deadline))) {
        this.gate.release()
        return stop('the rate-limit wait would end after the deadline')
      }
      if (pastDeadline()) {
        this.limiter.release()
        this.gate.release()
        return stop('the deadline has passed')
      }
      const sentAt = clock.now()
      this.counters.requests++
      let res: HttpResponse
      try {
        res = await this.opts.transport({
          method: req.method,
          url: req.url,
          headers: req.headers ?? {},
          ...(req.body !== undefined ? { body: req.body } : {}),
          // A request may not outlive the deadline either.
          timeoutMs: deadline === undefined ? this.opts.requestTimeoutMs : Math.max(1, Math.min(this.opts.requestTimeoutMs, deadline - clock.now()))
        })
      } catch (err) {
        this.limiter.release()
        this.gate.release()
        const code = errorCode(err)
        const attempts = retry + 1
        const d = decideRetry({ ...common(), outcome: { kind: 'network-error', retryable: isRetryableNetworkError(err) } })
        if (!d.retry && d.reason === 'not-retryable') throw new NetworkError(`${label()}: ${messageOf(err)}`, code, attempts, { cause: err })
        if (!d.retry && d.reason === 'retries-spent') {
          const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`
          throw new NetworkError(`${label()}: ${messageOf(err)} (gave up after ${tries})`, code, attempts, { cause: err })
        }
        lastResponse = undefined
        lastError = err
        if (!d.retry) return stop('the deadline has passed')
        await this.sleepBeforeRetry(label(), code ?? 'network error', retry, d.delayMs)
        retry++
        continue
      }
      this.limiter.observe(res, sentAt)
      this.gate.release()
      lastResponse = res
      lastError = undefined
      const limit = classifyTooManyRequests(res)
      if (limit !== undefined) this.counters.tooManyRequests++
      else if (res.status < 500) this.gate.onSuccess() // the server took the request: a success for the concurrency limit
      if (limit === 'concurrency') this.gate.onConcurrencyLimited('429 with budget left')
      else if (limit === 'unknown') this.gate.onConcurrencyLimited('429 without rate-limit headers')
      const mayRetry = res.status === 429 || isRetryableServerStatus(res.status)
      const headers = res.status === 429 ? readRateLimitHeaders(res) : {}
      const serverWaitMs = res.status === 429 ? this.limiter.serverWaitMs(res) : undefined
      const d = decideRetry({
        ...common(),
        outcome: { kind: 'response', status: res.status, permanent: mayRetry && (this.opts.isPermanent?.(res) ?? false), ...(limit ? { limit } : {}) },
        ...(headers.retryAfterMs !== undefined ? { retryAfterMs: headers.retryAfterMs } : {}),
        ...(serverWaitMs !== undefined ? { serverWaitMs } : {})
      })
      if (!d.retry) {
        if (d.reason === 'wait-too-long') {
          logger.warning(
            `${label()}: 429 asks to wait ${formatDuration(headers.retryAfterMs ?? 0)}, longer than the ${MAX_RATE_LIMIT_WAIT_MS / 1000} s this action waits; not retried`
          )
        } else if (d.reason === 'wait-after-deadline') {
          // Other requests still honour the server's wait, unless only this one was refused.
          if (limit !== 'concurrency') this.limiter.onTooManyRequests(res, d.holdMs)
          logger.debug(`${label()}: 429, no retry: the wait of ${formatDuration(d.holdMs ?? 0)} would end after the deadline`)
        }
        return res
      }
      if (d.wait === 'backoff') {
        await this.sleepBeforeRetry(label(), String(res.status), retry, d.delayMs)
      } else if (d.wait === 'concurrency') {
        // Only this request waits (without its permit); the others go on under the lowered limit.
        await this.sleepBeforeRetry(label(), '429 (concurrency limit)', retry, d.delayMs)
      } else {
        const wait = this.limiter.onTooManyRequests(res, d.delayMs)
        logger.info(`${label()}: 429, retry ${retry + 1} of ${this.maxRetries} in ${formatDuration(wait)}`)
        this.counters.retries++
        // acquire() holds until the wait is over
      }
      retry++
    }
  }

  /** Logs the retry and sleeps its delay (already cut to the deadline by decideRetry). */
  private async sleepBeforeRetry(label: string, reason: string, retry: number, delay: number): Promise<void> {
    this.opts.logger.info(`${label}: ${reason}, retry ${retry + 1} of ${this.maxRetries} in ${formatDuration(delay)}`)
    this.counters.retries++
    await this.opts.clock.sleep(delay)
  }

  private takeSlot(): Promise<void> {
    if (this.active < this.maxConcurrency) {
      this.active++
      return Promise.resolve()
    }
    return new Promise<void>(resolve => this.waiting.push(resolve))
  }

  /** Hands the slot straight to the oldest waiter, so order is first come, first served. */
  private freeSlot(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.active--
  }
}
