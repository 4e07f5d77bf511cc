// The custom conv-gradient and tile kernels agree with tfjs's stock cpu kernels (the reference
// implementation) on random shapes: odd sizes, strides 1 and 2, 'same' and 'valid' padding.
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { isCustomKernel, registerCustomKernels } from "@/lib/gan/kernels";
import {
  conv2DBackpropFilterDilatedWasm,
  conv2DBackpropFilterIm2colWasm,
  conv2DBackpropInputPhasesWasm,
  conv2DBackpropInputStackedWasm,
} from "@/lib/gan/kernels/wasm-conv-grads";

const stock = {
  filter: tf.getKernel(tf.Conv2DBackpropFilter, "cpu")!.kernelFunc,
  input: tf.getKernel(tf.Conv2DBackpropInput, "cpu")!.kernelFunc,
  tile: tf.getKernel(tf.Tile, "cpu")!.kernelFunc,
};

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  stride: 1 | 2 | 3;
  pad: "same" | "valid";
  seed: number;
}

const convCase: fc.Arbitrary<ConvCase> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 9 }),
    width: fc.integer({ min: 1, max: 9 }),
    inChannels: fc.integer({ min: 1, max: 5 }),
    outChannels: fc.integer({ min: 1, max: 5 }),
    filterHeight: fc.integer({ min: 1, max: 5 }),
    filterWidth: fc.integer({ min: 1, max: 5 }),
    stride: fc.constantFrom(1 as const, 2 as const, 3 as const),
    pad: fc.constantFrom("same" as const, "valid" as const),
    seed: fc.integer({ min: 0, max: 1e6 }),
  })
  .filter((c) => c.pad === "same" || (c.height >= c.filterHeight && c.width >= c.filterWidth));

function random(size: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function shapes(c: ConvCase) {
  const x = [c.batch, c.height, c.width, c.inChannels] as [number, number, number, number];
  const filter = [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels] as [
    number,
    number,
    number,
    number,
  ];
  const info = tf.backend_util.computeConv2DInfo(x, filter, c.stride, 1, c.pad);
  return { x, filter, dy: info.outShape };
}

/** Runs a kernel function directly on the current backend and reads its output. */
function runDirect(
  kernel: tf.KernelFunc,
  inputs: Record<string, tf.Tensor>,
  attrs: tf.NamedAttrMap,
): Float32Array {
  const backend = tf.backend();
  const out = kernel({ inputs, backend, attrs }) as tf.TensorInfo;
  const values = backend.readSync(out.dataId) as Float32Array;
  if (out instanceof tf.Tensor) out.dispose();
  else backend.disposeData(out.dataId);
  return Float32Array.from(values);
}

function filterGrad(c: ConvCase, kernel?: tf.KernelFunc): Float32Array {
  const s = shapes(c);
  return tf.tidy(() => {
    const x = tf.tensor4d(random(tf.util.sizeFromShape(s.x), c.seed), s.x);
    const dy = tf.tensor4d(random(tf.util.sizeFromShape(s.dy), c.seed + 1), s.dy);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: "NHWC", filterShape: s.filter };
    if (kernel) return runDirect(kernel, { x, dy }, attrs);
    const out = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

function inputGrad(c: ConvCase, kernel?: tf.KernelFunc): Float32Array {
  const s = shapes(c);
  return tf.tidy(() => {
    const filter = tf.tensor4d(random(tf.util.sizeFromShape(s.filter), c.seed + 2), s.filter);
    const dy = tf.tensor4d(random(tf.util.sizeFromShape(s.dy), c.seed + 1), s.dy);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: "NHWC", inputShape: s.x };
    if (kernel) return runDirect(kernel, { dy, filter }, attrs);
    return tf.conv2dTranspose(dy, filter, s.x, c.stride, c.pad).dataSync() as Float32Array;
  });
}

/** A formulation called as the kernel function it is registered as. */
function wasmFormulation(
  f: (args: {
    inputs: tf.NamedTensorInfoMap;
    backend: unknown;
    attrs?: tf.NamedAttrMap;
  }) => tf.TensorInfo,
): tf.KernelFunc {
  return f as unknown as tf.KernelFunc;
}

function expectClose(actual: Float32Array, expected: Float32Array, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++)
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst, label).toBeLessThan(1e-4);
}

