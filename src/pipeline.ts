// Orchestration only: calls the stages in run order (product.md "What it does, in order").
//   load (discover, read, parse, substitute, check) -> list + plan per target -> password keys ->
//   safety checks -> [dry run: remote validate] | [apply -> lifecycle -> wait] -> Outcome
// Every target shares one request engine (its concurrency and rate-limit budget) and proceeds side by
// side. It knows nothing of @actions/*: the action layer, the demo and the tests hand it settings, a
// logger, a clock, an HTTP transport and the redactor, and get back the Outcome to publish.
import { ConfluentClient } from './confluent/client.js'
import { isPermanentServerError } from './confluent/api-error.js'
import { basicAuth, oidcAuth, type AuthHeader } from './confluent/auth.js'
import { RequestEngine } from './http/request-engine.js'
import { describeError } from './model/errors.js'
import type { Clock, ConfluentApi, ConnectorSpec, Logger, Outcome, PlanItem, Result, Settings, Target, TargetPlan, Transport } from './model/types.js'
import { isFailed, targetKey } from './model/types.js'
import { registerSecrets, wordOf } from './secrets/policy.js'
import type { Redactor } from './secrets/redactor.js'
import { applyItems } from './stages/apply.js'
import { applyLifecycle } from './stages/lifecycle.js'
import { loadSpecs } from './stages/load.js'
import { classesToLearn, learnPasswordKeys } from './stages/password-keys.js'
import { planConnector, planTarget } from './stages/plan.js'
import { validateItems } from './stages/remote-validate.js'
import { resultsOf } from './stages/results.js'
import { waitForConnectors } from './stages/wait.js'
import { literalSecretProblems } from './stages/literal-secrets.js'
import { buildExports, writeExports } from './stages/export.js'

export interface Deps {
  logger: Logger
  clock: Clock
  transport: Transport
  redactor: Redactor
  random?: () => number
  /** Keyless login: fetches the job's GitHub OIDC token (the action layer's getIDToken). */
  getIdToken?: () => Promise<string>
}

