export const id = 464;
export const ids = [464];
export const modules = {

/***/ 6464:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  COMMENT_LIMIT: () => (/* reexport */ COMMENT_LIMIT),
  blobLinker: () => (/* reexport */ blobLinker),
  postPullRequestComment: () => (/* reexport */ postPullRequestComment),
  syncDriftIssue: () => (/* reexport */ syncDriftIssue)
});

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: ./src/model/errors.ts
var errors = __webpack_require__(7206);
;// CONCATENATED MODULE: ./src/action/github-context.ts
// What the pull-request comment and the drift issue share: an Octokit whose every call is bounded in
// time, the login that authors what the token writes (so that only our own comments and issues are
// adopted), links into the run and into the repository's files, and GitHub errors as one readable line.


/** Every GitHub API call gets an answer within this many ms or is abandoned (issue 12 item 11). */
const GITHUB_CALL_TIMEOUT_MS = 10_000;
/** At most this many pages of 100 are read when looking for our comment or issue. */
const MAX_PAGES = 30;
/** The login of the `github-actions` app's bot: what a GITHUB_TOKEN's comments and issues are authored by. */
const GITHUB_ACTIONS_BOT = 'github-actions[bot]';
/** Thrown when GitHub did not answer a call within the time bound. Named AbortError so that Octokit's
 * fetch wrapper rethrows it as it is (it wraps other fetch errors into a RequestError). */
class GitHubTimeoutError extends Error {
    constructor(url, ms) {
        super(`GitHub did not answer ${url} within ${Math.round(ms / 1000)} s`);
        this.name = 'AbortError';
    }
}
/**
 * An Octokit for `token` at GITHUB_API_URL (read now, not at import: toolchain.md) whose every request
 * (pagination and GraphQL included) is aborted after `timeoutMs` ms with a GitHubTimeoutError. The
 * toolkit's own proxy-aware fetch (its defaults' `request.fetch`) is kept and wrapped: a request hook
 * setting `request.signal` did not reach fetch with @actions/github 9.1, a constructor `request.fetch` does.
 */
function boundedOctokit(token, timeoutMs = GITHUB_CALL_TIMEOUT_MS) {
    const baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com';
    const plain = github/* getOctokit */.Q(token, { baseUrl });
    const defaults = plain.request.endpoint.DEFAULTS.request;
    const inner = defaults?.fetch ?? globalThis.fetch;
    const once = async (url, init = {}) => {
        const timer = AbortSignal.timeout(timeoutMs);
        const signal = init.signal instanceof AbortSignal ? AbortSignal.any([init.signal, timer]) : timer;
        try {
            return await inner(url, { ...init, signal });
        }
        catch (err) {
            if (timer.aborted)
                throw new GitHubTimeoutError(`${typeof init.method === 'string' ? init.method : 'GET'} ${new URL(url).pathname}`, timeoutMs);
            throw err;
        }
    };
    // Sent once more after a 429 (or a 403 with Retry-After: a secondary rate limit), or after a 502, 503 or
    // 504 unless it was a POST (a comment or issue may have been made before the front end failed). GitHub's
    // REST docs ask to wait Retry-After; here at most GITHUB_RETRY_MAX_MS (a longer wait is given up: the
    // step's result never waits on the comment).
    const bounded = async (url, init = {}) => {
        const res = (await once(url, init));
        const method = typeof init.method === 'string' ? init.method.toUpperCase() : 'GET';
        const secondaryLimit = res.status === 403 && res.headers.get('retry-after') !== null;
        const retryable = res.status === 429 || secondaryLimit || ([502, 503, 504].includes(res.status) && method !== 'POST');
        const waitMs = retryable ? retryAfterMs(res.headers.get('retry-after')) : undefined;
        if (waitMs === undefined)
            return res;
        await res.body?.cancel().catch(() => undefined);
        await new Promise(resolve => setTimeout(resolve, waitMs));
        return once(url, init);
    };
    return github/* getOctokit */.Q(token, { baseUrl, request: { ...defaults, fetch: bounded } });
}
/** The longest wait before GitHub is asked once more (ms). */
const GITHUB_RETRY_MAX_MS = 5_000;
/** The wait a Retry-After header asks for (whole seconds; 1 s when absent or not a number), or undefined
 * when it is longer than GITHUB_RETRY_MAX_MS. */
