// The action's core: discover -> parse -> substitute -> validate -> plan -> apply -> (wait) -> report.
// It knows nothing of @actions/*: main.ts, the demo and the tests hand it settings, a logger, a clock
// and an HTTP transport, and get back the results and the summary to publish.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { applyTarget, baseResult } from './apply.js'
import { describeError } from './errors.js'
import { ConfluentClient, isPermanentServerError, MASK } from './confluent-client.js'
import { discover } from './discover.js'
import { parseFile } from './parse.js'
import { isSensitiveKey, planConnector } from './plan.js'
import type { Redactor } from './redact.js'
import { isFailed } from './report.js'
import { RequestEngine } from './request-engine.js'
import { substitute } from './substitute.js'
import type { Clock, ConnectorSpec, Logger, PlanItem, Problem, RawConnector, Result, Settings, Target, Transport } from './types.js'
import { targetKey } from './types.js'
import { validateConnectors } from './validate.js'
import { validatePlan } from './validate-remote.js'
import { waitForConnectors } from './wait.js'

export interface Deps {
  logger: Logger
  clock: Clock
  transport: Transport
  redactor: Redactor
  random?: () => number
}

export interface Outcome {
  results: Result[]
  problems: Problem[]
  /** Set when the run stopped before any request: no results then. */
  stoppedEarly?: string
  failed: boolean
  stats: { requests: number; retries: number; tooManyRequests: number; waitedMs: number }
}

