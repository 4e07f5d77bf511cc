// Real digits for the D step: the dataset goes to the backend once as a [n, 28, 28, 1] tensor in
// [-1, 1]; each batch is a tf.gather of shuffled indices, so no pixels are uploaded per step.
import * as tf from "@tensorflow/tfjs-core";
import { IMAGE_PIXELS, type Digits } from "./dataset";
import { createRng, shuffleInPlace } from "./rng";

export interface RealSamplerOptions {
  readonly batchSize: number;
  readonly seed?: number;
  /** Train on the held-out split too (default false: the classifier's test digits stay unseen). */
  readonly includeHeldOut?: boolean;
}

export interface RealSampler {
  /** Digits the sampler draws from. */
  readonly size: number;
  /** Completed passes over the data. */
  readonly epoch: number;
  batchSize: number;
  /** Dataset indices of the next batch; every index once per epoch, reshuffled each epoch. */
  nextIndices(batchSize?: number): Int32Array;
  /** The next batch, [b, 28, 28, 1] in [-1, 1]; the caller disposes it. */
  next(batchSize?: number): tf.Tensor4D;
  /** The next batch and its digit labels (for D's class head); the caller disposes `images`. */
  nextLabelled(batchSize?: number): { images: tf.Tensor4D; labels: Int32Array };
  /** Specific digits (e.g. a fixed reference batch); the caller disposes it. */
  take(indices: ArrayLike<number>): tf.Tensor4D;
  /** The digit labels (0…9) of those digits. */
  labelsOf(indices: ArrayLike<number>): Int32Array;
  dispose(): void;
}

/** Scales 0…255 bytes to [-1, 1] floats. */
export function bytesToUnit(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! / 127.5 - 1;
  return out;
}

export function createRealSampler(digits: Digits, opts: RealSamplerOptions): RealSampler {
  const size = opts.includeHeldOut ? digits.count : digits.count - digits.heldOut;
  if (size <= 0) throw new Error(`expected at least one training digit, got ${size}`);
  const checkBatch = (b: number) => {
    if (!Number.isInteger(b) || b <= 0 || b > size) {
      throw new RangeError(`batchSize: expected an integer in 1…${size}, got ${b}`);
    }
    return b;
  };
  let batchSize = checkBatch(opts.batchSize);
  const rng = createRng(opts.seed ?? 0);
  const all = tf.tensor4d(bytesToUnit(digits.pixels.subarray(0, size * IMAGE_PIXELS)), [
    size,
    28,
    28,
    1,
  ]);
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  shuffleInPlace(order, rng);
  let cursor = 0;
  let epoch = 0;
  let disposed = false;

  const nextIndices = (b = batchSize): Int32Array => {
    checkBatch(b);
    const out = new Int32Array(b);
    for (let i = 0; i < b; i++) {
      if (cursor === size) {
        shuffleInPlace(order, rng);
        cursor = 0;
        epoch++;
      }
      out[i] = order[cursor++]!;
    }
    return out;
  };
  const checkIndices = (indices: ArrayLike<number>) => {
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= size) {
        throw new RangeError(`expected digit indices in 0…${size - 1}, got ${k}`);
      }
    }
  };
  const take = (indices: ArrayLike<number>): tf.Tensor4D => {
    if (disposed) throw new Error("the real-image sampler was disposed");
    checkIndices(indices);
    return tf.tidy(() => tf.gather(all, tf.tensor1d(Int32Array.from(indices), "int32")));
  };
  const labelsOf = (indices: ArrayLike<number>): Int32Array => {
    checkIndices(indices);
    return Int32Array.from(indices, (k) => digits.labels[k]!);
  };
  return {
    size,
    get epoch() {
      return epoch;
    },
    get batchSize() {
      return batchSize;
    },
    set batchSize(b: number) {
      batchSize = checkBatch(b);
    },
    nextIndices,
    next: (b = batchSize) => take(nextIndices(b)),
    nextLabelled: (b = batchSize) => {
      const indices = nextIndices(b);
      return { images: take(indices), labels: labelsOf(indices) };
    },
    take,
    labelsOf,
    dispose: () => {
      if (!disposed) all.dispose();
      disposed = true;
    },
  };
}
