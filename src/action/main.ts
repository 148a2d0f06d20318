// The thin layer between the runner and the core: inputs -> Settings, @actions/core -> Logger, and
// the Outcome -> job summary, outputs, PR comment, drift issue and exit status. One outer guard: any
// throw ends in a redacted setFailed, and the summary and outputs are still written for what is known.
import * as core from '@actions/core'
import { realClock } from '../http/clock.js'
import { nodeTransport } from '../http/transport.js'
import { VERSION } from '../model/version.js'
import type { Logger, Outcome, Settings } from '../model/types.js'
import { emptyOutcome, isFailed, VOCABULARY_FIELDS } from '../model/types.js'
import { runPipeline } from '../pipeline.js'
import { buildOutputs, hasChanges } from '../report/outputs.js'
import { fitSummary } from '../report/budget.js'
import { countResults, renderSummary } from '../report/summary.js'
import { esc } from '../report/markdown.js'
import { forLog } from '../model/text.js'
import { Redactor } from '../secrets/redactor.js'
import { filesOf, parseKeyValues, readSettings, SECRET_INPUTS, SettingsError, type InputName } from './inputs.js'
import { coreLogger } from './logger.js'
import { proxyAgents } from './proxy.js'

function input(name: InputName): string {
  return core.getInput(name)
}

/** Registers every secret input before anything can print it, even when other inputs are invalid. */
function registerSecretInputs(redactor: Redactor): void {
  for (const name of SECRET_INPUTS) {
    const raw = input(name)
    if (name === 'secrets') {
      const problems: string[] = []
      // Every value, also of a line refused (a name given twice keeps only its first value).
      parseKeyValues(raw, 'secrets', problems, value => redactor.add(value))
      // The raw text too (with each of its lines) when it does not parse: then its values are not known
      // one by one. A text that parses holds nothing else secret, and registering it would mask its
      // shape everywhere: the default `{}` turned every `{}` of the log into `***`.
      if (problems.length > 0) redactor.add(raw)
    } else redactor.add(raw.trim())
  }
  // api-url may hold user info: never print it.
  try {
    const url = new URL(input('api-url').trim())
    redactor.add(url.password)
    redactor.add(decodeURIComponent(url.password))
  } catch {
    // not a URL (readSettings reports it without echoing it), or a password that is not valid
    // percent-encoding (registered as written above)
  }
}

/** True on pull_request(_target) events, where @actions/github's context says so too (GITHUB_EVENT_NAME). */
function onPullRequest(): boolean {
  return ['pull_request', 'pull_request_target'].includes(process.env.GITHUB_EVENT_NAME ?? '')
}

