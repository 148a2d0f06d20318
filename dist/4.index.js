export const id = 4;
export const ids = [4];
export const modules = {

/***/ 4:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   postPullRequestComment: () => (/* binding */ postPullRequestComment)
/* harmony export */ });
/* unused harmony exports COMMENT_LIMIT, commentMarker, fitComment */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2925);
// On pull_request / pull_request_target events: one comment per (workflow, job, scope) kept up to
// date. Found again by a hidden marker; cut to GitHub's size limit with a link to the run's summary.
// A read-only token (fork pull requests) gives a warning, never a failure.


/** GitHub rejects comment bodies over 65,536 characters. */
const COMMENT_LIMIT = 65_536;
function commentMarker(workflow, job, scope) {
    const id = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update(JSON.stringify([workflow, job, scope]))
        .digest('hex')
        .slice(0, 16);
    return `<!-- apply-connectors:${id} -->`;
}
function fitComment(marker, body, runUrl) {
    const full = `${marker}\n${body}`;
    if (full.length <= COMMENT_LIMIT)
        return full;
    const tail = `\n\n…the plan is longer than a comment allows; [read the whole of it in the run's summary](${runUrl}).\n`;
    let cut = full.slice(0, COMMENT_LIMIT - tail.length);
    // Do not leave a half-open <details> block.
    const lastOpen = cut.lastIndexOf('<details>');
    if (lastOpen > cut.lastIndexOf('</details>'))
        cut = cut.slice(0, lastOpen);
    return `${cut}${tail}`;
}
function status(err) {
    const s = err?.status;
    return typeof s === 'number' ? s : undefined;
}
async function postPullRequestComment(summary, opts) {
    const ctx = _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._;
    const pr = ctx.payload.pull_request?.number;
    if (!opts.enabled || !['pull_request', 'pull_request_target'].includes(ctx.eventName) || typeof pr !== 'number')
        return;
    if (!opts.token) {
        opts.logger.warning('no github-token: the pull-request comment was not written');
        return;
    }
    const baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com';
    const octokit = _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q(opts.token, { baseUrl });
    const { owner, repo } = ctx.repo;
    const marker = commentMarker(ctx.workflow, ctx.job, opts.scope);
    const runUrl = `${ctx.serverUrl}/${owner}/${repo}/actions/runs/${ctx.runId}`;
    const body = opts.redactor.redact(fitComment(marker, summary, runUrl));
    try {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pr, per_page: 100 });
        const mine = comments.find(c => typeof c.body === 'string' && c.body.startsWith(marker));
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
        const s = status(err);
        const why = s === 403 || s === 401 || s === 404
            ? `the token cannot write to the pull request (HTTP ${s}; pull requests from forks get a read-only token; the workflow needs \`permissions: pull-requests: write\`)`
            : `HTTP ${s ?? '?'}: ${err instanceof Error ? err.message : String(err)}`;
        opts.logger.warning(`could not write the pull-request comment: ${why}`);
    }
}


/***/ })

};
