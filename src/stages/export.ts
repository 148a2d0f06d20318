// Stage (`export-to`, read-only): bring connectors made by hand under Git. For every connector on the
// targeted clusters that no file declares, one wrapped JSON file (`name`, `environment_id`,
// `kafka_cluster_id`, `config` without the keys the server adds), with every masked value replaced by
// a `${{ secrets.NAME }}` placeholder. A dry run over the exported files, with those secrets given,
// plans them `unchanged` (a masked live value against a secret is not a difference). Never writes a
// masked value, never overwrites a file.
import { createHash } from 'node:crypto'
import { lstat, mkdir, realpath, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { errorCode } from '../model/errors.js'
import type { Exported, LiveConnector, Target } from '../model/types.js'
import { isMasked, nameRefusal, targetKey } from '../model/types.js'
import { isInside } from './discover.js'
import { isServerKey } from './plan.js'
import { embeddedCredentials, PLAIN_VALUE, sensitiveBecause } from '../secrets/policy.js'

export interface ExportFile {
  /** Workspace-relative path, forward slashes. */
  file: string
  name: string
  target: Target
  /** The secrets to create, by the placeholder names used in the file. */
  secrets: string[]
  /** The file's text (JSON, two-space indent, trailing newline). */
  text: string
  /** Set when no file could declare this connector (its name): nothing is written, and this says why. */
  refused?: string
}

/** A GitHub secret name from the connector and key: upper case, `_` separators, stable; never starts
 * with a digit or `GITHUB_` (GitHub refuses those). */
export function secretName(connector: string, key: string): string {
  const base = `${connector}_${key}`
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return /^[0-9]|^GITHUB_/.test(base) || base === '' ? `C_${base}` : base
}

/** A file name from the connector name: letters, digits, `.`, `_`, `-`; everything else `_`. */
export function exportFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_')
  return `${safe.slice(0, 120) || 'connector'}.json`
}

/** What the run knows of secrets, so that an export never writes one and never reuses a name. */
export interface KnownSecrets {
  /** True when a text is, or holds, a value registered as secret (the `secrets` input, the credentials,
   * tokens); the pipeline takes a short one inside a longer text for a coincidence (Redactor.holds). */
  holds: (text: string) => boolean
  /** Names the `secrets` input already has: a new placeholder never takes one (a name that exists would
   * silently fill in that secret's value). Compared without case, as placeholders are. */
  names: readonly string[]
}

/**
 * One file name per connector, distinct within the export: from the name (exportFileName); names that
 * would share one get the cluster id appended, and those that still would (`orders sink`, `orders/sink`,
 * names of other letters only) a short hash of the cluster and the name. Stable for the same input.
 */
function fileNames(unmanaged: ReadonlyArray<{ target: Target; connector: LiveConnector }>): string[] {
  const stem = (name: string): string => exportFileName(name).replace(/\.json$/, '')
  const repeated = (list: string[]): Set<string> => {
    const seen = new Set<string>()
    const twice = new Set<string>()
    for (const x of list) (seen.has(x) ? twice : seen).add(x)
    return twice
  }
  const stems = unmanaged.map(u => stem(u.connector.name))
  const shared = repeated(stems)
  const byCluster = stems.map((s, i) => (shared.has(s) ? `${s}-${stem(unmanaged[i].target.kafkaClusterId)}` : s))
  const still = repeated(byCluster)
  return byCluster.map((s, i) => {
    if (!still.has(s)) return `${s}.json`
    const { target, connector } = unmanaged[i]
    return `${s}-${createHash('sha256')
      .update(`${targetKey(target)}\u0000${connector.name}`)
      .digest('hex')
      .slice(0, 8)}.json`
  })
}

/**
 * Builds the export files (pure). Takes the folder (workspace-relative), the unmanaged connectors per
 * target, and what is known of secrets; returns one ExportFile per connector, each file name distinct
 * (fileNames). A value becomes a `${{ secrets.NAME }}` placeholder when it is masked (or asterisks and
 * a few letters or digits, a possible partial mask), when the policy calls its key secret, when a
 * credential is written inside it (a URL's password: embeddedCredentials), or when it holds a known
 * secret value (a setting that repeats a password under a plain key); never the `name`. Each
 * placeholder name belongs to one key of one connector: when two would share one (`orders-sink` and
 * `orders_sink`, one name on two clusters) or a name is already in the `secrets` input, the later one
 * gets `_2`, `_3`, ...
 */
