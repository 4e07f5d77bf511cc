// End to end through autodiff: gradients of a small DCGAN-shaped model on wasm (custom kernels)
// equal those on cpu, and the wasm Tile kernel equals cpu's on random shapes.
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerCustomKernels } from "@/lib/gan/kernels";

function random(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, "float32", seed);
}

beforeAll(async () => {
  registerCustomKernels();
  setWasmPaths(path.resolve("node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep);
  expect(await tf.setBackend("wasm")).toBe(true);
});

/** A G-then-D chain: conv2dTranspose (s2, same) → batchnorm-style normalisation → conv2d (s2, same and valid). */
async function gradients(backend: "cpu" | "wasm"): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const z = random([3, 4, 4, 6], 1);
  const weights = [random([5, 5, 5, 6], 2), random([5, 5, 5, 7], 3), random([3, 3, 7, 2], 4)];
  const f = (w1: tf.Tensor, w2: tf.Tensor, w3: tf.Tensor) => {
    const up = tf.conv2dTranspose(z as tf.Tensor4D, w1 as tf.Tensor4D, [3, 7, 7, 5], 2, "same");
    const moments = tf.moments(up, [0, 1, 2]);
    const normed = tf.batchNorm(
      up,
      moments.mean,
      moments.variance,
      tf.zeros([5]),
      tf.ones([5]),
      1e-3,
    );
    const h = tf.leakyRelu(tf.conv2d(normed as tf.Tensor4D, w2 as tf.Tensor4D, 2, "same"), 0.2);
    return tf.mean(tf.square(tf.conv2d(h, w3 as tf.Tensor4D, 1, "valid")));
  };
  const grads = tf.grads(f)(weights);
  const out = grads.map((g) => g.dataSync() as Float32Array);
  tf.dispose([z, ...weights, ...grads]);
  return out;
}

describe("custom kernels under autodiff", () => {
  it("gives the same weight gradients through conv2d and conv2dTranspose on wasm as on cpu", async () => {
    const cpu = await gradients("cpu");
    const wasm = await gradients("wasm");
    expect(wasm.length).toBe(3);
    wasm.forEach((g, i) => {
      const ref = cpu[i]!;
      const scale = Math.max(...ref.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      const worst = Math.max(...g.map((v, j) => Math.abs(v - ref[j]!)));
      expect(worst / scale).toBeLessThan(1e-4);
    });
  });

  it("tiles like the cpu kernel on random shapes and repetitions", async () => {
    const cases = fc.sample(
      fc.array(
        fc.record({ size: fc.integer({ min: 1, max: 4 }), rep: fc.integer({ min: 1, max: 3 }) }),
        {
          minLength: 1,
          maxLength: 5,
        },
      ),
      { numRuns: 50, seed: 3 },
    );
    for (const dims of cases) {
      const shape = dims.map((d) => d.size);
      const reps = dims.map((d) => d.rep);
      const values = Array.from({ length: tf.util.sizeFromShape(shape) }, (_, i) => i - 3);
      for (const dtype of ["float32", "int32"] as const) {
        await tf.setBackend("cpu");
        const expected = tf.tidy(() => tf.tile(tf.tensor(values, shape, dtype), reps).dataSync());
        await tf.setBackend("wasm");
        const actual = tf.tidy(() => tf.tile(tf.tensor(values, shape, dtype), reps).dataSync());
        expect(Array.from(actual), `${dtype} [${shape}] × [${reps}]`).toEqual(Array.from(expected));
      }
    }
  });
});

describe("wasm BatchMatMul with transposed operands", () => {
  it("matches cpu for every transpose combination, 2-D and batch-of-one 3-D", async () => {
    // The last three make the kernel compute the swapped product (b·aᵀ)ᵀ or (bᵀ·a)ᵀ when one
    // operand is transposed (a narrow left side), with SIMD and with JS transposes.
    const shapes = [
      { a: [5, 7], b: [7, 3] },
      { a: [1, 64, 9], b: [1, 9, 31] },
      { a: [4, 8], b: [8, 64] },
      { a: [1, 4, 12], b: [1, 12, 40] },
      { a: [3, 10], b: [10, 50] },
    ];
    for (const { a, b } of shapes) {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const aShape = ta ? [...a.slice(0, -2), a.at(-1)!, a.at(-2)!] : a;
        const bShape = tb ? [...b.slice(0, -2), b.at(-1)!, b.at(-2)!] : b;
        const run = async (backend: string) => {
          await tf.setBackend(backend);
          return tf.tidy(() =>
            Array.from(tf.matMul(random(aShape, 11), random(bShape, 12), ta, tb).dataSync()),
          );
        };
        const expected = await run("cpu");
        const actual = await run("wasm");
        expect(actual.length).toBe(expected.length);
        actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
      }
    }
  });
});
