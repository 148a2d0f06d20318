// Loading scales linearly (issue 16): the time from the start of a run to its first request with 200 and
// with 2,000 connector files (one connector each, one cluster), median of 3 runs each on a fresh fake
// without latency. Each run is a dry run with `validate: false`, so it ends soon after the list.
import { runAction } from '../../test-support/run-action.js'
import { actionInputs, freshFake, workspaceFor } from './runs.js'

export interface LoadingPoint {
  files: number
  /** Median time from the run's start to the first request's arrival at the fake (ms). */
  leadMs: number
  samplesMs: number[]
}

export interface LoadingInfo {
  points: LoadingPoint[]
}

/** Measures the lead-in (start to first request) for each count of files in `counts`, median of `runs`. */
export async function measureLoading(counts: number[] = [200, 2000], runs = 3): Promise<LoadingInfo> {
  const points: LoadingPoint[] = []
  for (const files of counts) {
    const workspace = workspaceFor(files)
    const samples: number[] = []
    for (let i = 0; i < runs; i++) {
      const fake = await freshFake({})
      try {
        const startedAt = Date.now()
        const run = await runAction({ inputs: actionInputs(fake, 8, { 'dry-run': 'true', validate: 'false' }), workspace, timeoutMs: 60_000 })
        if (run.code !== 0) throw new Error(`loading run with ${files} files exited ${run.code}: ${run.stdout.slice(-500)}\n${run.stderr.slice(-500)}`)
        const first = Math.min(...fake.requests.map(r => r.time))
        if (!Number.isFinite(first)) throw new Error(`loading run with ${files} files sent no request`)
        samples.push(first - startedAt)
      } finally {
        await fake.close()
      }
    }
    const sorted = [...samples].sort((a, b) => a - b)
    points.push({ files, leadMs: sorted[Math.floor(sorted.length / 2)], samplesMs: samples })
  }
  return { points }
}

/** Markdown lines describing the measure: each count's lead-in, and the loading time beyond start-up. */
export function loadingLines(info: LoadingInfo, startupMs: number): string[] {
  const ms = (x: number) => String(Math.round(x))
  const lines = info.points.map(p => {
    const load = Math.max(0, p.leadMs - startupMs)
    return `- ${p.files} files: first request ${ms(p.leadMs)} ms after the start (median of ${p.samplesMs.length}: ${p.samplesMs.map(ms).join(', ')} ms); minus the start-up median (${ms(startupMs)} ms): ${ms(load)} ms of discovering, reading, parsing, checking and planning, ${(load / p.files).toFixed(3)} ms a file`
  })
  const [a, b] = [info.points[0], info.points[info.points.length - 1]]
  if (a && b && a !== b) {
    const loadA = Math.max(1, a.leadMs - startupMs)
    const loadB = Math.max(1, b.leadMs - startupMs)
    lines.push(
      `- ${b.files / a.files}× the files: ${(b.leadMs / a.leadMs).toFixed(2)}× the time to the first request, ${(loadB / loadA).toFixed(2)}× the loading time beyond start-up (linear would be ${b.files / a.files}×)`
    )
  }
  return lines
}
