/**
 * A small seeded PRNG (mulberry32) so replays and the demo are reproducible: the same seed
 * shuffles, duplicates and generates the same traffic.
 */

/** A random function in [0, 1) with helpers. */
export interface Random {
  (): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

/**
 * Creates a seeded random function.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random.int(10); // the same sequence for the same seed
 * ```
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (() => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Random;
  next.int = (n) => Math.floor(next() * n);
  next.pick = (items) => items[next.int(items.length)] as (typeof items)[number];
  next.chance = (p) => next() < p;
  return next;
}

/** Fisher–Yates shuffle in place; returns the array. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

/**
 * Appends copies of a random `fraction` of the items (each original at most once), as a
 * provider's retries would; returns how many were added.
 */
export function addDuplicates<T>(items: T[], fraction: number, random: Random): number {
  const count = Math.round(items.length * fraction);
  const indexes = shuffleInPlace(items.map((_, i) => i), random).slice(0, count);
  for (const i of indexes) items.push(items[i] as T);
  return count;
}
