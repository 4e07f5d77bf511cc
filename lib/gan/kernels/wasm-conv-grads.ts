// Conv gradients for the wasm backend, built from its XNNPACK Conv2D (the fast kernel it has).
// tfjs-backend-wasm 4.22 ships no Conv2DBackpropFilter and a naive-loop Conv2DBackpropInput.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { asTensor, convInfoFor, type ConvGradAttrs } from "./conv-geometry";
import { conv2DBackpropFilterSingleWasm, isSingleOutput } from "./wasm-conv-single";
import { transposePixels } from "./wasm-simd";

type T4 = tf.Tensor4D;

/**
 * dW[i,j,ci,co] = Σ_{n,p,q} x[n, p·s+i−top, q·s+j−left, ci] · dy[n,p,q,co].
 * Read with ci as the batch and n as the channel, that is a stride-1 conv of xᵀ [Ci,H,W,N]
 * with the filter dyᵀ [Ho,Wo,N,Co] dilated by the stride; the first fh×fw outputs are dW.
 * The three permutations run in the heap (SIMD 4×4 block transposes for x, block copies of Co
 * values for the others): the stock Transpose kernel takes several times longer.
 */
export function conv2DBackpropFilterDilatedWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const x = args.inputs.x as Info;
  const dy = args.inputs.dy as Info;
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: number[] };
  const info = convInfoFor(x.shape, attrs.filterShape, attrs, "Conv2DBackpropFilter");
  const backend = args.backend as Backend;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { batchSize: n, inHeight: H, inWidth: W, outHeight: oh, outWidth: ow } = info;
  const { inChannels: ci, outChannels: co } = info;
  const { top, left } = info.padInfo;
  // Pad the far side just enough for fh×fw outputs; extra input rows are simply not reached.
  const bottom = Math.max(0, fh - H - top + (oh - 1) * sh);
  const right = Math.max(0, fw - W - left + (ow - 1) * sw);
  const xt = backend.makeOutput([ci, H, W, n], "float32");
  const dyt = backend.makeOutput([oh, ow, n, co], "float32");
  {
    const heap = heapF32(backend);
    // xt[c, h, w, b] = x[b, h, w, c]: for each pixel an [N, Ci] → [Ci, N] transpose.
    transposePixels(backend, offsetF32(backend, x), offsetF32(backend, xt), n, H * W, ci);
    // dyt[p, q, b, :] = dy[b, p, q, :]
    const src = offsetF32(backend, dy);
    let dst = offsetF32(backend, dyt);
    for (let pq = 0; pq < oh * ow; pq++) {
      for (let b = 0; b < n; b++, dst += co) {
        const from = src + (b * oh * ow + pq) * co;
        heap.copyWithin(dst, from, from + co);
      }
    }
  }
  const full = stockKernel(tf.Conv2D)({
    inputs: { x: xt, filter: dyt },
    backend,
    attrs: {
      strides: 1,
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: "NHWC",
      dilations: [sh, sw],
    } as unknown as tf.NamedAttrMap,
  }) as Info;
  release(backend, xt, dyt);
  const [, fullH, fullW] = full.shape as [number, number, number, number];
  const out = backend.makeOutput(attrs.filterShape, "float32");
  {
    // out[i, j, c, :] = full[c, i, j, :]
    const heap = heapF32(backend);
    const src = offsetF32(backend, full);
    let dst = offsetF32(backend, out);
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) {
        for (let c = 0; c < ci; c++, dst += co) {
          const from = src + ((c * fullH + i) * fullW + j) * co;
          heap.copyWithin(dst, from, from + co);
        }
      }
    }
  }
  release(backend, full);
  return out;
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

