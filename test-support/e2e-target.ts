// The set-up the end-to-end tests share: a fake Confluent Cloud that accepts one API key and knows one
// cluster, closed by a jest hook, and the action's inputs that point the bundle at it.
import { afterAll, afterEach } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent, type FakeOptions } from './fake-confluent/index.js'

/** The cloud a test file talks to: its API key and secret, environment and cluster, and the Kafka
 * API key and secret the action puts into each connector's config. */
export interface Target {
  key: string
  secret: string
  env: string
  cluster: string
  kafkaKey: string
  kafkaSecret: string
}

/** The inputs of a run against `target` on the fake at `url`: api-url, the API key and secret, the
 * environment, the cluster and the Kafka key and secret; `extra` adds inputs or replaces these. */
export function targetInputs(url: string, target: Target, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'api-url': url,
    'api-key': target.key,
    'api-secret': target.secret,
    'environment-id': target.env,
    'kafka-cluster-id': target.cluster,
    'kafka-api-key': target.kafkaKey,
    'kafka-api-secret': target.kafkaSecret,
    ...extra
  }
}

/**
 * A starter of fakes that accept the target's API key and know its cluster (`opts` on top). Every
 * fake it started is closed after the file (`after: 'all'`, for fakes started in `beforeAll`) or
 * after each test (`after: 'each'`). Call it at the top level of a test file: it registers the hook.
 */
export function fakeStarter(
  target: Pick<Target, 'key' | 'secret' | 'env' | 'cluster'>,
  after: 'all' | 'each' = 'all'
): (opts?: FakeOptions) => Promise<FakeConfluent> {
  const started: FakeConfluent[] = []
  const closeAll = async (): Promise<void> => {
    await Promise.all(started.splice(0).map(f => f.close()))
  }
  if (after === 'all') afterAll(closeAll)
  else afterEach(closeAll)
  return async (opts = {}) => {
    const f = await startFakeConfluent({ credentials: [{ key: target.key, secret: target.secret }], ...opts })
    started.push(f)
    f.addCluster(target.env, target.cluster)
    return f
  }
}
