// Conv gradients for the cpu backend as plain loops whose innermost loop runs over contiguous
// channels. The stock Conv2DBackpropFilter walks a TensorBuffer element by element (~72 s for
// D's 5×5×64×128 layer at batch 64); these take well under a second.
import * as tf from "@tensorflow/tfjs-core";
import { convInfoFor, type ConvGradAttrs } from "./conv-geometry";

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function floats(backend: unknown, info: tf.TensorInfo, name: string): Float32Array {
  const values = (backend as tf.KernelBackend).readSync(info.dataId);
  if (!(values instanceof Float32Array)) {
    throw new Error(`expected ${name} to be float32, got ${info.dtype}`);
  }
  return values;
}

export function conv2DBackpropFilterCpu(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: number[] };
  const info = convInfoFor(x.shape, attrs.filterShape, attrs, "Conv2DBackpropFilter");
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels: ci,
    outHeight,
    outWidth,
    outChannels: co,
  } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const xs = floats(args.backend, x, "x");
  const dys = floats(args.backend, dy, "dy");
  const dW = new Float32Array(fh * fw * ci * co);
  for (let n = 0; n < batchSize; n++) {
    for (let p = 0; p < outHeight; p++) {
      for (let q = 0; q < outWidth; q++) {
        const dyOff = ((n * outHeight + p) * outWidth + q) * co;
        for (let i = 0; i < fh; i++) {
          const h = p * sh + i - top;
          if (h < 0 || h >= inHeight) continue;
          for (let j = 0; j < fw; j++) {
            const w = q * sw + j - left;
            if (w < 0 || w >= inWidth) continue;
            const xOff = ((n * inHeight + h) * inWidth + w) * ci;
            const wOff = (i * fw + j) * ci * co;
            for (let c = 0; c < ci; c++) {
              const xv = xs[xOff + c] as number;
              if (xv === 0) continue;
              const base = wOff + c * co;
              for (let o = 0; o < co; o++) dW[base + o]! += xv * dys[dyOff + o]!;
            }
          }
        }
      }
    }
  }
  return tf.tensor4d(dW, [fh, fw, ci, co]);
}

export function conv2DBackpropInputCpu(args: KernelArgs): tf.TensorInfo {
  const dy = args.inputs.dy as tf.TensorInfo;
  const filter = args.inputs.filter as tf.TensorInfo;
  const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: number[] };
  const info = convInfoFor(attrs.inputShape, filter.shape, attrs, "Conv2DBackpropInput");
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels: ci,
    outHeight,
    outWidth,
    outChannels: co,
  } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const dys = floats(args.backend, dy, "dy");
  const ws = floats(args.backend, filter, "filter");
  const dx = new Float32Array(batchSize * inHeight * inWidth * ci);
  for (let n = 0; n < batchSize; n++) {
    for (let p = 0; p < outHeight; p++) {
      for (let q = 0; q < outWidth; q++) {
        const dyOff = ((n * outHeight + p) * outWidth + q) * co;
        for (let i = 0; i < fh; i++) {
          const h = p * sh + i - top;
          if (h < 0 || h >= inHeight) continue;
          for (let j = 0; j < fw; j++) {
            const w = q * sw + j - left;
            if (w < 0 || w >= inWidth) continue;
            const xOff = ((n * inHeight + h) * inWidth + w) * ci;
            const wOff = (i * fw + j) * ci * co;
            for (let c = 0; c < ci; c++) {
              const base = wOff + c * co;
              let acc = 0;
              for (let o = 0; o < co; o++) acc += ws[base + o]! * dys[dyOff + o]!;
              dx[xOff + c]! += acc;
            }
          }
        }
      }
    }
  }
  return tf.tensor4d(dx, info.inShape);
}
