// The one sensitivity policy: which config keys of a connector are secret, given its spec and whatever
// the server said about it (masked values in the list or a PUT answer, PASSWORD types from validate).
// Every stage asks here; nothing else decides what is secret.
//
// Sources of the rules:
// - values from `secrets` (and the kafka-api-secret input) are secret wherever they land;
// - `kafka.api.secret` is PASSWORD for every managed plugin (reference/plugin-password-keys.json);
// - a key the plugin types PASSWORD (validate's `configs[].definition.type`) is masked by the API
//   whatever its name (api-notes.md, "Masking follows the plugin's declared PASSWORD keys");
// - a value the server shows masked (two or more leading `*`, api-notes.md) is secret;
// - for what validate does not describe (CUSTOM plugins, or before validate answered), names that
//   look like credentials.
import type { ConnectorSpec, LiveConnector } from '../model/types.js'
import { isMasked, own } from '../model/types.js'
import type { Redactor } from './redactor.js'

/** Key names that look like credentials: the fallback when the plugin's own word is not known. */
export const CREDENTIAL_LIKE =
  /(password|passwd|secret|credential|private[._-]?key|token|sasl\.jaas\.config|api[._-]?key|access[._-]?key|auth[._-]?key|user[._-]?info|keystore\.key|truststore\.key|passphrase|account\.key|sas\.key|shared\.key|customer\.key|sslkey)/i

/** Literal values that are flags or small numbers, not secrets, even under a credential-like name. */
export const PLAIN_VALUE = /^(true|false|yes|no|none|null|\d{1,6})$/i

/** What the server told about one connector's keys. All parts optional. */
export interface ServerWord {
  /** The live config from the list call (masked values show which keys are PASSWORD). */
  live?: Record<string, string>
  /** The config in the PUT answer (masked the same way). */
  put?: Record<string, string>
  /** Keys validate typed PASSWORD for this connector's class. */
  passwordKeys?: readonly string[]
}

/** Why a key is sensitive; `name` is the weakest (a guess from the key's name). */
export type SensitiveBecause = 'secret-input' | 'password' | 'masked' | 'name'

/**
 * Why `key` of `spec` is secret, or undefined when it is not. Pure.
 * `spec` may be undefined for a connector no file declares (prune, export): then only the server's word
 * and the name count.
 */
export function sensitiveBecause(key: string, spec: Pick<ConnectorSpec, 'secretKeys'> | undefined, word: ServerWord = {}): SensitiveBecause | undefined {
  if (spec?.secretKeys.includes(key)) return 'secret-input'
  if (key === 'kafka.api.secret' || word.passwordKeys?.includes(key)) return 'password'
  if (isMasked(own(word.live, key)) || isMasked(own(word.put, key))) return 'masked'
  if (CREDENTIAL_LIKE.test(key)) return 'name'
  return undefined
}

export function isSensitive(key: string, spec: Pick<ConnectorSpec, 'secretKeys'> | undefined, word: ServerWord = {}): boolean {
  return sensitiveBecause(key, spec, word) !== undefined
}

/** Convenience: the server's word from a live connector. */
export function wordOf(live: LiveConnector | undefined, passwordKeys?: readonly string[]): ServerWord {
  return { ...(live ? { live: live.config } : {}), ...(passwordKeys ? { passwordKeys } : {}) }
}

/**
 * Registers with the redactor every value of `spec` that the policy calls secret. A value secret only
 * by its key's name is skipped when it is a plain flag or small number (`true`, `0`): masking those
 * would shred every message. Returns the number of values registered.
 */
export function registerSecrets(spec: ConnectorSpec, redactor: Redactor, word: ServerWord = {}): number {
  let n = 0
  for (const [key, value] of Object.entries(spec.config)) {
    const why = sensitiveBecause(key, spec, word)
    if (!why || (why === 'name' && PLAIN_VALUE.test(value))) continue
    redactor.add(value)
    n++
  }
  return n
}
