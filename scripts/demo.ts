// `npm run demo`: starts the local fake Confluent Cloud on 127.0.0.1, runs the built action
// (dist/index.js) twice on examples/connectors/ the way the runner would, prints each job summary
// readably with the requests each run sent, and stops the fake. No network beyond loopback.
// The fake behaves like the cloud by default (provisioning, list lag after a create, one validate per
// connector class before the PUTs); one connector shows FAILED for a while after its create and then
// runs, as real ones sometimes do, and the wait (on, as the contract's default) sees it through.
// A connector on the cluster that no file declares is listed as unmanaged.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { startFakeConfluent, type RequestLogEntry } from '../test-support/fake-confluent/index.js'
import { makeWorkspace, ROOT, runAction } from '../test-support/run-action.js'

const ENV = 'env-demo01'
/** Where each run's job summary is kept as the Markdown GitHub renders (.tmp/ is not committed). */
const SUMMARY_DIR = path.join(ROOT, '.tmp', 'demo')

/** Writes a run's job summary to SUMMARY_DIR and returns its path relative to the repository. */
function keepSummary(run: number, markdown: string): string {
  mkdirSync(SUMMARY_DIR, { recursive: true })
  const file = path.join(SUMMARY_DIR, `run-${run}-summary.md`)
  writeFileSync(file, markdown)
  return path.relative(ROOT, file)
}
const CLUSTER = 'lkc-demo01'

/** Markdown + HTML summary -> plain terminal text. */
export function toTerminal(md: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' }
  return md
    .replace(/<br>/g, ' / ')
    .replace(/<\/?(code|sub|details|b)>/g, '')
    .replace(/<summary>(.*?)<\/summary>/g, '  ▸ $1')
    .replace(/^\|---.*\n/gm, '')
    .replace(/^## (.*)$/gm, (_m, t: string) => `${t}\n${'='.repeat(t.length)}`)
    .replace(/^### (.*)$/gm, (_m, t: string) => `${t}\n${'-'.repeat(t.length)}`)
    .replace(/\*\*(.*?)\*\*/g, '$1')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&(amp|lt|gt|quot);/g, (_m, n: string) => entities[n])
    .replace(/\n{3,}/g, '\n\n')
}

/** The action's own log lines (workflow commands such as `::add-mask::` left out), indented. */
function logLines(stdout: string): string {
  return `${stdout
    .split('\n')
    .filter(l => l.trim() !== '' && !l.startsWith('::'))
    .map(l => `  ${l}`)
    .join('\n')}\n`
}

/** One line per request: time since the first (by the fake's clock), method, path, status. */
function printRequests(requests: RequestLogEntry[]): void {
  const t0 = requests[0]?.time ?? 0
  for (const r of requests) {
    const where = decodeURIComponent(r.path).replace(`/connect/v1/environments/${ENV}/clusters/${CLUSTER}`, '…')
    console.log(`  ${String(r.time - t0).padStart(6)} ms  ${r.method.padEnd(6)} ${where}${r.query ? `?${r.query}` : ''} -> ${r.status}`)
  }
  console.log('')
}

async function main(): Promise<void> {
  const fake = await startFakeConfluent({
    credentials: [{ key: 'DEMOKEY', secret: 'demo-cloud-secret' }],
    behaviours: {
      'postgres-cdc-customers': {
        kind: 'transient-failed',
        provisioningMs: 1500,
        failedMs: 2500,
        trace: 'Timed out waiting for the database to accept connections'
      }
    }
  })
  fake.addCluster(ENV, CLUSTER)
  fake.seed(ENV, CLUSTER, 'legacy-clicks-source', { name: 'legacy-clicks-source', 'connector.class': 'DatagenSource', 'kafka.topic': 'clicks' })
  const workspace = makeWorkspace({})
  cpSync(path.join(ROOT, 'examples', 'connectors'), path.join(workspace, 'connectors'), { recursive: true })
  const inputs = {
    'api-url': fake.url,
    'api-key': 'DEMOKEY',
    'api-secret': 'demo-cloud-secret',
    'environment-id': ENV,
    'kafka-cluster-id': CLUSTER,
    'kafka-api-key': 'KAFKAKEY',
    'kafka-api-secret': 'demo-kafka-secret',
    secrets: JSON.stringify({ AWS_ACCESS_KEY_ID: 'AKIADEMO', AWS_SECRET_ACCESS_KEY: 'demo-aws-secret', PG_PASSWORD: 'demo-pg-password' }),
    vars: JSON.stringify({ ARCHIVE_BUCKET: 'acme-orders-archive', PG_HOST: 'db.internal.example' })
  }
  try {
    console.log(`Fake Confluent Cloud listening on ${fake.url}; workspace ${workspace}\n`)
    console.log('Run 1: deploy on merge (apply, wait: true)\n')
    const first = await runAction({ inputs: { ...inputs, wait: 'true', 'wait-timeout': '60' }, workspace })
    console.log('action log:')
    console.log(logLines(first.stdout))
    console.log(toTerminal(first.summary))
    console.log(`(the job summary as Markdown, as GitHub renders it: ${keepSummary(1, first.summary)})\n`)
    console.log('requests:')
    printRequests(fake.requests)
    console.log(
      `exit code ${first.code}; outputs: created=${first.outputs.created} updated=${first.outputs.updated} unchanged=${first.outputs.unchanged} failed=${first.outputs.failed}`
    )
    const firstRequests = fake.requests.length
    console.log(`requests to the API: ${firstRequests}\n`)
    console.log('Run 2: the same files again (nothing to change)\n')
    const second = await runAction({ inputs: { ...inputs, wait: 'true' }, workspace })
    console.log(toTerminal(second.summary))
    console.log(`(the job summary as Markdown: ${keepSummary(2, second.summary)})\n`)
    console.log(`exit code ${second.code}; requests to the API in this run: ${fake.requests.length - firstRequests}`)
    printRequests(fake.requests.slice(firstRequests))
    if (first.code !== 0 || second.code !== 0) {
      console.error('\nThe demo failed. Action output:\n', first.stdout, first.stderr, second.stdout, second.stderr)
      process.exitCode = 1
    }
  } finally {
    await fake.close()
  }
}

await main()