async function publish(outcome: Outcome, settings: Settings, redactor: Redactor, logger: Logger): Promise<void> {
  // @actions/github (and Octokit) is loaded only when something needs it: file links when the summary
  // names a file, the comment on pull requests, the drift issue outside them (issue 16: start-up).
  // Loaded here, not at the top: @actions/github reads its environment when first imported.
  const namesFiles = outcome.results.length > 0 || outcome.problems.length > 0
  const wantComment = settings.comment && onPullRequest()
  const wantIssue = settings.driftIssue && !onPullRequest()
  const { blobLinker } = namesFiles || wantComment || wantIssue ? await import('./github.js') : { blobLinker: () => undefined }
  // Files link to their lines at the commit the run planned (on a pull request: its head commit).
  const fileLink = blobLinker()
  // Redact before rendering too (once, reused below): escaping for Markdown changes a secret's characters,
  // so that the final pass alone could no longer find it. The action's own words (plan verbs, what
  // happened) are left for the final pass over each text: the counts and the output lists are sorted by
  // them, and a secret `created` must mask the word, not empty the list.
  const redacted = redactor.redactDeep(outcome, VOCABULARY_FIELDS)
  const summary = redactor.redact(renderSummary(redacted, fileLink ? { fileLink } : {}))
  let summaryWritten = false
  if (process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(fitSummary(summary)).write()
      summaryWritten = true
    } catch (err) {
      logger.warning(`could not write the job summary: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  // Built from the redacted outcome: every string in it was redacted as a value (the action's own words
  // where `results` prints them), so the outputs keep their field names, and `changed` (true/false by
  // construction) is never turned into `***` by a secret `true`.
  setOutputs(redacted, w => redactor.redact(w))
  if (!wantComment && !wantIssue) return
  const scope = commentScope(settings.files, settings.environmentId, settings.kafkaClusterId)
  // The comment and the issue get their own rendering within GitHub's 65,536 characters, cut between
  // sections (never inside a table or a code block) rather than after the 1 MiB summary.
  const { postPullRequestComment, COMMENT_LIMIT } = await import('./github.js')
  const shortText = redactor.redact(renderSummary(redacted, { ...(fileLink ? { fileLink } : {}), limit: COMMENT_LIMIT - 2_000, unit: 'chars' }))
  if (wantComment) {
    await postPullRequestComment(shortText, {
      logger,
      redactor,
      token: settings.githubToken,
      summaryWritten,
      scope
    })
  }
  if (!wantIssue) return
  const { syncDriftIssue } = await import('./github.js')
  const c = countResults(outcome.results, outcome.dryRun)
  await syncDriftIssue(shortText, {
    logger,
    redactor,
    token: settings.githubToken,
    dryRun: settings.dryRun,
    drift: hasChanges(outcome) || outcome.unmanaged.length > 0,
    complete: !outcome.stoppedEarly && !outcome.results.some(r => r.planned === 'not-planned'),
    headline: `${c.created} to create, ${c.updated} to update, ${c.deleted} to delete, ${c.paused + c.resumed} to pause or resume, ${outcome.unmanaged.length} unmanaged`,
    scope,
    summaryWritten
  })
}

/** Whether this run's outputs were set: a crash after that keeps them; one before sets them. */
let outputsSet = false

/** Sets every output from `outcome` (already redacted as a value: redactDeep keeping VOCABULARY_FIELDS;
 * `redact` masks the action's own words where `results` prints them). */
function setOutputs(outcome: Outcome, redact?: (word: string) => string): void {
  for (const [name, value] of Object.entries(buildOutputs(outcome, redact ? { redact } : {})) as Array<[string, string]>) core.setOutput(name, value)
  outputsSet = true
}

/** What the hidden marker of the pull-request comment and the drift issue is made from (with the
 * workflow and the job): the files patterns and the inputs' target. */
function commentScope(files: readonly string[], environmentId: string, kafkaClusterId: string): string[] {
  return [...files, environmentId, kafkaClusterId]
}

/** Invalid inputs: nothing was read or sent, but every output is still set (empty), the summary says why,
 * and so does the pull-request comment, which would otherwise still show an earlier run's plan. */
async function publishInputError(problems: string[], redactor: Redactor): Promise<void> {
  setOutputs(emptyOutcome({ failed: true, stoppedEarly: `invalid inputs: ${problems.join('; ')}` }))
  const lines = problems.map(p => `- ${esc(redactor.redact(p))}`).join('\n')
  const text = `## apply-connectors: invalid inputs\n\n**Nothing was read or sent.**\n\n${lines}\n`
  let summaryWritten = false
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addRaw(text)
      .write()
      .then(() => (summaryWritten = true))
      .catch(() => undefined)
  }
  // The inputs the comment needs are read as they are (the others may be the invalid ones): `comment`
  // unless it says no, the token, and the scope of the marker, so that this run's comment is replaced.
  if (!onPullRequest() || /^(false|no|off|0)$/i.test(input('comment').trim())) return
  const scope = commentScope(filesOf(input('files')), input('environment-id').trim(), input('kafka-cluster-id').trim())
  const { postPullRequestComment } = await import('./github.js')
  await postPullRequestComment(text, { logger: coreLogger(redactor), redactor, token: input('github-token').trim(), summaryWritten, scope })
}

export async function run(): Promise<void> {
  const redactor = new Redactor()
  redactor.onRegister(v => core.setSecret(v))
  // What the run did, once known: a crash while publishing must not set outputs that deny it.
  let known: Outcome | undefined
  try {
    registerSecretInputs(redactor)
    let settings: Settings
    try {
      settings = readSettings(input, { workspace: process.env.GITHUB_WORKSPACE || process.cwd(), version: VERSION })
    } catch (err) {
      const problems = err instanceof SettingsError ? err.problems : [String(err)]
      core.setFailed(forLog(redactor.redact(problems.join('; '))))
      await publishInputError(problems, redactor)
      return
    }
    const logger = coreLogger(redactor)
    // A run that sends a request has results to link to files: load @actions/github (for the links) while
    // the requests are in flight, not after the last one (issue 16). A run that sends none never loads it.
    // Loaded on the turn after the first request, so the requests sent with it go out first.
    const transport = nodeTransport({ proxyAgentFor: proxyAgents() })
    let prefetched = false
    const prefetching: typeof transport = req => {
      if (!prefetched) {
        prefetched = true
        setImmediate(() => void import('./github.js').catch(() => undefined))
      }
      return transport(req)
    }
    const audience = settings.auth.kind === 'oidc' ? settings.auth.audience : ''
    const outcome = await runPipeline(settings, {
      logger,
      clock: realClock,
      transport: prefetching,
      redactor,
      getIdToken: () => core.getIDToken(audience || undefined)
    })
    known = outcome
    await publish(outcome, settings, redactor, logger)
    if (outcome.failed) {
      const failedCount = outcome.results.filter(isFailed).length
      core.setFailed(forLog(redactor.redact(outcome.stoppedEarly ?? `${failedCount} connector(s) failed; see the job summary`)))
    }
  } catch (err) {
    // The one outer guard: whatever threw is redacted and ends in setFailed, with a summary that says so.
    const message = redactor.redact(`apply-connectors crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    core.setFailed(forLog(message))
    // Every output is set on every path: from what the run did when a crash in publishing came before
    // them (a connector created must not read `changed: false`), else empty.
    for (const from of [known, emptyOutcome({ failed: true })]) {
      if (outputsSet || from === undefined) continue
      try {
        setOutputs(redactor.redactDeep(from, VOCABULARY_FIELDS), w => redactor.redact(w))
      } catch {
        // not from this outcome (the next is empty), or GITHUB_OUTPUT cannot be written at all
      }
    }
    if (process.env.GITHUB_STEP_SUMMARY) {
      await core.summary
        .addRaw(`## apply-connectors crashed\n\n${esc(message.split('\n')[0])}\n\nThe step log has the details. Nothing after the crash was applied.\n`)
        .write()
        .catch(() => undefined)
    }
  }
}
