// Deterministic randomness for the simulator: the same seed gives the same plant behaviour on every run and
// machine, which makes demos repeatable and tests exact. mulberry32 (Tommy Ettinger, public domain) is a
// tiny 32-bit generator with a full 2^32 period — plenty for a demo plant, not for cryptography.

export type Prng = {
  /** Uniform in [0, 1). */
  next(): number;
};

/** A mulberry32 generator started from `seed` (any 32-bit integer). */
export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
  };
}

/** A 32-bit seed derived from a seed and a name (FNV-1a), so each machine gets its own independent stream. */
export function deriveSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const char of `${name}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // One mulberry32 step scrambles the FNV hash, whose low bits are weak for nearby names.
  return Math.floor(mulberry32(hash).next() * 4_294_967_296);
}

/** Exponentially distributed with the given mean (memoryless waiting times: MTBF, MTTR, micro-stops). */
export function sampleExponential(prng: Prng, mean: number): number {
  return -mean * Math.log(1 - prng.next());
}

/** Uniform in [min, max). */
export function sampleUniform(prng: Prng, min: number, max: number): number {
  return min + (max - min) * prng.next();
}

/** One element of a non-empty list, uniformly; undefined for an empty one. */
export function pick<T>(prng: Prng, items: readonly T[]): T | undefined {
  return items[Math.floor(prng.next() * items.length)];
}