function retryAfterMs(header) {
    const seconds = header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) : 1;
    const ms = Math.max(1, seconds) * 1000;
    return ms <= GITHUB_RETRY_MAX_MS ? ms : undefined;
}
/** The HTTP status of an Octokit error, if any. */
function httpStatus(err) {
    const s = err?.status;
    return typeof s === 'number' ? s : undefined;
}
/** One line for a warning: the timeout, or the status and message. Redact it before printing. */
function describeGitHubError(err, redact) {
    if (err instanceof GitHubTimeoutError)
        return err.message;
    const s = httpStatus(err);
    // Redact before cutting: a secret across the cut would no longer be recognised.
    return `HTTP ${s ?? '?'}: ${redact((0,errors/* messageOf */.bD)(err)).split('\n')[0].slice(0, 300)}`;
}
/**
 * The login that authors what `octokit`'s token writes. A user token (PAT): `GET /user`. An app
 * installation token (GITHUB_TOKEN, app tokens) gets 403 there; then GraphQL `viewer.login` (the app's
 * slug, e.g. `github-actions`) + `[bot]`, as marocchino/sticky-pull-request-comment compares the viewer
 * with comment authors less a `[bot]` suffix; when that fails too, `github-actions[bot]` (user id
 * 41898282, what scripts checking `comment.user.id === 41898282` rely on). Rethrows a timeout and
 * errors other than 401/403/404 from `GET /user`.
 */
async function tokenAuthor(octokit) {
    try {
        const { data } = await octokit.rest.users.getAuthenticated();
        if (typeof data.login === 'string' && data.login)
            return data.login;
    }
    catch (err) {
        const s = httpStatus(err);
        if (err instanceof GitHubTimeoutError || (s !== 401 && s !== 403 && s !== 404))
            throw err;
    }
    try {
        const answer = await octokit.graphql('query { viewer { login } }');
        const login = answer.viewer?.login;
        if (typeof login === 'string' && login)
            return login.endsWith('[bot]') ? login : `${login}[bot]`;
    }
    catch (err) {
        if (err instanceof GitHubTimeoutError)
            throw err;
    }
    return GITHUB_ACTIONS_BOT;
}
/** True when `user` (a comment's or an issue's author) is `login`; GitHub logins are case-insensitive. */
function authoredBy(user, login) {
    return typeof user?.login === 'string' && user.login.toLowerCase() === login.toLowerCase();
}
/** True when a comment or issue is one of ours: its body starts with `marker` and `me` wrote it (product.md
 * "Limits": found again only among what the token's own user wrote). */
function isOwn(item, marker, me) {
    return typeof item.body === 'string' && item.body.startsWith(marker) && authoredBy(item.user, me);
}
/** A `octokit.paginate` map function that stops after MAX_PAGES pages (of 100), so a listing is bounded. */
function boundedPages() {
    let pages = 0;
    return (res, done) => {
        if (++pages >= MAX_PAGES)
            done();
        return res.data;
    };
}
/**
 * Logs why writing `what` (the pull-request comment, the drift issue) failed, as one warning (the
 * logger redacts it): `denied` (the token's missing permission) for the statuses in `deniedStatuses`,
 * else the status and message (describeGitHubError, redacted before it is cut).
 */
