// A fake of the GitHub REST calls the action makes, on 127.0.0.1, paginated like the real API (Link
// header, per_page): who the token is (`GET /user`, GraphQL `viewer`), issue comments (list, create,
// update) with their authors, issues (list by creator/state, create, update/close), and the runner's
// OIDC token endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`, Bearer `ACTIONS_ID_TOKEN_REQUEST_TOKEN`).
//
// Identity, as GitHub does it: a GITHUB_TOKEN is an installation token of the `github-actions` app;
// `GET /user` answers it 403 "Resource not accessible by integration", GraphQL `viewer.login` is
// `github-actions`, and what it writes is authored by `github-actions[bot]`. A personal token is a user:
// `GET /user` gives its login and what it writes is authored by that login.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface FakeUser {
  login: string
  type: 'User' | 'Bot'
}

export interface FakeComment {
  id: number
  body: string
  issue: number
  html_url: string
  user: FakeUser
}

export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason: string | null
  html_url: string
  user: FakeUser
}

/** Who a token is: an app installation (GITHUB_TOKEN; bot login `${app}[bot]`) or a user (PAT). */
export type FakeIdentity = { kind: 'app'; app: string } | { kind: 'user'; login: string }

export interface FakeOidcOptions {
  /** The runner's request token (`ACTIONS_ID_TOKEN_REQUEST_TOKEN`); another Bearer gets 401. */
  requestToken: string
  /** Claims of the issued JWT (sub, repository, ref, environment, event_name, ...). */
  claims: Record<string, string>
}

export interface FakeGitHub {
  url: string
  comments: FakeComment[]
  issues: FakeIssue[]
  requests: Array<{ method: string; path: string; query: string; status: number }>
  /** true: comment and issue writes answer 403 "Resource not accessible by integration" (a fork's read-only token). */
  readOnly: boolean
  /** true: issue writes (create, update, issue comments on issues) answer 403 (no `issues: write`). */
  issuesReadOnly: boolean
  /** true: every API request is accepted and never answered (the OIDC endpoint excepted). */
  hang: boolean
  /** Answers for the next API requests of a method, taken in order before anything else (the OIDC
   * endpoint excepted): a 502 from GitHub's front end, a secondary rate limit's 403/429 with headers. */
  faults: Array<{ method: string; pathIncludes?: string; status: number; headers?: Record<string, string>; message?: string }>
  /** The OIDC token requests, in order: the audience asked for ('' when none). */
  oidcRequests: Array<{ audience: string }>
  /** Every OIDC JWT issued (for leak checks). */
  oidcTokens: string[]
  /** The `ACTIONS_ID_TOKEN_REQUEST_URL` to hand to the action (already has a query: core appends `&audience=`). */
  oidcRequestUrl: string
  /** The bot or user login that authors what the token writes. */
  authorLogin: string
  close(): Promise<void>
}

export interface FakeGitHubOptions {
  token: string
  /** Default: the GITHUB_TOKEN, `{kind:'app', app:'github-actions'}`. */
  identity?: FakeIdentity
  /** Pre-existing comments; author defaults to the token's own author. */
  seed?: Array<{ issue: number; body: string; author?: string }>
  /** Pre-existing issues; author defaults to the token's own author. */
  seedIssues?: Array<{ title: string; body: string; author?: string; state?: 'open' | 'closed' }>
  oidc?: FakeOidcOptions
}

/** A `schedule` event as the runner writes it to GITHUB_EVENT_PATH. */
export function scheduleEvent(cron = '17 6 * * *'): { name: string; payload: Record<string, unknown> } {
  return { name: 'schedule', payload: { schedule: cron, repository: { name: 'connectors', owner: { login: 'acme' } } } }
}