export function buildExports(
  folder: string,
  unmanaged: Array<{ target: Target; connector: LiveConnector }>,
  known: KnownSecrets = { holds: () => false, names: [] }
): ExportFile[] {
  const names = fileNames(unmanaged)
  const taken = new Set(known.names.map(n => n.toUpperCase()))
  const owners = new Map<string, string>()
  // The first free name from `base` for `owner` (connector index and key); at most one try per name in use.
  const claim = (base: string, owner: string): string => {
    for (let n = 1; n <= taken.size + owners.size + 1; n++) {
      const name = n === 1 ? base : `${base}_${n}`
      const holder = owners.get(name)
      if (taken.has(name) || (holder !== undefined && holder !== owner)) continue
      owners.set(name, owner)
      return name
    }
    throw new Error('unreachable: a free secret name is always found')
  }
  return unmanaged.map(({ target, connector }, index) => {
    // A file could not declare it: the run over the exported files would refuse it before any request.
    const refused = nameRefusal(connector.name)
    if (refused !== undefined) return { file: '', name: connector.name, target, secrets: [], text: '', refused: `${refused}, so no file can declare it` }
    const config: Record<string, string> = {}
    const secrets: string[] = []
    for (const [key, value] of Object.entries(connector.config)) {
      if (isServerKey(key)) continue
      // Masked values, values the policy calls secret (a credential-like name such as kafka.api.key that
      // the server shows in clear), and values that hold a known secret: the action hides them everywhere
      // else, so a file never holds them.
      const why = sensitiveBecause(key, undefined, { live: connector.config })
      // The name stays as it is: it is the connector's identity, also written outside config.
      // Asterisks and a few letters or digits may be a shorter or partial mask (api-notes: "not always
      // sixteen asterisks"): written into a file it would be sent as the password, so it becomes a
      // placeholder too. A glob (`**` followed by `/` or `.`) is a setting and stays.
      const secret =
        isMasked(value) ||
        /^\*{2,}[A-Za-z0-9]{0,8}$/.test(value) ||
        (why !== undefined && value !== '' && !(why === 'name' && PLAIN_VALUE.test(value))) ||
        embeddedCredentials(value).length > 0 ||
        known.holds(value)
      if (key !== 'name' && secret) {
        const name = claim(secretName(connector.name, key), `${index}\u0000${key}`)
        secrets.push(name)
        config[key] = `\${{ secrets.${name} }}`
      } else config[key] = value
    }
    const fileName = names[index]
    const doc = { name: connector.name, environment_id: target.environmentId, kafka_cluster_id: target.kafkaClusterId, config }
    return { file: path.posix.join(folder, fileName), name: connector.name, target, secrets, text: `${JSON.stringify(doc, null, 2)}\n` }
  })
}

/**
 * Why `folder` (relative to `workspace`, as readSettings checked it) cannot take the export files, or
 * undefined when it can: a part of it that is a file, or a symbolic link that leads outside the workspace
 * (files are never written there, as `files` never reads there). Parts that do not exist yet are fine.
 * Checked before any request. Never throws.
 */
export async function exportFolderRefusal(workspace: string, folder: string): Promise<string | undefined> {
  const root = await realpath(workspace).catch(() => path.resolve(workspace))
  let at = workspace
  for (const part of folder.split('/').filter(p => p !== '' && p !== '.')) {
    at = path.join(at, part)
    const shown = JSON.stringify(path.relative(workspace, at).split(path.sep).join('/'))
    let link
    try {
      link = await lstat(at)
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return undefined // created by writeExports
      return `${shown} cannot be used (${errorCode(err) ?? 'error'})`
    }
    if (link.isSymbolicLink()) {
      const target = await realpath(at).catch(() => undefined)
      if (target === undefined) return `${shown} is a symbolic link to nothing (or to a loop)`
      if (!isInside(root, target)) return `${shown} is a symbolic link that leads outside the workspace`
    }
    const info = await stat(at).catch(() => undefined)
    if (!info?.isDirectory()) return `${shown} is a file, not a folder`
  }
  return undefined
}

/**
 * Writes the export files under `workspace`, creating the folder. A file that exists is never
 * overwritten (`flag: 'wx'`): it is reported `skipped`. Resolves to one Exported per file; a file that
 * cannot be written (its folder cannot be made, no permission) is reported `refused` with the error's
 * code and `failed`. Never rejects for one file.
 */
export async function writeExports(workspace: string, files: readonly ExportFile[]): Promise<Exported[]> {
  const out: Exported[] = []
  for (const f of files) {
    const where = { name: f.name, environment_id: f.target.environmentId, kafka_cluster_id: f.target.kafkaClusterId }
    const notWritten = (refused: string, failed?: true): Exported => ({
      file: '',
      ...where,
      secrets: [],
      skipped: false,
      refused,
      ...(failed ? { failed } : {})
    })
    if (f.refused !== undefined) {
      out.push(notWritten(f.refused))
      continue
    }
    const full = path.join(workspace, ...f.file.split('/'))
    let skipped = false
    try {
      await mkdir(path.dirname(full), { recursive: true })
      await writeFile(full, f.text, { flag: 'wx' })
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') {
        out.push(notWritten(`${f.file} could not be written (${errorCode(err) ?? 'error'})`, true))
        continue
      }
      skipped = true
    }
    out.push({ file: f.file, ...where, secrets: f.secrets, skipped })
  }
  return out
}