export function conv2DBackpropInputPhasesWasm(args: {
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
    const only = phases[0]?.[0];
    if (!only) return tf.zeros(info.inShape);
    // A kept tensor survives every tidy: as an intermediate gradient it would never be freed.
    // Return an unkept handle on the same data instead.
    const out = tf.clone(only);
    only.dispose();
    return out;
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

// ---------------------------------------------------------------------------------------------
// Heap-level helpers: the kernels below call the stock wasm kernels directly on TensorInfos
// (no engine round trip, no tidy) and move data with copies inside the one wasm heap.

type Backend = BackendWasm;
type Info = tf.TensorInfo;

function stockKernel(name: string): tf.KernelFunc {
  const k = tf.getKernel(name, "wasm");
  if (!k) throw new Error(`expected tfjs-backend-wasm to register ${name}`);
  return k.kernelFunc;
}

/** The whole wasm heap as float32, and a tensor's offset in it (views die when memory grows). */
function heapF32(backend: Backend): Float32Array {
  return new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
}

function offsetF32(backend: Backend, t: Info): number {
  return (backend.dataIdMap.get(t.dataId)!.memoryOffset as number) / 4;
}

/** The same data under another shape (same element count): what a free Reshape is. */
function view(t: Info, shape: number[]): Info {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

function release(backend: Backend, ...infos: Info[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

// ---------------------------------------------------------------------------------------------
// Conv2DBackpropInput as ONE stride-1 convolution whose output channels stack all s_h·s_w
// phases, then an interleave (depth-to-space with per-phase offsets) in the heap.

/** One axis of the stacked decomposition. */
export interface StackAxis {
  /** Common tap count: the longest phase sub-filter (shorter ones are zero-padded in front). */
  taps: number;
  padBefore: number;
  padAfter: number;
  /** Length of the stacked conv's output along this axis. */
  outLength: number;
  phases: {
    /** First filter index of the phase: its taps are r, r+s, r+2s, … */
    r: number;
    taps: number;
    /** dx rows of this phase: q, q+s, …, `length` of them. */
    length: number;
    /** Row of the stacked conv output that holds the phase's first dx row. */
    start: number;
  }[];
}

/**
 * dx row h = q + s·t (phase q) sums W[r + s·k] · dy[base + t − k] over k, with r = (q+pad) mod s
 * and base = (q+pad−r)/s. Shifting each phase by its base (u = base + t), every phase reads the
 * same window dy[u−T+1 … u], so one stride-1 conv with T taps computes all phases at row u; its
 * output row v holds u = v − padBefore + T − 1.
 */
export function stackAxis(
  s: number,
  f: number,
  pad: number,
  inSize: number,
  outSize: number,
): StackAxis {
  const raw = Array.from({ length: s }, (_, q) => {
    const r = (pad + q) % s;
    return {
      r,
      taps: r < f ? Math.ceil((f - r) / s) : 0,
      base: (q + pad - r) / s,
      length: q < inSize ? Math.ceil((inSize - q) / s) : 0,
    };
  });
  const taps = Math.max(1, ...raw.map((p) => p.taps));
  const live = raw.filter((p) => p.length > 0);
  const uMin = Math.min(...live.map((p) => p.base));
  const uMax = Math.max(...live.map((p) => p.base + p.length - 1));
  const padBefore = Math.max(0, taps - 1 - uMin);
  const padAfter = Math.max(0, uMax - outSize + 1);
  return {
    taps,
    padBefore,
    padAfter,
    outLength: outSize + padBefore + padAfter - taps + 1,
    phases: raw.map((p) => ({
      r: p.r,
      taps: p.taps,
      length: p.length,
      start: p.base + padBefore - taps + 1,
    })),
  };
}

/**
 * The stacked forward filter [T_h, T_w, Co, s_h·s_w·Ci] from W [fh, fw, Ci, Co]: conv tap j of
 * phase q is W[r + s·(T−1−j)] (zero where the phase has fewer taps), channels phase-major.
 */
export function stackedFilter(
  w: Float32Array,
  fw: number,
  ci: number,
  co: number,
  ah: StackAxis,
  aw: StackAxis,
  sh: number,
  sw: number,
  out: Float32Array,
): void {
  const phases = sh * sw;
  let k = 0;
  for (let jh = 0; jh < ah.taps; jh++) {
    const kh = ah.taps - 1 - jh;
    for (let jw = 0; jw < aw.taps; jw++) {
      const kw = aw.taps - 1 - jw;
      for (let o = 0; o < co; o++) {
        for (let p = 0; p < phases; p++) {
          const ph = ah.phases[Math.floor(p / sw)]!;
          const pw = aw.phases[p % sw]!;
          if (kh >= ph.taps || kw >= pw.taps) {
            out.fill(0, k, k + ci);
            k += ci;
            continue;
          }
          const base = ((ph.r + sh * kh) * fw + (pw.r + sw * kw)) * ci * co + o;
          for (let c = 0; c < ci; c++) out[k++] = w[base + c * co]!;
        }
      }
    }
  }
}

export function conv2DBackpropInputStackedWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const dy = args.inputs.dy as Info;
  const filter = args.inputs.filter as Info;
  const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: number[] };
  const info = convInfoFor(attrs.inputShape, filter.shape, attrs, "Conv2DBackpropInput");
  const backend = args.backend as Backend;
  const { strideHeight: sh, strideWidth: sw, filterWidth: fw } = info;
  const { batchSize, inHeight, inWidth, inChannels: ci, outChannels: co } = info;
  const ah = stackAxis(sh, info.filterHeight, info.padInfo.top, inHeight, info.outHeight);
  const aw = stackAxis(sw, fw, info.padInfo.left, inWidth, info.outWidth);
  const sci = sh * sw * ci;
  const wc = backend.makeOutput([ah.taps, aw.taps, co, sci], "float32");
  stackedFilter(
    backend.typedArrayFromHeap(filter) as Float32Array,
    fw,
    ci,
    co,
    ah,
    aw,
    sh,
    sw,
    backend.typedArrayFromHeap(wc) as Float32Array,
  );
  const conv = stockKernel(tf.Conv2D)({
    inputs: { x: dy, filter: wc },
    backend,
    attrs: {
      strides: 1,
      pad: [
        [0, 0],
        [ah.padBefore, ah.padAfter],
        [aw.padBefore, aw.padAfter],
        [0, 0],
      ],
      dataFormat: "NHWC",
      dilations: 1,
    } as unknown as tf.NamedAttrMap,
  }) as Info;
  release(backend, wc);
  const direct =
    sh === 1 &&
    sw === 1 &&
    ah.phases[0]!.start === 0 &&
    aw.phases[0]!.start === 0 &&
    ah.outLength === inHeight &&
    aw.outLength === inWidth;
  if (direct) return conv;
  const out = backend.makeOutput(info.inShape, "float32");
  interleavePhases(backend, conv, out, batchSize, inHeight, inWidth, ci, ah, aw, sh, sw);
  release(backend, conv);
  return out;
}

/** dx[n, q_h + s_h·t_h, q_w + s_w·t_w, c] = conv[n, start + t_h, start + t_w, phase·Ci + c]. */
function interleavePhases(
  backend: Backend,
  conv: Info,
  out: Info,
  n: number,
  inH: number,
  inW: number,
  ci: number,
  ah: StackAxis,
  aw: StackAxis,
  sh: number,
  sw: number,
): void {
  const heap = heapF32(backend);
  const src0 = offsetF32(backend, conv);
  let dst = offsetF32(backend, out);
  const sci = sh * sw * ci;
  const lw = aw.outLength;
  const colOff = new Int32Array(inW);
  for (let w = 0; w < inW; w++) {
    const qw = w % sw;
    colOff[w] = (aw.phases[qw]!.start + (w - qw) / sw) * sci + qw * ci;
  }
  for (let b = 0; b < n; b++) {
    for (let h = 0; h < inH; h++) {
      const qh = h % sh;
      const row =
        src0 + (b * ah.outLength + ah.phases[qh]!.start + (h - qh) / sh) * lw * sci + qh * sw * ci;
      if (ci >= 16) {
        for (let w = 0; w < inW; w++, dst += ci) {
          const src = row + colOff[w]!;
          heap.copyWithin(dst, src, src + ci);
        }
      } else {
        for (let w = 0; w < inW; w++) {
          const src = row + colOff[w]!;
          for (let c = 0; c < ci; c++) heap[dst++] = heap[src + c]!;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Conv2DBackpropFilter as im2col + one matrix product: dW [fh·fw·Ci, Co] = colᵀ · dy, where
// colᵀ [fh·fw·Ci, N·Ho·Wo] holds the input pixel each filter tap saw at each output position.

/** colᵀ[(i·fw + j)·Ci + c, (n·Ho + p)·Wo + q] = x[n, p·sh + i − top, q·sw + j − left, c] (0 outside). */
export function im2colTransposed(
  x: Float32Array,
  info: Pick<
    ConvInfo,
    | "batchSize"
    | "inHeight"
    | "inWidth"
    | "inChannels"
    | "outHeight"
    | "outWidth"
    | "filterHeight"
    | "filterWidth"
    | "strideHeight"
    | "strideWidth"
  > & { padInfo: { top: number; left: number } },
  out: Float32Array,
): void {
  const { batchSize: n, inHeight: H, inWidth: W, inChannels: ci } = info;
  const { outHeight: ho, outWidth: wo, filterHeight: fh, filterWidth: fw } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  let k = 0;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      // Output columns whose input column is inside the image: q in [q0, q1).
      const q0 = Math.max(0, Math.ceil((left - j) / sw));
      const q1 = Math.min(wo, Math.floor((W - 1 + left - j) / sw) + 1);
      for (let c = 0; c < ci; c++) {
        for (let b = 0; b < n; b++) {
          for (let p = 0; p < ho; p++) {
            const h = p * sh + i - top;
            if (h < 0 || h >= H || q1 <= q0) {
              out.fill(0, k, k + wo);
              k += wo;
              continue;
            }
            const rowBase = (b * H + h) * W;
            for (let q = 0; q < q0; q++) out[k++] = 0;
            let src = (rowBase + q0 * sw + j - left) * ci + c;
            const step = sw * ci;
            for (let q = q0; q < q1; q++, src += step) out[k++] = x[src]!;
            for (let q = q1; q < wo; q++) out[k++] = 0;
          }
        }
      }
    }
  }
}

type ConvInfo = tf.backend_util.Conv2DInfo;

export function conv2DBackpropFilterIm2colWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const x = args.inputs.x as Info;
  const dy = args.inputs.dy as Info;
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: number[] };
  const info = convInfoFor(x.shape, attrs.filterShape, attrs, "Conv2DBackpropFilter");
  const backend = args.backend as Backend;
  const rows = info.filterHeight * info.filterWidth * info.inChannels;
  const cols = info.batchSize * info.outHeight * info.outWidth;
  const colT = backend.makeOutput([1, rows, cols], "float32");
  im2colTransposed(
    backend.typedArrayFromHeap(x) as Float32Array,
    info,
    backend.typedArrayFromHeap(colT) as Float32Array,
  );
  const product = stockKernel(tf.BatchMatMul)({
    inputs: { a: colT, b: view(dy, [1, cols, info.outChannels]) },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as Info;
  release(backend, colT);
  return view(product, info.filterShape);
}

// ---------------------------------------------------------------------------------------------
// The registered kernels: each shape goes to the formulation measured fastest for it
// (`npm run bench:gan -- --kernels baseline|classroom [--node]`, fresh inputs per call). Layers
// with very few input channels (G's 1-channel output, D's 1-channel input) starve XNNPACK: its
// tiles are 8 output channels wide, so the phase convs with Ci = 1 output channel, and the
// dilated conv with its Ci = 1 batch row and a large filter to pack, waste most of the work. For
// them the stacked conv (input gradient: 0.3–0.4× the time of the phase convs) and im2col +
// matmul (filter gradient: 0.5–0.7× the dilated conv) win; on the wide layers both lose (stacked
// 1.2–1.75× from the extra taps and rows, im2col 1.2–1.6× from building the column matrix).
// Stride-1 layers with ONE output channel (a resize-conv G's last conv): forward (Conv2D) and
// filter gradient by ./wasm-conv-single (Node, 1 thread: 28.5 → 7.6 ms and 47 → 28 ms CPU).

/** Input channels up to which a layer counts as narrow (measured at 1 vs 32 and 64). */
export const NARROW_CHANNELS = 4;

export function conv2DBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const x = args.inputs.x as Info;
  if (x.shape[3]! <= NARROW_CHANNELS) return conv2DBackpropFilterIm2colWasm(args);
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: number[] };
  const info = convInfoFor(x.shape, attrs.filterShape, attrs, "Conv2DBackpropFilter");
  return isSingleOutput(info)
    ? conv2DBackpropFilterSingleWasm(args)
    : conv2DBackpropFilterDilatedWasm(args);
}

export function conv2DBackpropInputWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const filter = args.inputs.filter as Info;
  if (filter.shape[2]! <= NARROW_CHANNELS) return conv2DBackpropInputStackedWasm(args);
  // One output channel, stride 1: the single phase conv (12 ms CPU for a resize-conv G's last
  // layer) beats conv2DBackpropInputSingleWasm (14 ms), so it stays.
  return conv2DBackpropInputPhasesWasm(args);
}
