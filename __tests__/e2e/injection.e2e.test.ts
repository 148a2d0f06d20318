// Workflow-command injection from the server (issue "Hostile input and hostile servers", item 5): a
// newline in a server-sent connector state, trace or task message must not start a line of the log
// with `::` (the runner would read it as a command: a fake annotation, or `::stop-commands::` that
// swallows the real `::error` annotations after it). Every log line defuses what came from a server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeConfluent, type FakeConfluent } from '../../test-support/fake-confluent/index.js'
import { makeWorkspace, runAction } from '../../test-support/run-action.js'

const ENV = 'env-inj001'
const CLUSTER = 'lkc-inj001'
const HOSTILE = 'PROVISIONING\n::warning file=README.md,line=1::Plan approved\n::stop-commands::x\n##[error]fake'
let fake: FakeConfluent
beforeAll(async () => {
  fake = await startFakeConfluent({ credentials: [{ key: 'INJKEY', secret: 'inj-secret' }] })
  fake.addCluster(ENV, CLUSTER)
  fake.seed(
    ENV,
    CLUSTER,
    'odd-state',
    { name: 'odd-state', 'connector.class': 'DatagenSource', 'kafka.topic': 'a', 'kafka.api.key': 'K', 'kafka.api.secret': 'inj-kafka' },
    { state: HOSTILE, trace: HOSTILE }
  )
})
afterAll(async () => fake.close())

describe('server text cannot issue workflow commands', () => {
  it('an API error message with newlines and `::` lines: no fake annotation, no stop-commands, the real error annotation is there', async () => {
    // The PUT's 400 message is printed in the progress line of the log (core.info writes text raw).
    fake.inject({
      method: 'PUT',
      pathIncludes: '/connectors/odd-state/config',
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error_code: 400, message: HOSTILE })
    })
    const workspace = makeWorkspace({ 'connectors/odd.json': JSON.stringify({ name: 'odd-state', 'connector.class': 'DatagenSource', 'kafka.topic': 'b' }) })
    const run = await runAction({
      inputs: {
        'api-url': fake.url,
        'api-key': 'INJKEY',
        'api-secret': 'inj-secret',
        'environment-id': ENV,
        'kafka-cluster-id': CLUSTER,
        'kafka-api-key': 'K',
        'kafka-api-secret': 'inj-kafka',
        'wait-timeout': '3'
      },
      workspace
    })
    expect(run.code).toBe(1)
    const lines = run.stdout.split('\n')
    expect(lines.filter(l => /^\s*::(warning|stop-commands)/.test(l))).toEqual([])
    expect(lines.filter(l => /^\s*##\[/.test(l))).toEqual([])
    expect(run.annotations.filter(a => a.file === 'README.md')).toEqual([])
    // The real failure still arrives as an annotation on the file.
    expect(run.annotations).toContainEqual(expect.objectContaining({ level: 'error', file: 'connectors/odd.json' }))
    // The message is in the log all the same, defused, and in the summary, escaped.
    expect(run.stdout).toContain('Plan approved')
    expect(run.summaryText).toContain('Plan approved')
    expect(run.summary.split('\n').filter(l => l.startsWith('::'))).toEqual([])
  })
})

describe('the older `##[` command form, control and invisible characters', () => {
  it('`##[` in the middle of a line (a file name, a server name, an API message) is broken; ESC and bidi controls are shown as \\uXXXX', async () => {
    // The runner finds `##[command]` anywhere in a line (actions/runner, ActionCommand.TryParse), not only at
    // its start: a connector named `orders-old ##[stop-commands]pwn` made by hand would stop every command
    // after it, the add-mask of a renewed token included.
    const env = 'env-inj002'
    const cluster = 'lkc-inj002'
    fake.addCluster(env, cluster)
    fake.seed(env, cluster, 'orders-old ##[stop-commands]pwn', {
      name: 'orders-old ##[stop-commands]pwn',
      'connector.class': 'DatagenSource',
      'kafka.topic': 'o'
    })
    const message = 'bad value \u001b[2K\u001b[1G ##[warning]forged ##[add-mask]x'
    fake.inject({
      method: 'PUT',
      pathIncludes: '/connectors/orders-refused/config',
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error_code: 400, message })
    })
    const workspace = makeWorkspace({
      'connectors/a.json': JSON.stringify([
        { name: 'orders-##[error]legacy-inject', 'connector.class': 'DatagenSource', 'kafka.topic': 'a' },
        { name: 'orders-refused', 'connector.class': 'DatagenSource', 'kafka.topic': 'b' },
        { name: 'orders-bidi\u202egnp.exe', 'connector.class': 'DatagenSource', 'kafka.topic': 'c' }
      ])
    })
    const run = await runAction({
      inputs: {
        'api-url': fake.url,
        'api-key': 'INJKEY',
        'api-secret': 'inj-secret',
        'environment-id': env,
        'kafka-cluster-id': cluster,
        'kafka-api-key': 'K',
        'kafka-api-secret': 'inj-kafka',
        prune: 'true',
        'prune-match': 'orders-*',
        wait: 'false'
      },
      workspace
    })
    expect(run.code).toBe(1) // orders-refused failed; the others were applied and the hand-made one deleted
    expect(fake.connector(env, cluster, 'orders-old ##[stop-commands]pwn')).toBeUndefined()
    const out = run.stdout + run.stderr
    expect(out.split('\n').filter(l => l.includes('##['))).toEqual([])
    expect(out).toContain('#\u200b#[stop-commands]pwn')
    expect(out).not.toContain('\u001b')
    expect(out).toContain('\\u001b[2K')
    expect(out).not.toContain('\u202e')
    expect(out).toContain('orders-bidi\\u202egnp.exe')
    // The summary shows the override too, and never obeys it.
    expect(run.summary).not.toContain('\u202e')
    expect(run.summaryText).toContain('\\u202egnp.exe')
  })
})
