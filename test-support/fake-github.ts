// A fake of the three GitHub REST calls the action makes for its pull-request comment (list, create,
// update an issue comment), on 127.0.0.1, paginated like the real API (Link header, per_page).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeComment {
  id: number
  body: string
  issue: number
  html_url: string
}

export interface FakeGitHub {
  url: string
  comments: FakeComment[]
  requests: Array<{ method: string; path: string; status: number }>
  /** true: writes answer 403 "Resource not accessible by integration" (a fork's read-only token). */
  readOnly: boolean
  close(): Promise<void>
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

export async function startFakeGitHub(opts: { token: string; seed?: Array<{ issue: number; body: string }> }): Promise<FakeGitHub> {
  let nextId = 1000
  const state: FakeGitHub = { url: '', comments: [], requests: [], readOnly: false, close: async () => undefined }
  for (const s of opts.seed ?? []) state.comments.push({ id: nextId++, body: s.body, issue: s.issue, html_url: `https://github.example/c/${nextId}` })

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x')
      const log = (status: number): void => void state.requests.push({ method: req.method ?? '', path: url.pathname, status })
      if (req.headers.authorization !== `token ${opts.token}` && req.headers.authorization !== `Bearer ${opts.token}`) {
        log(401)
        return send(res, 401, { message: 'Bad credentials' })
      }
      const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname)
      const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname)
      if (list && req.method === 'GET') {
        const issue = Number(list[3])
        const perPage = Number(url.searchParams.get('per_page') ?? 30)
        const page = Number(url.searchParams.get('page') ?? 1)
        const all = state.comments.filter(c => c.issue === issue)
        const slice = all.slice((page - 1) * perPage, page * perPage)
        const headers: Record<string, string> = {}
        if (page * perPage < all.length) {
          const next = new URL(url.toString())
          next.searchParams.set('page', String(page + 1))
          headers.link = `<${state.url}${next.pathname}${next.search}>; rel="next"`
        }
        log(200)
        return send(res, 200, slice, headers)
      }
      if ((list && req.method === 'POST') || (one && req.method === 'PATCH')) {
        if (state.readOnly) {
          log(403)
          return send(res, 403, { message: 'Resource not accessible by integration' })
        }
        const body = await readBody(req)
        if (typeof body.body !== 'string') {
          log(422)
          return send(res, 422, { message: 'body is missing' })
        }
        if (body.body.length > 65536) {
          log(422)
          return send(res, 422, { message: 'Body is too long (maximum is 65536 characters)' })
        }
        if (list) {
          const c = { id: nextId++, body: body.body, issue: Number(list[3]), html_url: `https://github.example/c/${nextId}` }
          state.comments.push(c)
          log(201)
          return send(res, 201, c)
        }
        const c = state.comments.find(x => x.id === Number(one?.[3]))
        if (!c) {
          log(404)
          return send(res, 404, { message: 'Not Found' })
        }
        c.body = body.body
        log(200)
        return send(res, 200, c)
      }
      log(404)
      send(res, 404, { message: 'Not Found' })
    })()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  state.close = () => new Promise(resolve => server.close(() => resolve()))
  return state
}
