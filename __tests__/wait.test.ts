// The wait stage (src/stages/wait.ts) against a scripted ConfluentApi whose connectors' states are
// functions of a virtual clock: grace, restarts, declared states and failure texts, without real time.
import { describe, expect, it } from '@jest/globals'
import { VirtualClock } from '../test-support/virtual-clock.js'
import type { ConfluentApi, LiveConnector, Logger, Result, Target, TaskInfo } from '../src/model/types.js'
import { result as baseResult } from '../test-support/outcome-builders.js'
import { recheckUnchanged, shortenTrace, waitForConnectors } from '../src/stages/wait.js'
import { resultKey } from '../src/stages/results.js'
import { hasChanges } from '../src/report/outputs.js'
import { outcome } from '../test-support/outcome-builders.js'

/** A connector `name` created at time 0 (a sink from connectors/<name>.json). */
const result = (name: string, extra: Partial<Result> = {}): Result =>
  baseResult({ name, file: `connectors/${name}.json`, done: 'created', appliedAt: 0, ...extra })

/** What a connector looks like at time `t` (ms) after `restarts` restarts of its tasks; undefined: not listed. */
type Script = (t: number, restarts: number) => Omit<LiveConnector, 'name' | 'config'> | undefined

const notScripted = (): never => {
  throw new Error('not scripted')
}

/** A scripted cluster: `list` answers from the scripts at the clock's time; restarts are counted per connector. */
function scripted(clock: VirtualClock, scripts: Record<string, Script>) {
  const lists: string[] = []
  const restarts: string[] = []
  const count = new Map<string, number>()
  const api: ConfluentApi = {
    list: (t: Target, expand?: string) => {
      lists.push(`${t.environmentId}/${t.kafkaClusterId}?expand=${expand}@${clock.now()}`)
      const out = new Map<string, LiveConnector>()
      for (const [name, script] of Object.entries(scripts)) {
        const s = script(clock.now(), count.get(name) ?? 0)
        if (s) out.set(name, { name, config: {}, ...s })
      }
      return Promise.resolve(out)
    },
    restartTask: (_t: Target, name: string, taskId: number) => {
      restarts.push(`${name}/${taskId}@${clock.now()}`)
      count.set(name, (count.get(name) ?? 0) + 1)
      return Promise.resolve()
    },
    putConfig: notScripted,
    validate: notScripted,
    pause: notScripted,
    resume: notScripted,
    remove: notScripted
  }
  return { api, lists, restarts }
}

/** A logger that notes the clock's time of each error. */
function timedLogger(clock: VirtualClock): { logger: Logger; errors: string[] } {
  const errors: string[] = []
  const logger: Logger = {
    info: () => undefined,
    warning: () => undefined,
    error: m => errors.push(`${clock.now()}: ${m}`),
    debug: () => undefined,
    group: (_t, fn) => fn()
  }
  return { logger, errors }
}

/** A logger that keeps each error with the line of its annotation, and each info line. */
function recordingLogger(): { logger: Logger; errors: Array<[string, number | undefined]>; infos: string[] } {
  const errors: Array<[string, number | undefined]> = []
  const infos: string[] = []
  const logger: Logger = {
    info: m => void infos.push(m),
    warning: () => undefined,
    error: (m, w) => void errors.push([m, w?.line]),
    debug: () => undefined,
    group: (_t, fn) => fn()
  }
  return { logger, errors, infos }
}

/** An API whose status list always rejects with `err`; `calls()` counts the attempts. */
function listRejecting(clock: VirtualClock, err: Error): { api: ConfluentApi; calls: () => number } {
  let n = 0
  const api: ConfluentApi = {
    ...scripted(clock, {}).api,
    list: () => {
      n++
      return Promise.reject(err)
    }
  }
  return { api, calls: () => n }
}

const running = (tasks = 1): Omit<LiveConnector, 'name' | 'config'> => ({
  state: 'RUNNING',
  tasks: Array.from({ length: tasks }, (_, id): TaskInfo => ({ id, state: 'RUNNING' }))
})