/** An unsigned JWT (`alg: none`-shaped header, a placeholder signature) with these claims. */
export function fakeOidcJwt(claims: Record<string, string>, nowSec = Math.floor(Date.now() / 1000)): string {
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
  const payload = { iss: 'https://token.actions.githubusercontent.com', iat: nowSec, exp: nowSec + 300, jti: `${nowSec}-${Math.random()}`, ...claims }
  return `${b64({ alg: 'RS256', typ: 'JWT', kid: 'fake' })}.${b64(payload)}.${Buffer.from(`fake-signature-${Math.random()}`).toString('base64url')}`
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

const MAX_BODY = 1024 * 1024

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_BODY) throw new Error('request body too large')
    chunks.push(c as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

function userOf(login: string): FakeUser {
  return { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }
}

/** One page of `all` as GitHub pages it, with a `Link: rel="next"` header when more remain. */
function page<T>(all: T[], url: URL, base: string): { slice: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)))
  const n = Math.max(1, Number(url.searchParams.get('page') ?? 1))
  const slice = all.slice((n - 1) * perPage, n * perPage)
  const headers: Record<string, string> = {}
  if (n * perPage < all.length) {
    const next = new URL(url.toString())
    next.searchParams.set('page', String(n + 1))
    headers.link = `<${base}${next.pathname}${next.search}>; rel="next"`
  }
  return { slice, headers }
}

