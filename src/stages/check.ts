// Stage 4: check each substituted connector before anything is sent: its name, the keys Confluent
// requires, the Kafka credentials (filled from the inputs where the file leaves them out), its target
// cluster, and that no two connectors share a name on one cluster. Messages never show config values.
import { compareStrings } from './discover.js'
import type { ConnectorSpec, Location, Problem, RawConnector, SubstitutedConnector } from '../model/types.js'
import { connectorKey, isCustom, nameRefusal, TARGET_ID, TARGET_ID_RULE, targetKey } from '../model/types.js'

export interface Defaults {
  environmentId: string
  kafkaClusterId: string
  kafkaApiKey: string
  kafkaApiSecret: string
}

function isServiceAccount(config: Record<string, string>): boolean {
  return (config['kafka.auth.mode'] ?? '').trim().toUpperCase() === 'SERVICE_ACCOUNT'
}

class Checker {
  readonly problems: Problem[] = []
  constructor(private readonly raw: RawConnector) {}

  at(key?: string): { file: string; line: number; column?: number } {
    const loc: Location | undefined = key === undefined ? undefined : this.raw.locations[key]
    return loc ? { file: this.raw.file, line: loc.line, column: loc.column } : { file: this.raw.file, line: this.raw.line }
  }

  add(message: string, key?: string): void {
    this.problems.push({ ...this.at(key), message })
  }

  /** A key that must be present and not blank. */
  require(config: Record<string, string>, key: string, hint: string, label: string): void {
    const value = config[key]
    if (value === undefined) this.add(`${label}missing "${key}"${hint}`)
    else if (value.trim() === '') this.add(`${label}"${key}" is empty${hint}`, key)
  }
}

function checkName(check: Checker, name: string | undefined): void {
  if (name === undefined) {
    check.add('the connector has no "name"')
    return
  }
  const refusal = nameRefusal(name)
  if (refusal) check.add(refusal, 'name')
}

function checkId(check: Checker, value: string, what: { input: string; field: string }): boolean {
  if (value === '') {
    check.add(`no ${what.input}: set the input or ${what.field} in the file`)
    return false
  }
  let why: string | undefined
  if (/\s/.test(value)) why = 'contains whitespace'
  else if (/[/\\]/.test(value)) why = 'contains a slash'
  else if (!TARGET_ID.test(value)) why = TARGET_ID_RULE
  if (why) check.add(`the ${what.field} (${what.input}) ${why}; it becomes part of the request URL`)
  return why === undefined
}

function checkCredentials(check: Checker, config: Record<string, string>, sensitive: Set<string>, defaults: Defaults, label: string): void {
  if (isServiceAccount(config)) {
    check.require(config, 'kafka.service.account.id', ' (kafka.auth.mode is SERVICE_ACCOUNT)', label)
  } else {
    if (config['kafka.api.key'] === undefined && defaults.kafkaApiKey !== '') config['kafka.api.key'] = defaults.kafkaApiKey
    // Filled from the kafka-api-secret input: a secret input, never a literal (one written in the file is
    // secret by its key, and a committed literal for literal-secrets).
    if (config['kafka.api.secret'] === undefined && defaults.kafkaApiSecret !== '') {
      config['kafka.api.secret'] = defaults.kafkaApiSecret
      sensitive.add('kafka.api.secret')
    }
    const hint = ': set it in the file or the kafka-{input} input, or use kafka.auth.mode SERVICE_ACCOUNT with kafka.service.account.id'
    check.require(config, 'kafka.api.key', hint.replace('{input}', 'api-key'), label)
    check.require(config, 'kafka.api.secret', hint.replace('{input}', 'api-secret'), label)
  }
}

