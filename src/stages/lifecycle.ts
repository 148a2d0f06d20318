// Stage: after the PUTs, the declared states (pause, resume) and the deletions of `prune`.
// Pause and resume answer 202 and act later (api-notes.md), so the wait checks the declared state.
// A deletion of a connector already gone is not an error. One failing never stops the others.
import { describeError } from '../model/errors.js'
import type { ConfluentApi, Logger, Result } from '../model/types.js'
import { targetOfResult } from './results.js'

/**
 * Sends `PUT .../pause` or `.../resume` for each result with a state change whose config step did not
 * fail, then `DELETE .../connectors/{name}` for each planned deletion. Takes the results of apply;
 * returns new results in the same order (`stateChanged`, or `done: 'deleted'`, or `failed` with the
 * API's message). Never throws.
 */
export async function applyLifecycle(results: readonly Result[], api: ConfluentApi, logger: Logger): Promise<Result[]> {
  const afterState = await Promise.all(
    results.map(async (r): Promise<Result> => {
      if (!r.stateChange || r.done === 'failed') return r
      try {
        if (r.stateChange === 'pause') await api.pause(targetOfResult(r), r.name)
        else await api.resume(targetOfResult(r), r.name)
        logger.info(`${r.stateChange === 'pause' ? 'paused' : 'resumed'} ${r.name}`)
        return { ...r, stateChanged: true, done: r.done ?? 'unchanged' }
      } catch (err) {
        const error = `${r.stateChange} failed: ${describeError(err)}`
        logger.error(`${r.name}: ${error}`, r.file ? { file: r.file, line: r.line } : {})
        return { ...r, done: 'failed', error }
      }
    })
  )
  return Promise.all(
    afterState.map(async (r): Promise<Result> => {
      if (r.planned !== 'delete') return r
      try {
        const existed = await api.remove(targetOfResult(r), r.name)
        logger.info(`deleted ${r.name}${existed ? '' : ' (it was already gone)'}`)
        return { ...r, done: 'deleted', state: '', tasks: [] }
      } catch (err) {
        const error = `delete failed: ${describeError(err)}`
        logger.error(`${r.name}: ${error}`)
        return { ...r, done: 'failed', error }
      }
    })
  )
}
