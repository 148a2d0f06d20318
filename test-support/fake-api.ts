// The set-up the fake's own tests share (fake-confluent.test.ts, fake-confluent-cloud.test.ts): a fake
// with one cluster and a manual clock, closed after each test, and plain HTTP calls to its API.
import { afterEach } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent, type FakeOptions } from './fake-confluent/index.js'

export const ENV = 'env-a1b2c3'
export const CLUSTER = 'lkc-x1y2z3'
export const BASE = `/connect/v1/environments/${ENV}/clusters/${CLUSTER}`
/** Basic auth with the key and secret the fake accepts by default. */
export const AUTH = 'Basic ' + Buffer.from('test-key:test-secret').toString('base64')

/**
 * `start` starts a fake with the cluster ENV/CLUSTER and a manual clock (`clock.t`, ms; starts at
 * 1,000,000), `opts` on top. Every fake in `started` is closed after each test: a test that closes
 * one itself takes it out. Call it at the top level of a test file: it registers the hook.
 */
export function fakeStarter(): {
  start: (opts?: FakeOptions) => Promise<{ fake: FakeConfluent; clock: { t: number } }>
  started: FakeConfluent[]
} {
  const started: FakeConfluent[] = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map(f => f.close()))
  })
  const start = async (opts: FakeOptions = {}) => {
    const clock = { t: 1_000_000 }
    const fake = await startFakeConfluent({ now: () => clock.t, ...opts })
    started.push(fake)
    fake.addCluster(ENV, CLUSTER)
    return { fake, clock }
  }
  return { start, started }
}

/** One request to the fake (AUTH unless `headers` replaces it); the body is sent as JSON unless a string. */
export async function call(fake: FakeConfluent, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(fake.url + path, {
    method,
    headers: { Authorization: AUTH, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await res.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}

/** A Datagen source's config named `name` (Kafka key and secret filled in), `extra` on top. */
export const config = (name: string, extra: Record<string, string> = {}): Record<string, string> => ({
  name,
  'connector.class': 'DatagenSource',
  'kafka.api.key': 'KAFKAKEY123',
  'kafka.api.secret': 'kafka-secret-value',
  'kafka.topic': 'orders',
  'tasks.max': '1',
  ...extra
})

/** PUT of `body` as the config of connector `name` on the cluster. */
export const put = (fake: FakeConfluent, name: string, body: unknown) => call(fake, 'PUT', `${BASE}/connectors/${encodeURIComponent(name)}/config`, body)
