// Everything the core needs from the action's inputs, already validated (src/action/inputs.ts).

/** How requests to Confluent Cloud authenticate. */
export type Auth =
  | { kind: 'api-key'; apiKey: string; apiSecret: string }
  /** Keyless: the job's GitHub OIDC token exchanged through an identity pool (sts-token-exchange.md). */
  | { kind: 'oidc'; identityPoolId: string; audience: string }

export type LiteralSecrets = 'warn' | 'error' | 'allow'

/** The `files` patterns when the input is empty (action.yml's default). */
export const DEFAULT_FILES: readonly string[] = ['connectors/**/*.json', 'connectors/**/*.yaml', 'connectors/**/*.yml']

export interface Settings {
  workspace: string
  /** Glob patterns, one a line; `!` excludes. */
  files: string[]
  auth: Auth
  environmentId: string
  kafkaClusterId: string
  kafkaApiKey: string
  kafkaApiSecret: string
  secrets: Record<string, string>
  vars: Record<string, string>
  dryRun: boolean
  validate: boolean
  force: boolean
  wait: boolean
  waitTimeoutSeconds: number
  restartFailedTasks: number
  maxConcurrency: number
  maxRetries: number
  requestTimeoutMs: number
  runTimeoutSeconds: number
  apiUrl: string
  failOnEmpty: boolean
  prune: boolean
  /** Connector-name patterns (`*` wildcard, `!` excludes); required with prune. */
  pruneMatch: string[]
  maxDeletions: number
  literalSecrets: LiteralSecrets
  driftIssue: boolean
  /** Workspace-relative folder, or '' when not exporting. */
  exportTo: string
  comment: boolean
  githubToken: string
  userAgent: string
}
