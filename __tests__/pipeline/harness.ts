// In-process pipeline harness: runPipeline (src/pipeline.ts) with the real node transport against the
// fake Confluent Cloud on 127.0.0.1, settings read through the action's own input table, a capturing
// logger and a warp clock. Not a test file (jest matches *.test.ts only).
import { afterEach } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readSettings, type InputName } from '../../src/action/inputs.js'
import { nodeTransport } from '../../src/http/transport.js'
import type { Clock, Outcome, Settings } from '../../src/model/types.js'
import { runPipeline } from '../../src/pipeline.js'
import { Redactor } from '../../src/secrets/redactor.js'
import { capture } from '../../test-support/capture-logger.js'
import { startFakeConfluent, type FakeConfluent, type FakeOptions } from '../../test-support/fake-confluent/index.js'

export const ENV = 'env-p1'
export const CLUSTER = 'lkc-p1'
export const KAFKA_SECRET = 'kafka-input-secret-0001'

/**
 * A clock whose sleeps return at once and move its time forward by the time slept: the wait's rounds
 * (2 s, 3 s, ... 15 s) and its 30 s grace pass in milliseconds, and the fake (handed `now`) sees the
 * same time, so provisioning, list lag and delayed pause follow it. Concurrent sleeps all add up, so
 * time moves at least as fast as any one sleeper expects; it never goes back. Request time-outs stay
 * real (the transport's own timer).
 */
export class WarpClock implements Clock {
  private skipped = 0
  now(): number {
    return Date.now() + this.skipped
  }
  sleep(ms: number): Promise<void> {
    this.skipped += Number.isFinite(ms) && ms > 0 ? ms : 0
    return new Promise(resolve => setImmediate(resolve))
  }
}

export interface Harness {
  fake: FakeConfluent
  clock: WarpClock
  workspace: string
  /** Writes a connector file below the workspace (JSON of `doc`). */
  file(rel: string, doc: unknown): void
  remove(rel: string): void
  /** Settings as the action reads them from these inputs (api-url, keys and cluster filled in). */
  settings(inputs?: Partial<Record<InputName, string>>): Settings
  /** Runs the pipeline; returns the outcome, the log lines and the redactor it used. */
  run(inputs?: Partial<Record<InputName, string>>): Promise<{ outcome: Outcome; lines: string[]; redactor: Redactor }>
  close(): Promise<void>
}

/** Starts the fake (defaults as the cloud unless `opts` says otherwise) with one cluster, and a workspace. */
export async function harness(opts: FakeOptions = {}): Promise<Harness> {
  const clock = new WarpClock()
  const fake = await startFakeConfluent({ now: () => clock.now(), ...opts })
  fake.addCluster(ENV, CLUSTER)
  const workspace = mkdtempSync(path.join(tmpdir(), 'apply-connectors-pipeline-'))
  const transport = nodeTransport()
  const settings = (inputs: Partial<Record<InputName, string>> = {}): Settings =>
    readSettings(
      name =>
        ({
          'api-url': fake.url,
          'api-key': 'test-key',
          'api-secret': 'test-secret',
          'environment-id': ENV,
          'kafka-cluster-id': CLUSTER,
          'kafka-api-key': 'KAFKAKEY1',
          'kafka-api-secret': KAFKA_SECRET,
          comment: 'false',
          'max-retries': '1',
          'wait-timeout': '300',
          ...inputs
        })[name] ?? '',
      { workspace, version: '0.0.0-test' }
    )
  return {
    fake,
    clock,
    workspace,
    file(rel, doc) {
      const abs = path.join(workspace, rel)
      mkdirSync(path.dirname(abs), { recursive: true })
      writeFileSync(abs, JSON.stringify(doc, null, 2))
    },
    remove(rel) {
      rmSync(path.join(workspace, rel))
    },
    settings,
    async run(inputs = {}) {
      const { logger, lines } = capture()
      const redactor = new Redactor()
      const outcome = await runPipeline(settings(inputs), { logger, clock, transport, redactor, random: () => 0.5 })
      return { outcome, lines, redactor }
    },
    async close() {
      await fake.close()
      rmSync(workspace, { recursive: true, force: true })
    }
  }
}

/** A starter of harnesses (the arguments of `harness`); every harness it started is closed after each
 * test. Call it at the top level of a test file: it registers the hook. */
export function harnessStarter(): (...args: Parameters<typeof harness>) => Promise<Harness> {
  const open: Harness[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map(h => h.close()))
  })
  return async (...args) => {
    const h = await harness(...args)
    open.push(h)
    return h
  }
}

/** `name action` of each result, in order (`action`: done in an apply, planned in a dry run). */
export function verbs(outcome: Outcome): string[] {
  return outcome.results.map(r => `${r.name} ${outcome.dryRun ? r.planned : (r.done ?? r.planned)}`)
}

/** Requests that change something: PUT of a config, pause, resume, DELETE (not validate, not GET). */
export function changes(fake: FakeConfluent): string[] {
  return fake.requests
    .filter(r => (r.method === 'PUT' && !r.path.includes('/connector-plugins/')) || r.method === 'DELETE' || r.method === 'POST')
    .map(r => `${r.method} ${r.path.replace(/^.*\/connectors\/?/, '')}`)
}