/** Starts the fake on 127.0.0.1 (a free port). */
export async function startFakeGitHub(opts: FakeGitHubOptions): Promise<FakeGitHub> {
  const identity: FakeIdentity = opts.identity ?? { kind: 'app', app: 'github-actions' }
  const authorLogin = identity.kind === 'app' ? `${identity.app}[bot]` : identity.login
  let nextId = 1000
  let nextIssue = 1
  const sockets = new Set<Socket>()
  const state: FakeGitHub = {
    url: '',
    comments: [],
    issues: [],
    requests: [],
    readOnly: false,
    issuesReadOnly: false,
    hang: false,
    faults: [],
    oidcRequests: [],
    oidcTokens: [],
    oidcRequestUrl: '',
    authorLogin,
    close: async () => undefined
  }
  for (const s of opts.seed ?? []) {
    const id = nextId++
    state.comments.push({ id, body: s.body, issue: s.issue, html_url: `https://github.example/c/${id}`, user: userOf(s.author ?? authorLogin) })
  }
  for (const s of opts.seedIssues ?? []) {
    const number = nextIssue++
    state.issues.push({
      number,
      title: s.title,
      body: s.body,
      state: s.state ?? 'open',
      state_reason: null,
      html_url: `https://github.example/acme/connectors/issues/${number}`,
      user: userOf(s.author ?? authorLogin)
    })
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x')
      const log = (status: number): void => void state.requests.push({ method: req.method ?? '', path: url.pathname, query: url.search.slice(1), status })
      // The runner's OIDC endpoint: its own Bearer token, `&audience=` appended by @actions/core.
      if (url.pathname === '/_apis/oidc/token') {
        if (!opts.oidc || req.headers.authorization !== `Bearer ${opts.oidc.requestToken}`) {
          log(401)
          return send(res, 401, { message: 'Bad request token' })
        }
        const audience = url.searchParams.get('audience') ?? ''
        state.oidcRequests.push({ audience })
        const jwt = fakeOidcJwt({ aud: audience || 'https://github.com/acme', ...opts.oidc.claims })
        state.oidcTokens.push(jwt)
        log(200)
        return send(res, 200, { value: jwt })
      }
      if (state.hang) {
        log(0)
        return // accepted, never answered
      }
      const fault = state.faults.findIndex(f => f.method === req.method && url.pathname.includes(f.pathIncludes ?? ''))
      if (fault >= 0) {
        const [f] = state.faults.splice(fault, 1)
        log(f.status)
        return send(res, f.status, { message: f.message ?? 'Server Error' }, f.headers ?? {})
      }
      if (req.headers.authorization !== `token ${opts.token}` && req.headers.authorization !== `Bearer ${opts.token}`) {
        log(401)
        return send(res, 401, { message: 'Bad credentials' })
      }
      const repoPath = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(url.pathname)
      const rest = repoPath?.[3] ?? ''
      const commentsOf = /^\/issues\/(\d+)\/comments$/.exec(rest)
      const oneComment = /^\/issues\/comments\/(\d+)$/.exec(rest)
      const issuesList = rest === '/issues'
      const oneIssue = /^\/issues\/(\d+)$/.exec(rest)
      const refuse = (): void => {
        log(403)
        send(res, 403, { message: 'Resource not accessible by integration' })
      }

      if (url.pathname === '/user' && req.method === 'GET') {
        if (identity.kind === 'app') return refuse()
        log(200)
        return send(res, 200, { login: identity.login, type: 'User' })
      }
      if (url.pathname === '/graphql' && req.method === 'POST') {
        const body = await readBody(req)
        if (typeof body.query !== 'string' || !/\bviewer\b/.test(body.query)) {
          log(200)
          return send(res, 200, { errors: [{ message: 'the fake knows only the viewer query' }] })
        }
        log(200)
        return send(res, 200, { data: { viewer: { login: identity.kind === 'app' ? identity.app : identity.login } } })
      }
      if (commentsOf && req.method === 'GET') {
        const { slice, headers } = page(
          state.comments.filter(c => c.issue === Number(commentsOf[1])),
          url,
          state.url
        )
        log(200)
        return send(res, 200, slice, headers)
      }
      if (issuesList && req.method === 'GET') {
        const creator = url.searchParams.get('creator')
        const wanted = url.searchParams.get('state') ?? 'open'
        const all = state.issues
          .filter(i => (creator === null || i.user.login === creator) && (wanted === 'all' || i.state === wanted))
          .sort((a, b) => b.number - a.number)
        const { slice, headers } = page(all, url, state.url)
        log(200)
        return send(res, 200, slice, headers)
      }
      const isIssueWrite = (issuesList && req.method === 'POST') || (oneIssue && req.method === 'PATCH')
      const onIssue = commentsOf && state.issues.some(i => i.number === Number(commentsOf[1]))
      if ((commentsOf && req.method === 'POST') || (oneComment && req.method === 'PATCH') || isIssueWrite) {
        if (state.readOnly || (state.issuesReadOnly && (isIssueWrite || onIssue))) return refuse()
        const body = await readBody(req)
        if (isIssueWrite) {
          if (body.body !== undefined && (typeof body.body !== 'string' || body.body.length > 65536)) {
            log(422)
            return send(res, 422, { message: 'body is too long (maximum is 65536 characters)' })
          }
          if (issuesList) {
            if (typeof body.title !== 'string' || !body.title) {
              log(422)
              return send(res, 422, { message: 'title is missing' })
            }
            const number = Math.max(nextIssue, ...state.comments.map(c => c.issue + 1))
            nextIssue = number + 1
            const issue: FakeIssue = {
              number,
              title: body.title,
              body: typeof body.body === 'string' ? body.body : '',
              state: 'open',
              state_reason: null,
              html_url: `https://github.example/acme/connectors/issues/${number}`,
              user: userOf(authorLogin)
            }
            state.issues.push(issue)
            log(201)
            return send(res, 201, issue)
          }
          const issue = state.issues.find(i => i.number === Number(oneIssue?.[1]))
          if (!issue) {
            log(404)
            return send(res, 404, { message: 'Not Found' })
          }
          if (typeof body.title === 'string') issue.title = body.title
          if (typeof body.body === 'string') issue.body = body.body
          if (body.state === 'open' || body.state === 'closed') issue.state = body.state
          if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason
          log(200)
          return send(res, 200, issue)
        }
        if (typeof body.body !== 'string') {
          log(422)
          return send(res, 422, { message: 'body is missing' })
        }
        if (body.body.length > 65536) {
          log(422)
          return send(res, 422, { message: 'Body is too long (maximum is 65536 characters)' })
        }
        if (commentsOf) {
          const id = nextId++
          const c: FakeComment = { id, body: body.body, issue: Number(commentsOf[1]), html_url: `https://github.example/c/${id}`, user: userOf(authorLogin) }
          state.comments.push(c)
          log(201)
          return send(res, 201, c)
        }
        const c = state.comments.find(x => x.id === Number(oneComment?.[1]))
        if (!c) {
          log(404)
          return send(res, 404, { message: 'Not Found' })
        }
        // As on GitHub: a token with write access may edit anyone's comment. Adopting a stranger's
        // comment is the action's bug to avoid, not the API's to refuse.
        c.body = body.body
        log(200)
        return send(res, 200, c)
      }
      log(404)
      send(res, 404, { message: 'Not Found' })
    })().catch(() => {
      if (!res.headersSent) send(res, 400, { message: 'bad request' })
    })
  })
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  state.oidcRequestUrl = `${state.url}/_apis/oidc/token?api-version=2.0`
  state.close = () =>
    new Promise(resolve => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
  return state
}
