// The generative layer at full size: runs the fuzz cases of __tests__/fuzz/harness.ts (hostile files
// and generated server replies, in process, on a virtual clock) FUZZ_RUNS times (default 10,000) from
// FUZZ_SEED (default: the time), and prints one summary line. Exits 1 on the first failing case, with
// the shrunk counterexample and the seed/path to replay it.
//   FUZZ_RUNS=10000 npx tsx scripts/fuzz.ts
import fc from 'fast-check'
import { caseOf, runCase, type Case } from '../__tests__/fuzz/harness.js'

const runs = Number(process.env.FUZZ_RUNS ?? 10_000)
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
const stats = { cases: 0, sentRequests: 0, requests: 0, results: 0, failedResults: 0, dryRun: 0, withProblems: 0 }

async function check(c: Case): Promise<void> {
  const v = await runCase(c)
  stats.cases++
  stats.requests += v.requests
  if (v.requests > 0) stats.sentRequests++
  if (c.dryRun) stats.dryRun++
  stats.results += v.outcome?.results.length ?? 0
  stats.failedResults += v.outcome?.results.filter(r => r.error).length ?? 0
  if ((v.outcome?.problems.length ?? 0) > 0) stats.withProblems++
  if (v.problems.length > 0) throw new Error(v.problems.join('\n'))
}

const started = Date.now()
const property = fc.asyncProperty(fc.oneof(caseOf({ healthyOnly: true }), caseOf()), check)
const report = await fc.check(property, { numRuns: runs, seed })
const seconds = ((Date.now() - started) / 1000).toFixed(1)
console.log(
  `fuzz: ${report.failed ? 'FAILED' : 'ok'} ${report.numRuns}/${runs} cases, seed ${seed}, ${seconds} s; ` +
    `${stats.sentRequests} cases sent requests (${stats.requests} requests), ${stats.withProblems} stopped on file problems, ` +
    `${stats.results} results (${stats.failedResults} with an error), ${stats.dryRun} dry runs`
)
if (report.failed) {
  console.log(`counterexample (replay with FUZZ_SEED=${seed}, path ${report.counterexamplePath}):`)
  console.log(fc.stringify(report.counterexample))
  console.log(String(report.errorInstance instanceof Error ? report.errorInstance.message : report.errorInstance))
  process.exit(1)
}
