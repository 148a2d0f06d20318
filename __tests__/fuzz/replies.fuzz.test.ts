// Generative layer (b): a scripted transport answers the pipeline's requests with generated replies
// (list, PUT, validate and error shapes; JSON, HTML pages, garbage, empty and 300 kB bodies; statuses
// from 200 to 503; odd Retry-After and other headers; network errors), echoing canary secrets raw,
// JSON-escaped (once and twice), HTML-escaped (also over JSON), URL-encoded (Java style, lower-case
// %xx) and as numeric entities. Run in process on a virtual clock, then published as main.ts does.
// Asserts: runPipeline resolves, the run ends within its run-timeout (virtual), no canary in any channel.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { caseOf, checkCase, encodeAs, numRuns, runCase, seed, type Case } from './harness.js'

describe('fuzz: server replies', () => {
  it('generated replies: no crash, no hang, no leak', async () => {
    await fc.assert(fc.asyncProperty(caseOf(), checkCase), { seed: seed(303), numRuns: numRuns(120) })
  })

  it('a connector that goes FAILED with a trace quoting canaries raw, JSON-escaped and HTML-escaped: reported after the grace, with no canary', async () => {
    // The bundle's e2e cannot wait out the 30 s grace; the virtual clock can.
    const canaries = ["CNRYa p@ss\"w0rd <&> 'q' CNRYz", 'CNRYb second ü€🔑 CNRYz', 'CNRYc\\path/%41 CNRYz', 'CNRYd', 'CNRYe api', 'CNRYf kafka']
    const trace = [0, 1, 3, 4, 7].map(how => encodeAs(canaries[0], how)).join(' ; ')
    const c: Case = {
      canaries,
      commonWords: ['kafka', 'name'],
      files: { files: { 'connectors/f.json': JSON.stringify({ name: 'fails', 'connector.class': 'MySqlSink', 'connection.password': '${{ secrets.S0 }}' }) } },
      replies: [],
      networkEvery: 0,
      dryRun: false,
      wait: true,
      maxRetries: 0,
      healthy: false
    }
    // Script: empty list, validate OK, PUT OK, then the list shows FAILED with the trace, forever.
    c.replies = [
      { status: 200, shape: 'list', echo: [], state: 'RUNNING', headers: {} },
      { status: 200, shape: 'validate', echo: [], state: '', headers: {} },
      { status: 200, shape: 'put', echo: [], state: '', headers: {} },
      ...Array.from({ length: 40 }, () => ({
        status: 200,
        shape: 'list' as const,
        echo: [0, 1, 3, 4, 7].map(how => ({ canary: 0, how })),
        state: 'FAILED',
        headers: {}
      }))
    ]
    const v = await runCase(c)
    expect(trace).toContain('&quot;')
    expect(v.problems).toEqual([])
    const r = v.outcome?.results.find(x => x.name === 'fails')
    expect(r?.error).toMatch(/FAILED/)
    expect(r?.error).toContain('***')
  })
})
