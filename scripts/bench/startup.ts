// Start-up against a floor: a bundle of `@actions/core` alone, built with ncc at bench time into a
// temporary folder under the repository's .tmp/ (so `@actions/core` resolves from node_modules and the
// bundle is ESM like ours), started the same way as ours: node, the runner's variables, no request.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ROOT } from '../../test-support/run-action.js'

export interface CoreBundle {
  script: string
  remove(): void
}

/** Builds `import * as core from '@actions/core'; core.setOutput(...); core.info(...)` with ncc. */
export function buildCoreBundle(): CoreBundle {
  mkdirSync(path.join(ROOT, '.tmp'), { recursive: true })
  const dir = mkdtempSync(path.join(ROOT, '.tmp', 'bench-core-'))
  const entry = path.join(dir, 'entry.js')
  writeFileSync(entry, "import * as core from '@actions/core'\ncore.setOutput('done', 'true')\ncore.info('nothing to do')\n")
  const out = path.join(dir, 'out')
  const ncc = path.join(ROOT, 'node_modules', '.bin', 'ncc')
  const r = spawnSync(ncc, ['build', entry, '-o', out, '--quiet'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  if (r.status !== 0) throw new Error(`ncc build of the @actions/core bundle failed: ${r.stderr || r.stdout}`)
  return { script: path.join(out, 'index.js'), remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * Runs `node script` once with the runner's output files set, stdout and stderr piped and read as
 * `runAction` does for ours; resolves its wall time in ms (spawn to close). Throws on a non-zero exit.
 */
export function timeScriptOnce(script: string): Promise<number> {
  const runner = mkdtempSync(path.join(tmpdir(), 'bench-core-runner-'))
  const output = path.join(runner, 'output')
  writeFileSync(output, '')
  const start = performance.now()
  // The same node as ours (runAction honours APPLY_CONNECTORS_NODE), so the ratio compares bundles only.
  const child = spawn(process.env.APPLY_CONNECTORS_NODE ?? process.execPath, [script], {
    cwd: runner,
    env: { PATH: process.env.PATH ?? '', GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output, RUNNER_TEMP: runner },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stdout.resume()
  child.stderr.on('data', d => (stderr += d))
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('close', code => {
      const ms = performance.now() - start
      clearTimeout(timer)
      rmSync(runner, { recursive: true, force: true })
      if (code === 0) resolve(ms)
      else reject(new Error(`${script} exited ${code}: ${stderr.slice(0, 500)}`))
    })
  })
}

export interface StartupPair {
  ours: { medianMs: number; samplesMs: number[] }
  /** Absent when no @actions/core bundle was given (it could not be built). */
  core?: { medianMs: number; samplesMs: number[] }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/**
 * Times our start-up (`oursOnce`) and the `@actions/core` bundle (`script`, when given) alternately,
 * one warm-up run of each and then `runs` of each, so both see the same machine load; returns the
 * medians (ms) and samples. Throws when a run fails.
 */
export async function measureStartupPair(oursOnce: () => Promise<number>, script: string | undefined, runs = 9): Promise<StartupPair> {
  const ours: number[] = []
  const core: number[] = []
  for (let i = 0; i <= runs; i++) {
    const o = await oursOnce()
    const c = script === undefined ? undefined : await timeScriptOnce(script)
    if (i === 0) continue // the warm-up
    ours.push(o)
    if (c !== undefined) core.push(c)
  }
  return {
    ours: { medianMs: median(ours), samplesMs: ours },
    ...(script === undefined ? {} : { core: { medianMs: median(core), samplesMs: core } })
  }
}
