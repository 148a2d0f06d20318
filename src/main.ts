// The thin layer between the runner and the core: inputs -> Settings, @actions/core -> Logger, and
// the outcome -> job summary, outputs, PR comment and exit status. Every string that leaves passes
// through the one Redactor.
import * as core from '@actions/core'
import { realClock } from './clock.js'
import { runPipeline, type Outcome } from './pipeline.js'
import { postPullRequestComment } from './pr-comment.js'
import { Redactor } from './redact.js'
import { buildOutputs, isFailed, renderSummary } from './report.js'
import { parseKeyValues, readSettings, SettingsError } from './settings.js'
import { nodeTransport } from './transport.js'
import type { Logger, Settings } from './types.js'
import { VERSION } from './version.js'

export function coreLogger(redactor: Redactor): Logger {
  const props = (where?: { file?: string; line?: number }): core.AnnotationProperties => ({
    ...(where?.file ? { file: where.file } : {}),
    ...(where?.line ? { startLine: where.line } : {})
  })
  return {
    info: m => core.info(redactor.redact(m)),
    debug: m => core.debug(redactor.redact(m)),
    warning: (m, where) => core.warning(redactor.redact(m), props(where)),
    error: (m, where) => core.error(redactor.redact(m), props(where)),
    group: (title, fn) => core.group(redactor.redact(title), fn)
  }
}

function summaryLimit(text: string): string {
  const max = 1024 * 1024 - 1024
  return text.length > max ? `${text.slice(0, max)}\n\n…(cut: the summary is limited to 1 MiB)\n` : text
}

export async function run(): Promise<void> {
  const redactor = new Redactor()
  redactor.onRegister(v => core.setSecret(v))
  // Register secrets before anything else can print them, even if other inputs are invalid.
  for (const name of ['api-secret', 'kafka-api-secret']) redactor.add(core.getInput(name).trim())
  let settings: Settings
  try {
    settings = readSettings(name => core.getInput(name), {
      workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
      version: VERSION
    })
  } catch (err) {
    // Secret inputs are still registered (value by value, and line by line) before anything is printed.
    for (const value of Object.values(parseKeyValues(core.getInput('secrets'), 'secrets', []))) redactor.add(value)
    for (const line of core.getInput('secrets').split(/\r?\n/)) if (line.trim().length >= 4) redactor.add(line.trim())
    const msg = err instanceof SettingsError ? err.problems.join('; ') : String(err)
    core.setFailed(redactor.redact(msg))
    return
  }
  const logger = coreLogger(redactor)
  let outcome: Outcome
  try {
    outcome = await runPipeline(settings, { logger, clock: realClock, transport: nodeTransport(), redactor })
  } catch (err) {
    core.setFailed(redactor.redact(`apply-connectors crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`))
    return
  }
  // Redact before rendering too: escaping for Markdown changes a secret's characters, so that the
  // final pass alone could no longer find it.
  const summary = redactor.redact(renderSummary(redactor.redactDeep(outcome), { dryRun: settings.dryRun }))
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(summaryLimit(summary)).write()
  }
  const outputs = buildOutputs(outcome.results)
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, redactor.redact(value))
  await postPullRequestComment(summary, {
    logger,
    redactor,
    token: core.getInput('github-token'),
    enabled: !/^(false|no|off|0)$/i.test(core.getInput('comment').trim()),
    scope: [...settings.files, settings.environmentId, settings.kafkaClusterId]
  })
  if (outcome.failed) {
    const failedCount = outcome.results.filter(isFailed).length
    core.setFailed(redactor.redact(outcome.stoppedEarly ?? `${failedCount} connector(s) failed; see the job summary`))
  }
}
