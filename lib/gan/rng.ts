// Seeded randomness, so that a seed makes a training run repeatable on one backend.
import * as tf from "@tensorflow/tfjs-core";

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
}

/** mulberry32: tiny, fast, good enough for shuffling and seeding. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`expected a finite seed, got ${seed}`);
  let a = Math.trunc(seed) >>> 0;
  const nextUint32 = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    nextUint32,
    next: () => nextUint32() / 4294967296,
    nextInt: (n: number) => {
      if (!Number.isInteger(n) || n <= 0)
        throw new RangeError(`expected a positive integer, got ${n}`);
      return Math.floor((nextUint32() / 4294967296) * n);
    },
  };
}

/** In-place Fisher–Yates shuffle driven by `rng`. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(
  items: T,
  rng: Rng,
): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/** Standard-normal noise [n, dim] whose values depend only on the rng's state. */
export function normalNoise(n: number, dim: number, rng: Rng): tf.Tensor2D {
  if (!Number.isInteger(n) || n <= 0 || !Number.isInteger(dim) || dim <= 0) {
    throw new RangeError(`expected positive integer noise shape, got [${n}, ${dim}]`);
  }
  return tf.randomNormal([n, dim], 0, 1, "float32", rng.nextUint32());
}

/** Standard-normal values as plain numbers (Box–Muller), e.g. for a latent vector sent to a worker. */
export function normalArray(length: number, rng: Rng): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    const u = 1 - rng.next();
    const v = rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
