// The runner's proxy settings (`https_proxy` / `http_proxy` / `no_proxy`) through @actions/http-client,
// as the runner's own tools honour them. Loopback addresses never go through a proxy.
import type http from 'node:http'
import { getProxyUrl, HttpClient } from '@actions/http-client'

/** Returns a function that gives the proxy agent for a URL, or undefined when the URL is reached directly. */
export function proxyAgents(): (url: string) => http.Agent | undefined {
  const client = new HttpClient('apply-connectors', [], { keepAlive: true })
  return url => (getProxyUrl(url) ? client.getAgent(url) : undefined)
}
