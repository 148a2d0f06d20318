// The one sensitivity policy: which config keys of a connector are secret, given its spec and whatever
// the server said about it (masked values in the list or a PUT answer, PASSWORD types from validate).
// Every stage asks here; nothing else decides what is secret.
//
// Sources of the rules:
// - values from `secrets` (and the kafka-api-secret input) are secret wherever they land;
// - `kafka.api.secret` is PASSWORD for every managed plugin (reference/plugin-password-keys.json);
// - a key the plugin types PASSWORD (validate's `configs[].definition.type`) is masked by the API
//   whatever its name (api-notes.md, "Masking follows the plugin's declared PASSWORD keys");
// - a value the server shows masked (asterisks alone, api-notes.md; see isMasked) is secret;
// - for what validate does not describe (CUSTOM plugins, or before validate answered), names that
//   look like credentials;
// - whatever the key, a credential written inside a value (a URL's password, `password=`, a Bearer
//   token: embeddedCredentials) is masked in that value where it is shown (a diff) and never exported;
//   it is registered as a secret too when it is strong enough (isRegistrableCredential), as a short dev
//   password (`test`) would mask the same word everywhere.
import type { ConnectorSpec, LiveConnector } from '../model/types.js'
import { isMasked, own } from '../model/types.js'
import type { Redactor } from './redactor.js'

/** Key names that look like credentials: the fallback when the plugin's own word is not known. */
export const CREDENTIAL_LIKE =
  /(password|passwd|secret|credential|private[._-]?key|token|sasl\.jaas\.config|api[._-]?key|access[._-]?key|auth[._-]?key|user[._-]?info|keystore\.key|truststore\.key|passphrase|account\.key|sas\.key|shared\.key|customer\.key|sslkey)/i

/** PASSWORD for every managed plugin (reference/plugin-password-keys.json), whatever validate says or
 * whether it was asked. */
export const KAFKA_API_SECRET = 'kafka.api.secret'

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
  if (key === KAFKA_API_SECRET || word.passwordKeys?.includes(key)) return 'password'
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

/** Credentials written inside a value, whatever its key: the password of a URL's user info
 * (`mongodb+srv://admin:pw@host`), a `password=` (or `secret=`, `token=`, `api_key=`, ...) parameter, a
 * `password="..."` pair, and the token of a `Bearer` or `Basic` header value. Linear in the value. */
const EMBEDDED = [
  // `password=...;` in a query or a connection string (Azure's `SharedAccessKey=` and `AccountKey=`, AWS's
  // `aws_secret_access_key=`).
  /(?:^|[?&;\s,])(?:password|passwd|pwd|secret|client_secret|secret[_-]?key|token|access_token|api[_-]?key|apikey|sharedaccesskey|accountkey|aws_secret_access_key)=([^&;\s,"']+)/gi,
  // `password="..."` or `password='...'` (JAAS and other key-value settings).
  /\bpassword\s*=\s*(?:"([^"\\]+)"|'([^'\\]+)')/gi,
  // Oracle's `jdbc:oracle:thin:user/password@host`.
  /\bthin:[^\s/@:]+\/([^\s@/]+)@/gi,
  // A header's token (`Authorization: Bearer`, `Basic`, `Token`, `X-API-Key:`): it holds a letter and a
  // digit (or base64 padding); prose ("Basic authentication") and dates ("Basic 2024-01-01") do not.
  /(?:\b(?:Bearer|Basic|Token)\s+|\bX-API-Key:\s*)((?=[^\s]*[A-Za-z])(?=[^\s]*[0-9=])[A-Za-z0-9._~+/=-]{8,})/gi
]

/**
 * The credentials written inside `value` (EMBEDDED), for values the key rules do not cover: a JDBC or
 * MongoDB URL with a password, an `Authorization` header in a header list. References that are not
 * secrets themselves (`${file:...}` config providers, placeholders), masks and plain flags are left out.
 * Returns each credential once, in the order found.
 */
export function embeddedCredentials(value: string): string[] {
  const out = new Set<string>()
  // Every form below needs one of these characters (a URL's `:` and `@`, a parameter's `=`, a header's
  // space or `:`): most values (topics, classes, numbers) are passed over without running the patterns.
  if (value.length > 1_048_576 || !/[=@:\s]/.test(value)) return []
  // A URL's user info, `scheme://user:password@`: scanned from each `://` to the first character that
  // ends an authority (a regex from the scheme backtracks quadratically over `a-a-a-...`).
  for (let at = value.indexOf('://'); at !== -1; at = value.indexOf('://', at + 3)) {
    const from = at + 3
    let end = from
    while (end < value.length && !/[\s/?#@]/.test(value[end])) end++
    const colon = value.indexOf(':', from)
    if (value[end] === '@' && colon !== -1 && colon < end) out.add(value.slice(colon + 1, end))
  }
  for (const re of EMBEDDED) {
    re.lastIndex = 0
    for (const m of value.matchAll(re)) out.add(m[1] ?? m[2] ?? '')
  }
  // Not a credential: too short, a reference (`${file:...}`), a mask, a plain flag.
  return [...out].filter(found => found.length >= 3 && !found.startsWith('${') && !isMasked(found) && !PLAIN_VALUE.test(found))
}

/** A credential found inside a value (embeddedCredentials) that is registered as a secret everywhere: 8
 * characters or more, with a letter and a digit or symbol, as real passwords and tokens are. A weak or
 * common-word one (`test`, `guest`, `postgres`) is not: registered, it would mask the same word in every
 * name and message (`orders-test` became `orders-***` in the outputs); it is masked in its own value only
 * (maskEmbedded). */
export function isRegistrableCredential(found: string): boolean {
  return found.length >= 8 && /[A-Za-z]/.test(found) && /[^A-Za-z]/.test(found)
}

/** Registers the credentials written inside each value of `config` that are strong enough to be searched
 * for everywhere (isRegistrableCredential): an error that echoes the config, a task trace quoting the URL,
 * or another key repeating the password then shows `***`. Returns how many. */
export function registerEmbedded(config: Record<string, string> | undefined, redactor: Redactor): number {
  let n = 0
  for (const value of Object.values(config ?? {})) {
    for (const found of embeddedCredentials(value)) {
      if (!isRegistrableCredential(found)) continue
      redactor.add(found)
      n++
    }
  }
  return n
}

/** `value` with each credential written inside it (embeddedCredentials) replaced by `***`, for showing
 * that one value (a diff's line): the credential is not registered as a secret, so it does not mask the
 * same word everywhere else (a dev password `test` would turn every `orders-test` into `orders-***`). */
export function maskEmbedded(value: string): string {
  let out = value
  for (const found of embeddedCredentials(value)) out = out.split(found).join('***')
  return out
}

/**
 * Registers with the redactor every value of `spec` that the policy calls secret. A value secret only
 * by its key's name is skipped when it is a plain flag or small number (`true`, `0`): masking those
 * would shred every message. Returns the number of values registered.
 */
export function registerSecrets(spec: ConnectorSpec, redactor: Redactor, word: ServerWord = {}): number {
  let n = registerEmbedded(spec.config, redactor)
  for (const [key, value] of Object.entries(spec.config)) {
    const why = sensitiveBecause(key, spec, word)
    if (!why || (why === 'name' && PLAIN_VALUE.test(value))) continue
    redactor.add(value)
    n++
  }
  return n
}
