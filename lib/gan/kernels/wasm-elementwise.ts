// Add, Sub, Multiply, RealDiv, Square and Sqrt on float32 for the wasm backend, by the SIMD
// loops of ./wasm-simd on the calling thread, when the operands have the same shape or one is a
// single value (every Adam update, most of the batchnorm gradient). The stock kernels are
// XNNPACK's, just as fast per element, but each call is handed to the thread pool; a training
// step makes ~150 such calls, and on a machine whose cores are busy with other processes each
// hand-off can wait for a descheduled worker. Same IEEE float32 operations lane by lane, so the
// results are bit-identical. Everything else (other broadcasts, other dtypes) goes to the stock
// kernel.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { simdKernels, type BinaryOp, type UnaryOp } from "./wasm-simd";

const SCALAR: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => Math.fround(a + b),
  sub: (a, b) => Math.fround(a - b),
  mul: (a, b) => Math.fround(a * b),
  div: (a, b) => Math.fround(a / b),
};

function heapF32(backend: BackendWasm): Float32Array {
  return new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
}

function offsetOf(backend: BackendWasm, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset as number;
}

export function makeBinaryWasm(op: BinaryOp, stock: tf.KernelFunc): tf.KernelFunc {
  const scalar = SCALAR[op];
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const backend = args.backend as BackendWasm;
    const simd = simdKernels(backend);
    if (!simd || a.dtype !== "float32" || b.dtype !== "float32") return stock(args);
    const na = tf.util.sizeFromShape(a.shape);
    const nb = tf.util.sizeFromShape(b.shape);
    const same = tf.util.arraysEqual(a.shape, b.shape);
    if (!same && na !== 1 && nb !== 1) return rowBroadcast(op, args, stock, na, nb);
    const shape = same ? a.shape : tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const n = tf.util.sizeFromShape(shape);
    if (n === 0 || (!same && n !== Math.max(na, nb))) return stock(args);
    const out = backend.makeOutput(shape, "float32");
    const [ao, bo, oo] = [offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out)];
    const f32 = heapF32(backend);
    const vec = n - (n % 4);
    if (same || (na === n && nb === n)) {
      if (vec > 0) simd[`${op}VV`](ao, bo, oo, vec);
      for (let i = vec; i < n; i++) f32[oo / 4 + i] = scalar(f32[ao / 4 + i]!, f32[bo / 4 + i]!);
    } else if (nb === 1) {
      const s = f32[bo / 4]!;
      if (vec > 0) simd[`${op}VS`](ao, s, oo, vec);
      for (let i = vec; i < n; i++) f32[oo / 4 + i] = scalar(f32[ao / 4 + i]!, s);
    } else {
      const s = f32[ao / 4]!;
      if (vec > 0) simd[`${op}SV`](s, bo, oo, vec);
      for (let i = vec; i < n; i++) f32[oo / 4 + i] = scalar(s, f32[bo / 4 + i]!);
    }
    return out;
  };
}

export function makeUnaryWasm(op: UnaryOp, stock: tf.KernelFunc): tf.KernelFunc {
  const scalar =
    op === "sqrt" ? (v: number) => Math.fround(Math.sqrt(v)) : (v: number) => Math.fround(v * v);
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const backend = args.backend as BackendWasm;
    const simd = simdKernels(backend);
    const n = tf.util.sizeFromShape(x.shape);
    if (!simd || x.dtype !== "float32" || n === 0) return stock(args);
    const out = backend.makeOutput(x.shape, "float32");
    const [xo, oo] = [offsetOf(backend, x), offsetOf(backend, out)];
    const vec = n - (n % 4);
    if (vec > 0) simd[op](xo, oo, vec);
    const f32 = heapF32(backend);
    for (let i = vec; i < n; i++) f32[oo / 4 + i] = scalar(f32[xo / 4 + i]!);
    return out;
  };
}

/**
 * a op b where one operand is a vector along the last axis of the other (a bias, batchnorm's
 * per-channel statistics: [N, H, W, C] with [C] or [1, 1, 1, C]), by SIMD rows; else stock.
 */
function rowBroadcast(
  op: BinaryOp,
  args: Parameters<tf.KernelFunc>[0],
  stock: tf.KernelFunc,
  na: number,
  nb: number,
): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const backend = args.backend as BackendWasm;
  const simd = simdKernels(backend)!;
  const vectorFirst = na < nb;
  const [full, vector] = vectorFirst ? [b, a] : [a, b];
  const c = full.shape[full.shape.length - 1] ?? 0;
  const n = Math.max(na, nb);
  const vectorShape = vector.shape;
  const isRow =
    c > 0 &&
    c % 4 === 0 &&
    tf.util.sizeFromShape(vectorShape) === c &&
    vectorShape[vectorShape.length - 1] === c &&
    vectorShape.length <= full.shape.length;
  const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  if (!isRow || tf.util.sizeFromShape(shape) !== n) {
    return tf.util.sizeFromShape(shape) <= SMALL
      ? smallBroadcast(op, a, b, shape, backend)
      : (stock(args) as tf.TensorInfo);
  }
  const out = backend.makeOutput(shape, "float32");
  const [fo, vo, oo] = [offsetOf(backend, full), offsetOf(backend, vector), offsetOf(backend, out)];
  if (vectorFirst) simd[`${op}RV`](vo, fo, oo, n / c, c);
  else simd[`${op}VR`](fo, vo, oo, n / c, c);
  return out;
}

/** Broadcasts up to this many output values are computed in JS (no thread-pool hand-off). */
const SMALL = 4096;

/** a op b with any broadcast, element by element in float32 (small outputs only). */
function smallBroadcast(
  op: BinaryOp,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  shape: number[],
  backend: BackendWasm,
): tf.TensorInfo {
  const scalar = SCALAR[op];
  const rank = shape.length;
  const stridesOf = (s: readonly number[]) => {
    const strides = new Array<number>(rank).fill(0);
    let stride = 1;
    for (let d = rank - 1, k = s.length - 1; d >= 0; d--, k--) {
      const dim = k >= 0 ? s[k]! : 1;
      strides[d] = dim === 1 ? 0 : stride;
      stride *= dim;
    }
    return strides;
  };
  const sa = stridesOf(a.shape);
  const sb = stridesOf(b.shape);
  const out = backend.makeOutput(shape, "float32");
  const f32 = heapF32(backend);
  const [ao, bo, oo] = [
    offsetOf(backend, a) / 4,
    offsetOf(backend, b) / 4,
    offsetOf(backend, out) / 4,
  ];
  const n = tf.util.sizeFromShape(shape);
  const index = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < n; i++) {
    f32[oo + i] = scalar(f32[ao + ia]!, f32[bo + ib]!);
    // Odometer over the output index, moving both input offsets along.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      if (index[d]! < shape[d]!) break;
      ia -= sa[d]! * shape[d]!;
      ib -= sb[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}
