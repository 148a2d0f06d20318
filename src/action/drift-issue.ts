// `drift-issue: true` (product.md inputs): in a dry run outside pull requests (a scheduled or manual
// drift check), ONE open issue per (workflow, job, scope) lists the drift and the unmanaged connectors.
// It is found again by its hidden marker AND its author being the token's own user (listed by
// creator and state), updated on later runs, and closed with a comment when a run finds no drift.
// Without `issues: write` (403) or when GitHub does not answer: a warning, the step result unchanged.
import * as github from '@actions/github'
import type { Redactor } from '../secrets/redactor.js'
import type { Logger } from '../model/types.js'
import { commentMarker, fitComment, redactAfterMarker } from './pr-comment.js'
import { boundedOctokit, boundedPages, isOwn, runUrl, tokenAuthor, warnGitHubFailure, wholePlanLink } from './github-context.js'

export interface DriftIssueOptions {
  logger: Logger
  redactor: Redactor
  token: string
  /** Settings.dryRun: a drift issue is written by dry runs only. */
  dryRun: boolean
  /** The plan would create, update, delete, pause or resume something, or unmanaged connectors exist. */
  drift: boolean
  /** The run could judge every target (no failed list, nothing stopped early): only then may "no drift" close the issue. */
  complete: boolean
  /** A short description of the drift for the title, e.g. "2 to change, 1 unmanaged". */
  headline: string
  /** The file patterns and the default target (the same scope as the comment's marker). */
  scope: string[]
  summaryWritten: boolean
}

/** The marker of the drift issue of this (workflow, job, scope); a kind of its own, so it never matches a comment's. */
export function driftMarker(workflow: string, job: string, scope: string[]): string {
  return commentMarker(workflow, job, scope, 'apply-connectors-drift')
}

/** The issue body: marker, where it was found (run links), then the plan, within 65,536 characters. */
export function driftIssueBody(marker: string, summary: string, url: string, summaryWritten: boolean, workflow: string): string {
  const head = `Drift found by [run ${url.split('/').pop() ?? ''}](${url}) of the workflow \`${workflow.replace(/[`\r\n]/g, '')}\`; the whole plan is in ${wholePlanLink(url, summaryWritten)}. This issue is updated by later runs and closed by the first run that finds no drift.\n\n`
  return fitComment(marker, `${head}${summary}`, url, summaryWritten)
}

/**
 * Opens, updates or closes the drift issue for `summary` (already redacted; redacted again). Called
 * outside pull_request(_target) events with `drift-issue: true` (main.ts decides); outside a dry run it
 * writes nothing and gives one warning. Never throws.
 */
export async function syncDriftIssue(summary: string, opts: DriftIssueOptions): Promise<void> {
  const ctx = github.context
  if (!opts.dryRun) {
    opts.logger.warning('drift-issue works in dry runs only (a scheduled drift check with `dry-run: true`); no issue was written')
    return
  }
  if (!opts.token) {
    opts.logger.warning('no github-token: the drift issue was not written')
    return
  }
  const { owner, repo } = ctx.repo
  const marker = driftMarker(ctx.workflow, ctx.job, opts.scope)
  const url = runUrl()
  try {
    const octokit = boundedOctokit(opts.token)
    const me = await tokenAuthor(octokit)
    const open = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, creator: me, state: 'open', per_page: 100 }, boundedPages())
    const mine = open.find(i => !i.pull_request && isOwn(i, marker, me))
    if (opts.drift) {
      const title = opts.redactor.redact(`Connector drift: ${opts.headline}`.slice(0, 200))
      const body = redactAfterMarker(marker, driftIssueBody(marker, summary, url, opts.summaryWritten, ctx.workflow), t => opts.redactor.redact(t))
      if (mine) {
        await octokit.rest.issues.update({ owner, repo, issue_number: mine.number, title, body })
        opts.logger.info(`updated the drift issue ${mine.html_url}`)
      } else {
        const created = await octokit.rest.issues.create({ owner, repo, title, body })
        opts.logger.info(`opened the drift issue ${created.data.html_url}`)
      }
      return
    }
    if (!mine) return
    if (!opts.complete) {
      opts.logger.info(`the drift issue ${mine.html_url} stays open: this run could not check every target`)
      return
    }
    await octokit.rest.issues.createComment({ owner, repo, issue_number: mine.number, body: `[This run](${url}) found no drift: closing.` })
    await octokit.rest.issues.update({ owner, repo, issue_number: mine.number, state: 'closed', state_reason: 'completed' })
    opts.logger.info(`closed the drift issue ${mine.html_url}: no drift`)
  } catch (err) {
    warnGitHubFailure(
      opts.logger,
      t => opts.redactor.redact(t),
      'the drift issue',
      err,
      [401, 403, 404, 410],
      'the token cannot write issues (HTTP {status}; the workflow needs `permissions: issues: write`, and the repository must have issues enabled)'
    )
  }
}
