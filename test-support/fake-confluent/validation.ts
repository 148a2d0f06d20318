// Config checks shared by PUT .../config and the validate endpoint (per-key errors in the
// fixtures/tf-managed__validate.json shape). Two kinds: structural checks (400 at PUT) and checks
// "against the outside system" (by default accepted, then the connector shows FAILED: see state.ts).
import { catalogueKeys, isCustom, maskValue, passwordKeysOf } from './masking.js'
import type { FakeOptions } from './types.js'

export interface KeyError {
  key: string
  message: string
}

/** Body must be a JSON object whose values are all strings. Returns an error message or undefined. */
export function bodyShapeError(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return 'Request body must be a JSON object of configuration keys to string values'
  }
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== 'string') {
      return `Cannot deserialize value of configuration "${key}": expected a string, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`
    }
  }
  return undefined
}

/** Structural per-key errors (400 at PUT). Messages never hold a config value, except enums and `tasks.max`.
 * A CUSTOM config's missing `connector.class` is the PUT handler's own 400. */
export function configErrors(config: Record<string, string>): KeyError[] {
  const errors: KeyError[] = []
  const missing = (key: string) => errors.push({ key, message: `Missing required configuration "${key}" which has no default value.` })
  if (!config.name) missing('name')
  if (isCustom(config)) {
    if (!config['confluent.custom.plugin.id']) missing('confluent.custom.plugin.id')
  } else if (!config['connector.class']) {
    missing('connector.class')
  }
  const mode = config['kafka.auth.mode'] ?? 'KAFKA_API_KEY'
  if (mode === 'SERVICE_ACCOUNT') {
    if (!config['kafka.service.account.id']) missing('kafka.service.account.id')
  } else if (mode === 'KAFKA_API_KEY' || mode === '') {
    if (!config['kafka.api.key']) missing('kafka.api.key')
    if (!config['kafka.api.secret']) missing('kafka.api.secret')
  } else {
    errors.push({
      key: 'kafka.auth.mode',
      message: `Invalid value ${mode} for configuration kafka.auth.mode: must be one of KAFKA_API_KEY, SERVICE_ACCOUNT`
    })
  }
  const tasksMax = config['tasks.max']
  if (tasksMax !== undefined && !/^[1-9]\d*$/.test(tasksMax)) {
    errors.push({ key: 'tasks.max', message: `Invalid value ${tasksMax} for configuration tasks.max: must be a positive integer` })
  }
  return errors
}

/**
 * Checks "against the outside system", as `key: message` lines: every value that is the literal
 * `INVALID`, then what `options.rejectOnRun` returns.
 */
export function outsideCheckLines(name: string, config: Record<string, string>, options: FakeOptions): string[] {
  const secret = passwordKeysOf(config['connector.class'], { ...options, maskKafkaApiKey: true })
  const lines: string[] = []
  for (const [key, value] of Object.entries(config)) {
    if (value !== 'INVALID') continue
    // Kafka prints PASSWORD values as [hidden].
    const shown = secret.has(key) ? '[hidden]' : value
    lines.push(`${key}: Invalid value ${shown} for configuration ${key}: rejected by the outside system (fake Confluent API)`)
  }
  return [...lines, ...(options.rejectOnRun?.(name, { ...config }) ?? [])]
}

/** A `key: message` line as a KeyError (key = text before the first ': '). */
export function lineToKeyError(line: string): KeyError {
  const i = line.indexOf(': ')
  return i < 0 ? { key: '', message: line } : { key: line.slice(0, i), message: line.slice(i + 2) }
}

/** The 400 message the real API gives for an invalid config on PUT. */
export function invalidConfigMessage(errors: KeyError[]): string {
  return (
    `Connector configuration is invalid and contains the following ${errors.length} error(s):\n` +
    errors.map(e => e.message).join('\n') +
    '\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`'
  )
}

interface Definition {
  name: string
  type: 'STRING' | 'PASSWORD' | 'INT' | 'LIST'
  required: boolean
  default_value: string
  group: string
  display_name: string
  recommended?: string[]
}

