// Stride-1 convolutions with ONE output channel on the wasm backend (a resize-conv generator's
// last layer: 64 channels → 1 image channel), forward and filter gradient. XNNPACK computes 8
// output channels per tile, so a 1-channel conv costs as much as an 8-channel one (~5 GFLOP/s
// instead of ~40), and its filter gradient (a dilated conv with one output channel) is worse.
// Here each becomes one well-shaped matrix product plus a cheap gather in the heap, with the
// T = fh·fw filter taps as the narrow dimension:
//   forward  P[m, t] = Σ_c x[m, c]·w[t, c]            (x [N·H·W, C] · w [C, T])
//            y[n, p, q] = Σ_t P[(n, p + i − top, q + j − left), t]
//   dW       dW[t, c] = Σ_m D[m, t]·x[m, c]            (xᵀ [C, N·H·W] · D, then transposed)
// where D[(n, u, v), t = (i, j)] = dy[n, u − i + top, v − j + left] (0 outside dy) is the
// output gradient each input pixel met through tap t. (The input gradient, D · w, measured
// slower than the backend's own conv of dy with the 1-input-channel filter, which is kept.)
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { convInfoFor, type ConvGradAttrs } from "./conv-geometry";
import { transposePixels } from "./wasm-simd";

type Info = tf.TensorInfo;
type ConvInfo = tf.backend_util.Conv2DInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function matMul(backend: BackendWasm, a: Info, b: Info): Info {
  const k = tf.getKernel(tf.BatchMatMul, "wasm");
  if (!k) throw new Error("expected tfjs-backend-wasm to register BatchMatMul");
  return k.kernelFunc({
    inputs: { a, b },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as Info;
}

function f32(backend: BackendWasm, t: Info): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

function view(t: Info, shape: number[]): Info {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/**
 * True for the convolutions this file handles: NHWC, stride 1, no dilation, 1 output channel,
 * ≥ 8 input channels and a small filter (P and D hold fh·fw values per pixel).
 */
export function isSingleOutput(info: ConvInfo): boolean {
  return (
    info.outChannels === 1 &&
    info.filterHeight * info.filterWidth <= 49 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.inChannels >= 8
  );
}

/** D [N·H·W, T]: the output gradient input pixel (n, u, v) met through tap t = (i, j). */
export function tapGradients(dy: Float32Array, info: ConvInfo, out: Float32Array): void {
  const { batchSize: n, inHeight: H, inWidth: W, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  let k = 0;
  for (let b = 0; b < n; b++) {
    for (let u = 0; u < H; u++) {
      for (let v = 0; v < W; v++) {
        for (let i = 0; i < fh; i++) {
          const p = u - i + top;
          if (p < 0 || p >= oh) {
            out.fill(0, k, k + fw);
            k += fw;
            continue;
          }
          const row = (b * oh + p) * ow;
          for (let j = 0; j < fw; j++) {
            const q = v - j + left;
            out[k++] = q >= 0 && q < ow ? dy[row + q]! : 0;
          }
        }
      }
    }
  }
}

export function conv2DSingleOutputWasm(args: KernelArgs): Info {
  const x = args.inputs.x as Info;
  const filter = args.inputs.filter as Info;
  const attrs = args.attrs as unknown as {
    strides: number | [number, number];
    pad: ConvGradAttrs["pad"];
    dilations: number | [number, number];
    dimRoundingMode?: "floor" | "round" | "ceil";
  };
  const backend = args.backend as BackendWasm;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
  const { batchSize: n, inHeight: H, inWidth: W, inChannels: C } = info;
  const { outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
  const T = fh * fw;
  const M = n * H * W;
  const wct = backend.makeOutput([1, C, T], "float32");
  {
    const w = f32(backend, filter);
    const dst = f32(backend, wct);
    for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) dst[c * T + t] = w[t * C + c]!;
  }
  const p = matMul(backend, view(x, [1, M, C]), wct);
  backend.disposeData(wct.dataId);
  const out = backend.makeOutput([n, oh, ow, 1], "float32");
  const src = f32(backend, p);
  const dst = f32(backend, out);
  const { top, left } = info.padInfo;
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let py = 0; py < oh; py++) {
      for (let px = 0; px < ow; px++) {
        let sum = 0;
        for (let i = 0; i < fh; i++) {
          const u = py + i - top;
          if (u < 0 || u >= H) continue;
          const row = (b * H + u) * W;
          for (let j = 0; j < fw; j++) {
            const v = px + j - left;
            if (v >= 0 && v < W) sum += src[(row + v) * T + i * fw + j]!;
          }
        }
        dst[o++] = sum;
      }
    }
  }
  backend.disposeData(p.dataId);
  return out;
}

export function conv2DBackpropFilterSingleWasm(args: KernelArgs): Info {
  const x = args.inputs.x as Info;
  const dy = args.inputs.dy as Info;
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: number[] };
  const info = convInfoFor(x.shape, attrs.filterShape, attrs, "Conv2DBackpropFilter");
  const backend = args.backend as BackendWasm;
  const T = info.filterHeight * info.filterWidth;
  const C = info.inChannels;
  const M = info.batchSize * info.inHeight * info.inWidth;
  const d = backend.makeOutput([1, M, T], "float32");
  const xt = backend.makeOutput([1, C, M], "float32");
  tapGradients(f32(backend, dy), info, f32(backend, d));
  const xo = (backend.dataIdMap.get(x.dataId)!.memoryOffset as number) / 4;
  const xto = (backend.dataIdMap.get(xt.dataId)!.memoryOffset as number) / 4;
  transposePixels(backend, xo, xto, M, 1, C);
  const r = matMul(backend, xt, d);
  backend.disposeData(xt.dataId);
  backend.disposeData(d.dataId);
  const out = backend.makeOutput(attrs.filterShape, "float32");
  const src = f32(backend, r);
  const dst = f32(backend, out);
  for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) dst[t * C + c] = src[c * T + t]!;
  backend.disposeData(r.dataId);
  return out;
}

/** Conv2D on wasm: one-output-channel stride-1 convs here, everything else the stock kernel. */
export function makeConv2DWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as Info;
    const filter = args.inputs.filter as Info;
    const attrs = args.attrs as unknown as {
      strides: number | [number, number];
      pad: ConvGradAttrs["pad"];
      dilations?: number | [number, number];
      dataFormat?: string;
      dimRoundingMode?: "floor" | "round" | "ceil";
    };
    if (
      x.dtype !== "float32" ||
      x.shape.length !== 4 ||
      filter.shape.length !== 4 ||
      (attrs.dataFormat !== undefined && attrs.dataFormat !== "NHWC")
    ) {
      return stock(args);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      "channelsLast",
    );
    return isSingleOutput(info)
      ? conv2DSingleOutputWasm(args as KernelArgs)
      : (stock(args) as Info);
  };
}
