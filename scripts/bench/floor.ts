// The fake's own floor for a latency scenario: a minimal client (node:http, keep-alive, no parsing,
// no logging) sends the same number of PUTs, `c` at a time, to a fresh fake with the same options, in
// this process. Its span (first to last request arrival, by the fake's log) is the least any client
// can reach against this fake: the fake's latency timer fires late by up to a millisecond and its
// handling adds more, every round. Reported next to ours so a span over the bound can be told apart
// from time our action adds (issue 16).
import http from 'node:http'
import type { FakeOptions } from '../../test-support/fake-confluent/index.js'
import { API_KEY, API_SECRET, ENV, clusterId, connectorConfig, freshFake } from './runs.js'

export interface FloorInfo {
  /** Requests the minimal client sent (all PUT .../config). */
  requests: number
  concurrency: number
  /** First to last request arrival at the fake, in ms. */
  spanMs: number
}

/**
 * Sends `requests` PUTs of connector configs spread over `clusters` clusters, `concurrency` at a
 * time, to a fresh fake with `opts`; returns the span the fake logged. Throws when a request fails
 * at the transport level or a response is not 2xx (the floor would then be meaningless).
 */
export async function measureFakeFloor(opts: FakeOptions, requests: number, clusters: number, concurrency: number): Promise<FloorInfo> {
  const ids = Array.from({ length: clusters }, (_, k) => clusterId(k))
  const fake = await freshFake(opts, ids)
  const agent = new http.Agent({ keepAlive: true })
  const authorization = `Basic ${Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64')}`
  const one = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const { name, ...config } = connectorConfig(i, requests)
      const url = `${fake.url}/connect/v1/environments/${ENV}/clusters/${ids[i % clusters]}/connectors/${name}/config`
      const req = http.request(url, { method: 'PUT', agent, headers: { authorization, 'content-type': 'application/json' } }, res => {
        res.resume()
        res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`floor: ${url} answered ${res.statusCode}`))))
      })
      req.on('error', reject)
      req.end(JSON.stringify({ name, ...config, 'kafka.api.key': 'FLOORKEY', 'kafka.api.secret': 'floor-secret' }))
    })
  try {
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < requests) await one(next++)
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    const times = fake.requests.map(r => r.time)
    return { requests: times.length, concurrency, spanMs: times.length > 0 ? Math.max(...times) - Math.min(...times) : 0 }
  } finally {
    agent.destroy()
    await fake.close()
  }
}