function fmtProblem(p: { file: string; line?: number; message: string }): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`
}

/** Groups specs by target, in the order the check stage sorted them (target, file, place in file). */
export function groupByTarget(specs: readonly ConnectorSpec[]): Array<{ target: Target; specs: ConnectorSpec[] }> {
  const groups = new Map<string, { target: Target; specs: ConnectorSpec[] }>()
  for (const spec of specs) {
    const target = { environmentId: spec.environmentId, kafkaClusterId: spec.kafkaClusterId }
    const key = targetKey(target)
    if (!groups.has(key)) groups.set(key, { target, specs: [] })
    groups.get(key)?.specs.push(spec)
  }
  return [...groups.values()]
}

/** Lists and plans every target side by side; a target whose list failed is a FailedTarget. */
async function planAll(groups: Array<{ target: Target; specs: ConnectorSpec[] }>, api: ConfluentApi, settings: Settings, deps: Deps): Promise<TargetPlan[]> {
  return Promise.all(
    groups.map(async ({ target, specs }): Promise<TargetPlan> => {
      try {
        const live = await api.list(target)
        return planTarget(target, specs, live, { force: settings.force, ...(settings.prune ? { pruneMatch: settings.pruneMatch } : {}) })
      } catch (err) {
        const error = `listing the connectors of ${targetKey(target)} failed: ${describeError(err)}`
        deps.logger.error(error)
        return { status: 'failed', target, error, specs }
      }
    })
  )
}

/** With the password keys learned, re-plans each item so its diff hides them, and registers them. */
async function withPasswordKeys(
  plans: TargetPlan[],
  api: ConfluentApi,
  settings: Settings,
  deps: Deps
): Promise<{ plans: TargetPlan[]; answers: Map<string, import('./model/types.js').ValidationOutcome> }> {
  const answers = new Map<string, import('./model/types.js').ValidationOutcome>()
  const out = await Promise.all(
    plans.map(async (plan): Promise<TargetPlan> => {
      if (plan.status === 'failed') return plan
      const learned = await learnPasswordKeys(plan.target, plan.items, api, deps.logger)
      for (const [name, answer] of learned.answers) answers.set(`${targetKey(plan.target)}\u0000${name}`, answer)
      if (learned.passwordKeys.size === 0) return plan
      const specs = plan.items.flatMap(i => (i.spec ? [i.spec] : []))
      const live = new Map(plan.items.flatMap(i => (i.live ? [[i.name, i.live] as const] : [])))
      for (const u of plan.unmanaged) live.set(u.name, u)
      for (const spec of specs) {
        const keys = learned.passwordKeys.get(spec.config['connector.class'] ?? '')
        if (keys) registerSecrets(spec, deps.redactor, wordOf(live.get(spec.name), keys))
      }
      return planTarget(plan.target, specs, live, {
        force: settings.force,
        ...(settings.prune ? { pruneMatch: settings.pruneMatch } : {}),
        passwordKeys: learned.passwordKeys
      })
    })
  )
  return { plans: out, answers }
}

/** Possible renames: a deletion and a create of the same class on one target (offsets are not carried over). */
function renameNotes(plans: TargetPlan[]): string[] {
  const notes: string[] = []
  for (const plan of plans) {
    if (plan.status !== 'planned') continue
    const deleted = plan.items.filter(i => i.action === 'delete')
    for (const created of plan.items.filter(i => i.action === 'create')) {
      const cls = created.spec?.config['connector.class']
      const twin = deleted.find(d => cls !== undefined && d.live?.config['connector.class'] === cls)
      if (twin)
        notes.push(
          `possible rename on ${targetKey(plan.target)}: ${twin.name} is deleted and ${created.name} created with the same class (${cls}); offsets are not carried over`
        )
    }
  }
  return notes
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
  const engineFor = (transport: Transport, maxConcurrency: number): RequestEngine =>
    new RequestEngine({
      transport,
      clock,
      logger,
      ...(deps.random ? { random: deps.random } : {}),
      maxConcurrency,
      maxRetries: settings.maxRetries,
      requestTimeoutMs: settings.requestTimeoutMs,
      deadline: runDeadline,
      isPermanent: isPermanentServerError
    })
  const auth = makeAuth(settings, deps, engineFor)
  const engine = engineFor(withHeaders(deps.transport, settings, auth), settings.maxConcurrency)
  // `export-to` is read-only: it plans like a dry run and sends no change.
  const readOnly = settings.dryRun || settings.exportTo !== ''
  const outcome = (o: Partial<Outcome> & { results: Result[]; failed: boolean }): Outcome => ({
    dryRun: readOnly,
    waited: false,
    problems: loaded.problems,
    unmanaged: [],
    notes: [],
    stats: engine.stats(),
    ...o
  })
  if (loaded.problems.length > 0) {
    for (const p of loaded.problems) logger.error(p.message, { file: p.file, ...(p.line ? { line: p.line } : {}) })
    return outcome({
      results: [],
      failed: true,
      stoppedEarly: `${loaded.problems.length} problem(s) in the connector files; nothing was sent:\n${loaded.problems.map(fmtProblem).join('\n')}`
    })
  }
  if (loaded.empty) {
    const why = `no connector file matched the \`files\` patterns ${settings.files.map(f => `"${f}"`).join(', ')} (set \`fail-on-empty: false\` to allow this)`
    return outcome({ results: [], failed: settings.failOnEmpty, ...(settings.failOnEmpty ? { stoppedEarly: why } : {}) })
  }
  for (const spec of loaded.specs) registerSecrets(spec, redactor)
  const api = new ConfluentClient(engine, settings.apiUrl, text => redactor.redact(text))
  if (settings.auth.kind === 'oidc') {
    // Log in once before anything else, so a refused login is one clear error, not one per cluster.
    try {
      await auth()
    } catch (err) {
      return outcome({ results: [], failed: true, stoppedEarly: `keyless login failed; nothing was sent to the connectors API: ${describeError(err)}` })
    }
  }

  // No global refusal possible (nothing to delete, literal secrets not an error): every target goes
  // from its list to its validates and PUTs on its own, with no barrier between targets (issue 16).
  if (!readOnly && !settings.prune && settings.literalSecrets !== 'error') {
    const streamed = await streamTargets(groupByTarget(loaded.specs), api, settings, deps, runDeadline)
    const plans = streamed.plans
    const literal = literalSecretProblems(plans, settings.literalSecrets)
    for (const p of literal) logger.warning(p.message, { file: p.file, ...(p.line ? { line: p.line } : {}) })
    const unmanaged = plans.flatMap(p =>
      p.status === 'planned' ? p.unmanaged.map(u => ({ name: u.name, environment_id: p.target.environmentId, kafka_cluster_id: p.target.kafkaClusterId })) : []
    )
    const notes = [...renameNotes(plans), ...literal.map(p => fmtProblem(p))]
    const byKey = new Map(streamed.applied.map(r => [`${r.environment_id}/${r.kafka_cluster_id}\u0000${r.name}`, r]))
    let results = plans.flatMap(resultsOf).map(r => byKey.get(`${r.environment_id}/${r.kafka_cluster_id}\u0000${r.name}`) ?? r)
    results = await finishApply(results, api, settings, deps, runDeadline)
    return outcome({
      results,
      failed: results.some(isFailed),
      unmanaged,
      notes,
      waited: settings.wait
    })
  }

  // Plan: one list per target, side by side; then one validate per class that will change.
  let plans = await planAll(groupByTarget(loaded.specs), api, settings, deps)
  for (const plan of plans) {
    if (plan.status !== 'planned') continue
    for (const item of plan.items) if (item.spec) registerSecrets(item.spec, redactor, wordOf(item.live))
  }
  const learned = await withPasswordKeys(plans, api, settings, deps)
  plans = learned.plans
  const unmanaged = plans.flatMap(p =>
    p.status === 'planned' ? p.unmanaged.map(u => ({ name: u.name, environment_id: p.target.environmentId, kafka_cluster_id: p.target.kafkaClusterId })) : []
  )
  const notes = renameNotes(plans)

  // Safety before any change.
  const literal = literalSecretProblems(plans, settings.literalSecrets)
  for (const p of literal) {
    const where = { file: p.file, ...(p.line ? { line: p.line } : {}) }
    if (settings.literalSecrets === 'error') logger.error(p.message, where)
    else logger.warning(p.message, where)
  }
  const deletions = plans.flatMap(p => (p.status === 'planned' ? p.items.filter(i => i.action === 'delete') : []))
  let refusal: string | undefined
  if (!readOnly && deletions.length > settings.maxDeletions) {
    refusal = `the plan deletes ${deletions.length} connector(s), more than max-deletions (${settings.maxDeletions}); nothing was changed (a typo in \`files\` makes every connector look removed): ${deletions.map(d => d.name).join(', ')}`
  } else if (literal.length > 0 && settings.literalSecrets === 'error') {
    refusal = `${literal.length} literal value(s) under password keys (literal-secrets: error); nothing was changed`
  }
  if (refusal) logger.error(refusal)
  let results = plans.flatMap(resultsOf)
  if (literal.length > 0) notes.push(...literal.map(p => `${fmtProblem(p)}`))
  if (refusal) {
    return outcome({ results, failed: true, stoppedEarly: refusal, unmanaged, notes, problems: [...loaded.problems, ...literal] })
  }
  if (settings.exportTo) {
    // Read-only: export what no file declares, send no change.
    const files = buildExports(
      settings.exportTo,
      plans.flatMap(p => (p.status === 'planned' ? p.unmanaged.map(connector => ({ target: p.target, connector })) : []))
    )
    const exported = await writeExports(settings.workspace, files)
    for (const e of exported)
      logger.info(
        `${e.skipped ? 'kept the existing file' : 'exported'} ${e.file} (${e.name})${e.secrets.length > 0 ? `; secrets to create: ${e.secrets.join(', ')}` : ''}`
      )
    return outcome({ results, failed: results.some(isFailed), unmanaged, notes, exported })
  }
  if (settings.dryRun) {
    const validated = await Promise.all(
      plans.map(p =>
        p.status === 'planned' && settings.validate ? validateItems(p.target, p.items, api, knownFor(p, learned.answers)) : Promise.resolve(undefined)
      )
    )
    results = plans.flatMap((p, i) => {
      const items = validated[i]?.items ?? (p.status === 'planned' ? p.items : undefined)
      return items ? items.map(item => resultWithValidation(item, resultsOf({ ...p, items: [item] } as TargetPlan)[0], logger)) : resultsOf(p)
    })
    for (const r of results) logger.info(`${r.planned.padEnd(11)} ${r.name}${r.stateChange ? ` (${r.stateChange})` : ''}${r.file ? ` (${r.file})` : ''}`)
    return outcome({ results, failed: results.some(isFailed), unmanaged, notes })
  }

  // Apply: PUTs of every target side by side, then pause/resume and deletions, then the wait.
  const planned = plans.flatMap(p => (p.status === 'planned' ? p.items : []))
  const applied = await applyItems(planned, { api, clock, logger, redactor, runDeadline, progress: { offset: 0, total: planned.length } })
  const byKey = new Map(applied.map(r => [`${r.environment_id}/${r.kafka_cluster_id}\u0000${r.name}`, r]))
  results = results.map(r => byKey.get(`${r.environment_id}/${r.kafka_cluster_id}\u0000${r.name}`) ?? r)
  results = await finishApply(results, api, settings, deps, runDeadline)
  return outcome({ results, failed: results.some(isFailed), unmanaged, notes, waited: settings.wait })
}

