// The minimal client of the fake's floor (floor.ts), run in its own process as our action is: node:http
// with keep-alive, no parsing, no logging. Sends `requests` PUTs of connector configs over the given
// clusters, `concurrency` at a time, then exits 0; exits 1 when a request fails at the transport level.
// Its requests may be answered 400 or 200: only their timing matters (the fake logs the arrivals).
// argv: url, requests, concurrency, JSON array of cluster ids, environment id, "key:secret".
import http from 'node:http'

const [url, requestsArg, concurrencyArg, clustersArg, env, credentials] = process.argv.slice(2)
const requests = Number(requestsArg)
const concurrency = Number(concurrencyArg)
const clusters = JSON.parse(clustersArg) as string[]
const agent = new http.Agent({ keepAlive: true })
const authorization = `Basic ${Buffer.from(credentials).toString('base64')}`

const one = (i: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const name = `floor-${i}`
    const target = `${url}/connect/v1/environments/${env}/clusters/${clusters[i % clusters.length]}/connectors/${name}/config`
    const req = http.request(target, { method: 'PUT', agent, headers: { authorization, 'content-type': 'application/json' } }, res => {
      res.resume()
      res.on('end', () => resolve())
    })
    req.on('error', reject)
    req.end(
      JSON.stringify({ name, 'connector.class': 'DatagenSource', 'kafka.topic': name, quickstart: 'ORDERS', 'output.data.format': 'JSON', 'tasks.max': '1' })
    )
  })

let next = 0
try {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) await one(next++)
    })
  )
} catch (err) {
  console.error(`floor client: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 1
} finally {
  agent.destroy()
}