function warnGitHubFailure(logger, redact, what, err, deniedStatuses, denied) {
    const s = httpStatus(err);
    const why = rateLimited(err)
        ? `GitHub's API rate limit for this token was reached (HTTP ${s}); the next run writes it`
        : s !== undefined && deniedStatuses.includes(s)
            ? `${denied.replace('{status}', String(s))}`
            : describeGitHubError(err, redact);
    logger.warning(`could not write ${what}: ${why}`);
}
/**
 * True when GitHub refused for its rate limit, not for a permission: a 429, or a 403 with
 * `x-ratelimit-remaining: 0` or a message about a (secondary) rate limit. GitHub's REST docs: both limits
 * answer 403 or 429, the primary one with `x-ratelimit-remaining: 0`.
 */
function rateLimited(err) {
    const s = httpStatus(err);
    if (s === 429)
        return true;
    if (s !== 403)
        return false;
    const headers = err?.response?.headers ?? {};
    const remaining = headers['x-ratelimit-remaining'];
    return ((typeof remaining === 'string' || typeof remaining === 'number') && String(remaining) === '0') || /rate limit/i.test((0,errors/* messageOf */.bD)(err));
}
/** The URL of this workflow run: `{server}/{owner}/{repo}/actions/runs/{run id}`. */
function runUrl() {
    const ctx = github/* context */._;
    const { owner, repo } = ctx.repo;
    return `${ctx.serverUrl}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/actions/runs/${ctx.runId}`;
}
/**
 * Markdown that points at where the whole plan can be read: the run's job summary, or, when GitHub
 * refused the summary (`summaryWritten` false), the run's step log.
 */