/** After the PUTs: pause/resume and deletions, then the wait (or the results marked unverified). */
async function finishApply(results: Result[], api: ConfluentApi, settings: Settings, deps: Deps, runDeadline: number): Promise<Result[]> {
  const { logger, clock, redactor } = deps
  results = await applyLifecycle(results, api, logger)
  if (settings.wait) {
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
  return results.map(r => (r.done === 'created' || r.done === 'updated' || r.stateChanged ? { ...r, unverified: true } : r))
}

/** Runs each slot's deferred log calls in slot order, whatever order the slots finish in. */
class OrderedLog {
  private next = 0
  private readonly pending = new Map<number, Array<() => void>>()
  done(slot: number, calls: Array<() => void>): void {
    this.pending.set(slot, calls)
    while (this.pending.has(this.next)) {
      for (const call of this.pending.get(this.next) ?? []) call()
      this.pending.delete(this.next)
      this.next++
    }
  }
}

/** A logger that keeps info and error lines (progress, a PUT's failure) for OrderedLog; warnings and debug go out at once. */
function deferringLogger(logger: Logger, calls: Array<() => void>): Logger {
  return {
    info: m => void calls.push(() => logger.info(m)),
    error: (m, where) => void calls.push(() => logger.error(m, where)),
    warning: (m, where) => logger.warning(m, where),
    debug: m => logger.debug(m),
    group: (title, fn) => logger.group(title, fn)
  }
}

/**
 * Lists, learns and applies every target without barriers between them, all through `api`'s one
 * engine: a target plans as soon as its own list returns; its validate per class (password-keys.ts:
 * one per distinct class that will change, before that class's first PUT on that cluster) starts at
 * once; each item's PUT starts as soon as its class is learned (at once for CUSTOM or when no class
 * needs learning). Progress lines `[i/N]` are numbered over all declared connectors (N) in plan order
 * and printed in that order (a target whose list failed prints none; its numbers are skipped).
 * Returns the final plans (in target order, items re-planned with the learned password keys) and the
 * Result of every create/update/unchanged item. Only for runs that send changes, without prune and
 * with literal-secrets other than `error` (no rule can then refuse the whole run). Never throws for an
 * API error.
 */
async function streamTargets(
  groups: Array<{ target: Target; specs: ConnectorSpec[] }>,
  api: ConfluentApi,
  settings: Settings,
  deps: Deps,
  runDeadline: number
): Promise<{ plans: TargetPlan[]; applied: Result[] }> {
  const { logger, redactor, clock } = deps
  const total = groups.reduce((n, g) => n + g.specs.length, 0)
  const log = new OrderedLog()
  let offset = 0
  const perTarget = groups.map(async ({ target, specs }) => {
    const first = offset
    offset += specs.length
    const skip = (): void => specs.forEach((_, i) => log.done(first + i, []))
    let initial: TargetPlan
    try {
      initial = planTarget(target, specs, await api.list(target), { force: settings.force })
    } catch (err) {
      const error = `listing the connectors of ${targetKey(target)} failed: ${describeError(err)}`
      logger.error(error)
      skip()
      return { plan: { status: 'failed', target, error, specs } as TargetPlan, applied: [] as Result[] }
    }
    if (initial.status !== 'planned') {
      skip()
      return { plan: initial, applied: [] as Result[] }
    }
    for (const item of initial.items) if (item.spec) registerSecrets(item.spec, redactor, wordOf(item.live))
    // One validate per class that will change, each started now; a PUT of that class waits for it.
    const learning = new Map(
      [...classesToLearn(initial.items)].map(([cls, item]) => [cls, learnPasswordKeys(target, [item], api, logger).then(l => l.passwordKeys.get(cls))] as const)
    )
    const live = new Map(initial.items.flatMap(i => (i.live ? [[i.name, i.live] as const] : [])))
    const items = await Promise.all(
      initial.items.map(async (item, i) => {
        const spec = item.spec
        const learned = spec ? learning.get(spec.config['connector.class'] ?? '') : undefined
        const keys = learned ? await learned : undefined
        let planned = item
        if (spec && keys) {
          registerSecrets(spec, redactor, wordOf(live.get(spec.name), keys))
          planned = planConnector(spec, live.get(spec.name), settings.force, keys)
        }
        const calls: Array<() => void> = []
        const [result] = await applyItems([planned], {
          api,
          clock,
          logger: deferringLogger(logger, calls),
          redactor,
          runDeadline,
          progress: { offset: first + i, total }
        })
        log.done(first + i, calls)
        return { planned, result }
      })
    )
    const plan: TargetPlan = { ...initial, items: items.map(x => x.planned) }
    return { plan, applied: items.map(x => x.result) }
  })
  const done = await Promise.all(perTarget)
  return { plans: done.map(d => d.plan), applied: done.flatMap(d => d.applied) }
}

function knownFor(
  plan: TargetPlan,
  answers: Map<string, import('./model/types.js').ValidationOutcome>
): Map<string, import('./model/types.js').ValidationOutcome> {
  const out = new Map<string, import('./model/types.js').ValidationOutcome>()
  const prefix = `${targetKey(plan.target)}\u0000`
  for (const [k, v] of answers) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v)
  return out
}

