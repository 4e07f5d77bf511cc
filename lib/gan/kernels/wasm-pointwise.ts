// LeakyRelu and its gradient for the wasm backend, by the SIMD loops of ./wasm-simd where the
// module builds, else branch-free in JS over the wasm heap; FusedBatchNorm by SIMD.
// The stock kernels test the sign with a branch per element (LeakyRelu; the gradient is
// Greater + Multiply + Select, three passes); on activations, whose signs are random, every
// other branch is mispredicted: ~4.5 ns per element. Picking the factor by the sign from the
// float's bits takes ~1 ns (measured in Node: 1.5 vs 7.2 ms for 1.6 M values), bit-identical.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { simdKernels } from "./wasm-simd";
import { nearestSources } from "./cpu-resize";

/** Our fused gradient kernel: dx = x > 0 ? dy : alpha·dy. Registered on wasm only. */
export const LEAKY_RELU_GRAD = "SpotTheFakeLeakyReluGrad";

interface Heap {
  f32: Float32Array;
  i32: Int32Array;
}

function heap(backend: BackendWasm): Heap {
  const buffer = (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer;
  return { f32: new Float32Array(buffer), i32: new Int32Array(buffer) };
}

function offset(backend: BackendWasm, t: tf.TensorInfo): number {
  return (backend.dataIdMap.get(t.dataId)!.memoryOffset as number) / 4;
}

/**
 * LeakyRelu: out[i] = x[i] < 0 ? alpha·x[i] : x[i]. "x < 0" is read from x's bits as a signed
 * integer b: the sign bit (b >>> 31) set and a nonzero magnitude (m = b & 0x7fffffff; m + 2³¹ − 1
 * reaches 2³¹ exactly when m ≥ 1), so −0 stays −0. The factor, 1 or alpha, is picked by index:
 * no branch. The float64 product of two float32s is exact, so its one rounding to float32 on
 * store equals float32 multiplication: bit-identical to the stock kernel.
 */
export function leakyReluInto(h: Heap, x: number, out: number, size: number, alpha: number): void {
  const factor = new Float32Array([1, alpha]);
  const { f32, i32 } = h;
  for (let i = 0; i < size; i++) {
    const b = i32[x + i]!;
    f32[out + i] = f32[x + i]! * factor[(b >>> 31) & (((b & 0x7fffffff) + 0x7fffffff) >>> 31)]!;
  }
}

/**
 * LeakyRelu's gradient: out[i] = x[i] > 0 ? dy[i] : alpha·dy[i]. Positive floats are positive
 * integers, +0 is 0 and every negative float (and −0) has the sign bit set, so
 * ((b − 1) | b) >>> 31 is 1 exactly when x ≤ 0. Bit-identical to tfjs-core's
 * where(greater(x, 0), dy, mul(dy, alpha)) (NaN inputs aside, whose sign the comparison ignores).
 */
export function leakyReluGradInto(
  h: Heap,
  x: number,
  dy: number,
  out: number,
  size: number,
  alpha: number,
): void {
  const factor = new Float32Array([1, alpha]);
  const { f32, i32 } = h;
  for (let i = 0; i < size; i++) {
    const b = i32[x + i]!;
    f32[out + i] = f32[dy + i]! * factor[((b - 1) | b) >>> 31]!;
  }
}

export function makeLeakyReluWasm(stock: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype !== "float32") {
      if (!stock) throw new Error(`LeakyRelu on wasm: unsupported dtype ${x.dtype}`);
      return stock(args);
    }
    const backend = args.backend as BackendWasm;
    const alpha = (args.attrs as unknown as tf.LeakyReluAttrs).alpha;
    const out = backend.makeOutput(x.shape, "float32");
    const size = tf.util.sizeFromShape(x.shape);
    const xo = offset(backend, x);
    const oo = offset(backend, out);
    const simd = simdKernels(backend);
    // SIMD for whole groups of 4, JS for the rest (and everything without SIMD).
    const done = simd ? size - (size % 4) : 0;
    if (done > 0) simd!.leakyRelu(xo * 4, oo * 4, done, alpha);
    leakyReluInto(heap(backend), xo + done, oo + done, size - done, alpha);
    return out;
  };
}

