// The fake Confluent Cloud Connect API (connect/v1): our stand-in for the real API in tests,
// the demo and the benchmark. See server.ts for the request pipeline.
export { startFakeConfluent } from './server.js'
export { MASK, catalogueKeys, isPasswordKey, passwordKeysOf, type MaskRules } from './masking.js'
export { DEFAULT_LIST_LAG_MS, DEFAULT_PAUSE_RESUME_DELAY_MS, DEFAULT_PROVISIONING_MS, UNABLE_TO_VALIDATE } from './state.js'
export { DEFAULT_POOLS, DEFAULT_TOKEN_LIFETIME_SEC, GRANT_TYPE, REQUESTED_TOKEN_TYPE, STS_PATH, SUBJECT_TOKEN_TYPE } from './sts.js'
export type { ConnectorSnapshot, FakeConfluent, FakeConnectorBehaviour, FakeOptions, FakeStsOptions, InjectedFault, RequestLogEntry } from './types.js'
