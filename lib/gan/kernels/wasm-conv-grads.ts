// Conv gradients for the wasm backend, built from its XNNPACK Conv2D (the fast kernel it has).
// tfjs-backend-wasm 4.22 ships no Conv2DBackpropFilter and a naive-loop Conv2DBackpropInput.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { asTensor, convInfoFor, type ConvGradAttrs } from "./conv-geometry";

type T4 = tf.Tensor4D;

/**
 * dW[i,j,ci,co] = Σ_{n,p,q} x[n, p·s+i−top, q·s+j−left, ci] · dy[n,p,q,co].
 * Read with ci as the batch and n as the channel, that is a stride-1 conv of xᵀ [Ci,H,W,N]
 * with the filter dyᵀ [Ho,Wo,N,Co] dilated by the stride; the first fh×fw outputs are dW.
 */
export function conv2DBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const x = asTensor<tf.Rank.R4>(args.inputs.x as tf.TensorInfo, "x");
  const dy = asTensor<tf.Rank.R4>(args.inputs.dy as tf.TensorInfo, "dy");
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: number[] };
  const info = convInfoFor(x.shape, attrs.filterShape, attrs, "Conv2DBackpropFilter");
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { inHeight, inWidth, outHeight, outWidth, inChannels, outChannels } = info;
  const { top, left } = info.padInfo;
  // Pad the far side just enough for fh×fw outputs; extra input rows are simply not reached.
  const bottom = Math.max(0, fh - inHeight - top + (outHeight - 1) * sh);
  const right = Math.max(0, fw - inWidth - left + (outWidth - 1) * sw);
  return tf.tidy(() => {
    const xt = tf.transpose(x, [3, 1, 2, 0]);
    const dyt = tf.transpose(dy, [1, 2, 0, 3]);
    const full = tf.conv2d(
      xt,
      dyt,
      1,
      [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      "NHWC",
      [sh, sw],
    );
    const cropped = tf.slice(full, [0, 0, 0, 0], [inChannels, fh, fw, outChannels]);
    return tf.transpose(cropped, [1, 2, 0, 3]);
  });
}

/** One axis of the sub-pixel decomposition: which rows a phase produces and how to pad. */
interface PhaseAxis {
  /** Sub-filter length along this axis (0 when the filter is shorter than the stride). */
  taps: number;
  /** First index of the sub-filter in the spatially reversed filter. */
  offset: number;
  /** Rows of dx this phase yields. */
  length: number;
  padBefore: number;
  padAfter: number;
  /** Leading rows of the conv output to drop. */
  crop: number;
}

/**
 * Output row h of the transposed conv gets contributions from filter rows i ≡ (h+top) mod s only.
 * For phase q (rows h = q, q+s, …) with r = (top+q) mod s and m = (h+top−r)/s:
 *   dx[h] = Σ_k dy[m−k] · W[r+s·k],
 * a stride-1 correlation of dy with the reversed sub-filter W[r], W[r+s], … .
 */
function phaseAxis(
  q: number,
  s: number,
  f: number,
  pad: number,
  inSize: number,
  outSize: number,
): PhaseAxis {
  const r = (pad + q) % s;
  const taps = r < f ? Math.ceil((f - r) / s) : 0;
  const length = q < inSize ? Math.ceil((inSize - q) / s) : 0;
  const mStart = (q + pad - r) / s;
  const wantBefore = taps - 1 - mStart;
  const padBefore = Math.max(0, wantBefore);
  const crop = padBefore - wantBefore;
  const padAfter = Math.max(0, crop + length - outSize - padBefore + taps - 1);
  return { taps, offset: f - 1 - r - s * (taps - 1), length, padBefore, padAfter, crop };
}

/**
 * The phase's forward filter [tapsH, tapsW, Co, Ci]: filter rows r, r+s, … taken in reverse
 * order, input and output channels swapped (dy has Co channels, dx has Ci).
 */