const WASM_DIR = path.resolve("node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep;

beforeAll(async () => {
  registerCustomKernels();
  setWasmPaths(WASM_DIR);
  expect(await tf.setBackend("wasm")).toBe(true);
});

describe("custom conv kernels", () => {
  it("registers kernels that replace the missing and slow ones, idempotently", () => {
    registerCustomKernels();
    for (const name of [tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput, tf.Tile]) {
      expect(isCustomKernel(name, "wasm")).toBe(true);
    }
    expect(isCustomKernel(tf.Conv2DBackpropFilter, "cpu")).toBe(true);
    expect(isCustomKernel(tf.MaxPool, "wasm")).toBe(false);
  });

  it("computes the filter gradient like the stock cpu kernel, on wasm and on cpu", async () => {
    const cases = fc.sample(convCase, { numRuns: 60, seed: 42 });
    for (const c of cases) {
      await tf.setBackend("cpu");
      const expected = filterGrad(c, stock.filter);
      const cpu = filterGrad(c);
      await tf.setBackend("wasm");
      const wasm = filterGrad(c);
      const label = JSON.stringify(c);
      expectClose(cpu, expected, `cpu ${label}`);
      expectClose(wasm, expected, `wasm ${label}`);
    }
  });

  it("computes the filter gradient exactly by each wasm formulation (dilated conv, im2col + matmul)", async () => {
    const cases = fc.sample(convCase, { numRuns: 60, seed: 43 });
    for (const c of cases) {
      await tf.setBackend("cpu");
      const expected = filterGrad(c, stock.filter);
      await tf.setBackend("wasm");
      const label = JSON.stringify(c);
      expectClose(
        filterGrad(c, wasmFormulation(conv2DBackpropFilterDilatedWasm)),
        expected,
        `dilated ${label}`,
      );
      expectClose(
        filterGrad(c, wasmFormulation(conv2DBackpropFilterIm2colWasm)),
        expected,
        `im2col ${label}`,
      );
    }
  });

  it("computes the input gradient exactly by each wasm formulation (phase convs, one stacked conv)", async () => {
    const cases = fc.sample(convCase, { numRuns: 60, seed: 8 });
    for (const c of cases) {
      await tf.setBackend("cpu");
      const expected = inputGrad(c, stock.input);
      await tf.setBackend("wasm");
      const label = JSON.stringify(c);
      expectClose(
        inputGrad(c, wasmFormulation(conv2DBackpropInputPhasesWasm)),
        expected,
        `phases ${label}`,
      );
      expectClose(
        inputGrad(c, wasmFormulation(conv2DBackpropInputStackedWasm)),
        expected,
        `stacked ${label}`,
      );
    }
  });

  it("computes the input gradient (conv2dTranspose) like the stock cpu kernel, on wasm and on cpu", async () => {
    const cases = fc.sample(convCase, { numRuns: 60, seed: 7 });
    for (const c of cases) {
      await tf.setBackend("cpu");
      const expected = inputGrad(c, stock.input);
      const cpu = inputGrad(c);
      await tf.setBackend("wasm");
      const wasm = inputGrad(c);
      const label = JSON.stringify(c);
      expectClose(cpu, expected, `cpu ${label}`);
      expectClose(wasm, expected, `wasm ${label}`);
    }
  });

  it("agrees on the GAN's layer shapes (batch 2), wide and narrow, for every formulation and the registered kernels", async () => {
    // Wide channel counts take the heap block copies that the small random shapes never reach.
    const layers: ConvCase[] = [
      {
        batch: 2,
        height: 14,
        width: 14,
        inChannels: 17,
        outChannels: 24,
        filterHeight: 5,
        filterWidth: 5,
        stride: 2,
        pad: "same",
        seed: 1,
      },
      {
        batch: 2,
        height: 14,
        width: 14,
        inChannels: 32,
        outChannels: 16,
        filterHeight: 4,
        filterWidth: 4,
        stride: 2,
        pad: "same",
        seed: 2,
      },
      {
        batch: 2,
        height: 28,
        width: 28,
        inChannels: 1,
        outChannels: 16,
        filterHeight: 5,
        filterWidth: 5,
        stride: 2,
        pad: "same",
        seed: 3,
      },
      {
        batch: 2,
        height: 28,
        width: 28,
        inChannels: 1,
        outChannels: 9,
        filterHeight: 4,
        filterWidth: 4,
        stride: 2,
        pad: "same",
        seed: 4,
      },
      {
        batch: 2,
        height: 13,
        width: 11,
        inChannels: 20,
        outChannels: 3,
        filterHeight: 3,
        filterWidth: 4,
        stride: 3,
        pad: "valid",
        seed: 5,
      },
    ];
    for (const c of layers) {
      await tf.setBackend("cpu");
      const expectedInput = inputGrad(c, stock.input);
      const expectedFilter = filterGrad(c, stock.filter);
      await tf.setBackend("wasm");
      const label = JSON.stringify(c);
      expectClose(inputGrad(c), expectedInput, `registered dx ${label}`);
      expectClose(filterGrad(c), expectedFilter, `registered dW ${label}`);
      for (const [name, f] of Object.entries({
        phases: conv2DBackpropInputPhasesWasm,
        stacked: conv2DBackpropInputStackedWasm,
      })) {
        expectClose(inputGrad(c, wasmFormulation(f)), expectedInput, `${name} ${label}`);
      }
      for (const [name, f] of Object.entries({
        dilated: conv2DBackpropFilterDilatedWasm,
        im2col: conv2DBackpropFilterIm2colWasm,
      })) {
        expectClose(filterGrad(c, wasmFormulation(f)), expectedFilter, `${name} ${label}`);
      }
    }
  });

  it("computes stride-1 convolutions with one output channel, and both their gradients, like the cpu backend", async () => {
    const singleCase = fc
      .record({
        batch: fc.integer({ min: 1, max: 3 }),
        height: fc.integer({ min: 1, max: 9 }),
        width: fc.integer({ min: 1, max: 9 }),
        inChannels: fc.integer({ min: 8, max: 20 }),
        outChannels: fc.constant(1),
        filterHeight: fc.integer({ min: 1, max: 5 }),
        filterWidth: fc.integer({ min: 1, max: 5 }),
        stride: fc.constant(1 as const),
        pad: fc.constantFrom("same" as const, "valid" as const),
        seed: fc.integer({ min: 0, max: 1e6 }),
      })
      .filter((c) => c.pad === "same" || (c.height >= c.filterHeight && c.width >= c.filterWidth));
    const forward = (c: ConvCase) => {
      const s = shapes(c);
      return tf.tidy(() => {
        const x = tf.tensor4d(random(tf.util.sizeFromShape(s.x), c.seed), s.x);
        const w = tf.tensor4d(random(tf.util.sizeFromShape(s.filter), c.seed + 2), s.filter);
        return tf.conv2d(x, w, 1, c.pad).dataSync() as Float32Array;
      });
    };
    for (const c of fc.sample(singleCase, { numRuns: 40, seed: 21 })) {
      await tf.setBackend("cpu");
      const expected = [forward(c), inputGrad(c, stock.input), filterGrad(c, stock.filter)];
      await tf.setBackend("wasm");
      const actual = [forward(c), inputGrad(c), filterGrad(c)];
      const label = JSON.stringify(c);
      ["forward", "dx", "dW"].forEach((what, i) =>
        expectClose(actual[i]!, expected[i]!, `${what} ${label}`),
      );
    }
  });
});