/** A dry-run Result with validate's errors annotated on the lines of their keys. */
function resultWithValidation(item: PlanItem, base: Result, logger: Logger): Result {
  const errors = item.validationErrors ?? []
  for (const e of errors) {
    const loc = e.key ? item.spec?.locations[e.key] : undefined
    logger.error(`${item.name}: ${e.key ? `"${e.key}": ` : ''}${e.message}`, { file: item.spec?.file ?? '', line: loc?.line ?? item.spec?.line ?? 0 })
  }
  return { ...base, ...(errors.length > 0 ? { validationErrors: errors, error: `Confluent's validate reported ${errors.length} error(s)` } : {}) }
}

function makeAuth(settings: Settings, deps: Deps, engineFor: (t: Transport, c: number) => RequestEngine): AuthHeader {
  if (settings.auth.kind === 'api-key') return basicAuth(settings.auth.apiKey, settings.auth.apiSecret)
  const getIdToken = deps.getIdToken
  if (!getIdToken) throw new Error('keyless login needs a source of GitHub OIDC tokens')
  const sts = engineFor(req => deps.transport({ ...req, headers: { ...req.headers, 'user-agent': settings.userAgent, accept: 'application/json' } }), 1)
  return oidcAuth({
    apiUrl: settings.apiUrl,
    identityPoolId: settings.auth.identityPoolId,
    getIdToken,
    clock: deps.clock,
    onSecret: v => deps.redactor.add(v),
    post: (url, body) => sts.send({ method: 'POST', url, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  })
}

function withHeaders(transport: Transport, settings: Settings, auth: AuthHeader): Transport {
  return async req =>
    transport({
      ...req,
      headers: { ...req.headers, authorization: await auth(), 'user-agent': settings.userAgent, accept: 'application/json' }
    })
}
