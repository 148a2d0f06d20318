// The runner's proxy settings (`https_proxy` / `http_proxy` / `no_proxy`) through @actions/http-client,
// as the runner's own tools honour them. Loopback addresses never go through a proxy.
import type http from 'node:http'
import { getProxyUrl, HttpClient } from '@actions/http-client'

/** `https://host:port` of an absolute URL (what the proxy decision depends on), or the URL itself. */
function originOf(url: string): string {
  const hostStart = url.indexOf('//')
  if (hostStart < 0) return url
  const pathStart = url.indexOf('/', hostStart + 2)
  return pathStart < 0 ? url : url.slice(0, pathStart)
}

/**
 * Returns a function that gives the proxy agent for a URL, or undefined when the URL is reached
 * directly. The decision depends only on the URL's scheme, host and port and on the environment, which
 * a run does not change, so it is made once per origin (issue 16: not once per request).
 */
export function proxyAgents(): (url: string) => http.Agent | undefined {
  const client = new HttpClient('apply-connectors', [], { keepAlive: true })
  const byOrigin = new Map<string, http.Agent | undefined>()
  return url => {
    const origin = originOf(url)
    if (byOrigin.has(origin)) return byOrigin.get(origin)
    const agent = getProxyUrl(url) ? client.getAgent(url) : undefined
    byOrigin.set(origin, agent)
    return agent
  }
}
