// BatchMatMul for the wasm backend: the stock kernel sends every transposed product (and each
// matMul gradient is one) to a naive loop that is 3–5× slower than its XNNPACK path.
import type * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** Transposes the last two axes of a [rows, cols] (or [1, rows, cols]) float32 heap view. */
function transpose2d(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(i0 + B, rows);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(j0 + B, cols);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) dst[j * rows + i] = src[i * cols + j]!;
      }
    }
  }
}

/**
 * BatchMatMul with transposeA/transposeB. For a single matrix pair the operands are transposed
 * here (a blocked copy) and the product takes the stock kernel's XNNPACK path.
 */
export function makeBatchMatMulWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const a = args.inputs.a as tf.TensorInfo;
    const b = args.inputs.b as tf.TensorInfo;
    const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
    const single = (t: tf.TensorInfo) =>
      t.shape.length === 2 || (t.shape.length === 3 && t.shape[0] === 1);
    if (
      (!attrs.transposeA && !attrs.transposeB) ||
      !single(a) ||
      !single(b) ||
      a.dtype !== "float32" ||
      b.dtype !== "float32"
    ) {
      return stock(args);
    }
    const backend = args.backend as BackendWasm;
    const flip = (t: tf.TensorInfo): tf.TensorInfo => {
      const rows = t.shape[t.shape.length - 2]!;
      const cols = t.shape[t.shape.length - 1]!;
      const out = backend.makeOutput(
        t.shape.length === 3 ? [1, cols, rows] : [cols, rows],
        "float32",
      );
      transpose2d(
        backend.typedArrayFromHeap(t) as Float32Array,
        rows,
        cols,
        backend.typedArrayFromHeap(out) as Float32Array,
      );
      return out;
    };
    const a2 = attrs.transposeA ? flip(a) : a;
    const b2 = attrs.transposeB ? flip(b) : b;
    try {
      return stock({
        ...args,
        inputs: { a: a2, b: b2 },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      if (a2 !== a) backend.disposeData(a2.dataId);
      if (b2 !== b) backend.disposeData(b2.dataId);
    }
  };
}
