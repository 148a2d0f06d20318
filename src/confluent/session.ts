// A session with the Confluent Cloud API: the one request engine every call of a run shares (its
// concurrency and rate-limit budget, the run's deadline), the auth header on every request (HTTP Basic, or
// keyless login's Bearer token renewed before it expires), and the ConfluentApi client on top.
import type { Clock, Logger, RunStats, Settings, Transport } from '../model/types.js'
import { RequestEngine } from '../http/request-engine.js'
import { isPermanentServerError } from './api-error.js'
import { basicAuth, oidcAuth, type AuthHeader } from './auth.js'
import { ConfluentClient } from './client.js'

export interface SessionDeps {
  logger: Logger
  clock: Clock
  transport: Transport
  random?: () => number
  /** Keyless login: fetches the job's GitHub OIDC token. */
  getIdToken?: () => Promise<string>
  /** Registers a secret (both tokens of keyless login) with the redactor. */
  onSecret: (value: string) => void
  /** Applied to every text taken from a response before it goes into an error. */
  redact: (text: string) => string
}

export interface Session {
  api: ConfluentClient
  /** The Authorization header for the next request; rejects when keyless login fails. */
  auth: AuthHeader
  /** Every request of the run so far: the API's and keyless login's token exchanges (their own engine). */
  stats: () => RunStats
}

/**
 * Opens a session for `settings` (auth, api-url, retries, timeouts, max-concurrency) with `runDeadline`
 * (clock ms) as the engine's deadline. Sends nothing by itself. Throws when keyless login is asked for
 * without a source of OIDC tokens.
 */
export function openSession(settings: Settings, deps: SessionDeps, runDeadline: number): Session {
  const engineFor = (transport: Transport, maxConcurrency: number): RequestEngine =>
    new RequestEngine({
      transport,
      clock: deps.clock,
      logger: deps.logger,
      ...(deps.random ? { random: deps.random } : {}),
      maxConcurrency,
      maxRetries: settings.maxRetries,
      requestTimeoutMs: settings.requestTimeoutMs,
      deadline: runDeadline,
      isPermanent: isPermanentServerError
    })
  const engines: RequestEngine[] = []
  const auth = makeAuth(settings, deps, (transport, c) => {
    const sts = engineFor(transport, c)
    engines.push(sts)
    return sts
  })
  // Requests sent again with a renewed token after a 401 (withHeaders): below the engine, counted here.
  let resent = 0
  const engine = engineFor(
    withHeaders(deps.transport, settings, auth, () => resent++),
    settings.maxConcurrency
  )
  engines.push(engine)
  const stats = (): RunStats => {
    const sum = engines
      .map(e => e.stats())
      .reduce((a, b) => ({
        requests: a.requests + b.requests,
        retries: a.retries + b.retries,
        tooManyRequests: a.tooManyRequests + b.tooManyRequests,
        waitedMs: a.waitedMs + b.waitedMs
      }))
    return { ...sum, requests: sum.requests + resent, retries: sum.retries + resent }
  }
  return { api: new ConfluentClient(engine, settings.apiUrl, deps.redact), auth, stats }
}

function makeAuth(settings: Settings, deps: SessionDeps, engineFor: (t: Transport, c: number) => RequestEngine): AuthHeader {
  if (settings.auth.kind === 'api-key') return basicAuth(settings.auth.apiKey, settings.auth.apiSecret, deps.onSecret)
  const getIdToken = deps.getIdToken
  if (!getIdToken) throw new Error('keyless login needs a source of GitHub OIDC tokens')
  // The token exchange has an engine of its own (one at a time): it runs inside another request's header.
  const sts = engineFor(withHeaders(deps.transport, settings), 1)
  return oidcAuth({
    apiUrl: settings.apiUrl,
    identityPoolId: settings.auth.identityPoolId,
    getIdToken,
    clock: deps.clock,
    onSecret: deps.onSecret,
    redact: deps.redact,
    post: (url, body) => sts.send({ method: 'POST', url, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  })
}

/** `transport` with the headers every request carries: user agent, JSON, and (when `auth` is given:
 * every call but the token exchange itself) the Authorization header. A 401 to a header that renews
 * (keyless login) is sent once more with a new one (`onResend` counts it); its answer is the request's.
 * It goes out in the slot of the refused one, so it stays within max-concurrency. */
function withHeaders(transport: Transport, settings: Settings, auth?: AuthHeader, onResend?: () => void): Transport {
  const send = async (req: Parameters<Transport>[0]) => {
    const authorization = auth ? await auth() : undefined
    const res = await transport({
      ...req,
      headers: { ...req.headers, ...(authorization ? { authorization } : {}), 'user-agent': settings.userAgent, accept: 'application/json' }
    })
    return { res, authorization }
  }
  return async req => {
    const first = await send(req)
    if (first.res.status !== 401 || !auth?.refused || first.authorization === undefined) return first.res
    auth.refused(first.authorization)
    onResend?.()
    return (await send(req)).res
  }
}