export const leakyReluGradWasm: tf.KernelFunc = (args) => {
  const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const backend = args.backend as BackendWasm;
  const alpha = (args.attrs as unknown as tf.LeakyReluAttrs).alpha;
  const out = backend.makeOutput(x.shape, "float32");
  const size = tf.util.sizeFromShape(x.shape);
  const [xo, go, oo] = [offset(backend, x), offset(backend, dy), offset(backend, out)];
  const simd = simdKernels(backend);
  const done = simd ? size - (size % 4) : 0;
  if (done > 0) simd!.leakyReluGrad(xo * 4, go * 4, oo * 4, done, alpha);
  leakyReluGradInto(heap(backend), xo + done, go + done, oo + done, size - done, alpha);
  return out;
};

/**
 * LeakyRelu's gradient as tfjs-core defines it (where(x > 0, dy, dy·alpha)), computed by the
 * fused wasm kernel when wasm is the active backend and both tensors are float32.
 */
export const leakyReluGradConfig: tf.GradConfig = {
  kernelName: tf.LeakyRelu,
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const alpha = (attrs as unknown as tf.LeakyReluAttrs).alpha;
    const g = dy as tf.Tensor;
    return {
      x: () =>
        tf.getBackend() === "wasm" &&
        g.dtype === "float32" &&
        x.dtype === "float32" &&
        tf.util.arraysEqual(g.shape, x.shape) &&
        tf.getKernel(LEAKY_RELU_GRAD, "wasm")
          ? (tf.engine().runKernel(LEAKY_RELU_GRAD, { dy: g, x }, { alpha }) as tf.Tensor)
          : tf.where(tf.greater(x, 0), g, tf.mul(g, alpha)),
    };
  },
};

/**
 * Identity that shares the input's memory (reference counted), as the cpu backend's Identity and
 * the wasm Reshape do; the stock wasm kernel copies every value (~4 ms per baseline step). No
 * wasm kernel writes into an input, so sharing is safe.
 */
export function makeIdentityWasm(stock: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string") {
      if (!stock) throw new Error("Identity on wasm: no stock kernel for strings");
      return stock(args);
    }
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/**
 * FusedBatchNorm by SIMD when every statistic is a per-channel vector over the last axis and the
 * channel count is a multiple of 4 (the stock kernel otherwise). The stock kernel computes
 * offset + (x − mean)·scale / sqrt(variance + ε) per element with a scalar division (measured:
 * the product rounded to float32, the division and the sum in float64, one rounding at the
 * end). Here the square roots are taken once per channel (float32 sqrt is correctly rounded,
 * as is Math.sqrt of a float32 rounded back) and the rest runs in SIMD lanes with the same
 * roundings: bit-identical. Absent scale and offset become vectors of 1 and 0, which the stock
 * defaults also multiply and add.
 */
export function makeFusedBatchNormWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const {
      x,
      mean,
      variance,
      offset: beta,
      scale,
    } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const backend = args.backend as BackendWasm;
    const simd = simdKernels(backend);
    if (!simd || !x || !mean || !variance || x.dtype !== "float32") return stock(args);
    const c = x.shape[x.shape.length - 1] ?? 0;
    const size = tf.util.sizeFromShape(x.shape);
    const perChannel = (t: tf.TensorInfo | undefined) =>
      t === undefined || (t.dtype === "float32" && tf.util.sizeFromShape(t.shape) === c);
    if (c === 0 || c % 4 !== 0 || size === 0 || ![mean, variance, beta, scale].every(perChannel)) {
      return stock(args);
    }
    const eps = Math.fround((args.attrs as unknown as { varianceEpsilon: number }).varianceEpsilon);
    const scratch = backend.makeOutput([3 * c], "float32");
    const out = backend.makeOutput(x.shape, "float32");
    // Views after every allocation (an allocation may grow the heap).
    const { f32 } = heap(backend);
    const so = offset(backend, scratch);
    const vo = offset(backend, variance);
    for (let i = 0; i < c; i++) {
      f32[so + i] = Math.sqrt(Math.fround(f32[vo + i]! + eps));
    }
    f32.fill(1, so + c, so + 2 * c);
    f32.fill(0, so + 2 * c, so + 3 * c);
    simd.batchNorm(
      offset(backend, x) * 4,
      offset(backend, out) * 4,
      size / c,
      c,
      offset(backend, mean) * 4,
      so * 4,
      (scale ? offset(backend, scale) : so + c) * 4,
      (beta ? offset(backend, beta) : so + 2 * c) * 4,
    );
    backend.disposeData(scratch.dataId);
    return out;
  };
}

