// Keyless login: Confluent STS token exchange (POST /sts/v1/oauth2/token), per
// shared/reference/sts-token-exchange.md, and the access tokens it issues.
import { randomBytes } from 'node:crypto'
import { errorsReply, type Reply } from './handlers.js'
import type { FakeStsOptions } from './types.js'

export const STS_PATH = '/sts/v1/oauth2/token'
export const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange'
export const SUBJECT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt'
export const REQUESTED_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'
export const DEFAULT_POOLS = ['pool-test']
export const DEFAULT_TOKEN_LIFETIME_SEC = 3600

const FIELDS = ['grant_type', 'subject_token', 'identity_pool_id', 'subject_token_type', 'requested_token_type', 'expires_in']

/** Any well-formed JWT: three base64url parts, the first two JSON objects. */
export function isWellFormedJwt(token: string): boolean {
  const parts = token.split('.')
  if (parts.length !== 3 || parts.some(p => !/^[A-Za-z0-9_-]*$/.test(p)) || parts[0] === '' || parts[1] === '') return false
  try {
    return [parts[0], parts[1]].every(p => {
      const v: unknown = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'))
      return v !== null && typeof v === 'object' && !Array.isArray(v)
    })
  } catch {
    return false
  }
}

/** The form body as logged: its fields, with `subject_token` redacted. */
export function loggableForm(rawBody: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(rawBody)) out[k] = k === 'subject_token' ? '[redacted]' : v
  return out
}

export class Sts {
  /** access token -> expiry time by the fake's clock (ms) and the pool it was issued for. */
  private readonly tokens = new Map<string, { expiresAt: number; pool: string }>()

  exchange(rawBody: string, contentType: string, opts: FakeStsOptions | undefined, now: number): Reply {
    const bad = (detail: string) => errorsReply(400, detail)
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) return bad('Content-Type must be application/x-www-form-urlencoded')
    const form = new URLSearchParams(rawBody)
    for (const k of new Set(form.keys())) {
      if (!FIELDS.includes(k)) return bad(`Unknown field ${k}`)
      if (form.getAll(k).length > 1) return bad(`Field ${k} given more than once`)
    }
    const get = (k: string) => form.get(k) ?? ''
    if (get('grant_type') !== GRANT_TYPE) return bad(`grant_type must be ${GRANT_TYPE}`)
    if (get('subject_token_type') !== SUBJECT_TOKEN_TYPE) return bad(`subject_token_type must be ${SUBJECT_TOKEN_TYPE}`)
    if (get('requested_token_type') !== REQUESTED_TOKEN_TYPE) return bad(`requested_token_type must be ${REQUESTED_TOKEN_TYPE}`)
    const pool = get('identity_pool_id')
    if (pool === '') return bad('identity_pool_id is required')
    const subject = get('subject_token')
    if (!isWellFormedJwt(subject)) return bad('subject_token is not a valid JWT')
    const lifetime = opts?.tokenLifetimeSec ?? DEFAULT_TOKEN_LIFETIME_SEC
    let expiresIn = lifetime
    if (form.has('expires_in')) {
      if (!/^[1-9]\d*$/.test(get('expires_in'))) return bad('expires_in must be a positive integer')
      expiresIn = Math.min(Number(get('expires_in')), lifetime)
    }
    // The pool's filter: an unknown pool and a rejected token get the same 400.
    const accept = opts?.subjectTokens
    const accepted = accept === undefined ? true : Array.isArray(accept) ? accept.includes(subject) : accept(subject, pool)
    if (!(opts?.pools ?? DEFAULT_POOLS).includes(pool) || !accepted) {
      return bad(`The subject token is not accepted by identity pool ${pool}`)
    }
    const accessToken = fakeJwt(pool, now, expiresIn)
    this.tokens.set(accessToken, { expiresAt: now + expiresIn * 1000, pool })
    return {
      status: 200,
      body: { access_token: accessToken, issued_token_type: REQUESTED_TOKEN_TYPE, token_type: 'Bearer', expires_in: opts?.statedExpiresInSec ?? expiresIn }
    }
  }

  /** The pool of a valid, unexpired access token; undefined otherwise. */
  check(token: string, now: number): string | undefined {
    const t = this.tokens.get(token)
    return t && now < t.expiresAt ? t.pool : undefined
  }
}

function fakeJwt(pool: string, now: number, expiresIn: number): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const iat = Math.floor(now / 1000)
  const payload = { iss: 'Confluent', sub: pool, iat, exp: iat + expiresIn, jti: randomBytes(8).toString('hex') }
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}.${randomBytes(32).toString('base64url')}`
}
