import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createRealSampler } from "@/lib/gan/batches";
import { bytesToTensor, sampleGrid, tensorToBytes, unitToBytes } from "@/lib/gan/images";
import { indexedDigits, useCpuBackend } from "./gan-test-utils";

/** Reads which digits a batch holds from their first pixel. */
async function digitIds(batch: tf.Tensor4D): Promise<number[]> {
  const bytes = await tensorToBytes(batch);
  return Array.from({ length: batch.shape[0] }, (_, i) => bytes[i * 784]!);
}

describe("real-image batches", () => {
  beforeAll(useCpuBackend);

  it("yields [b, 28, 28, 1] batches scaled to [-1, 1]", async () => {
    const digits = indexedDigits(40);
    digits.pixels[5] = 255;
    const sampler = createRealSampler(digits, { batchSize: 8, seed: 1, includeHeldOut: true });
    const batch = sampler.next();
    expect(batch.shape).toEqual([8, 28, 28, 1]);
    const all = sampler.take(Array.from({ length: 40 }, (_, i) => i));
    const v = await all.data();
    expect(Math.min(...v)).toBe(-1);
    expect(Math.max(...v)).toBe(1);
    tf.dispose([batch, all]);
    sampler.dispose();
  });

  it("covers every digit once per epoch, in a new order each epoch", async () => {
    const sampler = createRealSampler(indexedDigits(40), { batchSize: 8, seed: 3 });
    const epochs: number[][] = [];
    for (let e = 0; e < 2; e++) {
      const seen: number[] = [];
      for (let b = 0; b < 5; b++) {
        const batch = sampler.next();
        seen.push(...(await digitIds(batch)));
        batch.dispose();
      }
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      epochs.push(seen);
    }
    expect(epochs[1]).not.toEqual(epochs[0]);
    expect(sampler.epoch).toBe(1);
    sampler.dispose();
  });

  it("never repeats a digit within an epoch when the batch does not divide the data", () => {
    const sampler = createRealSampler(indexedDigits(50), { batchSize: 16, seed: 4 });
    const ids = [...sampler.nextIndices(), ...sampler.nextIndices(), ...sampler.nextIndices()];
    expect(new Set(ids).size).toBe(48);
    const rest = sampler.nextIndices();
    // The last batch finishes the epoch (2 digits) and starts the next one.
    expect(new Set([...ids, ...rest.subarray(0, 2)]).size).toBe(50);
    sampler.dispose();
  });

  it("leaves out the held-out split unless asked", () => {
    const digits = indexedDigits(50, 10);
    const train = createRealSampler(digits, { batchSize: 10 });
    expect(train.size).toBe(40);
    const ids = Array.from({ length: 8 }, () => Array.from(train.nextIndices())).flat();
    expect(Math.max(...ids)).toBe(39);
    expect(createRealSampler(digits, { batchSize: 10, includeHeldOut: true }).size).toBe(50);
    train.dispose();
  });

  it("is repeatable from a seed and uploads the data only once", () => {
    const digits = indexedDigits(40);
    const a = createRealSampler(digits, { batchSize: 8, seed: 9 });
    const b = createRealSampler(digits, { batchSize: 8, seed: 9 });
    expect(Array.from(a.nextIndices())).toEqual(Array.from(b.nextIndices()));
    const before = tf.memory().numTensors;
    const batch = a.next();
    batch.dispose();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
    b.dispose();
  });

  it("gives the labels of the digits it drew, and refuses indices outside the data", async () => {
    const sampler = createRealSampler(indexedDigits(30), { batchSize: 8, seed: 2 });
    const indices = sampler.nextIndices();
    const batch = sampler.take(indices);
    const ids = await digitIds(batch);
    expect(Array.from(sampler.labelsOf(indices))).toEqual(ids.map((i) => i % 10));
    expect(() => sampler.labelsOf([0, 30])).toThrow(/expected digit indices in 0…29, got 30/);
    const next = sampler.nextLabelled(5);
    const nextIds = await digitIds(next.images);
    expect(Array.from(next.labels)).toEqual(nextIds.map((i) => i % 10));
    next.images.dispose();
    batch.dispose();
    sampler.dispose();
  });

  it("rejects a batch larger than the data", () => {
    expect(() => createRealSampler(indexedDigits(10), { batchSize: 11 })).toThrow(
      /batchSize: expected an integer in 1…10, got 11/,
    );
  });
});

describe("image bytes and grids", () => {
  beforeAll(useCpuBackend);

  it("round-trips bytes through a [-1, 1] tensor exactly", async () => {
    const bytes = new Uint8Array(2 * 784).map((_, i) => (i * 13) % 256);
    const t = bytesToTensor(bytes);
    expect(t.shape).toEqual([2, 28, 28, 1]);
    expect(await tensorToBytes(t)).toEqual(bytes);
    t.dispose();
  });

  it("clamps values outside [-1, 1]", () => {
    expect(Array.from(unitToBytes([-3, -1, 0, 1, 4]))).toEqual([0, 0, 128, 255, 255]);
  });

  it("lays images out in a grid with gaps, as RGBA or grayscale", () => {
    const bytes = new Uint8Array(3 * 784);
    bytes[784 + 0] = 200; // top-left pixel of image 1
    bytes[2 * 784 + 783] = 100; // bottom-right pixel of image 2
    const gray = sampleGrid(bytes, 2, { format: "gray", gap: 2 });
    expect([gray.width, gray.height]).toEqual([58, 58]);
    expect(gray.data[30]).toBe(200);
    expect(gray.data[(30 + 27) * 58 + 27]).toBe(100);
    const rgba = sampleGrid(bytes, 2);
    expect([rgba.width, rgba.height]).toEqual([57, 57]);
    expect(Array.from(rgba.data.subarray(29 * 4, 29 * 4 + 4))).toEqual([200, 200, 200, 255]);
    expect(() => sampleGrid(new Uint8Array(100), 2)).toThrow(/multiple of 784/);
  });
});