function wholePlanLink(url, summaryWritten) {
    return summaryWritten ? `[the run's job summary](${url})` : `the step log of [the run](${url}) (the job summary could not be written)`;
}
/** encodeURIComponent, plus the characters it leaves that end or confuse a Markdown link: ( ) ' ! *. */
function encodeSegment(segment) {
    return encodeURIComponent(segment).replace(/[()'!*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
/**
 * A `fileLink` for renderSummary: `{server}/{owner}/{repo}/blob/{sha}/{path}#L{line}`, each path
 * segment URL-encoded. `sha` is the pull request's head commit on pull_request(_target) events, else
 * GITHUB_SHA. Returns undefined (no links) when there is no 40/64-hex commit, no repository, or the
 * server URL is not http(s); the function itself returns undefined for a path that leaves the
 * workspace (`..`, absolute).
 */
function blobLinker(ctx = github/* context */._) {
    const pr = ctx.payload.pull_request;
    const sha = pr ? pr.head?.sha : ctx.sha;
    if (typeof sha !== 'string' || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(sha))
        return undefined;
    let server;
    let owner;
    let repo;
    try {
        server = new URL(ctx.serverUrl);
        ({ owner, repo } = ctx.repo);
    }
    catch {
        return undefined;
    }
    if (!['http:', 'https:'].includes(server.protocol) || !owner || !repo)
        return undefined;
    const base = `${server.origin}${server.pathname.replace(/\/+$/, '')}/${encodeSegment(owner)}/${encodeSegment(repo)}/blob/${sha}/`;
    return (file, line) => {
        const segments = file.replace(/\\/g, '/').split('/');
        if (file.startsWith('/') || segments.some(s => s === '..' || s === ''))
            return undefined;
        const anchor = Number.isInteger(line) && line > 0 ? `#L${line}` : '';
        return `${base}${segments.map(encodeSegment).join('/')}${anchor}`;
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/report/budget.ts
var budget = __webpack_require__(2585);
;// CONCATENATED MODULE: ./src/action/pr-comment.ts
// On pull_request / pull_request_target events: one comment per (workflow, job, scope) kept up to
// date. Found again by a hidden marker AND its author being the token's own user (product.md "Limits":
// "found again only among comments written by the token's own user"), so nobody can get a comment of
// theirs overwritten by posting the marker. Cut to GitHub's size limit with a link to the whole plan.
// A read-only token (fork pull requests) or a GitHub that does not answer gives a warning, never a failure.




/** GitHub rejects comment (and issue) bodies over 65,536 characters. */
const COMMENT_LIMIT = 65_536;
/** The hidden first line that finds a comment again: a hash of the workflow, the job and the scope. */
function commentMarker(workflow, job, scope, kind = 'apply-connectors') {
    const id = (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify([workflow, job, scope]))
        .digest('hex')
        .slice(0, 16);
    return `<!-- ${kind}:${id} -->`;
}
/**
 * `text`, which starts with the `marker` line, redacted everywhere but in that line. The marker is our
 * own fixed text and a hash of the scope and holds nothing secret; redacted, it would no longer be found:
 * a secret that happens to be part of it ("app", "connectors", a run of hex digits) made every run post
 * a new comment or open a new drift issue. A `text` that does not start with the marker is redacted whole.
 */
function redactAfterMarker(marker, text, redact) {
    return text.startsWith(`${marker}\n`) ? `${marker}\n${redact(text.slice(marker.length + 1))}` : redact(text);
}
/**
 * `marker` + newline + `body`, within COMMENT_LIMIT characters. A longer body is cut at a point outside
 * any `<details>` block and ends with a note linking to the whole plan: the run's job summary, or its
 * step log when `summaryWritten` is false.
 */
function fitComment(marker, body, url, summaryWritten = true) {
    const full = `${marker}\n${body}`;
    if (full.length <= COMMENT_LIMIT)
        return full;
    const tail = `\n\n…the plan is longer than a comment allows; read the whole of it in ${wholePlanLink(url, summaryWritten)}.\n`;
    // The summary's own cut (report/budget.ts): at a line outside any <details>, code block or table.
    const room = COMMENT_LIMIT - marker.length - 1 - tail.length;
    return `${marker}\n${(0,budget/* fitSummary */.mW)(body, room, 'chars')}${tail}`;
}
/**
 * Creates or updates the pull request's comment with `summary` (already redacted; redacted again).
 * Called on pull_request(_target) events with `comment: true` (main.ts decides); does nothing without
 * a pull request number in the payload. Never throws: every GitHub error or timeout (each call bounded
 * by boundedOctokit) becomes one warning.
 */
async function postPullRequestComment(summary, opts) {
    const ctx = github/* context */._;
    const pr = ctx.payload.pull_request?.number;
    if (typeof pr !== 'number')
        return;
    if (!opts.token) {
        opts.logger.warning('no github-token: the pull-request comment was not written');
        return;
    }
    const { owner, repo } = ctx.repo;
    const marker = commentMarker(ctx.workflow, ctx.job, opts.scope);
    const url = runUrl();
    const footer = `\n<sub>Written by [run ${ctx.runId}](${url}); the whole plan is in ${wholePlanLink(url, opts.summaryWritten)}.</sub>\n`;
    const body = redactAfterMarker(marker, fitComment(marker, `${summary}${footer}`, url, opts.summaryWritten), t => opts.redactor.redact(t));
    try {
        const octokit = boundedOctokit(opts.token);
        const me = await tokenAuthor(octokit);
        const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pr, per_page: 100 }, boundedPages());
        const mine = comments.find(c => isOwn(c, marker, me));
        if (mine) {
            await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
            opts.logger.info(`updated the pull-request comment ${mine.html_url ?? mine.id}`);
        }
        else {
            const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body });
            opts.logger.info(`commented on the pull request: ${created.data.html_url ?? created.data.id}`);
        }
    }
    catch (err) {
        warnGitHubFailure(opts.logger, t => opts.redactor.redact(t), 'the pull-request comment', err, [401, 403, 404], 'the token cannot write to the pull request (HTTP {status}; pull requests from forks get a read-only token; the workflow needs `permissions: pull-requests: write`)');
    }
}

;// CONCATENATED MODULE: ./src/action/drift-issue.ts
// `drift-issue: true` (product.md inputs): in a dry run outside pull requests (a scheduled or manual
// drift check), ONE open issue per (workflow, job, scope) lists the drift and the unmanaged connectors.
// It is found again by its hidden marker AND its author being the token's own user (listed by
// creator and state), updated on later runs, and closed with a comment when a run finds no drift.
// Without `issues: write` (403) or when GitHub does not answer: a warning, the step result unchanged.



/** The marker of the drift issue of this (workflow, job, scope); a kind of its own, so it never matches a comment's. */
function driftMarker(workflow, job, scope) {
    return commentMarker(workflow, job, scope, 'apply-connectors-drift');
}
/** The issue body: marker, where it was found (run links), then the plan, within 65,536 characters. */
function driftIssueBody(marker, summary, url, summaryWritten, workflow) {
    const head = `Drift found by [run ${url.split('/').pop() ?? ''}](${url}) of the workflow \`${workflow.replace(/[`\r\n]/g, '')}\`; the whole plan is in ${wholePlanLink(url, summaryWritten)}. This issue is updated by later runs and closed by the first run that finds no drift.\n\n`;
    return fitComment(marker, `${head}${summary}`, url, summaryWritten);
}
/**
 * Opens, updates or closes the drift issue for `summary` (already redacted; redacted again). Called
 * outside pull_request(_target) events with `drift-issue: true` (main.ts decides); outside a dry run it
 * writes nothing and gives one warning. Never throws.
 */
