// On pull_request / pull_request_target events: one comment per (workflow, job, scope) kept up to
// date. Found again by a hidden marker AND its author being the token's own user (product.md "Limits":
// "found again only among comments written by the token's own user"), so nobody can get a comment of
// theirs overwritten by posting the marker. Cut to GitHub's size limit with a link to the whole plan.
// A read-only token (fork pull requests) or a GitHub that does not answer gives a warning, never a failure.
import { createHash } from 'node:crypto'
import * as github from '@actions/github'
import { fitSummary } from '../report/budget.js'
import type { Redactor } from '../secrets/redactor.js'
import type { Logger } from '../model/types.js'
import { boundedOctokit, boundedPages, isOwn, runUrl, tokenAuthor, warnGitHubFailure, wholePlanLink } from './github-context.js'

/** GitHub rejects comment (and issue) bodies over 65,536 characters. */
export const COMMENT_LIMIT = 65_536

export interface CommentOptions {
  logger: Logger
  redactor: Redactor
  token: string
  /** What tells two steps of one job apart: the file patterns and the default target. */
  scope: string[]
  /** False when GitHub refused the job summary: the comment must not point at it then. */
  summaryWritten: boolean
}

/** The hidden first line that finds a comment again: a hash of the workflow, the job and the scope. */
export function commentMarker(workflow: string, job: string, scope: string[], kind = 'apply-connectors'): string {
  const id = createHash('sha256')
    .update(JSON.stringify([workflow, job, scope]))
    .digest('hex')
    .slice(0, 16)
  return `<!-- ${kind}:${id} -->`
}

/**
 * `text`, which starts with the `marker` line, redacted everywhere but in that line. The marker is our
 * own fixed text and a hash of the scope and holds nothing secret; redacted, it would no longer be found:
 * a secret that happens to be part of it ("app", "connectors", a run of hex digits) made every run post
 * a new comment or open a new drift issue. A `text` that does not start with the marker is redacted whole.
 */
export function redactAfterMarker(marker: string, text: string, redact: (t: string) => string): string {
  return text.startsWith(`${marker}\n`) ? `${marker}\n${redact(text.slice(marker.length + 1))}` : redact(text)
}

/**
 * `marker` + newline + `body`, within COMMENT_LIMIT characters. A longer body is cut at a point outside
 * any `<details>` block and ends with a note linking to the whole plan: the run's job summary, or its
 * step log when `summaryWritten` is false.
 */
export function fitComment(marker: string, body: string, url: string, summaryWritten = true): string {
  const full = `${marker}\n${body}`
  if (full.length <= COMMENT_LIMIT) return full
  const tail = `\n\n…the plan is longer than a comment allows; read the whole of it in ${wholePlanLink(url, summaryWritten)}.\n`
  // The summary's own cut (report/budget.ts): at a line outside any <details>, code block or table.
  const room = COMMENT_LIMIT - marker.length - 1 - tail.length
  return `${marker}\n${fitSummary(body, room, 'chars')}${tail}`
}

/**
 * Creates or updates the pull request's comment with `summary` (already redacted; redacted again).
 * Called on pull_request(_target) events with `comment: true` (main.ts decides); does nothing without
 * a pull request number in the payload. Never throws: every GitHub error or timeout (each call bounded
 * by boundedOctokit) becomes one warning.
 */
export async function postPullRequestComment(summary: string, opts: CommentOptions): Promise<void> {
  const ctx = github.context
  const pr = ctx.payload.pull_request?.number
  if (typeof pr !== 'number') return
  if (!opts.token) {
    opts.logger.warning('no github-token: the pull-request comment was not written')
    return
  }
  const { owner, repo } = ctx.repo
  const marker = commentMarker(ctx.workflow, ctx.job, opts.scope)
  const url = runUrl()
  const footer = `\n<sub>Written by [run ${ctx.runId}](${url}); the whole plan is in ${wholePlanLink(url, opts.summaryWritten)}.</sub>\n`
  const body = redactAfterMarker(marker, fitComment(marker, `${summary}${footer}`, url, opts.summaryWritten), t => opts.redactor.redact(t))
  try {
    const octokit = boundedOctokit(opts.token)
    const me = await tokenAuthor(octokit)
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pr, per_page: 100 }, boundedPages())
    const mine = comments.find(c => isOwn(c, marker, me))
    if (mine) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body })
      opts.logger.info(`updated the pull-request comment ${mine.html_url ?? mine.id}`)
    } else {
      const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body })
      opts.logger.info(`commented on the pull request: ${created.data.html_url ?? created.data.id}`)
    }
  } catch (err) {
    warnGitHubFailure(
      opts.logger,
      t => opts.redactor.redact(t),
      'the pull-request comment',
      err,
      [401, 403, 404],
      'the token cannot write to the pull request (HTTP {status}; pull requests from forks get a read-only token; the workflow needs `permissions: pull-requests: write`)'
    )
  }
}