const GROUP_CONNECT = 'How should we connect to your data?'
const GROUP_KAFKA = 'Kafka Cluster credentials'
const GROUP_TASKS = 'Number of tasks for this connector'
const GROUP_OTHER = 'Additional Configs'

const BASE: Definition[] = [
  { name: 'connector.class', type: 'STRING', required: true, default_value: '', group: GROUP_CONNECT, display_name: 'Connector class' },
  { name: 'name', type: 'STRING', required: true, default_value: '', group: GROUP_CONNECT, display_name: 'Connector name' },
  {
    name: 'kafka.auth.mode',
    type: 'STRING',
    required: false,
    default_value: 'KAFKA_API_KEY',
    group: GROUP_KAFKA,
    display_name: 'Kafka Cluster Authentication mode',
    recommended: ['KAFKA_API_KEY', 'SERVICE_ACCOUNT']
  },
  // Its type follows the catalogue/maskKafkaApiKey (PASSWORD for a few classes, STRING for most).
  { name: 'kafka.api.key', type: 'STRING', required: false, default_value: '', group: GROUP_KAFKA, display_name: 'Kafka API Key' },
  { name: 'kafka.service.account.id', type: 'STRING', required: false, default_value: '', group: GROUP_KAFKA, display_name: 'Kafka Service Account' },
  { name: 'kafka.api.secret', type: 'PASSWORD', required: false, default_value: '', group: GROUP_KAFKA, display_name: 'Kafka API Secret' },
  { name: 'tasks.max', type: 'INT', required: false, default_value: '1', group: GROUP_TASKS, display_name: 'Tasks max' }
]

/**
 * Body of `PUT .../connector-plugins/{plugin}/config/validate`: every key the plugin defines (the base
 * keys and the catalogue's PASSWORD keys of the class) plus every key sent (api-notes: "Validate answers
 * list every key the plugin defines, not only those sent"); `definition.type` PASSWORD exactly for the
 * keys the fake masks. The class is the config's `connector.class`, else the URL's plugin.
 */
export function validateResponse(plugin: string, config: Record<string, string>, options: FakeOptions) {
  const cls = config['connector.class'] || plugin
  const secret = passwordKeysOf(cls, options)
  const errors = [...configErrors(config), ...outsideCheckLines(config.name ?? '', config, options).map(lineToKeyError)]
  const defs = BASE.map(d => ({ ...d, type: secret.has(d.name) ? ('PASSWORD' as const) : d.type }))
  const known = new Set(defs.map(d => d.name))
  const extraKeys = [...(catalogueKeys(cls) ?? []), ...secret, ...Object.keys(config), ...errors.map(e => e.key).filter(k => k !== '')]
  for (const key of extraKeys) {
    if (known.has(key)) continue
    known.add(key)
    defs.push({
      name: key,
      type: secret.has(key) ? 'PASSWORD' : 'STRING',
      required: false,
      default_value: '',
      group: GROUP_OTHER,
      display_name: key
    })
  }
  const orderInGroup = new Map<string, number>()
  const configs = defs.map(d => {
    const order = (orderInGroup.get(d.group) ?? 0) + 1
    orderInGroup.set(d.group, order)
    const present = Object.prototype.hasOwnProperty.call(config, d.name)
    return {
      definition: {
        name: d.name,
        type: d.type,
        required: d.required,
        default_value: d.default_value,
        importance: 'HIGH',
        documentation: '',
        group: d.group,
        width: 'NONE',
        display_name: d.display_name,
        dependents: [],
        order,
        alias: ''
      },
      value: {
        name: d.name,
        value: !present ? '' : d.type === 'PASSWORD' ? maskValue(config[d.name], options) : config[d.name],
        recommended_values: d.recommended ?? [],
        errors: errors.filter(e => e.key === d.name).map(e => e.message),
        visible: true
      },
      metadata: {}
    }
  })
  return {
    name: plugin,
    groups: [GROUP_CONNECT, GROUP_KAFKA, GROUP_TASKS, GROUP_OTHER],
    error_count: errors.length,
    configs
  }
}
