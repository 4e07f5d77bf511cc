// Conv gradients for the wasm backend, built from its XNNPACK Conv2D (the fast kernel it has).
// tfjs-backend-wasm 4.22 ships no Conv2DBackpropFilter and a naive-loop Conv2DBackpropInput.
import * as tf from "@tensorflow/tfjs-core";
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

export function conv2DBackpropInputWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const dy = asTensor<tf.Rank.R4>(args.inputs.dy as tf.TensorInfo, "dy");
  const filter = asTensor<tf.Rank.R4>(args.inputs.filter as tf.TensorInfo, "filter");
  const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: number[] };
  const info = convInfoFor(attrs.inputShape, filter.shape, attrs, "Conv2DBackpropInput");
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  return tf.tidy(() => {
    // [fh,fw,Ci,Co] → reversed in space, channels swapped: a forward filter from dy to dx.
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as T4;
    const rowsH = Math.ceil(inHeight / sh);
    const colsW = Math.ceil(inWidth / sw);
    const phases: T4[] = [];
    for (let qh = 0; qh < sh; qh++) {
      const ah = phaseAxis(qh, sh, fh, top, inHeight, outHeight);
      for (let qw = 0; qw < sw; qw++) {
        const aw = phaseAxis(qw, sw, fw, left, inWidth, outWidth);
        let phase: T4;
        if (ah.taps === 0 || aw.taps === 0 || ah.length === 0 || aw.length === 0) {
          phase = tf.zeros([batchSize, ah.length, aw.length, inChannels]);
        } else {
          const sub =
            sh === 1 && sw === 1
              ? flipped
              : tf.stridedSlice(
                  flipped,
                  [ah.offset, aw.offset, 0, 0],
                  [fh, fw, outChannels, inChannels],
                  [sh, sw, 1, 1],
                );
          const full = tf.conv2d(dy, sub as T4, 1, [
            [0, 0],
            [ah.padBefore, ah.padAfter],
            [aw.padBefore, aw.padAfter],
            [0, 0],
          ]);
          phase =
            ah.crop === 0 &&
            aw.crop === 0 &&
            full.shape[1] === ah.length &&
            full.shape[2] === aw.length
              ? full
              : tf.slice(
                  full,
                  [0, ah.crop, aw.crop, 0],
                  [batchSize, ah.length, aw.length, inChannels],
                );
        }
        if (sh === 1 && sw === 1) return phase;
        phases.push(
          tf.pad(phase, [
            [0, 0],
            [0, rowsH - ah.length],
            [0, colsW - aw.length],
            [0, 0],
          ]),
        );
      }
    }
    // [sh·sw, N, rowsH, colsW, Ci] → [N, rowsH, sh, colsW, sw, Ci] interleaves the phases.
    const stacked = tf.reshape(tf.stack(phases), [sh, sw, batchSize, rowsH, colsW, inChannels]);
    const woven = tf.reshape(tf.transpose(stacked, [2, 3, 0, 4, 1, 5]), [
      batchSize,
      rowsH * sh,
      colsW * sw,
      inChannels,
    ]);
    return rowsH * sh === inHeight && colsW * sw === inWidth
      ? woven
      : tf.slice(woven, [0, 0, 0, 0], [batchSize, inHeight, inWidth, inChannels]);
  });
}
