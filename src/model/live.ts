// What the server says about a connector: the list call (`?expand=info,status,id`), a PUT answer, a
// status. Parsed leniently by src/confluent/; the stages only read these shapes.

export interface TaskInfo {
  id: number
  state?: string
  /** The task's error text (`msg` in the API, `trace` in some answers). */
  trace?: string
}

/** One existing connector as one list call describes it. */
export interface LiveConnector {
  name: string
  id?: string
  type?: string
  config: Record<string, string>
  state?: string
  trace?: string
  tasks: TaskInfo[]
  /** `status.validation_errors` (api-notes.md: the cloud accepted a PUT but kept the previous config). */
  validationErrors?: string[]
}

/**
 * A mask is a value of two or more `*` and nothing else: sixteen in every capture, shorter runs in the
 * spec's examples (api-notes.md: "Masks are not always sixteen asterisks"). The note's wording, "two or
 * more leading `*`", would also take `**` followed by other text for a mask, and such values are real
 * settings (glob patterns that start with `**`, such as Camel's `antInclude`): taken for masks, a change
 * to them was never compared, so never applied, and the step passed. Every mask seen is asterisks alone.
 */
export function isMasked(value: string | undefined): boolean {
  return value !== undefined && value.length >= 2 && /^\*+$/.test(value)
}

/** What a PUT of a config answers: the connector's type, its tasks and its config (masked). */
export interface PutResult {
  type?: string
  tasks: TaskInfo[]
  config: Record<string, string>
}

/** What validate (`PUT .../connector-plugins/{class}/config/validate`) says of a config. */
export interface ValidationOutcome {
  errors: { key: string; message: string }[]
  /** Keys whose definition type is PASSWORD (the plugin's word on what is secret). */
  passwordKeys: string[]
}
