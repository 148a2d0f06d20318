// Time, injected. Production uses `realClock`; tests use `VirtualClock` (test-support/virtual-clock.ts),
// whose sleeps end only when the test moves time forward.
import type { Clock } from '../model/types.js'

/** setTimeout cannot wait longer than 2^31-1 ms; a longer sleep is cut to that (about 24 days). */
const MAX_TIMER_MS = 2 ** 31 - 1

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms: number) =>
    new Promise<void>(resolve => {
      setTimeout(resolve, Math.min(MAX_TIMER_MS, Math.max(0, Number.isFinite(ms) ? ms : 0)))
    })
}

/** `1300` -> `1.3 s`, `3000` -> `3 s`, `45` -> `0.05 s`; for log lines. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000
  const f = s >= 10 ? 1 : s >= 1 ? 10 : 100
  return `${Math.round(s * f) / f} s`
}
