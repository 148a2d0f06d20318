// Aho-Corasick over UTF-16 units, for the redactor: one pass over a text finds every registered needle.

// ---- Aho-Corasick over UTF-16 units; each state knows the longest needle ending there ----

export class Automaton {
  private readonly next: Array<Map<number, number>> = [new Map<number, number>()]
  private fail: Int32Array = new Int32Array(1)
  private longest: Int32Array = new Int32Array(1)
  /** 1 for each UTF-16 unit that starts a needle: at the root, every other unit is skipped without a
   * lookup (most of a text is no secret: the job summary's scan got about 5 times faster). */
  private readonly starts = new Uint8Array(65536)

  constructor(needles: Iterable<string>) {
    const depthOut: number[] = [0]
    for (const n of needles) {
      let s = 0
      for (let i = 0; i < n.length; i++) {
        const c = n.charCodeAt(i)
        let t = this.next[s].get(c)
        if (t === undefined) {
          t = this.next.length
          this.next.push(new Map())
          depthOut.push(0)
          this.next[s].set(c, t)
        }
        s = t
      }
      depthOut[s] = Math.max(depthOut[s], n.length)
    }
    const size = this.next.length
    this.fail = new Int32Array(size)
    this.longest = Int32Array.from(depthOut)
    // Breadth-first: fail links, and the longest needle ending at each state (itself or via fail).
    const queue: number[] = []
    for (const [c, t] of this.next[0]) {
      this.starts[c] = 1
      queue.push(t)
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]
      for (const [c, t] of this.next[s]) {
        let f = this.fail[s]
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f]
        const g = this.next[f].get(c)
        this.fail[t] = g !== undefined && g !== t ? g : 0
        this.longest[t] = Math.max(this.longest[t], this.longest[this.fail[t]])
        queue.push(t)
      }
    }
  }

  /** Calls `hit(start, endExclusive)` for the longest needle ending at each position of `text`. */
  scan(text: string, hit: (start: number, end: number) => void): void {
    let s = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (s === 0 && this.starts[c] === 0) continue
      let t = this.next[s].get(c)
      while (t === undefined && s !== 0) {
        s = this.fail[s]
        t = this.next[s].get(c)
      }
      s = t ?? 0
      const len = this.longest[s]
      if (len > 0) hit(i + 1 - len, i + 1)
    }
  }
}
