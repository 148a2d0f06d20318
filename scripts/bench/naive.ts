// The naive client the benchmark compares against: what Confluent's Terraform provider does, in process,
// with fetch. Sequential; one read per connector (`GET .../connectors/{name}`, 404 means create), then
// `PUT .../connectors/{name}/config` unless the visible config already matches (Terraform's plan shows
// no diff then). On 429 it sleeps exactly Retry-After and retries, at most 4 retries, then gives up on
// that connector; 5xx (not 501) get the provider's 1 s doubling backoff (capped at 30 s). No pacing: it
// never reads X-RateLimit-*. Only ever talks to the URL it is given (the local fake on 127.0.0.1).

const MASK = '****************'
const MAX_RETRIES = 4
const REQUEST_TIMEOUT_MS = 30_000

export interface NaiveOptions {
  baseUrl: string
  environmentId: string
  kafkaClusterId: string
  apiKey: string
  apiSecret: string
  /** Complete PUT bodies (including `name` and the Kafka credentials). */
  connectors: Record<string, string>[]
}

export interface NaiveResult {
  wallMs: number
  applied: number
  unchanged: number
  /** Connectors given up on (retries exhausted or a non-retryable error). */
  failed: number
  /** First few failure reasons, for the report. */
  errors: string[]
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

interface Reply {
  status: number
  text: string
}

/** One request with Terraform's retry policy. Bounded: at most 1 + MAX_RETRIES attempts. */
async function send(opts: NaiveOptions, method: string, path: string, body?: unknown): Promise<Reply> {
  const auth = `Basic ${Buffer.from(`${opts.apiKey}:${opts.apiSecret}`).toString('base64')}`
  let reply: Reply = { status: 0, text: '' }
  for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
    const res = await fetch(opts.baseUrl + path, {
      method,
      headers: { authorization: auth, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    })
    reply = { status: res.status, text: await res.text() }
    if (attempt === MAX_RETRIES) break
    if (res.status === 429) {
      const seconds = Number(res.headers.get('retry-after'))
      await sleep(Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000 * 2 ** attempt)
    } else if (res.status >= 500 && res.status !== 501) {
      await sleep(Math.min(30_000, 1000 * 2 ** attempt))
    } else {
      break
    }
  }
  return reply
}

/** True when every desired key is shown live with the same value (masked values cannot be compared: equal). */
function sameVisibleConfig(desired: Record<string, string>, liveText: string): boolean {
  let live: Record<string, unknown>
  try {
    live = (JSON.parse(liveText) as { config?: Record<string, unknown> }).config ?? {}
  } catch {
    return false
  }
  return Object.entries(desired).every(([k, v]) => live[k] === v || live[k] === MASK)
}

export async function runNaive(opts: NaiveOptions): Promise<NaiveResult> {
  const base = `/connect/v1/environments/${encodeURIComponent(opts.environmentId)}/clusters/${encodeURIComponent(opts.kafkaClusterId)}/connectors`
  const result: NaiveResult = { wallMs: 0, applied: 0, unchanged: 0, failed: 0, errors: [] }
  const fail = (name: string, why: string) => {
    result.failed++
    if (result.errors.length < 5) result.errors.push(`${name}: ${why}`)
  }
  const start = performance.now()
  for (const config of opts.connectors) {
    const name = config.name
    const path = `${base}/${encodeURIComponent(name)}`
    const read = await send(opts, 'GET', path)
    if (read.status === 200 && sameVisibleConfig(config, read.text)) {
      result.unchanged++
      continue
    }
    if (read.status !== 200 && read.status !== 404) {
      fail(name, `read answered ${read.status}`)
      continue
    }
    const put = await send(opts, 'PUT', `${path}/config`, config)
    if (put.status === 200) result.applied++
    else fail(name, `PUT answered ${put.status}`)
  }
  result.wallMs = performance.now() - start
  return result
}