function fmtProblem(p: Problem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`
}

/** Stages before the first request. All problems of all files are collected; any problem stops the run. */
export async function loadSpecs(settings: Settings, logger: Logger): Promise<{ specs: ConnectorSpec[]; problems: Problem[]; empty: boolean }> {
  const found = await discover(settings.workspace, settings.files)
  const problems: Problem[] = [...found.problems]
  const raws: Array<{ raw: RawConnector; config: Record<string, string>; sensitiveKeys: string[] }> = []
  for (const file of found.files) {
    const text = decodeUtf8(file, await readFile(path.join(settings.workspace, file)), problems)
    if (text === undefined) continue
    const parsed = parseFile(file, text)
    problems.push(...parsed.problems)
    for (const raw of parsed.connectors) {
      const sub = substitute(raw, { secrets: settings.secrets, vars: settings.vars })
      problems.push(...sub.problems)
      raws.push({ raw: sub.raw, config: sub.config, sensitiveKeys: sub.sensitiveKeys })
    }
  }
  const validated = validateConnectors(raws, {
    environmentId: settings.environmentId,
    kafkaClusterId: settings.kafkaClusterId,
    kafkaApiKey: settings.kafkaApiKey,
    kafkaApiSecret: settings.kafkaApiSecret
  })
  problems.push(...validated.problems)
  for (const pattern of found.unmatched) logger.info(`pattern matched no file: ${pattern}`)
  if (found.files.length === 0) logger.warning(`no connector file matched: ${settings.files.join(', ')}`)
  return { specs: validated.specs, problems, empty: found.files.length === 0 }
}

/** Connector files are UTF-8: a file in another encoding would be sent with its bytes replaced. */
function decodeUtf8(file: string, bytes: Buffer, problems: Problem[]): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes)
    const line = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD'))).split('\n').length
    problems.push({ file, line, message: 'the file is not UTF-8 text (save it as UTF-8)' })
    return undefined
  }
}

/** In the order validate sorted the specs: by target, then file (code-point order, not the locale's). */
function groupByTarget(specs: ConnectorSpec[]): Map<string, { target: Target; specs: ConnectorSpec[] }> {
  const groups = new Map<string, { target: Target; specs: ConnectorSpec[] }>()
  for (const spec of specs) {
    const target = { environmentId: spec.environmentId, kafkaClusterId: spec.kafkaClusterId }
    const key = targetKey(target)
    if (!groups.has(key)) groups.set(key, { target, specs: [] })
    groups.get(key)?.specs.push(spec)
  }
  return groups
}

export async function runPipeline(settings: Settings, deps: Deps): Promise<Outcome> {
  const { logger, redactor } = deps
  for (const v of [settings.apiSecret, settings.kafkaApiSecret, ...Object.values(settings.secrets)]) redactor.add(v)
  const loaded = await loadSpecs(settings, logger)
  const engine = new RequestEngine({
    transport: withAuth(deps.transport, settings),
    clock: deps.clock,
    logger,
    ...(deps.random ? { random: deps.random } : {}),
    maxConcurrency: settings.maxConcurrency,
    maxRetries: settings.maxRetries,
    requestTimeoutMs: settings.requestTimeoutMs,
    isPermanent: isPermanentServerError
  })
  const outcome = (results: Result[], failed: boolean, stoppedEarly?: string): Outcome => ({
    results,
    problems: loaded.problems,
    failed,
    stats: engine.stats(),
    ...(stoppedEarly ? { stoppedEarly } : {})
  })
  if (loaded.problems.length > 0) {
    for (const p of loaded.problems) logger.error(p.message, { file: p.file, ...(p.line ? { line: p.line } : {}) })
    const msg = `${loaded.problems.length} problem(s) in the connector files; nothing was sent:\n${loaded.problems.map(fmtProblem).join('\n')}`
    return outcome([], true, msg)
  }
  if (loaded.empty)
    return outcome(
      [],
      settings.failOnEmpty,
      settings.failOnEmpty
        ? `no connector file matched the \`files\` patterns ${settings.files.map(f => `"${f}"`).join(', ')} (set \`fail-on-empty: false\` to allow this)`
        : undefined
    )
  for (const spec of loaded.specs) {
    for (const [key, value] of Object.entries(spec.config)) {
      // Values from `secrets` always; literal values of credential-like keys too (a password written
      // into a file must not come back in an error message the API echoes), except plain flags.
      if (spec.sensitiveKeys.includes(key) || (isSensitiveKey(key, spec) && !/^(true|false|yes|no|none|null|\d{1,6})$/i.test(value))) {
        redactor.add(value)
      }
    }
  }
  const client = new ConfluentClient(engine, settings.apiUrl, text => redactor.redact(text))
  const results: Result[] = []
  const groups = groupByTarget(loaded.specs)
  let offset = 0
  for (const { target, specs } of groups.values()) {
    const key = targetKey(target)
    await logger.group(`${key}: ${specs.length} connector(s)`, async () => {
      let live
      try {
        live = await client.list(target)
      } catch (err) {
        const error = `listing connectors of ${key} failed: ${describeError(err)}`
        logger.error(error)
        for (const spec of specs) results.push({ ...baseResult(planConnector(spec, undefined, false)), action: 'failed', error })
        offset += specs.length
        return
      }
      const items: PlanItem[] = specs.map(spec => planConnector(spec, live.get(spec.name), settings.force))
      for (const item of items) {
        // Values the server masks are secrets too, whatever their source.
        for (const [k, v] of Object.entries(item.live?.config ?? {})) if (v === MASK) redactor.add(item.spec.config[k])
      }
      if (settings.dryRun) {
        if (settings.validate) await validatePlan(target, items, client, logger, redactor)
        for (const item of items) {
          const result = baseResult(item)
          const n = item.validationErrors?.length ?? 0
          if (n > 0) result.error = `Confluent's validate reported ${n} error(s)`
          results.push(result)
          logger.info(`${item.action.padEnd(9)} ${item.spec.name} (${item.spec.file})`)
        }
      } else {
        results.push(...(await applyTarget(target, items, client, logger, redactor, { offset, total: loaded.specs.length })))
      }
      offset += specs.length
    })
  }
  if (settings.wait && !settings.dryRun) {
    await waitForConnectors(results, client, { clock: deps.clock, logger, timeoutSeconds: settings.waitTimeoutSeconds, redact: t => redactor.redact(t) })
  }
  return outcome(results, results.some(isFailed))
}

function withAuth(transport: Transport, settings: Settings): Transport {
  const auth = `Basic ${Buffer.from(`${settings.apiKey}:${settings.apiSecret}`).toString('base64')}`
  return req =>
    transport({
      ...req,
      headers: { ...req.headers, authorization: auth, 'user-agent': settings.userAgent, accept: 'application/json' }
    })
}
