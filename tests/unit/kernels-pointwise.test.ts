// lib/gan's wasm LeakyRelu (and its fused gradient) give bit-identical results to the stock
// kernels; its Sum and Mean over leading axes agree with the cpu backend on random shapes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import {
  isCustomKernel,
  registerCustomKernels,
  stockKernel,
  stockLeakyReluGradient,
} from "@/lib/gan/kernels";
import { leadingReduction } from "@/lib/gan/kernels/wasm-reduce";
import { setSimdKernelsEnabled, simdKernels } from "@/lib/gan/kernels/wasm-simd";

function random(size: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * 3;
  }
  return out;
}

/** Values whose sign handling is easy to get wrong, then random ones. */
function activations(size: number, seed: number): Float32Array {
  const special = [0, -0, 1e-45, -1e-45, 1e-38, -1e-38, Infinity, -Infinity, 3e38, -3e38, 1, -1];
  const out = random(size, seed);
  special.forEach((v, i) => {
    if (i < size) out[i] = v;
  });
  return out;
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

beforeAll(async () => {
  registerCustomKernels();
  setWasmPaths(path.resolve("node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep);
  expect(await tf.setBackend("wasm")).toBe(true);
});

describe("wasm LeakyRelu", () => {
  it("replaces the stock kernel and keeps it reachable", () => {
    expect(isCustomKernel(tf.LeakyRelu, "wasm")).toBe(true);
    expect(stockKernel(tf.LeakyRelu, "wasm")).toBeTypeOf("function");
    expect(stockKernel(tf.LeakyRelu, "wasm")).not.toBe(
      tf.getKernel(tf.LeakyRelu, "wasm")!.kernelFunc,
    );
  });

  it("builds its SIMD loops on the wasm backend's memory", async () => {
    await tf.setBackend("wasm");
    expect(simdKernels(tf.backend() as never)).not.toBeNull();
  });

  for (const simd of [true, false]) {
    const path = simd ? "SIMD" : "JS";
    it(`is bit-identical to the stock wasm kernel for special and random values and any alpha (${path})`, async () => {
      await tf.setBackend("wasm");
      setSimdKernelsEnabled(simd);
      const backend = tf.backend();
      const stock = stockKernel(tf.LeakyRelu, "wasm")!;
      for (const [i, alpha] of [0.2, 0.01, 0, 1, 0.5, -0.3, 1.7].entries()) {
        const x = tf.tensor1d(activations(1000 + i, i + 1));
        const ours = tf.leakyRelu(x, alpha).dataSync() as Float32Array;
        const ref = stock({ inputs: { x }, backend, attrs: { alpha } }) as tf.TensorInfo;
        const expected = backend.readSync(ref.dataId) as Float32Array;
        backend.disposeData(ref.dataId);
        expect(Array.from(bits(ours)), `alpha ${alpha}`).toEqual(Array.from(bits(expected)));
        x.dispose();
      }
    });

    it(`has a gradient bit-identical to tfjs-core's where(x > 0, dy, dy·alpha) on wasm (${path})`, async () => {
      await tf.setBackend("wasm");
      setSimdKernelsEnabled(simd);
      const stock = stockLeakyReluGradient()!;
      expect(stock).toBeDefined();
      for (const [i, alpha] of [0.2, 0.01, 0.5].entries()) {
        const x = tf.tensor2d(activations(37 * 29, 10 + i), [37, 29]);
        const dy = tf.tensor2d(random(37 * 29, 20 + i), [37, 29]);
        const ours = tf
          .grad((v: tf.Tensor) => tf.leakyRelu(v, alpha))(x, dy)
          .dataSync() as Float32Array;
        const expected = (stock.gradFunc(dy, [x], { alpha }) as { x: () => tf.Tensor }).x();
        expect(Array.from(bits(ours)), `alpha ${alpha}`).toEqual(
          Array.from(bits(expected.dataSync() as Float32Array)),
        );
        tf.dispose([x, dy, expected]);
      }
    });
  }
  afterAll(() => setSimdKernelsEnabled(true));

  it("gives the same gradient through a small conv net on wasm as on cpu", async () => {
    const run = async (backend: "cpu" | "wasm") => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(random(2 * 6 * 6 * 3, 5), [2, 6, 6, 3]);
        const w = tf.tensor4d(random(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
        const g = tf.grad((v: tf.Tensor) =>
          tf.sum(tf.square(tf.leakyRelu(tf.conv2d(x, v as tf.Tensor4D, 1, "same"), 0.2))),
        )(w);
        return Array.from(g.dataSync());
      });
    };
    const cpu = await run("cpu");
    const wasm = await run("wasm");
    const scale = Math.max(...cpu.map(Math.abs));
    cpu.forEach((v, i) => expect(Math.abs(wasm[i]! - v) / scale).toBeLessThan(1e-5));
  });
});

describe("wasm Sum and Mean", () => {
  it("recognises reductions over the leading axes only", () => {
    expect(leadingReduction([4, 5, 6, 7], [0, 1, 2])).toEqual({ rows: 120, cols: 7, k: 3 });
    expect(leadingReduction([4, 5, 6, 7], [2, 0, 1])).toEqual({ rows: 120, cols: 7, k: 3 });
    expect(leadingReduction([4, 5], 0)).toEqual({ rows: 4, cols: 5, k: 1 });
    expect(leadingReduction([4, 5, 6], [1, 2])).toBeNull();
    expect(leadingReduction([4, 5, 6], [0, 2])).toBeNull();
    expect(leadingReduction([4, 5, 6], [0, 1, 2])).toBeNull();
    expect(leadingReduction([4, 5, 6], -1)).toBeNull();
  });

  it("agrees with the cpu backend on random shapes, axes and keepDims", async () => {
    const cases = fc.sample(
      fc.record({
        shape: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        axesMask: fc.integer({ min: 0, max: 15 }),
        leading: fc.integer({ min: 0, max: 3 }),
        keepDims: fc.boolean(),
        mean: fc.boolean(),
        seed: fc.integer({ min: 1, max: 1e6 }),
      }),
      { numRuns: 80, seed: 11 },
    );
    let leadingCases = 0;
    for (const c of cases) {
      const rank = c.shape.length;
      // Half the cases reduce leading axes (our path), the rest arbitrary axes (the stock path).
      const axes =
        c.leading > 0
          ? Array.from({ length: Math.min(c.leading, rank) }, (_, i) => i)
          : Array.from({ length: rank }, (_, i) => i).filter((i) => (c.axesMask >> i) & 1);
      if (axes.length === 0) continue;
      if (leadingReduction(c.shape, axes)) leadingCases++;
      const size = c.shape.reduce((a, b) => a * b, 1);
      const values = random(size, c.seed);
      const reduce = (x: tf.Tensor) =>
        c.mean ? tf.mean(x, axes, c.keepDims) : tf.sum(x, axes, c.keepDims);
      const results: { shape: number[]; data: Float32Array }[] = [];
      for (const backend of ["cpu", "wasm"] as const) {
        await tf.setBackend(backend);
        const x = tf.tensor(values, c.shape);
        const y = reduce(x);
        results.push({ shape: y.shape, data: y.dataSync() as Float32Array });
        tf.dispose([x, y]);
      }
      const [cpu, wasm] = results as [(typeof results)[0], (typeof results)[0]];
      const label = JSON.stringify({ ...c, axes });
      expect(wasm.shape, label).toEqual(cpu.shape);
      cpu.data.forEach((v, i) =>
        expect(Math.abs(wasm.data[i]! - v), label).toBeLessThan(1e-5 * (1 + Math.abs(v)) * 10),
      );
    }
    expect(leadingCases).toBeGreaterThan(20);
  });

  it("sums a batchnorm-sized tensor over N, H, W like the cpu backend", async () => {
    const shape = [16, 14, 14, 64];
    const values = random(
      shape.reduce((a, b) => a * b, 1),
      3,
    );
    const out: Float32Array[] = [];
    for (const backend of ["cpu", "wasm"] as const) {
      await tf.setBackend(backend);
      const x = tf.tensor(values, shape);
      const s = tf.sum(x, [0, 1, 2]);
      out.push(s.dataSync() as Float32Array);
      tf.dispose([x, s]);
    }
    out[0]!.forEach((v, i) => expect(Math.abs(out[1]![i]! - v)).toBeLessThan(1e-3));
  });
});

describe("wasm Identity", () => {
  it("shares the input's memory and keeps it alive after the input is disposed", async () => {
    await tf.setBackend("wasm");
    expect(isCustomKernel(tf.Identity, "wasm")).toBe(true);
    const buffers = () => tf.backend().numDataIds();
    const before = buffers();
    const x = tf.tensor2d(random(300, 4), [20, 15]);
    const expected = Array.from(x.dataSync());
    const y = tf.clone(x);
    // Shared: the clone allocated no second buffer in the wasm heap.
    expect(buffers() - before).toBe(1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(expected);
    y.dispose();
    expect(buffers()).toBe(before);
  });
});

describe("wasm FusedBatchNorm", () => {
  it("is bit-identical to the stock wasm kernel, with and without scale and offset", async () => {
    await tf.setBackend("wasm");
    const backend = tf.backend();
    const stock = stockKernel(tf.FusedBatchNorm, "wasm")!;
    expect(isCustomKernel(tf.FusedBatchNorm, "wasm")).toBe(true);
    // 8 and 64 channels take the SIMD path; 6 channels and a scalar mean the stock one.
    const shapes = [
      [3, 5, 7, 8],
      [2, 64],
      [1, 1, 4, 64],
      [2, 3, 6],
      [5, 12],
    ];
    for (const [i, shape] of shapes.entries()) {
      const c = shape[shape.length - 1]!;
      const size = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(activations(size, 30 + i), shape);
      const mean = tf.tensor1d(random(c, 40 + i));
      const variance = tf.abs(tf.tensor1d(random(c, 50 + i)));
      const scale = tf.tensor1d(random(c, 60 + i));
      const offset = tf.tensor1d(random(c, 70 + i));
      for (const withParams of [true, false]) {
        const inputs: Record<string, tf.Tensor> = withParams
          ? { x, mean, variance, scale, offset }
          : { x, mean, variance };
        const attrs = { varianceEpsilon: 1e-3 };
        const ours = tf.engine().runKernel(tf.FusedBatchNorm, inputs, attrs) as tf.Tensor;
        const ref = stock({ inputs, backend, attrs }) as tf.TensorInfo;
        const expected = backend.readSync(ref.dataId) as Float32Array;
        backend.disposeData(ref.dataId);
        expect(Array.from(bits(ours.dataSync() as Float32Array)), `${shape} ${withParams}`).toEqual(
          Array.from(bits(expected)),
        );
        ours.dispose();
      }
      tf.dispose([x, mean, variance, scale, offset]);
    }
  });
});

describe("wasm elementwise arithmetic", () => {
  const kernels = [tf.Add, tf.Sub, tf.Multiply, tf.RealDiv] as const;
  it("is bit-identical to the stock kernels for equal shapes, scalar operands and row broadcasts", async () => {
    await tf.setBackend("wasm");
    const backend = tf.backend();
    const shapes: [number[], number[]][] = [
      [
        [37, 5],
        [37, 5],
      ],
      [
        [4, 3, 2],
        [4, 3, 2],
      ],
      [[1001], []],
      [[], [7, 3]],
      [[6], [1, 1]],
      [[1], [1]],
      [[2, 3], [3]], // 3 channels: the stock kernel
      [[4, 3, 2, 8], [8]], // row broadcasts (bias, batchnorm statistics)
      [[8], [5, 8]],
      [
        [2, 3, 16],
        [1, 1, 16],
      ],
      [
        [1, 1, 12],
        [6, 12],
      ],
      [
        [4, 4],
        [4, 1],
      ], // small broadcasts of any kind: JS
      [
        [64, 1],
        [64, 10],
      ],
      [
        [3, 1, 5],
        [1, 4, 1],
      ],
      [
        [70, 70],
        [70, 1],
      ], // a large column broadcast: the stock kernel
    ];
    for (const [k, kernelName] of kernels.entries()) {
      expect(isCustomKernel(kernelName, "wasm")).toBe(true);
      const stock = stockKernel(kernelName, "wasm")!;
      for (const [i, [sa, sb]] of shapes.entries()) {
        const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
        const a = tf.tensor(activations(size(sa), 80 + i + 10 * k), sa);
        const b = tf.tensor(random(size(sb), 90 + i + 10 * k), sb);
        const ours = tf.engine().runKernel(kernelName, { a, b }) as tf.Tensor;
        const ref = stock({ inputs: { a, b }, backend, attrs: {} }) as tf.TensorInfo;
        const label = `${kernelName} [${sa}] [${sb}]`;
        expect(ours.shape, label).toEqual(ref.shape);
        expect(Array.from(bits(ours.dataSync() as Float32Array)), label).toEqual(
          Array.from(bits(backend.readSync(ref.dataId) as Float32Array)),
        );
        backend.disposeData(ref.dataId);
        tf.dispose([a, b, ours]);
      }
    }
  });

  it("squares and takes square roots bit-identically to the stock kernels", async () => {
    await tf.setBackend("wasm");
    const backend = tf.backend();
    for (const kernelName of [tf.Square, tf.Sqrt]) {
      const stock = stockKernel(kernelName, "wasm")!;
      for (const n of [1, 3, 4, 1003]) {
        const x = tf.tensor1d(activations(n, n));
        const ours = tf.engine().runKernel(kernelName, { x }) as tf.Tensor;
        const ref = stock({ inputs: { x }, backend, attrs: {} }) as tf.TensorInfo;
        expect(Array.from(bits(ours.dataSync() as Float32Array)), `${kernelName} ${n}`).toEqual(
          Array.from(bits(backend.readSync(ref.dataId) as Float32Array)),
        );
        backend.disposeData(ref.dataId);
        tf.dispose([x, ours]);
      }
    }
  });
});

describe("wasm ResizeNearestNeighborGrad", () => {
  it("is bit-identical to the stock kernel for ×2 upsampling and for other sizes without half-pixel centres", async () => {
    await tf.setBackend("wasm");
    const backend = tf.backend();
    expect(isCustomKernel(tf.ResizeNearestNeighborGrad, "wasm")).toBe(true);
    const stock = stockKernel(tf.ResizeNearestNeighborGrad, "wasm")!;
    const cases: [number[], number[]][] = [
      [
        [2, 3, 5, 7],
        [2, 6, 10, 7],
      ],
      [
        [1, 14, 14, 64],
        [1, 28, 28, 64],
      ],
      [
        [2, 3, 4, 2],
        [2, 5, 7, 2],
      ], // not ×2: the scatter path
    ];
    for (const [i, [shape, dyShape]] of cases.entries()) {
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      const images = tf.tensor(random(size(shape), 100 + i), shape);
      const dy = tf.tensor(random(size(dyShape), 110 + i), dyShape);
      const attrs = { alignCorners: false, halfPixelCenters: false };
      const ours = tf
        .engine()
        .runKernel(tf.ResizeNearestNeighborGrad, { images, dy }, attrs) as tf.Tensor;
      const ref = stock({ inputs: { images, dy }, backend, attrs }) as tf.TensorInfo;
      expect(Array.from(bits(ours.dataSync() as Float32Array)), `${shape}`).toEqual(
        Array.from(bits(backend.readSync(ref.dataId) as Float32Array)),
      );
      backend.disposeData(ref.dataId);
      tf.dispose([images, dy, ours]);
    }
  });

  it("sums each 2×2 block of the output gradient into its input pixel, for every image of the batch", async () => {
    // (tfjs-backend-cpu 4.22's kernel gets every image after the first wrong, so the reference
    // is computed here.)
    await tf.setBackend("wasm");
    const [n, h, w, c] = [3, 5, 6, 4];
    const dyValues = random(n * 2 * h * 2 * w * c, 12);
    const expected = new Float64Array(n * h * w * c);
    for (let b = 0; b < n; b++)
      for (let y = 0; y < 2 * h; y++)
        for (let x = 0; x < 2 * w; x++)
          for (let k = 0; k < c; k++)
            expected[((b * h + (y >> 1)) * w + (x >> 1)) * c + k]! +=
              dyValues[((b * 2 * h + y) * 2 * w + x) * c + k]!;
    const images = tf.zeros([n, h, w, c]);
    const dy = tf.tensor4d(dyValues, [n, 2 * h, 2 * w, c]);
    const attrs = { alignCorners: false, halfPixelCenters: false };
    const dx = tf
      .engine()
      .runKernel(tf.ResizeNearestNeighborGrad, { images, dy }, attrs) as tf.Tensor;
    Array.from(dx.dataSync()).forEach((v, i) =>
      expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-5),
    );
    tf.dispose([images, dy, dx]);
  });
});

describe("wasm ResizeNearestNeighbor", () => {
  it("upsamples ×2 bit-identically to the stock kernel and defers other sizes to it", async () => {
    await tf.setBackend("wasm");
    const backend = tf.backend();
    expect(isCustomKernel(tf.ResizeNearestNeighbor, "wasm")).toBe(true);
    const stock = stockKernel(tf.ResizeNearestNeighbor, "wasm")!;
    const cases: [number[], [number, number]][] = [
      [
        [2, 3, 5, 7],
        [6, 10],
      ],
      [
        [1, 14, 14, 64],
        [28, 28],
      ],
      [
        [2, 3, 4, 2],
        [5, 7],
      ], // not ×2: the stock path
    ];
    for (const [i, [shape, size]] of cases.entries()) {
      const images = tf.tensor(
        activations(
          shape.reduce((a, b) => a * b, 1),
          120 + i,
        ),
        shape,
      );
      const attrs = { alignCorners: false, halfPixelCenters: false, size };
      const ours = tf.engine().runKernel(tf.ResizeNearestNeighbor, { images }, attrs) as tf.Tensor;
      const ref = stock({ inputs: { images }, backend, attrs }) as tf.TensorInfo;
      expect(ours.shape, `${shape}`).toEqual(ref.shape);
      expect(Array.from(bits(ours.dataSync() as Float32Array)), `${shape}`).toEqual(
        Array.from(bits(backend.readSync(ref.dataId) as Float32Array)),
      );
      backend.disposeData(ref.dataId);
      tf.dispose([images, ours]);
    }
  });
});

describe("cpu ResizeNearestNeighborGrad", () => {
  it("sums the output gradient of every image into its own input pixels (the stock cpu kernel does not past the first)", async () => {
    await tf.setBackend("cpu");
    expect(isCustomKernel(tf.ResizeNearestNeighborGrad, "cpu")).toBe(true);
    const dy = tf.tensor4d(
      Array.from({ length: 32 }, (_, i) => i),
      [2, 4, 4, 1],
    );
    const images = tf.zeros([2, 2, 2, 1]);
    const attrs = { alignCorners: false, halfPixelCenters: false };
    const dx = tf
      .engine()
      .runKernel(tf.ResizeNearestNeighborGrad, { images, dy }, attrs) as tf.Tensor;
    expect(Array.from(dx.dataSync())).toEqual([10, 18, 42, 50, 74, 82, 106, 114]);
    tf.dispose([dy, images, dx]);
  });

  it("is the adjoint of the forward resize for any size, corner alignment and half-pixel centres, on cpu and wasm", async () => {
    // Reference: resize an image of pixel indices forward (stock cpu kernel), which names the
    // source pixel of every output pixel, and add each output gradient to its source.
    for (const backend of ["cpu", "wasm"] as const) {
      await tf.setBackend(backend);
      const cases = [
        { shape: [2, 3, 5, 2], size: [6, 10] },
        { shape: [3, 4, 3, 3], size: [7, 5] },
        { shape: [1, 5, 4, 1], size: [3, 9] },
      ];
      for (const [i, c] of cases.entries()) {
        const [n, h, w, ch] = c.shape as [number, number, number, number];
        const [oh, ow] = c.size as [number, number];
        for (const alignCorners of [false, true]) {
          for (const halfPixelCenters of alignCorners ? [false] : [false, true]) {
            const dyValues = random(n * oh * ow * ch, 130 + i);
            const index = tf.tensor4d(
              Array.from({ length: n * h * w }, (_, k) => k),
              [n, h, w, 1],
            );
            const sources = tf.image
              .resizeNearestNeighbor(index, [oh, ow], alignCorners, halfPixelCenters)
              .dataSync();
            const expected = new Float32Array(n * h * w * ch);
            sources.forEach((src, k) => {
              for (let q = 0; q < ch; q++)
                expected[src * ch + q] = expected[src * ch + q]! + dyValues[k * ch + q]!;
            });
            const images = tf.zeros(c.shape);
            const dy = tf.tensor(dyValues, [n, oh, ow, ch]);
            const attrs = { alignCorners, halfPixelCenters };
            const dx = tf
              .engine()
              .runKernel(tf.ResizeNearestNeighborGrad, { images, dy }, attrs) as tf.Tensor;
            const label = JSON.stringify({ backend, ...c, alignCorners, halfPixelCenters });
            Array.from(dx.dataSync()).forEach((v, j) =>
              expect(Math.abs(v - expected[j]!), label).toBeLessThan(1e-4),
            );
            tf.dispose([index, images, dy, dx]);
          }
        }
      }
    }
  });
});
