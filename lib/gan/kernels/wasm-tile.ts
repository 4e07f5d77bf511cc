// Tile for the wasm backend by block copies inside the wasm heap. The stock kernel computes an
// index per element (~48 ms per training step, all from the batchnorm gradient); a tile is a few
// memcpy-like copyWithin calls that double the filled block each time.
import type * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type Heap = Float32Array | Int32Array | Uint8Array;

/** Copies out[start, start+filled) onto itself until `total` elements are filled. */
function replicate(out: Heap, start: number, filled: number, total: number): void {
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    out.copyWithin(start + filled, start, start + n);
    filled += n;
  }
}

export function tileInto(
  x: Heap,
  shape: readonly number[],
  reps: readonly number[],
  out: Heap,
): void {
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  const outStrides = new Array<number>(rank);
  let inStride = 1;
  let outStride = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = inStride;
    outStrides[d] = outStride;
    inStride *= shape[d]!;
    outStride *= shape[d]! * reps[d]!;
  }
  const fill = (d: number, inOff: number, outOff: number): void => {
    const size = shape[d]!;
    if (d === rank - 1) {
      out.set(x.subarray(inOff, inOff + size), outOff);
    } else {
      for (let i = 0; i < size; i++)
        fill(d + 1, inOff + i * inStrides[d]!, outOff + i * outStrides[d]!);
    }
    const block = size * outStrides[d]!;
    replicate(out, outOff, block, block * reps[d]!);
  };
  if (rank === 0 || outStride === 0) {
    if (rank === 0 && out.length > 0) out[0] = x[0]!;
    return;
  }
  fill(0, 0, 0);
}

export function makeTileWasm(fallback: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const reps = (args.attrs as { reps: number[] }).reps;
    if (x.dtype === "string" || x.dtype === "complex64") {
      if (!fallback) throw new Error(`Tile on wasm: unsupported dtype ${x.dtype}`);
      return fallback(args);
    }
    const backend = args.backend as BackendWasm;
    const outShape = x.shape.map((d, i) => d * (reps[i] ?? 1));
    const out = backend.makeOutput(outShape, x.dtype);
    // Views are taken after makeOutput: allocating may grow (and replace) the heap buffer.
    const src = backend.typedArrayFromHeap(x) as Heap;
    const dst = backend.typedArrayFromHeap(out) as Heap;
    tileInto(src, x.shape, reps, dst);
    return out;
  };
}
