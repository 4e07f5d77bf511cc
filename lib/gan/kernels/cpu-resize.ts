// ResizeNearestNeighborGrad for the cpu backend. tfjs-backend-cpu 4.22's kernel reads the output
// gradient of every image after the first at the wrong offset (a 2-image ×2 upsampling of
// 0…31 gives [10, 18, 42, 50, 26, 34, 58, 66] instead of [10, 18, 42, 50, 74, 82, 106, 114]),
// so a resize-conv G trained on cpu got wrong gradients. Here every output-gradient pixel is
// added to the input pixel the forward resize copied it from, with the forward kernel's
// mapping (corner alignment, half-pixel centres), in scan order, in float32.
import * as tf from "@tensorflow/tfjs-core";

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** Source index of each output row (or column) in tfjs's nearest-neighbour resize. */
export function nearestSources(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): Int32Array {
  const effectiveIn = alignCorners && outSize > 1 ? inSize - 1 : inSize;
  const effectiveOut = alignCorners && outSize > 1 ? outSize - 1 : outSize;
  const ratio = effectiveIn / effectiveOut;
  const out = new Int32Array(outSize);
  for (let r = 0; r < outSize; r++) {
    const frac = halfPixelCenters ? ratio * (r + 0.5) : ratio * r;
    let src = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    if (halfPixelCenters) src = Math.max(0, src);
    out[r] = src;
  }
  return out;
}

export function resizeNearestNeighborGradCpu(args: KernelArgs): tf.TensorInfo {
  const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const { alignCorners, halfPixelCenters } = args.attrs as unknown as {
    alignCorners: boolean;
    halfPixelCenters: boolean;
  };
  const [n, H, W, C] = images.shape as [number, number, number, number];
  const [, dh, dw] = dy.shape as [number, number, number, number];
  const dys = (args.backend as tf.KernelBackend).readSync(dy.dataId) as Float32Array;
  const rows = nearestSources(H, dh, alignCorners, halfPixelCenters ?? false);
  const cols = nearestSources(W, dw, alignCorners, halfPixelCenters ?? false);
  const dx = new Float32Array(n * H * W * C);
  let k = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < dh; y++) {
      const row = (b * H + rows[y]!) * W;
      for (let x = 0; x < dw; x++) {
        const o = (row + cols[x]!) * C;
        for (let c = 0; c < C; c++) dx[o + c] = dx[o + c]! + dys[k++]!;
      }
    }
  }
  return tf.tensor4d(dx, [n, H, W, C]);
}
