/**
 * A small seeded pseudo-random generator (mulberry32) so the bench capture is the same
 * bytes on every machine for a given seed and generator version.
 */
export interface Prng {
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [0, n). */
  below(n: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const float = (): number => uint32() / 4294967296;
  const below = (n: number): number => Math.floor(float() * n);
  return {
    uint32,
    float,
    below,
    pick: <T>(items: readonly T[]): T => items[below(items.length)] as T,
  };
}