async function syncDriftIssue(summary, opts) {
    const ctx = github/* context */._;
    if (!opts.dryRun) {
        opts.logger.warning('drift-issue works in dry runs only (a scheduled drift check with `dry-run: true`); no issue was written');
        return;
    }
    if (!opts.token) {
        opts.logger.warning('no github-token: the drift issue was not written');
        return;
    }
    const { owner, repo } = ctx.repo;
    const marker = driftMarker(ctx.workflow, ctx.job, opts.scope);
    const url = runUrl();
    try {
        const octokit = boundedOctokit(opts.token);
        const me = await tokenAuthor(octokit);
        const open = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, creator: me, state: 'open', per_page: 100 }, boundedPages());
        const mine = open.find(i => !i.pull_request && isOwn(i, marker, me));
        if (opts.drift) {
            const title = opts.redactor.redact(`Connector drift: ${opts.headline}`.slice(0, 200));
            const body = redactAfterMarker(marker, driftIssueBody(marker, summary, url, opts.summaryWritten, ctx.workflow), t => opts.redactor.redact(t));
            if (mine) {
                await octokit.rest.issues.update({ owner, repo, issue_number: mine.number, title, body });
                opts.logger.info(`updated the drift issue ${mine.html_url}`);
            }
            else {
                const created = await octokit.rest.issues.create({ owner, repo, title, body });
                opts.logger.info(`opened the drift issue ${created.data.html_url}`);
            }
            return;
        }
        if (!mine)
            return;
        if (!opts.complete) {
            opts.logger.info(`the drift issue ${mine.html_url} stays open: this run could not check every target`);
            return;
        }
        await octokit.rest.issues.createComment({ owner, repo, issue_number: mine.number, body: `[This run](${url}) found no drift: closing.` });
        await octokit.rest.issues.update({ owner, repo, issue_number: mine.number, state: 'closed', state_reason: 'completed' });
        opts.logger.info(`closed the drift issue ${mine.html_url}: no drift`);
    }
    catch (err) {
        warnGitHubFailure(opts.logger, t => opts.redactor.redact(t), 'the drift issue', err, [401, 403, 404, 410], 'the token cannot write issues (HTTP {status}; the workflow needs `permissions: issues: write`, and the repository must have issues enabled)');
    }
}

;// CONCATENATED MODULE: ./src/action/github.ts
// What talks to GitHub beyond @actions/core (file links, the pull-request comment, the drift issue), as
// one module that main.ts imports when a run first needs any of it: the bundle then holds one chunk with
// @actions/github and these files, not one per dynamic import with copies of github-context.ts in each.





/***/ })

};