/**
 * The gradient of a nearest-neighbour ×2 upsampling (a resize-conv G's tf.layers.upSampling2d):
 * each input pixel sums the 2×2 block of output gradients it was copied to, in the order the
 * stock kernel adds them (row by row, from 0), float32 after each addition: bit-identical. The
 * stock kernel works out every pixel's window from the scales (~19 ms per classroom step with a
 * resize-conv G). Other sizes scatter each output gradient to its source pixel by the forward
 * mapping (the stock kernel ignores halfPixelCenters).
 */
export function makeResizeNearestNeighborGradWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
    const { alignCorners, halfPixelCenters } = args.attrs as unknown as {
      alignCorners: boolean;
      halfPixelCenters?: boolean;
    };
    if (dy.dtype !== "float32" || images.shape.length !== 4) return stock(args);
    const [n, H, W, C] = images.shape as [number, number, number, number];
    const [dn, dh, dw, dc] = dy.shape as [number, number, number, number];
    if (dn !== n || dc !== C) return stock(args);
    const backend = args.backend as BackendWasm;
    if (alignCorners || dh !== 2 * H || dw !== 2 * W) {
      // Any other resize: scatter by the forward mapping (the stock wasm kernel ignores
      // halfPixelCenters).
      const rows = nearestSources(H, dh, alignCorners, halfPixelCenters ?? false);
      const cols = nearestSources(W, dw, alignCorners, halfPixelCenters ?? false);
      const out = backend.makeOutput(images.shape, "float32");
      const { f32 } = heap(backend);
      const oo = offset(backend, out);
      f32.fill(0, oo, oo + n * H * W * C);
      let k = offset(backend, dy);
      for (let b = 0; b < n; b++) {
        for (let y = 0; y < dh; y++) {
          const row = (b * H + rows[y]!) * W;
          for (let x = 0; x < dw; x++) {
            const o = oo + (row + cols[x]!) * C;
            for (let c = 0; c < C; c++) f32[o + c] = f32[o + c]! + f32[k++]!;
          }
        }
      }
      return out;
    }
    const out = backend.makeOutput(images.shape, "float32");
    const { f32 } = heap(backend);
    const src = offset(backend, dy);
    let dst = offset(backend, out);
    const rowIn = dw * C;
    const f = Math.fround;
    for (let r = 0; r < n * H; r++) {
      const top = src + 2 * r * rowIn;
      const bottom = top + rowIn;
      for (let w = 0; w < W; w++) {
        const a = top + 2 * w * C;
        const b = bottom + 2 * w * C;
        for (let c = 0; c < C; c++) {
          f32[dst++] = f(
            f(f(f(0 + f32[a + c]!) + f32[a + C + c]!) + f32[b + c]!) + f32[b + C + c]!,
          );
        }
      }
    }
    return out;
  };
}

/**
 * Nearest-neighbour ×2 upsampling (a resize-conv G's tf.layers.upSampling2d, no corner
 * alignment, no half-pixel centres): every pixel copied to a 2×2 block by block copies in the
 * heap. The stock kernel computes each output pixel's source from the scales.
 */
export function makeResizeNearestNeighborWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const images = args.inputs.images as tf.TensorInfo;
    const { alignCorners, halfPixelCenters, size } = args.attrs as unknown as {
      alignCorners: boolean;
      halfPixelCenters: boolean;
      size: [number, number];
    };
    if (
      alignCorners ||
      halfPixelCenters ||
      images.dtype !== "float32" ||
      images.shape.length !== 4
    ) {
      return stock(args);
    }
    const [n, H, W, C] = images.shape as [number, number, number, number];
    if (size[0] !== 2 * H || size[1] !== 2 * W || n * H * W * C === 0) return stock(args);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput([n, 2 * H, 2 * W, C], "float32");
    const { f32 } = heap(backend);
    let src = offset(backend, images);
    let dst = offset(backend, out);
    const rowOut = 2 * W * C;
    for (let r = 0; r < n * H; r++) {
      for (let w = 0; w < W; w++, src += C) {
        f32.copyWithin(dst + 2 * w * C, src, src + C);
        f32.copyWithin(dst + (2 * w + 1) * C, src, src + C);
      }
      f32.copyWithin(dst + rowOut, dst, dst + rowOut);
      dst += 2 * rowOut;
    }
    return out;
  };
}
