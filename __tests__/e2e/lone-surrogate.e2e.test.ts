// A lone surrogate in a password or a `secrets` value (issue "Hostile input", item 10) used to crash the
// run with a URIError. Now: an unused one changes nothing, and one substituted into a file is a located
// error before any request (strings that are not well-formed Unicode are refused, product.md).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction } from '../../test-support/run-action.js'

const ENV = 'env-surr01'
const CLUSTER = 'lkc-surr01'
let fake: FakeConfluent
beforeAll(async () => {
  fake = await startFakeConfluent({ credentials: [{ key: 'SURRKEY', secret: 'surr-secret' }] })
  fake.addCluster(ENV, CLUSTER)
})
afterAll(async () => fake.close())

const inputs = (secrets: string): Record<string, string> => ({
  'api-url': fake.url,
  'api-key': 'SURRKEY',
  'api-secret': 'surr-secret',
  'environment-id': ENV,
  'kafka-cluster-id': CLUSTER,
  'kafka-api-key': 'K',
  'kafka-api-secret': 'surr-kafka-secret',
  'dry-run': 'true',
  secrets
})

describe('lone surrogates', () => {
  it('an unused secret holding a lone surrogate: no crash, the plan is written', async () => {
    const workspace = makeWorkspace({ 'connectors/a.json': JSON.stringify({ name: 'a', 'connector.class': 'DatagenSource' }) })
    const run = await runAction({ inputs: inputs('{"BROKEN":"pw-\\udc00-tail","OK":"fine-value"}'), workspace })
    expect(run.stderr).not.toMatch(/URIError|crashed/)
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.created)).toEqual(['a'])
    expect(run.summary).toContain('Connector plan')
  })

  it('a secret with a lone surrogate substituted into a file: a located error, nothing sent', async () => {
    const workspace = makeWorkspace({
      'connectors/a.json': '{\n  "name": "a",\n  "connector.class": "DatagenSource",\n  "database.password": "${{ secrets.BROKEN }}"\n}\n'
    })
    fake.resetLog()
    const run = await runAction({ inputs: inputs('{"BROKEN":"pw-\\ud800"}'), workspace })
    expect(run.code).toBe(1)
    expect(fake.requests).toEqual([])
    expect(run.annotations).toContainEqual(expect.objectContaining({ level: 'error', file: 'connectors/a.json', line: 4 }))
    expect(run.stderr).not.toMatch(/URIError|crashed/)
  })
})
