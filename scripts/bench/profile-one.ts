// Profiling helper (not part of `npm run bench`): runs scenario 5 (or the scenario given as argv[2]) of ours
// once against a fresh fake and prints the wall time and the fake-side lead-in / span / tail. With
// PROFILE_DIR set, the action process runs with --cpu-prof and writes its profile there.
import { SCENARIOS } from './scenarios.js'
import { clusterId, measureOurs, removeWorkspaces, workspaceForClusters, freshFake, workspaceFor } from './runs.js'

const id = Number(process.argv[2] ?? 5)
const runs = Number(process.argv[3] ?? 1)
const s = SCENARIOS.find(x => x.id === id)
if (!s) throw new Error(`no scenario ${id}`)
try {
  for (let i = 0; i < runs; i++) {
    const clusters = Array.from({ length: s.clusters ?? 1 }, (_, k) => clusterId(k))
    const fake = await freshFake(s.fake, clusters)
    try {
      const ws = s.clusters ? workspaceForClusters(s.connectors, s.clusters) : workspaceFor(s.connectors)
      const dir = process.env.PROFILE_DIR
      const env = dir ? { NODE_OPTIONS: `--import=${process.env.PROFILE_PRELOAD}`, PROFILE_OUT: dir } : undefined
      const m = await measureOurs(fake, ws, s.maxConcurrency, undefined, env)
      const ratio = s.boundMs ? (m.wallMs / s.boundMs).toFixed(3) : '-'
      console.log(
        `scenario ${id}: wall ${Math.round(m.wallMs)} ms (${ratio}× incl.), lead-in ${m.leadInMs}, span ${m.spanMs}, tail ${m.tailMs}, ${m.requests} requests, ${m.applied} applied${m.note ? `, ${m.note}` : ''}`
      )
    } finally {
      await fake.close()
    }
  }
} finally {
  removeWorkspaces()
}