describe('wait', () => {
  it('50 connectors on one cluster that run after 60 s cost one list call per round, not one per connector', async () => {
    const clock = new VirtualClock()
    const names = Array.from({ length: 50 }, (_, i) => `c-${i}`)
    const { api, lists } = scripted(
      clock,
      Object.fromEntries(names.map(n => [n, (t: number) => (t >= 60_000 ? running() : { state: 'PROVISIONING', tasks: [] })]))
    )
    const { logger } = timedLogger(clock)
    const out = await clock.run(
      waitForConnectors(
        names.map(n => result(n)),
        { api, clock, logger, timeoutSeconds: 600 }
      )
    )
    expect(out.every(r => r.state === 'RUNNING' && r.error === '' && r.done === 'created')).toBe(true)
    expect(lists.every(l => l.startsWith('env-1/lkc-1?expand=status@'))).toBe(true)
    // Rounds at 2, 5, 9.5, 16.3, 26.4, 41.6, 56.6, 71.6 s: 8 requests for 50 connectors.
    expect(lists).toHaveLength(8)
  })

  it('returns new results and leaves the ones it does not watch as they are', async () => {
    const clock = new VirtualClock()
    const { api, lists } = scripted(clock, { a: () => running() })
    const { logger } = timedLogger(clock)
    const input = [
      result('a'),
      result('same', { planned: 'unchanged', done: 'unchanged', state: 'RUNNING' }),
      result('gone', { planned: 'delete', done: 'deleted' })
    ]
    const out = await clock.run(waitForConnectors(input, { api, clock, logger, timeoutSeconds: 60 }))
    expect(out.map(r => [r.name, r.done, r.state])).toEqual([
      ['a', 'created', 'RUNNING'],
      ['same', 'unchanged', 'RUNNING'],
      ['gone', 'deleted', '']
    ])
    expect(input[0].state).toBe('') // not changed in place
    expect(lists).toHaveLength(1)
    // Nothing watched: no request at all.
    expect(await clock.run(waitForConnectors([input[1]], { api, clock, logger, timeoutSeconds: 60 }))).toEqual([input[1]])
    expect(lists).toHaveLength(1)
  })

  it('a FAILED inside the grace period is not final; after it, FAILED is final with a short trace', async () => {
    const clock = new VirtualClock()
    const trace = 'ConnectException: bad credentials\n\tat a.b.C.run(C.java:1)\n\t... 12 more'
    const { api } = scripted(clock, {
      flaky: t => (t < 10_000 ? { state: 'FAILED', trace: 'transient', tasks: [] } : running()),
      broken: () => ({ state: 'FAILED', trace, tasks: [] })
    })
    const { logger, errors } = timedLogger(clock)
    const out = await clock.run(waitForConnectors([result('flaky'), result('broken')], { api, clock, logger, timeoutSeconds: 600, graceMs: 30_000 }))
    expect(out[0]).toMatchObject({ state: 'RUNNING', error: '', done: 'created' })
    expect(out[1]).toMatchObject({ state: 'FAILED', error: 'connector FAILED: ConnectException: bad credentials', done: 'failed' })
    const failedAt = Number(errors[0].split(':')[0])
    expect(failedAt).toBeGreaterThanOrEqual(30_000)
    expect(failedAt).toBeLessThan(50_000)
  })

  it('a FAILED task under a RUNNING connector fails it with the task’s message', async () => {
    const clock = new VirtualClock()
    const { api, restarts } = scripted(clock, {
      c: () => ({
        state: 'RUNNING',
        tasks: [
          { id: 0, state: 'RUNNING' },
          { id: 1, state: 'FAILED', trace: 'org.apache.kafka.connect.errors.ConnectException: topic t not found\n\tat x.Y(Y.java:1)' }
        ]
      })
    })
    const { logger } = timedLogger(clock)
    const [r] = await clock.run(waitForConnectors([result('c')], { api, clock, logger, timeoutSeconds: 600, graceMs: 30_000 }))
    expect(r.done).toBe('failed')
    expect(r.error).toBe('connector RUNNING with failed task(s): task 1 FAILED: org.apache.kafka.connect.errors.ConnectException: topic t not found')
    expect(restarts).toEqual([]) // restart-failed-tasks defaults to 0
  })

  it('DEGRADED within the grace is a stop on the way up; past it, it fails with the failed task’s trace', async () => {
    const clock = new VirtualClock()
    const degraded = {
      state: 'DEGRADED',
      tasks: [
        { id: 0, state: 'USER_ACTIONABLE_ERROR', trace: 'bad bucket name\n\tat s3.Z(Z.java:9)' },
        { id: 1, state: 'RUNNING' }
      ]
    }
    const { api } = scripted(clock, { up: t => (t < 20_000 ? degraded : running(2)), stays: () => degraded })
    const { logger } = timedLogger(clock)
    const out = await clock.run(waitForConnectors([result('up'), result('stays')], { api, clock, logger, timeoutSeconds: 600, graceMs: 30_000 }))
    expect(out[0]).toMatchObject({ done: 'created', state: 'RUNNING', error: '' })
    expect(out[1]).toMatchObject({
      done: 'failed',
      state: 'DEGRADED',
      error: 'connector DEGRADED with failed task(s): task 0 USER_ACTIONABLE_ERROR: bad bucket name'
    })
  })

  it('validation errors in the status (accepted, then refused) fail the connector with each `key: message`', async () => {
    const clock = new VirtualClock()
    const { api } = scripted(clock, {
      c: () => ({
        state: 'FAILED',
        trace: 'Unable to validate configuration.',
        tasks: [],
        validationErrors: ['aws.access.key.id: The AWS credentials are invalid.', 's3.bucket.name: Bucket does not exist.']
      })
    })
    const { logger } = timedLogger(clock)
    const [created, updated] = await clock.run(
      waitForConnectors([result('c'), result('c', { planned: 'update', done: 'updated', environment_id: 'env-2' })], {
        api,
        clock,
        logger,
        timeoutSeconds: 600,
        graceMs: 10_000
      })
    )
    for (const r of [created, updated]) {
      expect(r.done).toBe('failed')
      expect(r.error).toContain('aws.access.key.id: The AWS credentials are invalid.')
      expect(r.error).toContain('s3.bucket.name: Bucket does not exist.')
    }
    // A new connector has no previous config to keep running; an updated one does.
    expect(created.error).toMatch(/^the cloud refused the config after accepting it, and the new connector does not run/)
    expect(updated.error).toMatch(/^the cloud kept the previous config/)
  })

  it('a failure from validation errors is annotated on the line of the first key they name that the file has', async () => {
    const clock = new VirtualClock()
    const refused = (): Omit<LiveConnector, 'name' | 'config'> => ({
      state: 'FAILED',
      trace: 'Unable to validate configuration.',
      tasks: [],
      validationErrors: ['topics.regex: not in the file', 's3.bucket.name: Bucket does not exist.', 'aws.access.key.id: invalid']
    })
    const { api } = scripted(clock, { a: refused, b: refused, c: () => ({ state: 'FAILED', trace: 'boom', tasks: [] }) })
    const { logger, errors } = recordingLogger()
    const keyLines = { name: 2, 'aws.access.key.id': 5, 's3.bucket.name': 9 }
    await clock.run(
      waitForConnectors([result('a', { line: 1, keyLines }), result('b', { line: 1 }), result('c', { line: 1, keyLines })], {
        api,
        clock,
        logger,
        timeoutSeconds: 600,
        graceMs: 10_000
      })
    )
    // a: the first named key the file has (topics.regex is not in it); b: no key lines known; c: no validation errors.
    expect(errors.map(([m, line]) => [m.split(':')[0], line]).sort()).toEqual([
      ['a', 9],
      ['b', 1],
      ['c', 1]
    ])
  })

  it('a timeout inside the grace still annotates the named key and tells a new connector from an updated one', async () => {
    const clock = new VirtualClock()
    const refused = (): Omit<LiveConnector, 'name' | 'config'> => ({
      state: 'FAILED',
      trace: 'Unable to validate configuration.',
      tasks: [],
      validationErrors: ['s3.bucket.name: Bucket does not exist.']
    })
    const { api } = scripted(clock, { n: refused })
    const { logger, errors } = recordingLogger()
    // wait-timeout (5 s) shorter than the grace (30 s): the failure is the timeout, with what was last seen.
    const [r] = await clock.run(
      waitForConnectors([result('n', { line: 1, keyLines: { 's3.bucket.name': 7 } })], { api, clock, logger, timeoutSeconds: 5, graceMs: 30_000 })
    )
    expect(r.error).toMatch(
      /^timed out after 5 s waiting for RUNNING \(state FAILED\); last seen: the cloud refused the config after accepting it, and the new connector does not run/
    )
    expect(errors.map(([, line]) => line)).toEqual([7])
  })

  it('an unchanged connector the list showed FAILED is rechecked with its grace from now, and no PUT is claimed', () => {
    const unchanged = baseResult({ name: 'u', planned: 'unchanged', done: 'unchanged' })
    const [r] = recheckUnchanged([unchanged], new Map([[resultKey(unchanged), { name: 'u', config: {}, state: 'FAILED', tasks: [] }]]), 7_000)
    expect(r).toMatchObject({ recheck: true, graceFrom: 7_000 })
    expect(r.appliedAt).toBeUndefined()
    // Failing its wait does not make the run one that changed something: no PUT was sent for it.
    expect(hasChanges(outcome([{ ...r, done: 'failed', error: 'connector FAILED: x' }]))).toBe(false)
    expect(hasChanges(outcome([{ ...r, appliedAt: 7_500, done: 'failed', error: 'connector FAILED: x' }]))).toBe(true)
  })

  it("stops at once when the API's rate-limit wait ends after the deadline (no status can come in time)", async () => {
    const clock = new VirtualClock()
    const { api: held, calls } = listRejecting(
      clock,
      Object.assign(new Error('GET /x: the rate-limit wait would end after the deadline'), { code: 'EDEADLINE' })
    )
    const { logger } = timedLogger(clock)
    const [r] = await clock.run(waitForConnectors([result('held-src')], { api: held, clock, logger, timeoutSeconds: 600 }))
    expect(calls()).toBe(1)
    expect(clock.now()).toBeLessThan(60_000)
    expect(r.done).toBe('failed')
    expect(r.error).toMatch(
      /^stopped waiting for RUNNING \(state unknown\); the API's rate-limit wait ends after the wait's deadline, so no status can come in time/
    )
  })

  it('a wait that ends while the status cannot be read says why, not "state unknown"', async () => {
    const clock = new VirtualClock()
    const { api: failing, calls } = listRejecting(clock, new Error('HTTP 500: status store unavailable'))
    const { logger, infos } = recordingLogger()
    const [r] = await clock.run(waitForConnectors([result('new-src')], { api: failing, clock, logger, timeoutSeconds: 40 }))
    expect(calls()).toBeGreaterThan(1)
    expect(r.done).toBe('failed')
    expect(r.error).toBe('timed out after 40 s waiting for RUNNING (state unknown); the last status call failed: HTTP 500: status store unavailable')
    expect(infos.some(m => m.includes('new-src (status unavailable)'))).toBe(true)
    expect(infos.some(m => m.includes('not listed yet'))).toBe(false)
  })

  it('a connector missing from the list just after its create is not gone; missing past the grace is a failure', async () => {
    const clock = new VirtualClock()
    const { api } = scripted(clock, { late: t => (t < 8_000 ? undefined : running()), never: () => undefined })
    const { logger } = timedLogger(clock)
    const out = await clock.run(waitForConnectors([result('late'), result('never')], { api, clock, logger, timeoutSeconds: 600, graceMs: 30_000 }))
    expect(out[0]).toMatchObject({ done: 'created', state: 'RUNNING', error: '' })
    expect(out[1]).toMatchObject({ done: 'failed', error: 'the connector is not in the list of the cluster' })
  })

  it('counts the grace from each connector’s own PUT (appliedAt), not from the start of the wait', async () => {
    const clock = new VirtualClock()
    const { api } = scripted(clock, { early: () => ({ state: 'FAILED', tasks: [] }), late: () => ({ state: 'FAILED', tasks: [] }) })
    const { logger, errors } = timedLogger(clock)
    await clock.run(
      waitForConnectors([result('early', { appliedAt: 0 }), result('late', { appliedAt: 60_000 })], {
        api,
        clock,
        logger,
        timeoutSeconds: 600,
        graceMs: 30_000
      })
    )
    const at = (name: string): number => Number(errors.find(e => e.includes(` ${name}:`))?.split(':')[0])
    expect(at('early')).toBeGreaterThanOrEqual(30_000)
    // Rounds at 2, 5, 9.5, 16.3, 26.4, 41.4, 56.4, ... s: the first after 30 s is 41.4 s.
    expect(at('early')).toBeLessThan(60_000)
    expect(at('late')).toBeGreaterThanOrEqual(90_000)
  })

  it('restart-failed-tasks restarts a FAILED task under a RUNNING connector; a recovered task ends ok with the restart counted', async () => {
    const clock = new VirtualClock()
    const { api, restarts } = scripted(clock, {
      c: (_t, n) => (n === 0 ? { state: 'RUNNING', tasks: [{ id: 0, state: 'FAILED', trace: 'timeout talking to the database' }] } : running())
    })
    const { logger } = timedLogger(clock)
    const [r] = await clock.run(waitForConnectors([result('c')], { api, clock, logger, timeoutSeconds: 600, graceMs: 5_000, restartFailedTasks: 2 }))
    expect(restarts).toHaveLength(1)
    expect(restarts[0]).toMatch(/^c\/0@/)
    expect(r).toMatchObject({ done: 'created', state: 'RUNNING', error: '', restarts: 1 })
    expect(r.restartLog).toEqual(['task 0: timeout talking to the database'])
  })

  it('stops restarting after restart-failed-tasks restarts and then fails', async () => {
    const clock = new VirtualClock()
    const { api, restarts } = scripted(clock, { c: () => ({ state: 'RUNNING', tasks: [{ id: 0, state: 'FAILED', trace: 'still broken' }] }) })
    const { logger } = timedLogger(clock)
    const [r] = await clock.run(waitForConnectors([result('c')], { api, clock, logger, timeoutSeconds: 600, graceMs: 5_000, restartFailedTasks: 2 }))
    expect(restarts).toHaveLength(2)
    expect(r).toMatchObject({ done: 'failed', restarts: 2, error: 'connector RUNNING with failed task(s): task 0 FAILED: still broken' })
  })

  it('never restarts the tasks of a FAILED connector (the API answers 400 unless RUNNING)', async () => {
    const clock = new VirtualClock()
    const { api, restarts } = scripted(clock, {
      c: () => ({ state: 'FAILED', trace: 'connector broken', tasks: [{ id: 0, state: 'FAILED', trace: 'task broken' }] })
    })
    const { logger } = timedLogger(clock)
    const [r] = await clock.run(waitForConnectors([result('c')], { api, clock, logger, timeoutSeconds: 600, graceMs: 5_000, restartFailedTasks: 3 }))
    expect(restarts).toEqual([])
    expect(r).toMatchObject({ done: 'failed', restarts: 0, error: 'connector FAILED: connector broken' })
  })

  it('a declared PAUSED waits for PAUSED: RUNNING (the pause acts later) is not yet done', async () => {
    const clock = new VirtualClock()
    const { api, lists } = scripted(clock, { p: t => (t < 6_000 ? running() : { state: 'PAUSED', tasks: [{ id: 0, state: 'PAUSED' }] }) })
    const { logger } = timedLogger(clock)
    const input = result('p', { planned: 'unchanged', done: 'unchanged', state: 'RUNNING', stateChange: 'pause', stateChanged: true })
    const [r] = await clock.run(waitForConnectors([input], { api, clock, logger, timeoutSeconds: 600 }))
    expect(r).toMatchObject({ done: 'unchanged', state: 'PAUSED', error: '' })
    expect(lists.length).toBeGreaterThanOrEqual(3) // 2 s and 5 s still RUNNING
    // Never PAUSED: times out waiting for PAUSED.
    const clock2 = new VirtualClock()
    const stuck = scripted(clock2, { p: () => running() })
    const [r2] = await clock2.run(waitForConnectors([input], { api: stuck.api, clock: clock2, logger, timeoutSeconds: 30 }))
    expect(r2).toMatchObject({ done: 'failed', error: 'timed out after 30 s waiting for PAUSED (state RUNNING)' })
  })

  it('times out connectors that never leave PROVISIONING, at the deadline', async () => {
    const clock = new VirtualClock()
    const { api, lists } = scripted(clock, { stuck: () => ({ state: 'PROVISIONING', tasks: [] }) })
    const { logger } = timedLogger(clock)
    const [r] = await clock.run(waitForConnectors([result('stuck')], { api, clock, logger, timeoutSeconds: 120 }))
    expect(r.error).toBe('timed out after 120 s waiting for RUNNING (state PROVISIONING)')
    expect(clock.now()).toBe(120_000)
    expect(lists.length).toBeLessThanOrEqual(14)
  })

  it("a timeout names the tasks whose state differs from the connector's (RUNNING with a FAILED task is not done)", async () => {
    const clock = new VirtualClock()
    const failedTask = () => ({
      state: 'RUNNING',
      tasks: [
        { id: 0, state: 'RUNNING' },
        { id: 1, state: 'FAILED', trace: 'boom' }
      ]
    })
    const { api } = scripted(clock, { half: failedTask })
    const { logger } = timedLogger(clock)
    // A wait-timeout shorter than the 30 s grace: the FAILED task is not final yet when time is up.
    const [r] = await clock.run(waitForConnectors([result('half')], { api, clock, logger, timeoutSeconds: 10 }))
    expect(r.error).toMatch(/^timed out after 10 s waiting for RUNNING \(state RUNNING, task 1 FAILED\); last seen: /)
    // ... and says why it was not judged (or restarted), and what to change.
    expect(r.error).toMatch(
      /; the wait ended within the 30 s after the PUT in which a FAILED may still pass, so it was not judged final and no task was restarted: a longer wait-timeout lets it be$/
    )
  })

  it('a status list cut short by the wait\'s deadline is no warning that it is "trying again"', async () => {
    const clock = new VirtualClock()
    const warnings: string[] = []
    const api: ConfluentApi = {
      ...scripted(clock, {}).api,
      list: async () => {
        await clock.sleep(60_000) // the list outlives the wait, and the engine gives up at the deadline
        throw Object.assign(new Error('GET /connectors: the deadline has passed'), { code: 'EDEADLINE' })
      }
    }
    const logger: Logger = { ...timedLogger(clock).logger, warning: m => warnings.push(m) }
    const [r] = await clock.run(waitForConnectors([result('slow')], { api, clock, logger, timeoutSeconds: 10 }))
    expect(r.error).toMatch(/^timed out after 10 s/)
    expect(warnings).toEqual([])
  })

  it('ends at the run deadline and says so', async () => {
    const clock = new VirtualClock()
    const { api } = scripted(clock, { stuck: () => ({ state: 'PROVISIONING', tasks: [] }) })
    const { logger } = timedLogger(clock)
    const [r] = await clock.run(waitForConnectors([result('stuck')], { api, clock, logger, timeoutSeconds: 600, runDeadline: 20_000 }))
    expect(clock.now()).toBe(20_000)
    expect(r.error).toBe('run-timeout reached waiting for RUNNING (state PROVISIONING)')
  })

  it('redacts a trace before cutting it, so no part of a secret survives the cut', async () => {
    const clock = new VirtualClock()
    const secret = 'Sup3rS3cretPassw0rdValue'
    const trace = `${'x'.repeat(975)} password=${secret} rest` // the 1,000-character cut falls inside the secret
    const { api } = scripted(clock, { pg: () => ({ state: 'FAILED', trace, tasks: [] }) })
    const { logger } = timedLogger(clock)
    const redact = (t: string): string => t.split(secret).join('***')
    const [r] = await clock.run(waitForConnectors([result('pg')], { api, clock, logger, timeoutSeconds: 60, graceMs: 0, redact }))
    expect(r.state).toBe('FAILED')
    expect(r.error).not.toContain(secret.slice(0, 8))
  })

  it('shortens a Java trace to its message lines', () => {
    expect(shortenTrace('E: boom\n\tat x.Y(Y.java:1)\nCaused by: Z: why\n\t... 3 more\n')).toBe('E: boom\nCaused by: Z: why')
  })
})
