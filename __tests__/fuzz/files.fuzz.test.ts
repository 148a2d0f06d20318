// Generative layer (a): hostile connector files (JSON and YAML; odd Unicode including lone
// surrogates, nesting, anchors and aliases, keys of 20,000 characters, broken files, a BOM) with canary
// secrets, run through loadSpecs and runPipeline in process against a healthy scripted server, then
// published as src/action/main.ts does. No crash, no hang, no canary in any channel, outputs stay JSON.
// Seeded and small here (FUZZ_RUNS / FUZZ_SEED override it); scripts/fuzz.ts runs 10,000 cases.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { loadSpecs } from '../../src/stages/load.js'
import { capture } from '../../test-support/capture-logger.js'
import { caseOf, checkCase, fileCase, numRuns, runCase, SECRET_NAMES, seed, settingsFor } from './harness.js'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

describe('fuzz: connector files', () => {
  it('loadSpecs never throws, whatever the files hold', async () => {
    await fc.assert(
      fc.asyncProperty(fileCase(SECRET_NAMES), async files => {
        const dir = mkdtempSync(path.join(tmpdir(), 'fuzz-load-'))
        try {
          for (const [rel, text] of Object.entries(files.files)) {
            mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
            writeFileSync(path.join(dir, rel), text)
          }
          const settings = settingsFor(
            {
              canaries: ['CNRYa1', 'CNRYa2', 'CNRYa3', 'CNRYa4', 'CNRYa5', 'CNRYa6'],
              commonWords: [],
              files,
              replies: [],
              networkEvery: 0,
              dryRun: true,
              wait: false,
              maxRetries: 0,
              healthy: true
            },
            dir
          )
          const loaded = await loadSpecs(settings, capture().logger)
          // Every file is either loaded or reported: a file with a problem names itself.
          for (const p of loaded.problems) expect(typeof p.file).toBe('string')
          expect(loaded.specs.length + loaded.problems.length).toBeGreaterThan(0)
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      }),
      { seed: seed(101), numRuns: numRuns(60) }
    )
  })

  it('a whole run over hostile files: no crash, no hang, no leak', async () => {
    await fc.assert(fc.asyncProperty(caseOf({ healthyOnly: true }), checkCase), { seed: seed(202), numRuns: numRuns(80) })
  })

  it('the harness catches a leak: the marker in a plain value of a file is reported', async () => {
    // Guards the oracle itself: with the marker in a connector file's plain (non-secret) value, which
    // the action rightly shows, the harness must report it.
    const [c] = fc.sample(caseOf({ healthyOnly: true }), { seed: 5, numRuns: 1 })
    c.files = { files: { 'connectors/x.json': JSON.stringify({ name: 'plain', 'connector.class': 'DatagenSource', topics: 'CNRY-not-a-secret' }) } }
    c.dryRun = true
    const v = await runCase(c)
    expect(v.problems.join('\n')).toMatch(/holds the marker/)
  })
})
