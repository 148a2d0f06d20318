// The model in one import: connector (file -> spec), live (what the server says), plan, result,
// ports and settings. Everything under src/model/ imports nothing else from src/.
export * from './connector.js'
export * from './live.js'
export * from './plan.js'
export * from './result.js'
export * from './ports.js'
export * from './settings.js'
