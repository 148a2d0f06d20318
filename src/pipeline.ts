// Orchestration only: calls the stages in run order (product.md "What it does, in order").
//   load (discover, read, parse, substitute, check) -> list + plan per target -> password keys ->
//   safety checks -> [dry run: remote validate] | [export] | [apply -> lifecycle -> wait] -> Outcome
// Every target shares one request engine (src/confluent/session.ts: its concurrency and rate-limit
// budget) and proceeds side by side. It knows nothing of @actions/*: the action layer, the demo and the
// tests hand it settings, a logger, a clock, an HTTP transport and the redactor, and get back the
// Outcome to publish.
import { openSession } from './confluent/session.js'
import { describeError } from './model/errors.js'
import { printable } from './model/text.js'
import type { Clock, ConfluentApi, LiveConnector, Logger, Outcome, Result, Settings, TargetPlan, Transport } from './model/types.js'
import { connectorKey, emptyOutcome, isFailed, targetKey, whereOf } from './model/types.js'
import { registerSecrets, wordOf } from './secrets/policy.js'
import type { Redactor } from './secrets/redactor.js'
import { applyItems } from './stages/apply.js'
import { buildExports, exportFolderRefusal, writeExports } from './stages/export.js'
import { applyLifecycle } from './stages/lifecycle.js'
import { reportLiteralSecrets } from './stages/literal-secrets.js'
import { loadSpecs } from './stages/load.js'
import { groupByTarget, planAll, renameNotes, unmanagedOf, withPasswordKeys } from './stages/plan-all.js'
import { resultWithValidation, validateItems } from './stages/remote-validate.js'
import { notPlannedResult, refusedResults, resultOf, resultsOf, withApplied } from './stages/results.js'
import { streamTargets } from './stages/stream.js'
import { markUnchangedUnverified, recheckUnchanged, waitForConnectors } from './stages/wait.js'

export interface Deps {
  logger: Logger
  clock: Clock
  transport: Transport
  redactor: Redactor
  random?: () => number
  /** Keyless login: fetches the job's GitHub OIDC token (the action layer's getIDToken). */
  getIdToken?: () => Promise<string>
}

/** A known secret this long or longer, found inside a value, makes `export-to` write a placeholder for it;
 * a shorter one (`prod`, `test`) inside `orders-prod-topic` is taken for a coincidence. */
const EXPORT_MIN_CONTAINED = 8

