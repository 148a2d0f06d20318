// runPipeline in-process: what the wait makes of the cloud's behaviours (as the fake's defaults follow
// them), and which values the redactor learns before anything is printed.
import { describe, expect, it } from '@jest/globals'
import { UNABLE_TO_VALIDATE } from '../../test-support/fake-confluent/index.js'
import { changes, CLUSTER, ENV, harnessStarter, KAFKA_SECRET } from './harness.js'

const start = harnessStarter()

const s3 = (name: string, bucket: string) => ({
  name,
  config: {
    'connector.class': 'S3_SINK',
    topics: 'orders',
    's3.bucket.name': bucket,
    'aws.access.key.id': 'AKIAEXAMPLE',
    'aws.secret.access.key': '${{ secrets.AWS_SECRET }}',
    'tasks.max': 1
  }
})

describe('wait', () => {
  it('waits through PROVISIONING and the list lag of the cloud (fake defaults) until RUNNING', async () => {
    const h = await start() // provisioning 800 ms, list lag 1000 ms: by the warp clock
    h.file('connectors/a.json', s3('a', 'bucket-a'))
    const { outcome } = await h.run({ secrets: 'AWS_SECRET=aws-secret-value-1' })
    expect(outcome.waited).toBe(true)
    expect(outcome.results).toEqual([expect.objectContaining({ name: 'a', done: 'created', state: 'RUNNING', error: '' })])
    expect(outcome.results[0].tasks.every(t => t.state === 'RUNNING')).toBe(true)
    expect(outcome.failed).toBe(false)
  })

  it('a config the cloud accepts and then refuses (validation errors in the status) fails with each key and message', async () => {
    const h = await start({
      rejectOnRun: (_name, config) => (config['s3.bucket.name'] === 'no-such-bucket' ? ['s3.bucket.name: The bucket does not exist.'] : undefined)
    })
    h.file('connectors/bad.json', s3('bad', 'no-such-bucket'))
    h.file('connectors/good.json', s3('good', 'bucket-ok'))
    const { outcome } = await h.run({ secrets: 'AWS_SECRET=aws-secret-value-1', validate: 'false' })
    const bad = outcome.results.find(r => r.name === 'bad')
    // The PUT was answered 200: the connector was "created", and only the wait finds it refused.
    expect(h.fake.requests.find(r => r.method === 'PUT' && r.path.endsWith('/bad/config'))?.status).toBe(200)
    expect(h.fake.connector(ENV, CLUSTER, 'bad')?.trace).toContain(UNABLE_TO_VALIDATE)
    expect(bad).toMatchObject({ done: 'failed', state: 'FAILED' })
    expect(bad?.error).toContain('s3.bucket.name: The bucket does not exist.')
    expect(outcome.results.find(r => r.name === 'good')).toMatchObject({ done: 'created', state: 'RUNNING', error: '' })
    expect(outcome.failed).toBe(true)
  })

  it('with wait off, says the states are not verified', async () => {
    const h = await start({ provisioningMs: 100, listLagMs: 0 })
    h.file('connectors/a.json', s3('a', 'bucket-a'))
    const { outcome } = await h.run({ secrets: 'AWS_SECRET=aws-secret-value-1', wait: 'false' })
    expect(outcome.waited).toBe(false)
    expect(outcome.results[0]).toMatchObject({ done: 'created', unverified: true })
    expect(h.fake.requests.filter(r => r.method === 'GET')).toHaveLength(1) // the plan's list only
  })
})

describe('secrets', () => {
  it('registers kafka.api.secret and the catalogue’s PASSWORD keys after one validate per class, and prints none', async () => {
    const h = await start({ provisioningMs: 100, listLagMs: 0 })
    // Literal values on purpose: only the policy (name, catalogue) can know they are secret.
    // azblob.account.name is PASSWORD for AzureBlobSink in the plugin catalogue although its name looks
    // harmless: only validate's answer can tell.
    const az = (name: string, container: string) => ({
      name,
      config: {
        'connector.class': 'AzureBlobSink',
        topics: 'orders',
        'azblob.account.name': 'plainlookingaccount77',
        'azblob.account.key': 'azure-account-key-literal-0001',
        'azblob.container.name': container,
        'kafka.api.key': 'FILEKAFKAKEY',
        'kafka.api.secret': 'file-kafka-secret-literal-0001',
        'tasks.max': 1
      }
    })
    h.file('connectors/az1.json', az('az1', 'c1'))
    h.file('connectors/az2.json', az('az2', 'c2'))
    const { outcome, lines, redactor } = await h.run({ wait: 'false' })
    expect(h.fake.requests.filter(r => r.path.endsWith('/connector-plugins/AzureBlobSink/config/validate'))).toHaveLength(1)
    for (const secret of ['plainlookingaccount77', 'azure-account-key-literal-0001', 'file-kafka-secret-literal-0001', KAFKA_SECRET]) {
      expect(redactor.has(secret)).toBe(true)
      expect(JSON.stringify(outcome)).not.toContain(secret)
      expect(lines.join('\n')).not.toContain(secret)
    }
    expect(redactor.has('c1')).toBe(false)
    const accountName = outcome.results[0].changes.find(c => c.key === 'azblob.account.name')
    expect(accountName).toEqual({ key: 'azblob.account.name', kind: 'added', sensitive: true })
    expect(changes(h.fake)).toEqual(['PUT az1/config', 'PUT az2/config'])
    // The validate came before the first PUT.
    const order = h.fake.requests.map(r => r.path.split('/').slice(-2).join('/'))
    expect(order.indexOf('config/validate')).toBeLessThan(order.indexOf('az1/config'))
  })
})
