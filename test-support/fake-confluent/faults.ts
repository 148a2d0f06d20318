// Seeded random transient faults and targeted one-off injected faults.
import type { FakeOptions, InjectedFault } from './types.js'

/** mulberry32: small deterministic PRNG, returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type RandomFault = 'reset' | '503' | undefined

export class Faults {
  private readonly injected: { fault: InjectedFault; left: number }[] = []
  private config: FakeOptions['faults']
  private random: () => number = mulberry32(1)

  configure(config: FakeOptions['faults']): void {
    this.config = config
    this.random = mulberry32(config?.seed ?? 1)
  }

  inject(fault: InjectedFault): void {
    this.injected.push({ fault, left: fault.times ?? 1 })
  }

  /** The first injected fault matching the request, consumed once. `url` is path + query. */
  take(method: string, url: string): InjectedFault | undefined {
    const i = this.injected.findIndex(
      ({ fault }) =>
        (fault.method === undefined || fault.method.toUpperCase() === method.toUpperCase()) &&
        (fault.pathIncludes === undefined || url.includes(fault.pathIncludes) || safeDecode(url).includes(fault.pathIncludes))
    )
    if (i < 0) return undefined
    const entry = this.injected[i]
    entry.left--
    if (entry.left <= 0) this.injected.splice(i, 1)
    return entry.fault
  }

  /** One draw per request (only when a rate is configured, so seeds stay reproducible). */
  roll(): RandomFault {
    const reset = this.config?.rateReset ?? 0
    const r503 = this.config?.rate503 ?? 0
    if (reset <= 0 && r503 <= 0) return undefined
    const r = this.random()
    if (r < reset) return 'reset'
    if (r < reset + r503) return '503'
    return undefined
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
