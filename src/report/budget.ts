// GitHub refuses a step summary over 1 MiB (bytes, not characters) and then drops the WHOLE summary
// (toolchain.md). The summary is cut in bytes, at a line boundary outside any open <details>, with a
// note saying so. renderSummary puts errors before diffs, so what is cut is the least needed.

/** GitHub's limit for one step's summary, in bytes. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024
/** Room kept for the note and for what core.summary adds. */
const RESERVE_BYTES = 4 * 1024

/** Returns `text` unchanged when it fits; else the longest prefix of whole lines (not inside a
 * `<details>` block) that fits with the cut note. */
export function fitSummary(text: string, limit = SUMMARY_LIMIT_BYTES): string {
  if (Buffer.byteLength(text, 'utf8') <= limit - RESERVE_BYTES) return text
  const note = '\n\n**…cut: the summary is limited to 1 MiB; the step log and the `results` output have every connector.**\n'
  const budget = limit - RESERVE_BYTES - Buffer.byteLength(note, 'utf8')
  const lines = text.split('\n')
  let used = 0
  let keep = 0
  let openDetails = 0
  let lastSafe = 0
  for (let i = 0; i < lines.length; i++) {
    const size = Buffer.byteLength(lines[i], 'utf8') + 1
    if (used + size > budget) break
    used += size
    keep = i + 1
    openDetails += (lines[i].match(/<details>/g) ?? []).length - (lines[i].match(/<\/details>/g) ?? []).length
    if (openDetails <= 0) lastSafe = keep
  }
  void keep
  return `${lines.slice(0, lastSafe).join('\n')}${note}`
}
