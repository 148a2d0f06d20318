// What the pull-request comment and the drift issue share: an Octokit whose every call is bounded in
// time, the login that authors what the token writes (so that only our own comments and issues are
// adopted), links into the run and into the repository's files, and GitHub errors as one readable line.
import * as github from '@actions/github'
import { messageOf } from '../model/errors.js'

/** Every GitHub API call gets an answer within this many ms or is abandoned (issue 12 item 11). */
export const GITHUB_CALL_TIMEOUT_MS = 10_000
/** At most this many pages of 100 are read when looking for our comment or issue. */
export const MAX_PAGES = 30
/** The login of the `github-actions` app's bot: what a GITHUB_TOKEN's comments and issues are authored by. */
export const GITHUB_ACTIONS_BOT = 'github-actions[bot]'

export type Octokit = ReturnType<typeof github.getOctokit>

/** Thrown when GitHub did not answer a call within the time bound. Named AbortError so that Octokit's
 * fetch wrapper rethrows it as it is (it wraps other fetch errors into a RequestError). */
export class GitHubTimeoutError extends Error {
  constructor(url: string, ms: number) {
    super(`GitHub did not answer ${url} within ${Math.round(ms / 1000)} s`)
    this.name = 'AbortError'
  }
}

type Fetch = (url: string, init?: Record<string, unknown>) => Promise<unknown>

/**
 * An Octokit for `token` at GITHUB_API_URL (read now, not at import: toolchain.md) whose every request
 * (pagination and GraphQL included) is aborted after `timeoutMs` ms with a GitHubTimeoutError. The
 * toolkit's own proxy-aware fetch (its defaults' `request.fetch`) is kept and wrapped: a request hook
 * setting `request.signal` did not reach fetch with @actions/github 9.1, a constructor `request.fetch` does.
 */
export function boundedOctokit(token: string, timeoutMs = GITHUB_CALL_TIMEOUT_MS): Octokit {
  const baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com'
  const plain = github.getOctokit(token, { baseUrl })
  const defaults: { fetch?: Fetch } | undefined = (plain.request.endpoint.DEFAULTS as { request?: { fetch?: Fetch } }).request
  const inner: Fetch = defaults?.fetch ?? globalThis.fetch
  const once: Fetch = async (url, init = {}) => {
    const timer = AbortSignal.timeout(timeoutMs)
    const signal = init.signal instanceof AbortSignal ? AbortSignal.any([init.signal, timer]) : timer
    try {
      return await inner(url, { ...init, signal })
    } catch (err) {
      if (timer.aborted) throw new GitHubTimeoutError(`${typeof init.method === 'string' ? init.method : 'GET'} ${new URL(url).pathname}`, timeoutMs)
      throw err
    }
  }
  // Sent once more after a 429 (or a 403 with Retry-After: a secondary rate limit), or after a 502, 503 or
  // 504 unless it was a POST (a comment or issue may have been made before the front end failed). GitHub's
  // REST docs ask to wait Retry-After; here at most GITHUB_RETRY_MAX_MS (a longer wait is given up: the
  // step's result never waits on the comment).
  const bounded: Fetch = async (url, init = {}) => {
    const res = (await once(url, init)) as Response
    const method = typeof init.method === 'string' ? init.method.toUpperCase() : 'GET'
    const secondaryLimit = res.status === 403 && res.headers.get('retry-after') !== null
    const retryable = res.status === 429 || secondaryLimit || ([502, 503, 504].includes(res.status) && method !== 'POST')
    const waitMs = retryable ? retryAfterMs(res.headers.get('retry-after')) : undefined
    if (waitMs === undefined) return res
    await res.body?.cancel().catch(() => undefined)
    await new Promise(resolve => setTimeout(resolve, waitMs))
    return once(url, init)
  }
  return github.getOctokit(token, { baseUrl, request: { ...defaults, fetch: bounded } })
}

/** The longest wait before GitHub is asked once more (ms). */
export const GITHUB_RETRY_MAX_MS = 5_000

/** The wait a Retry-After header asks for (whole seconds; 1 s when absent or not a number), or undefined
 * when it is longer than GITHUB_RETRY_MAX_MS. */
export function retryAfterMs(header: string | null): number | undefined {
  const seconds = header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) : 1
  const ms = Math.max(1, seconds) * 1000
  return ms <= GITHUB_RETRY_MAX_MS ? ms : undefined
}

/** The HTTP status of an Octokit error, if any. */
export function httpStatus(err: unknown): number | undefined {
  const s = (err as { status?: unknown })?.status
  return typeof s === 'number' ? s : undefined
}

/** One line for a warning: the timeout, or the status and message. Redact it before printing. */
export function describeGitHubError(err: unknown, redact: (text: string) => string): string {
  if (err instanceof GitHubTimeoutError) return err.message
  const s = httpStatus(err)
  // Redact before cutting: a secret across the cut would no longer be recognised.
  return `HTTP ${s ?? '?'}: ${redact(messageOf(err)).split('\n')[0].slice(0, 300)}`
}

/**
 * The login that authors what `octokit`'s token writes. A user token (PAT): `GET /user`. An app
 * installation token (GITHUB_TOKEN, app tokens) gets 403 there; then GraphQL `viewer.login` (the app's
 * slug, e.g. `github-actions`) + `[bot]`, as marocchino/sticky-pull-request-comment compares the viewer
 * with comment authors less a `[bot]` suffix; when that fails too, `github-actions[bot]` (user id
 * 41898282, what scripts checking `comment.user.id === 41898282` rely on). Rethrows a timeout and
 * errors other than 401/403/404 from `GET /user`.
 */