function checkOne(item: SubstitutedConnector, defaults: Defaults): { spec?: ConnectorSpec; problems: Problem[] } {
  const { raw } = item
  const check = new Checker(raw)
  const config = { ...item.config }
  const sensitive = new Set(item.secretKeys)
  const name = config.name ?? raw.name
  checkName(check, name)
  // A secret or variable from the inputs may hold a lone surrogate (JSON "\ud800"): refused here, by key.
  for (const [key, value] of Object.entries(config)) {
    if (key !== 'name' && !value.isWellFormed())
      check.add(`the value of ${JSON.stringify(key)} is not well-formed Unicode (a lone surrogate); it cannot be sent`, key)
  }
  const label = name !== undefined && name.trim() !== '' ? `connector ${JSON.stringify(name)}: ` : ''
  // CUSTOM needs its class too: the real API refuses it without one although the spec says the class is
  // ignored (api-notes.md: "CUSTOM connectors need `connector.class`").
  check.require(config, 'connector.class', isCustom(config) ? ' (the API refuses a CUSTOM connector without its class)' : '', label)
  if (isCustom(config)) check.require(config, 'confluent.custom.plugin.id', ' (confluent.connector.type is CUSTOM)', label)
  checkCredentials(check, config, sensitive, defaults, label)
  const environmentId = item.environmentId ?? defaults.environmentId
  const kafkaClusterId = item.kafkaClusterId ?? defaults.kafkaClusterId
  const environmentOk = checkId(check, environmentId, { input: 'environment-id', field: 'environment_id' })
  checkId(check, kafkaClusterId, { input: 'kafka-cluster-id', field: 'kafka_cluster_id' })
  // Another environment than the inputs', but no cluster: the inputs' cluster lives in the inputs'
  // environment, so the pair would not exist and every request would answer 404.
  if (
    environmentOk &&
    item.environmentId !== undefined &&
    item.kafkaClusterId === undefined &&
    defaults.environmentId !== '' &&
    defaults.kafkaClusterId !== '' &&
    item.environmentId !== defaults.environmentId
  ) {
    check.add(
      `${label}environment_id names another environment than the environment-id input, but there is no kafka_cluster_id, so the cluster would be the kafka-cluster-id input's (${defaults.kafkaClusterId}), which is in ${defaults.environmentId}; set kafka_cluster_id too`
    )
  }
  if (check.problems.length > 0 || name === undefined) return { problems: check.problems }
  if (config.name === undefined) config.name = name
  const spec: ConnectorSpec = {
    name,
    file: raw.file,
    line: raw.line,
    environmentId,
    kafkaClusterId,
    config,
    locations: raw.locations,
    secretKeys: [...sensitive].filter(k => config[k] !== undefined),
    ...(raw.state ? { state: raw.state } : {})
  }
  return { spec, problems: [] }
}

/**
 * Checks the substituted connectors (stage 4) against the rules above and completes them with the
 * `defaults` (inputs): target ids, Kafka credentials. Returns the specs, ordered by target, file,
 * place in the file, and the problems (each with file and line; never a value). Does not throw.
 */
export function checkConnectors(items: SubstitutedConnector[], defaults: Defaults): { specs: ConnectorSpec[]; problems: Problem[] } {
  const problems: Problem[] = []
  const checked: Array<{ spec: ConnectorSpec; index: number; target: string }> = []
  for (const item of items) {
    const r = checkOne(item, defaults)
    problems.push(...r.problems)
    if (r.spec) checked.push({ spec: r.spec, index: item.raw.index, target: targetKey(r.spec) })
  }
  // The target key is made once per connector, not in every comparison (issue 16: thousands of files).
  checked.sort((a, b) => compareStrings(a.target, b.target) || compareStrings(a.spec.file, b.spec.file) || a.index - b.index)
  const firstByName = new Map<string, ConnectorSpec>()
  const specs: ConnectorSpec[] = []
  for (const { spec } of checked) {
    const key = connectorKey(spec, spec.name)
    const first = firstByName.get(key)
    if (first) {
      const line = spec.locations.name?.line ?? spec.line
      problems.push({
        file: spec.file,
        line,
        message: `connector ${JSON.stringify(spec.name)} is defined twice for ${targetKey(spec)}: first at ${first.file}:${first.locations.name?.line ?? first.line}`
      })
      continue
    }
    firstByName.set(key, spec)
    specs.push(spec)
  }
  return { specs, problems }
}
