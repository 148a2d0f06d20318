// The fake's own floor for a latency scenario: a minimal client (floor-client.ts: node:http, keep-alive,
// no parsing, no logging), in its own process as our action is, sends as many requests as ours did, `c`
// at a time, to a fresh fake with the same options. Its span (first to last request arrival, by the fake's
// log) is the least any client reaches against this fake on this machine: the fake's latency timer fires
// late by up to a millisecond and each round crosses loopback twice. Reported next to ours so a span over
// the bound can be told apart from time our action adds (issue 16).
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FakeOptions } from '../../test-support/fake-confluent/index.js'
import { API_KEY, API_SECRET, ENV, clusterId, freshFake } from './runs.js'

const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'floor-client.ts')

export interface FloorInfo {
  /** Requests the minimal client sent (all PUT .../config). */
  requests: number
  concurrency: number
  /** First to last request arrival at the fake, in ms. */
  spanMs: number
}

/**
 * Sends `requests` PUTs spread over `clusters` clusters, `concurrency` at a time, from a child process
 * (node with tsx's loader) to a fresh fake with `opts`; returns the span the fake logged. Throws when
 * the client fails (a request failed at the transport level) or sent fewer requests than asked.
 */
export async function measureFakeFloor(opts: FakeOptions, requests: number, clusters: number, concurrency: number): Promise<FloorInfo> {
  const ids = Array.from({ length: clusters }, (_, k) => clusterId(k))
  const fake = await freshFake(opts, ids)
  try {
    const args = ['--import', 'tsx', CLIENT, fake.url, String(requests), String(concurrency), JSON.stringify(ids), ENV, `${API_KEY}:${API_SECRET}`]
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', d => (stderr += d))
    const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? -1)))
    const times = fake.requests.map(r => r.time)
    if (code !== 0 || times.length !== requests)
      throw new Error(`floor client exited ${code} after ${times.length} of ${requests} requests: ${stderr.slice(0, 300)}`)
    return { requests: times.length, concurrency, spanMs: Math.max(...times) - Math.min(...times) }
  } finally {
    await fake.close()
  }
}
