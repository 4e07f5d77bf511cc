// Randomness helpers over an injected rng (a function returning uniform numbers in [0, 1)).
// lib/game never calls Math.random: the server passes a crypto-backed rng, tests a seeded one.

export type Rng = () => number;

/** Small, fast, seeded PRNG (mulberry32). Good for tests and reproducible statistics. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  // Clamp guards against an rng that returns exactly 1.
  return Math.min(n - 1, Math.floor(rng() * n));
}

/** A new array with the elements of `items` in a uniformly random order (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random id of `length` characters (12 × log2(62) ≈ 71 bits). */
export function randomId(rng: Rng, length = 12): string {
  let id = "";
  for (let i = 0; i < length; i++) id += ID_ALPHABET[randomInt(rng, ID_ALPHABET.length)];
  return id;
}
