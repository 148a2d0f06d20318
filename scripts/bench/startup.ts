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

/** Runs `node script` once with the runner's output files set; resolves its wall time in ms. */
function timeOnce(script: string): Promise<number> {
  const runner = mkdtempSync(path.join(tmpdir(), 'bench-core-runner-'))
  const output = path.join(runner, 'output')
  writeFileSync(output, '')
  const start = performance.now()
  const child = spawn(process.execPath, [script], {
    cwd: runner,
    env: { PATH: process.env.PATH ?? '', GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output, RUNNER_TEMP: runner },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', d => (stderr += d))
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('close', code => {
      clearTimeout(timer)
      const ms = performance.now() - start
      rmSync(runner, { recursive: true, force: true })
      if (code === 0) resolve(ms)
      else reject(new Error(`${script} exited ${code}: ${stderr.slice(0, 500)}`))
    })
  })
}

/** One warm-up run, then the median of `runs` (ms). */
export async function measureScriptStartup(script: string, runs = 5): Promise<{ medianMs: number; samplesMs: number[] }> {
  await timeOnce(script)
  const samples: number[] = []
  for (let i = 0; i < runs; i++) samples.push(await timeOnce(script))
  const sorted = [...samples].sort((a, b) => a - b)
  return { medianMs: sorted[Math.floor(sorted.length / 2)], samplesMs: samples }
}