function fmtProblem(p: { file: string; line?: number; message: string }): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`
}

/**
 * Runs the whole action over `settings`. Resolves to the Outcome (every connector of every file in
 * `results`, plus deletions); rejects only on a bug. Sends nothing when a file has a problem or a
 * safety rule refuses (too many deletions, literal secrets with `error`).
 */
export async function runPipeline(settings: Settings, deps: Deps): Promise<Outcome> {
  const { logger, redactor, clock } = deps
  const runDeadline = clock.now() + settings.runTimeoutSeconds * 1000
  if (settings.auth.kind === 'api-key') redactor.add(settings.auth.apiSecret)
  for (const v of [settings.kafkaApiSecret, ...Object.values(settings.secrets)]) redactor.add(v)
  const loaded = await loadSpecs(settings, logger)
  const { api, auth, stats } = openSession(settings, { ...deps, onSecret: v => redactor.add(v), redact: text => redactor.redact(text) }, runDeadline)
  // `export-to` is read-only: it plans like a dry run and sends no change.
  const readOnly = settings.dryRun || settings.exportTo !== ''
  // `failed` defaults to whether any result failed.
  const outcome = (o: Partial<Outcome> & { results: Result[] }): Outcome =>
    emptyOutcome({ dryRun: readOnly, problems: loaded.problems, stats: stats(), failed: o.results.some(isFailed), ...o })
  if (loaded.problems.length > 0) {
    for (const p of loaded.problems) logger.error(p.message, whereOf(p))
    return outcome({
      results: [],
      failed: true,
      stoppedEarly: `${loaded.problems.length} problem(s) in the connector files; nothing was sent:\n${loaded.problems.map(fmtProblem).join('\n')}`
    })
  }
  if (settings.exportTo) {
    const refusal = await exportFolderRefusal(settings.workspace, settings.exportTo)
    if (refusal) return outcome({ results: [], failed: true, stoppedEarly: `export-to: ${refusal}; nothing was sent` })
    // A deploy workflow given export-to deploys nothing: say so, the outputs read as a dry run's.
    if (!settings.dryRun) logger.warning('export-to makes this run read-only: nothing is applied, and the outputs list what a deploy would do, as in a dry run')
  }
  // `export-to` adopts what is on the inputs' cluster even before any file names it: the first export of
  // a repository has no connector file yet.
  const exportTarget =
    settings.exportTo && settings.environmentId && settings.kafkaClusterId
      ? { environmentId: settings.environmentId, kafkaClusterId: settings.kafkaClusterId }
      : undefined
  if (loaded.empty && settings.exportTo && !exportTarget) {
    return outcome({
      results: [],
      failed: true,
      stoppedEarly: `no connector file matched the \`files\` patterns, and without \`environment-id\` and \`kafka-cluster-id\` nothing names a cluster for \`export-to\` to export from`
    })
  }
  if (loaded.empty && !exportTarget) {
    const why = `no connector file matched the \`files\` patterns ${settings.files.map(f => `"${f}"`).join(', ')} (set \`fail-on-empty: false\` to allow this)`
    return outcome({ results: [], failed: settings.failOnEmpty, ...(settings.failOnEmpty ? { stoppedEarly: why } : {}) })
  }
  for (const spec of loaded.specs) registerSecrets(spec, redactor)
  if (settings.auth.kind === 'oidc') {
    // Log in once before anything else, so a refused login is one clear error, not one per cluster.
    try {
      await auth()
    } catch (err) {
      // Every connector is in the results, not planned, as when a cluster's list fails with a wrong API
      // key: `failed` names them all, so a later step that reads it sees what did not happen. The reason
      // is said once, in the headline, not once per connector.
      return outcome({
        results: loaded.specs.map(spec => notPlannedResult(spec, 'keyless login failed before any request (the step’s error says why)')),
        failed: true,
        stoppedEarly: `keyless login failed; nothing was sent to the connectors API: ${describeError(err)}`
      })
    }
  }

  // No global refusal possible (nothing to delete, literal secrets not an error): every target goes
  // from its list to its validates and PUTs on its own, with no barrier between targets (issue 16).
  if (!readOnly && !settings.prune && settings.literalSecrets !== 'error') {
    const streamed = await streamTargets(groupByTarget(loaded.specs), api, settings, deps, runDeadline)
    const plans = streamed.plans
    const literal = reportLiteralSecrets(plans, settings.literalSecrets, logger)
    const unmanaged = unmanagedOf(plans)
    const notes = [...renameNotes(plans), ...literal.map(fmtProblem)]
    let results = withApplied(plans.flatMap(resultsOf), streamed.applied)
    results = await finishApply(results, plans, api, settings, deps, runDeadline)
    return outcome({
      results,
      unmanaged,
      notes,
      waited: settings.wait
    })
  }

  // Plan: one list per target, side by side; then one validate per class that will change.
  const groups = groupByTarget(loaded.specs)
  if (exportTarget && !groups.some(g => targetKey(g.target) === targetKey(exportTarget))) groups.push({ target: exportTarget, specs: [] })
  let plans = await planAll(groups, api, settings, deps)
  const learned = await withPasswordKeys(plans, api, settings, deps)
  plans = learned.map(l => l.plan)
  const unmanaged = unmanagedOf(plans)
  const notes = renameNotes(plans)

  // Safety before any change.
  const literal = reportLiteralSecrets(plans, settings.literalSecrets, logger)
  const deletions = plans.flatMap(p => (p.status === 'planned' ? p.items.filter(i => i.action === 'delete') : []))
  let refusal: string | undefined
  if (!readOnly && deletions.length > settings.maxDeletions) {
    refusal = `the plan deletes ${deletions.length} connector(s), more than max-deletions (${settings.maxDeletions}); nothing was changed (a typo in \`files\` makes every connector look removed): ${deletions.map(d => d.name).join(', ')}`
  } else if (literal.length > 0 && settings.literalSecrets === 'error') {
    refusal = `${literal.length} literal value(s) under password keys (literal-secrets: error); nothing was changed`
  }
  // The refusal itself is the step's failure message (setFailed): not logged twice.
  let results = plans.flatMap(resultsOf)
  // Literal passwords are notes, unless they refused the run: then they are its problems.
  if (literal.length > 0 && settings.literalSecrets !== 'error') notes.push(...literal.map(fmtProblem))
  if (refusal) {
    // Nothing was sent: no output or count may say a connector was created, updated or deleted.
    // The reason is the summary's headline; each connector says only that it was not applied.
    return outcome({
      results: refusedResults(results, 'the run was refused before any change'),
      failed: true,
      stoppedEarly: refusal,
      unmanaged,
      notes,
      problems: literal
    })
  }
  if (settings.exportTo) {
    // Read-only: export what no file declares, send no change.
    const files = buildExports(
      settings.exportTo,
      plans.flatMap(p => (p.status === 'planned' ? p.unmanaged.map(connector => ({ target: p.target, connector })) : [])),
      { holds: text => redactor.holds(text, EXPORT_MIN_CONTAINED), names: Object.keys(settings.secrets) }
    )
    const exported = await writeExports(settings.workspace, files)
    const writeFailed = exported.some(e => e.failed)
    for (const e of exported) {
      if (e.refused !== undefined) logger.warning(`not exported: ${printable(e.name)} on ${e.environment_id}/${e.kafka_cluster_id}: ${e.refused}`)
      else
        logger.info(
          `${e.skipped ? 'kept the existing file' : 'exported'} ${e.file} (${e.name})${e.secrets.length > 0 ? `; secrets to create: ${e.secrets.join(', ')}` : ''}`
        )
    }
    return outcome({
      results,
      unmanaged,
      notes,
      exported,
      ...(writeFailed ? { failed: true, stoppedEarly: 'export-to: some files could not be written; see "Not exported"' } : {})
    })
  }
  if (settings.dryRun) {
    const validated = await Promise.all(
      plans.map((p, i) =>
        p.status === 'planned' && settings.validate ? validateItems(p.target, p.items, api, learned[i].answers) : Promise.resolve(undefined)
      )
    )
    results = plans.flatMap((p, i) => {
      const v = validated[i]
      if (!v) return resultsOf(p)
      return v.items.map(item => {
        // Validate's word on PASSWORD keys holds for this connector even when learning its class failed.
        if (item.spec) registerSecrets(item.spec, redactor, wordOf(item.live, v.passwordKeys.get(item.name)))
        return resultWithValidation(item, resultOf(item), logger)
      })
    })
    for (const r of results) logger.info(`${r.planned.padEnd(11)} ${r.name}${r.stateChange ? ` (${r.stateChange})` : ''}${r.file ? ` (${r.file})` : ''}`)
    return outcome({ results, unmanaged, notes })
  }

  // Apply: PUTs of every target side by side, then pause/resume and deletions, then the wait.
  const planned = plans.flatMap(p => (p.status === 'planned' ? p.items : []))
  const applied = await applyItems(planned, {
    api,
    clock,
    logger,
    redactor,
    runDeadline,
    progress: { offset: 0, total: planned.length, withTarget: plans.length > 1 }
  })
  results = withApplied(results, applied)
  results = await finishApply(results, plans, api, settings, deps, runDeadline)
  return outcome({ results, unmanaged, notes, waited: settings.wait })
}

