// Seeded pseudo-random numbers. The generator never calls Math.random or Date.now: the same
// seed must give byte-identical files. Each part of the city draws from its own named stream
// (`rng.fork("parks")`), so tweaking one part does not reshuffle every other part.

/** mulberry32: tiny, fast, good enough for layout noise (not for cryptography). */
function mulberry32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a 32-bit hash of a string, for deriving stream seeds from labels. */
export function hashString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = mulberry32(seed >>> 0);
  }
  /** An independent stream derived from this seed and a label. */
  fork(label: string): Rng {
    return new Rng(hashString(label, hashString(String(this.seed))));
  }
  /** Uniform in [0, 1). */
  random(): number {
    return this.next();
  }
  /** Uniform in [a, b). */
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  /** Integer uniform in [a, b] (inclusive). */
  int(a: number, b: number): number {
    return a + Math.floor((b - a + 1) * this.next());
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)];
  }
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1][0];
  }
  /** Approximately normal (sum of uniforms), mean 0, sd 1. */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * Math.sqrt(3);
  }
  /** Fisher–Yates, in place; returns the array. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }
}

/** Smooth 1-D value noise in [-1, 1] from a seed: for wobbly city edges. */
export function noise1d(seed: number, x: number): number {
  const i = Math.floor(x);
  const f = x - i;
  const h = (n: number) => (hashString(String(n), seed) / 4294967296) * 2 - 1;
  const t = f * f * (3 - 2 * f);
  return h(i) * (1 - t) + h(i + 1) * t;
}
