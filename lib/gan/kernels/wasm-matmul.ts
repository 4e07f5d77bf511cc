// BatchMatMul for the wasm backend: the stock kernel sends every transposed product (and each
// matMul gradient is one) to a naive loop that is 3–5× slower than its XNNPACK path.
import type * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { simdKernels, transposePixels } from "./wasm-simd";

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

/** dst = srcᵀ for a [rows, cols] float32 tensor in the heap: SIMD blocks where the sizes allow. */
function transposeHeap(
  backend: BackendWasm,
  src: tf.TensorInfo,
  rows: number,
  cols: number,
  dst: tf.TensorInfo,
): void {
  if (rows % 4 === 0 && cols % 4 === 0 && simdKernels(backend)) {
    const off = (t: tf.TensorInfo) => (backend.dataIdMap.get(t.dataId)!.memoryOffset as number) / 4;
    transposePixels(backend, off(src), off(dst), rows, 1, cols);
    return;
  }
  transpose2d(
    backend.typedArrayFromHeap(src) as Float32Array,
    rows,
    cols,
    backend.typedArrayFromHeap(dst) as Float32Array,
  );
}

/**
 * Relative costs per element, measured in Node wasm: XNNPACK packs the right-hand operand of
 * every product again (its "weights", a strided gather, ~5 ns per value); a SIMD transpose in the
 * heap costs ~0.4 ns per value (the JS fallback ~1.5).
 */
const PACK = 5;
const TRANSPOSE = 0.4;

/**
 * BatchMatMul with transposeA/transposeB. For a single matrix pair with one operand transposed,
 * the product is computed either directly (that operand transposed here, then the stock
 * kernel's XNNPACK path) or as the transpose of the swapped product, (bᵀ·a)ᵀ = aᵀ·b and
 * (b·aᵀ)ᵀ = a·bᵀ, whichever packs less: dW = zᵀ·dy of G's dense layer packs 6.4 K instead of
 * 400 K values that way.
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
    const rank3 = a.shape.length === 3;
    const dims = (t: tf.TensorInfo) =>
      [t.shape[t.shape.length - 2]!, t.shape[t.shape.length - 1]!] as const;
    const flip = (t: tf.TensorInfo): tf.TensorInfo => {
      const [rows, cols] = dims(t);
      const out = backend.makeOutput(rank3 ? [1, cols, rows] : [cols, rows], "float32");
      transposeHeap(backend, t, rows, cols, out);
      return out;
    };
    const plain = (x: tf.TensorInfo, y: tf.TensorInfo) =>
      stock({
        ...args,
        inputs: { a: x, b: y },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
    if (attrs.transposeA !== attrs.transposeB) {
      // aᵀ·b with a [K, M], b [K, N], or a·bᵀ with a [M, K], b [N, K].
      const [ra, ca] = dims(a);
      const [rb, cb] = dims(b);
      const [K, M, N] = attrs.transposeA ? [ra, ca, cb] : [ca, ra, rb];
      const direct = attrs.transposeA
        ? TRANSPOSE * K * M + PACK * K * N // flip a, pack b
        : (TRANSPOSE + PACK) * K * N; // flip b, pack it
      const swapped = attrs.transposeA
        ? TRANSPOSE * K * N + PACK * K * M + TRANSPOSE * M * N // bᵀ·a, then ᵀ
        : TRANSPOSE * M * K + PACK * K * M + TRANSPOSE * M * N; // b·aᵀ, then ᵀ
      if (swapped < direct) {
        // Left operand of the swapped product: bᵀ [N, K] (aᵀ·b case) or b itself [N, K].
        const left = attrs.transposeA ? flip(b) : b;
        // Right operand: a [K, M] (aᵀ·b case) or aᵀ [K, M].
        const right = attrs.transposeA ? a : flip(a);
        try {
          const product = plain(left, right); // [N, M]
          try {
            return flip(product); // [M, N]
          } finally {
            backend.disposeData(product.dataId);
          }
        } finally {
          if (left !== b) backend.disposeData(left.dataId);
          if (right !== a) backend.disposeData(right.dataId);
        }
      }
    }
    const a2 = attrs.transposeA ? flip(a) : a;
    const b2 = attrs.transposeB ? flip(b) : b;
    try {
      return plain(a2, b2);
    } finally {
      if (a2 !== a) backend.disposeData(a2.dataId);
      if (b2 !== b) backend.disposeData(b2.dataId);
    }
  };
}
