// How requests to Confluent Cloud authenticate: HTTP Basic with a Cloud API key, or keyless login
// (sts-token-exchange.md): the job's GitHub OIDC token exchanged at `POST {api-url}/sts/v1/oauth2/token`
// for a short-lived Bearer token, renewed before `expires_in` runs out. Both tokens are secrets: each
// is handed to `onSecret` (the redactor, which add-masks it) before it is used.
import type { Clock, HttpResponse } from '../model/types.js'
import { ApiError, errorMessage } from './api-error.js'
import { errorCode, messageOf } from '../model/errors.js'
import { BODY_TOO_LARGE } from '../http/transport.js'

/** Gives the Authorization header for the next request. `refused(header)`, where the scheme renews, is told
 * that a request carrying `header` got 401: the next call gets a new one (keyless login's token was revoked,
 * or expired before the `expires_in` the exchange gave). */
export type AuthHeader = (() => Promise<string>) & { refused?: (header: string) => void }

/** HTTP Basic with a Cloud API key. The encoded pair is a secret too (a proxy page may echo the header):
 * it is handed to `onSecret` before first use. */
export function basicAuth(apiKey: string, apiSecret: string, onSecret: (value: string) => void): AuthHeader {
  const encoded = Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')
  onSecret(encoded)
  const header = `Basic ${encoded}`
  return () => Promise.resolve(header)
}

/** Sends the exchange request (form body) and returns the raw response; the pipeline hands in its engine. */
export type FormPoster = (url: string, body: string) => Promise<HttpResponse>

/** Renew the Confluent token this long before it expires (ms); at most half its lifetime. */
const RENEW_BEFORE_MS = 60_000
/** An `expires_in` below this (ms) is taken as this: a lifetime of a millisecond would mean a token
 * exchange for every request (renewed at half its lifetime: at most one exchange a second). A token that
 * really expires sooner gets 401, and a 401 renews it. */
const MIN_LIFETIME_MS = 2_000

export interface OidcOptions {
  apiUrl: string
  identityPoolId: string
  /** Fetches a fresh GitHub OIDC token (`@actions/core` getIDToken with the audience). */
  getIdToken: () => Promise<string>
  post: FormPoster
  clock: Clock
  onSecret: (value: string) => void
  /** Applied to the exchange's error text before it is cut (api-error.ts). */
  redact: (text: string) => string
}

/** The non-secret claims of a JWT that tell why an identity pool's filter said no. Never the token. */
export function describeClaims(jwt: string): string {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
    const parts = ['sub', 'repository', 'ref', 'environment', 'event_name']
      .filter(k => typeof payload[k] === 'string')
      .map(k => `${k}=${JSON.stringify(String(payload[k]).slice(0, 200))}`)
    return parts.length > 0 ? parts.join(', ') : 'no readable claims'
  } catch {
    return 'no readable claims'
  }
}

export const STS_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange'
export const STS_SUBJECT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt'
export const STS_REQUESTED_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'

/**
 * Keyless login. Returns an AuthHeader that exchanges a fresh GitHub OIDC token on first use, again
 * when the Confluent token is within RENEW_BEFORE_MS (at most half its lifetime, at least MIN_LIFETIME_MS)
 * of expiring, and again after a request with it got 401 (`refused`). Rejects with an Error whose message
 * names the cause: the OIDC token could not be had (with the id-token permission hint), or the exchange
 * failed (HTTP status, the API's message, and the token's non-secret claims on a 400).
 */
export function oidcAuth(opts: OidcOptions): AuthHeader {
  let token: { header: string; renewAt: number } | undefined
  let inFlight: Promise<string> | undefined
  const exchange = async (): Promise<string> => {
    let idToken: string
    try {
      idToken = await opts.getIdToken()
    } catch (err) {
      throw new Error(
        `could not get the job's GitHub OIDC token (${messageOf(err)}); keyless login needs \`permissions: id-token: write\` in the workflow (pull requests from forks never get it)`,
        { cause: err }
      )
    }
    opts.onSecret(idToken)
    const body = new URLSearchParams({
      grant_type: STS_GRANT_TYPE,
      subject_token: idToken,
      identity_pool_id: opts.identityPoolId,
      subject_token_type: STS_SUBJECT_TOKEN_TYPE,
      requested_token_type: STS_REQUESTED_TOKEN_TYPE
    }).toString()
    let res: HttpResponse
    try {
      res = await opts.post(`${opts.apiUrl}/sts/v1/oauth2/token`, body)
    } catch (err) {
      // Without its network code: the exchange's own engine already retried, and the engine of the
      // request that asked for the header must not retry the whole exchange again.
      // Named by its code only: a "socket hang up" message would read as retryable again.
      const code = errorCode(err)
      // An answer too large to read is an answer: said so, and it was not retried (the same would come).
      if (code === BODY_TOO_LARGE)
        throw new Error(`the Confluent token exchange answered with a body over the size limit (${code}); it was not read`, { cause: err })
      throw new Error(`the Confluent token exchange got no answer (${code ?? 'network error'}, after its retries)`, { cause: err })
    }
    if (res.status < 200 || res.status > 299) {
      const api = new ApiError(res.status, errorMessage(res, opts.redact), res.headers['x-request-id'])
      // 400 is what the reference names for a token the pool's filter rejects; 401 and 403 refuse the
      // login too (an OAuth server's invalid_client, a pool of another organisation).
      const hint = [400, 401, 403].includes(res.status)
        ? `; the identity pool ${opts.identityPoolId} refused the token, whose claims are: ${describeClaims(idToken)}`
        : ''
      throw new Error(`the Confluent token exchange failed: ${api.message}${hint}`)
    }
    let parsed: Record<string, unknown>
    try {
      parsed = JSON.parse(res.body) as Record<string, unknown>
    } catch {
      throw new Error('the Confluent token exchange answered with a body that is not JSON')
    }
    const access = typeof parsed.access_token === 'string' ? parsed.access_token : ''
    if (!access) throw new Error('the Confluent token exchange answered without an access_token')
    opts.onSecret(access)
    const given = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in * 1000 : 900_000
    const lifetimeMs = Math.max(MIN_LIFETIME_MS, given)
    const renewBefore = Math.min(RENEW_BEFORE_MS, lifetimeMs / 2)
    const header = `Bearer ${access}`
    token = { header, renewAt: opts.clock.now() + lifetimeMs - renewBefore }
    return header
  }
  const header = async (): Promise<string> => {
    if (token && opts.clock.now() < token.renewAt) return token.header
    inFlight ??= exchange().finally(() => {
      inFlight = undefined
    })
    return inFlight
  }
  // Only the token that was refused is dropped: requests refused together renew it once.
  const refused = (used: string): void => {
    if (token?.header === used) token = undefined
  }
  return Object.assign(header, { refused })
}
