// What talks to GitHub beyond @actions/core (file links, the pull-request comment, the drift issue), as
// one module that main.ts imports when a run first needs any of it: the bundle then holds one chunk with
// @actions/github and these files, not one per dynamic import with copies of github-context.ts in each.
export { blobLinker } from './github-context.js'
export { COMMENT_LIMIT, postPullRequestComment } from './pr-comment.js'
export { syncDriftIssue } from './drift-issue.js'
