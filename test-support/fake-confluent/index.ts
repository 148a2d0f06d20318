// The fake Confluent Cloud Connect API (connect/v1): our stand-in for the real API in tests,
// the demo and the benchmark. See server.ts for the request pipeline.
export { startFakeConfluent } from './server.js'
export { MASK, isPasswordKey } from './masking.js'
export type { ConnectorSnapshot, FakeConfluent, FakeConnectorBehaviour, FakeOptions, InjectedFault, RequestLogEntry } from './types.js'