export async function tokenAuthor(octokit: Octokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    if (typeof data.login === 'string' && data.login) return data.login
  } catch (err) {
    const s = httpStatus(err)
    if (err instanceof GitHubTimeoutError || (s !== 401 && s !== 403 && s !== 404)) throw err
  }
  try {
    const answer = await octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }')
    const login = answer.viewer?.login
    if (typeof login === 'string' && login) return login.endsWith('[bot]') ? login : `${login}[bot]`
  } catch (err) {
    if (err instanceof GitHubTimeoutError) throw err
  }
  return GITHUB_ACTIONS_BOT
}

/** True when `user` (a comment's or an issue's author) is `login`; GitHub logins are case-insensitive. */
export function authoredBy(user: { login?: string } | null | undefined, login: string): boolean {
  return typeof user?.login === 'string' && user.login.toLowerCase() === login.toLowerCase()
}

/** True when a comment or issue is one of ours: its body starts with `marker` and `me` wrote it (product.md
 * "Limits": found again only among what the token's own user wrote). */
export function isOwn(item: { body?: string | null; user?: { login?: string } | null }, marker: string, me: string): boolean {
  return typeof item.body === 'string' && item.body.startsWith(marker) && authoredBy(item.user, me)
}

/** A `octokit.paginate` map function that stops after MAX_PAGES pages (of 100), so a listing is bounded. */
export function boundedPages<T>(): (res: { data: T[] }, done: () => void) => T[] {
  let pages = 0
  return (res, done) => {
    if (++pages >= MAX_PAGES) done()
    return res.data
  }
}

/**
 * Logs why writing `what` (the pull-request comment, the drift issue) failed, as one warning (the
 * logger redacts it): `denied` (the token's missing permission) for the statuses in `deniedStatuses`,
 * else the status and message (describeGitHubError, redacted before it is cut).
 */
export function warnGitHubFailure(
  logger: { warning(message: string): void },
  redact: (text: string) => string,
  what: string,
  err: unknown,
  deniedStatuses: readonly number[],
  denied: string
): void {
  const s = httpStatus(err)
  const why = rateLimited(err)
    ? `GitHub's API rate limit for this token was reached (HTTP ${s}); the next run writes it`
    : s !== undefined && deniedStatuses.includes(s)
      ? `${denied.replace('{status}', String(s))}`
      : describeGitHubError(err, redact)
  logger.warning(`could not write ${what}: ${why}`)
}

/**
 * True when GitHub refused for its rate limit, not for a permission: a 429, or a 403 with
 * `x-ratelimit-remaining: 0` or a message about a (secondary) rate limit. GitHub's REST docs: both limits
 * answer 403 or 429, the primary one with `x-ratelimit-remaining: 0`.
 */
export function rateLimited(err: unknown): boolean {
  const s = httpStatus(err)
  if (s === 429) return true
  if (s !== 403) return false
  const headers = (err as { response?: { headers?: Record<string, unknown> } })?.response?.headers ?? {}
  const remaining = headers['x-ratelimit-remaining']
  return ((typeof remaining === 'string' || typeof remaining === 'number') && String(remaining) === '0') || /rate limit/i.test(messageOf(err))
}

/** The URL of this workflow run: `{server}/{owner}/{repo}/actions/runs/{run id}`. */
export function runUrl(): string {
  const ctx = github.context
  const { owner, repo } = ctx.repo
  return `${ctx.serverUrl}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/actions/runs/${ctx.runId}`
}

/**
 * Markdown that points at where the whole plan can be read: the run's job summary, or, when GitHub
 * refused the summary (`summaryWritten` false), the run's step log.
 */
export function wholePlanLink(url: string, summaryWritten: boolean): string {
  return summaryWritten ? `[the run's job summary](${url})` : `the step log of [the run](${url}) (the job summary could not be written)`
}

/** encodeURIComponent, plus the characters it leaves that end or confuse a Markdown link: ( ) ' ! *. */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[()'!*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * A `fileLink` for renderSummary: `{server}/{owner}/{repo}/blob/{sha}/{path}#L{line}`, each path
 * segment URL-encoded. `sha` is the pull request's head commit on pull_request(_target) events, else
 * GITHUB_SHA. Returns undefined (no links) when there is no 40/64-hex commit, no repository, or the
 * server URL is not http(s); the function itself returns undefined for a path that leaves the
 * workspace (`..`, absolute).
 */
export function blobLinker(
  ctx: { serverUrl: string; repo: { owner: string; repo: string }; sha: string; payload: Record<string, unknown> } = github.context
): ((file: string, line: number) => string | undefined) | undefined {
  const pr = ctx.payload.pull_request as { head?: { sha?: unknown } } | undefined
  const sha = pr ? pr.head?.sha : ctx.sha
  if (typeof sha !== 'string' || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(sha)) return undefined
  let server: URL
  let owner: string
  let repo: string
  try {
    server = new URL(ctx.serverUrl)
    ;({ owner, repo } = ctx.repo)
  } catch {
    return undefined
  }
  if (!['http:', 'https:'].includes(server.protocol) || !owner || !repo) return undefined
  const base = `${server.origin}${server.pathname.replace(/\/+$/, '')}/${encodeSegment(owner)}/${encodeSegment(repo)}/blob/${sha}/`
  return (file, line) => {
    const segments = file.replace(/\\/g, '/').split('/')
    if (file.startsWith('/') || segments.some(s => s === '..' || s === '')) return undefined
    const anchor = Number.isInteger(line) && line > 0 ? `#L${line}` : ''
    return `${base}${segments.map(encodeSegment).join('/')}${anchor}`
  }
}
