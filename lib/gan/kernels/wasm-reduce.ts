// Sum and Mean for the wasm backend when they reduce the leading axes (batchnorm statistics
// and gradients, bias gradients: NHWC reduced over N, H, W). The stock kernels first transpose
// the input so the reduced axes come last, then sum with a scalar loop (~1.7 ms for 0.8 M
// values). Here x [R, C] is read as an image [1, R, 1, C] and averaged by the backend's XNNPACK
// average pooling with one R×1 window, SIMD across channels (~0.2 ms); Sum scales the mean by R.
// A matmul with a row of ones would be as fast on cached weights, but XNNPACK repacks the
// "weights" (here x, new every call) each time, which made it slower than the stock kernel.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** R and C when `axes` are exactly the leading axes 0…k−1 of `shape` (k < rank); else null. */
export function leadingReduction(
  shape: readonly number[],
  axis: number | number[],
): { rows: number; cols: number; k: number } | null {
  const axes = tf.util.parseAxisParam(axis, shape as number[]);
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  const k = sorted.length;
  if (k === 0 || k >= shape.length || sorted.some((a, i) => a !== i)) return null;
  const rows = tf.util.sizeFromShape(shape.slice(0, k) as number[]);
  const cols = tf.util.sizeFromShape(shape.slice(k) as number[]);
  return { rows, cols, k };
}

function makeReduceWasm(stock: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const plan = x.dtype === "float32" ? leadingReduction(x.shape, axis) : null;
    if (!plan || plan.rows === 0 || plan.cols === 0) return stock(args);
    const backend = args.backend as BackendWasm;
    const out = (
      plan.rows === 1
        ? tf.getKernel(tf.Identity, "wasm")!.kernelFunc({ inputs: { x }, backend, attrs: {} })
        : tf.getKernel(tf.AvgPool, "wasm")!.kernelFunc({
            inputs: {
              x: { dataId: x.dataId, shape: [1, plan.rows, 1, plan.cols], dtype: "float32" },
            },
            backend,
            attrs: { filterSize: [plan.rows, 1], strides: 1, pad: "valid" },
          })
    ) as tf.TensorInfo;
    if (!mean && plan.rows > 1) {
      const values = backend.typedArrayFromHeap(out) as Float32Array;
      for (let c = 0; c < plan.cols; c++) values[c] = values[c]! * plan.rows;
    }
    const rest = x.shape.slice(plan.k);
    const shape = keepDims ? [...new Array<number>(plan.k).fill(1), ...rest] : rest;
    return { dataId: out.dataId, shape, dtype: "float32" };
  };
}

export function makeSumWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return makeReduceWasm(stock, false);
}

export function makeMeanWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return makeReduceWasm(stock, true);
}