/** After the PUTs: pause/resume and deletions, then the wait (or the results marked unverified). With
 * `wait`, unchanged connectors are judged by the status the plan's list showed. */
async function finishApply(
  results: Result[],
  plans: readonly TargetPlan[],
  api: ConfluentApi,
  settings: Settings,
  deps: Deps,
  runDeadline: number
): Promise<Result[]> {
  const { logger, clock, redactor } = deps
  results = await applyLifecycle(results, api, logger)
  if (settings.wait) {
    results = recheckUnchanged(results, liveOf(plans), clock.now())
    return waitForConnectors(results, {
      api,
      clock,
      logger,
      timeoutSeconds: settings.waitTimeoutSeconds,
      runDeadline,
      restartFailedTasks: settings.restartFailedTasks,
      redact: t => redactor.redact(t)
    })
  }
  const applied = results.map(r => (r.done === 'created' || r.done === 'updated' || r.stateChanged ? { ...r, unverified: true } : r))
  return markUnchangedUnverified(applied, liveOf(plans))
}

/** The live connectors the plans' lists showed, by `env/cluster\0name`. */
function liveOf(plans: readonly TargetPlan[]): Map<string, LiveConnector> {
  return new Map(plans.flatMap(p => (p.status === 'planned' ? p.items.flatMap(i => (i.live ? [[connectorKey(p.target, i.name), i.live] as const] : [])) : [])))
}
