import { describe, expect, it } from '@jest/globals'
import { VirtualClock } from '../test-support/virtual-clock.js'
import { ConfluentClient } from '../src/confluent/client.js'
import type { Logger, Result } from '../src/model/types.js'
import { shortenTrace, waitForConnectors } from '../src/stages/wait.js'

const logger: Logger = { info: () => undefined, warning: () => undefined, error: () => undefined, debug: () => undefined, group: (_t, fn) => fn() }

function result(name: string): Result {
  return {
    name,
    file: `connectors/${name}.json`,
    line: 1,
    environment_id: 'env-1',
    kafka_cluster_id: 'lkc-1',
    action: 'created',
    type: 'sink',
    tasks: [],
    state: '',
    error: '',
    changes: []
  }
}

/** A scripted cluster: each connector's state is a function of the virtual time. */
function cluster(clock: VirtualClock, stateOf: (name: string, t: number) => { state: string; trace?: string }, names: string[]) {
  const calls: string[] = []
  const client = new ConfluentClient(
    {
      send: async req => {
        calls.push(req.url)
        const body: Record<string, unknown> = {}
        for (const n of names) {
          const s = stateOf(n, clock.now())
          body[n] = {
            status: { name: n, connector: { state: s.state, trace: s.trace ?? '' }, tasks: s.state === 'RUNNING' ? [{ id: 0, state: 'RUNNING' }] : [] }
          }
        }
        return { status: 200, headers: {}, body: JSON.stringify(body) }
      }
    },
    'https://api.example'
  )
  return { client, calls }
}

describe('wait', () => {
  it('50 connectors on one cluster that run after 60 s cost one list call per round, not one per connector', async () => {
    const clock = new VirtualClock({ start: 0 })
    const names = Array.from({ length: 50 }, (_, i) => `c-${i}`)
    const { client, calls } = cluster(clock, (_n, t) => ({ state: t >= 60_000 ? 'RUNNING' : 'PROVISIONING' }), names)
    const results = names.map(result)
    await clock.run(waitForConnectors(results, client, { clock, logger, timeoutSeconds: 600 }))
    expect(results.every(r => r.state === 'RUNNING' && r.error === '')).toBe(true)
    expect(calls.every(u => u.endsWith('/connectors?expand=status'))).toBe(true)
    // Rounds at 2, 5, 9.5, 16.3, 26.4, 41.6, 56.6, 71.6 s: 8 requests for 50 connectors.
    expect(calls).toHaveLength(8)
  })

  it('a FAILED inside the grace period is not final; after it, FAILED is final with a short trace', async () => {
    const clock = new VirtualClock({ start: 0 })
    const trace = 'ConnectException: bad credentials\n\tat a.b.C.run(C.java:1)\n\t... 12 more'
    const { client } = cluster(
      clock,
      (n, t) => (n === 'flaky' ? { state: t < 10_000 ? 'FAILED' : 'RUNNING', trace: 'transient' } : { state: 'FAILED', trace }),
      ['flaky', 'broken']
    )
    const results = [result('flaky'), result('broken')]
    await clock.run(waitForConnectors(results, client, { clock, logger, timeoutSeconds: 600, graceMs: 30_000 }))
    expect(results[0]).toMatchObject({ state: 'RUNNING', error: '' })
    expect(results[1]).toMatchObject({ state: 'FAILED', error: 'connector FAILED: ConnectException: bad credentials' })
    expect(clock.now()).toBeGreaterThanOrEqual(30_000)
    expect(clock.now()).toBeLessThan(50_000)
  })

  it('times out connectors that never leave PROVISIONING, at the deadline', async () => {
    const clock = new VirtualClock({ start: 0 })
    const { client, calls } = cluster(clock, () => ({ state: 'PROVISIONING' }), ['stuck'])
    const results = [result('stuck')]
    await clock.run(waitForConnectors(results, client, { clock, logger, timeoutSeconds: 120 }))
    expect(results[0].error).toBe('timed out after 120 s waiting for RUNNING (state PROVISIONING)')
    expect(clock.now()).toBe(120_000)
    expect(calls.length).toBeLessThanOrEqual(14)
  })

  it('redacts a trace before cutting it, so no part of a secret survives the cut', async () => {
    const clock = new VirtualClock({ start: 0 })
    const secret = 'Sup3rS3cretPassw0rdValue'
    const trace = `${'x'.repeat(975)} password=${secret} rest` // the 1,000-character cut falls inside the secret
    const { client } = cluster(clock, () => ({ state: 'FAILED', trace }), ['pg'])
    const results = [result('pg')]
    const redact = (t: string): string => t.split(secret).join('***')
    await clock.run(waitForConnectors(results, client, { clock, logger, timeoutSeconds: 60, graceMs: 0, redact }))
    expect(results[0].state).toBe('FAILED')
    expect(results[0].error).not.toContain(secret.slice(0, 8))
  })

  it('shortens a Java trace to its message lines', () => {
    expect(shortenTrace('E: boom\n\tat x.Y(Y.java:1)\nCaused by: Z: why\n\t... 3 more\n')).toBe('E: boom\nCaused by: Z: why')
  })
})