function subFilter(
  w: Float32Array,
  fh: number,
  fw: number,
  ci: number,
  co: number,
  ah: PhaseAxis,
  aw: PhaseAxis,
  sh: number,
  sw: number,
): T4 {
  const out = new Float32Array(ah.taps * aw.taps * co * ci);
  let k = 0;
  for (let th = 0; th < ah.taps; th++) {
    const i = fh - 1 - ah.offset - sh * th;
    for (let tw = 0; tw < aw.taps; tw++) {
      const j = fw - 1 - aw.offset - sw * tw;
      const base = (i * fw + j) * ci * co;
      for (let o = 0; o < co; o++) {
        for (let c = 0; c < ci; c++) out[k++] = w[base + c * co + o]!;
      }
    }
  }
  return tf.tensor4d(out, [ah.taps, aw.taps, co, ci]);
}

export function conv2DBackpropInputWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const dy = asTensor<tf.Rank.R4>(args.inputs.dy as tf.TensorInfo, "dy");
  const filter = asTensor<tf.Rank.R4>(args.inputs.filter as tf.TensorInfo, "filter");
  const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: number[] };
  const info = convInfoFor(attrs.inputShape, filter.shape, attrs, "Conv2DBackpropInput");
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { batchSize, inHeight, inWidth, inChannels, outChannels } = info;
  const { top, left } = info.padInfo;
  const axesH = Array.from({ length: sh }, (_, q) =>
    phaseAxis(q, sh, fh, top, inHeight, info.outHeight),
  );
  const axesW = Array.from({ length: sw }, (_, q) =>
    phaseAxis(q, sw, fw, left, inWidth, info.outWidth),
  );
  const backend = args.backend as BackendWasm;
  // Sub-filters are cut from the filter in JS: the stock Reverse/StridedSlice kernels are slow.
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  const phases: (T4 | null)[][] = [];
  tf.tidy(() => {
    const computed = axesH.map((ah) =>
      axesW.map((aw): T4 | null => {
        if (ah.taps === 0 || aw.taps === 0 || ah.length === 0 || aw.length === 0) return null;
        const sub = subFilter(w, fh, fw, inChannels, outChannels, ah, aw, sh, sw);
        const full = tf.conv2d(dy, sub, 1, [
          [0, 0],
          [ah.padBefore, ah.padAfter],
          [aw.padBefore, aw.padAfter],
          [0, 0],
        ]);
        const exact =
          ah.crop === 0 &&
          aw.crop === 0 &&
          full.shape[1] === ah.length &&
          full.shape[2] === aw.length;
        return tf.keep(
          exact
            ? full
            : tf.slice(
                full,
                [0, ah.crop, aw.crop, 0],
                [batchSize, ah.length, aw.length, inChannels],
              ),
        );
      }),
    );
    phases.push(...computed);
  });
  if (sh === 1 && sw === 1) {
    return phases[0]?.[0] ?? tf.zeros(info.inShape);
  }
  // Interleave the phases straight in the wasm heap: the stock Pad/Pack/Transpose kernels that
  // would do it cost more than the convolutions themselves.
  const out = backend.makeOutput(info.inShape, "float32");
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const rowStride = inWidth * inChannels;
  for (let qh = 0; qh < sh; qh++) {
    const ah = axesH[qh]!;
    for (let qw = 0; qw < sw; qw++) {
      const aw = axesW[qw]!;
      const phase = phases[qh]![qw];
      const src = phase ? (backend.typedArrayFromHeap(phase) as Float32Array) : null;
      for (let n = 0; n < batchSize; n++) {
        for (let m = 0; m < ah.length; m++) {
          const rowOut = (n * inHeight + qh + sh * m) * rowStride;
          for (let mw = 0; mw < aw.length; mw++) {
            const o = rowOut + (qw + sw * mw) * inChannels;
            if (src) {
              const i = ((n * ah.length + m) * aw.length + mw) * inChannels;
              // Long channel runs copy natively; short ones are cheaper element by element.
              if (inChannels >= 8) dst.set(src.subarray(i, i + inChannels), o);
              else for (let c = 0; c < inChannels; c++) dst[o + c] = src[i + c]!;
            } else {
              dst.fill(0, o, o + inChannels);
            }
          }
        }
      }
    }
  }
  tf.dispose(phases.flat().filter((t): t is T4 => t !== null));
  return out;
}
