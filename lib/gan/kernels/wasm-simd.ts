// A few elementwise loops as hand-assembled WebAssembly SIMD, run directly on the tfjs wasm
// backend's memory (the module imports the backend's WebAssembly.Memory, shared or not). tfjs's
// own kernels for these are scalar C++ loops (LeakyRelu branches per element; FusedBatchNorm
// divides per element); XNNPACK, the fast part of the backend, has no such operators in 4.22.
// Each function computes exactly the float32 operations of the stock kernel, four lanes at a
// time, so results are bit-identical. Callers fall back to JS or the stock kernel when the module
// cannot be built (no wasm SIMD, or a page that forbids compiling wasm).
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

export type BinaryOp = "add" | "sub" | "mul" | "div";
export type UnaryOp = "sqrt" | "square";

/** Elementwise float32 loops over n (a multiple of 4) floats at byte offsets. */
export type ElementwiseKernels = {
  /** out[i] = a[i] op b[i] */
  [K in `${BinaryOp}VV`]: (a: number, b: number, out: number, n: number) => void;
} & {
  /** out[i] = a[i] op s */
  [K in `${BinaryOp}VS`]: (a: number, s: number, out: number, n: number) => void;
} & {
  /** out[i] = s op b[i] */
  [K in `${BinaryOp}SV`]: (s: number, b: number, out: number, n: number) => void;
} & {
  /** out[r·c + k] = a[r·c + k] op v[k] for r < rows, k < c (c a multiple of 4) */
  [K in `${BinaryOp}VR`]: (a: number, v: number, out: number, rows: number, c: number) => void;
} & {
  /** out[r·c + k] = v[k] op b[r·c + k] */
  [K in `${BinaryOp}RV`]: (v: number, b: number, out: number, rows: number, c: number) => void;
} & {
  [K in UnaryOp]: (a: number, out: number, n: number) => void;
};

export interface SimdKernels extends ElementwiseKernels {
  /**
   * dst[j·dstStride + i] = src[i·srcStride + j] for i < rows, j < cols (both multiples of 4);
   * byte offsets, strides in floats.
   */
  transpose(
    src: number,
    dst: number,
    rows: number,
    cols: number,
    srcStride: number,
    dstStride: number,
  ): void;
  /** out[i] = x[i] < 0 ? alpha·x[i] : x[i], for n (a multiple of 4) floats at byte offsets. */
  leakyRelu(x: number, out: number, n: number, alpha: number): void;
  /** out[i] = x[i] > 0 ? dy[i] : alpha·dy[i] (NaN > 0 is false, as in the stock where/greater). */
  leakyReluGrad(x: number, dy: number, out: number, n: number, alpha: number): void;
  /**
   * Batchnorm over rows of c channels (c a multiple of 4), per-channel vectors at byte offsets:
   * out = offset + (x − mean)·scale / norm, with norm = sqrt(variance + ε) precomputed; the
   * product in float32, the division and the sum in float64 (as the stock kernel, measured).
   */
  batchNorm(
    x: number,
    out: number,
    rows: number,
    c: number,
    mean: number,
    norm: number,
    scale: number,
    offset: number,
  ): void;
}

// --- A minimal WebAssembly binary writer --------------------------------------------------

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  return [...uleb(bytes.length), ...bytes];
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

// Instructions.
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (n: number) => [0x41, ...uleb(n)]; // non-negative constants only
const I32_ADD = [0x6a];
const I32_SHL = [0x74];
const I32_GE_U = [0x4f];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const brIf = (depth: number) => [0x0d, ...uleb(depth)];
const br = (depth: number) => [0x0c, ...uleb(depth)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const V128_LOAD = [...simd(0x00), 0x02, 0x00]; // align 2^2 (floats), offset 0
const V128_STORE = [...simd(0x0b), 0x02, 0x00];
const F32X4_SPLAT = simd(0x13);
const F32X4_LT = simd(0x43);
const F32X4_GT = simd(0x44);
const V128_BITSELECT = simd(0x52);
const F32X4_SQRT = simd(0xe3);
const F32X4_ADD = simd(0xe4);
const F32X4_SUB = simd(0xe5);
const F32X4_MUL = simd(0xe6);
const F32X4_DIV = simd(0xe7);
const F32_ZERO = [0x43, 0, 0, 0, 0];
const F64X2_PROMOTE_LOW = simd(0x5f);
const F32X4_DEMOTE_ZERO = simd(0x5e);
const F64X2_ADD = simd(0xf0);
const F64X2_DIV = simd(0xf3);
const shuffle = (lanes: number[]) => [...simd(0x0d), ...lanes];
/** The high two float lanes of a vector moved to the low two. */
const HIGH_HALF = shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]);
/** Low 64 bits of the first vector, then low 64 bits of the second. */
const JOIN_LOW = shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]);

function body(locals: [number, number][], code: number[][]): number[] {
  const b = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code.flat(), ...END];
  return [...uleb(b.length), ...b];
}

/** `while (p < end) { ...step; p += 16 for each pointer in advance }` */
function loop16(p: number, end: number, advance: number[], step: number[][]): number[][] {
  return [
    BLOCK,
    LOOP,
    get(p),
    get(end),
    I32_GE_U,
    brIf(1),
    ...step,
    ...advance.flatMap((l) => [get(l), i32(16), I32_ADD, set(l)]),
    br(0),
    END,
    END,
  ];
}

function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const types = [
    [0x60, ...vec([[I32], [I32], [I32], [F32]]), ...vec([])], // leakyRelu
    [0x60, ...vec([[I32], [I32], [I32], [I32], [F32]]), ...vec([])], // leakyReluGrad
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([])], // batchNorm
  ];
  // Elementwise loops, generated: 3 layouts × 4 binary ops, then 2 unary ops. Each iterates on
  // its output pointer `out` up to end = out + 4n.
  const binaryOps: [string, number[]][] = [
    ["add", F32X4_ADD],
    ["sub", F32X4_SUB],
    ["mul", F32X4_MUL],
    ["div", F32X4_DIV],
  ];
  const elementwise: { name: string; type: number[]; code: number[] }[] = [];
  const vec5 = vec([[I32], [I32], [I32], [I32], [I32]]);
  for (const [op, instr] of binaryOps) {
    // VV(a 0, b 1, out 2, n 3) locals end 4
    elementwise.push({
      name: `${op}VV`,
      type: [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([])],
      code: body(
        [[1, I32]],
        [
          ...[get(2), get(3), i32(2), I32_SHL, I32_ADD, set(4)],
          ...loop16(
            2,
            4,
            [0, 1, 2],
            [get(2), get(0), V128_LOAD, get(1), V128_LOAD, instr, V128_STORE],
          ),
        ],
      ),
    });
    // VS(a 0, s 1, out 2, n 3) locals end 4, splat 5
    elementwise.push({
      name: `${op}VS`,
      type: [0x60, ...vec([[I32], [F32], [I32], [I32]]), ...vec([])],
      code: body(
        [
          [1, I32],
          [1, V128],
        ],
        [
          ...[get(1), F32X4_SPLAT, set(5), get(2), get(3), i32(2), I32_SHL, I32_ADD, set(4)],
          ...loop16(2, 4, [0, 2], [get(2), get(0), V128_LOAD, get(5), instr, V128_STORE]),
        ],
      ),
    });
    // SV(s 0, b 1, out 2, n 3) locals end 4, splat 5
    elementwise.push({
      name: `${op}SV`,
      type: [0x60, ...vec([[F32], [I32], [I32], [I32]]), ...vec([])],
      code: body(
        [
          [1, I32],
          [1, V128],
        ],
        [
          ...[get(0), F32X4_SPLAT, set(5), get(2), get(3), i32(2), I32_SHL, I32_ADD, set(4)],
          ...loop16(2, 4, [1, 2], [get(2), get(5), get(1), V128_LOAD, instr, V128_STORE]),
        ],
      ),
    });
  }
  // Row broadcasts: VR(a 0, v 1, out 2, rows 3, c 4) and RV(v 0, b 1, out 2, rows 3, c 4).
  // locals: end 5, k 6, rowBytes 7 (i32). The full operand and out advance a row at a time.
  for (const [op, instr] of binaryOps) {
    for (const vectorFirst of [false, true]) {
      const full = vectorFirst ? 1 : 0;
      const row = vectorFirst ? 0 : 1;
      const at = (base: number): number[] => [...get(base), ...get(6), ...I32_ADD, ...V128_LOAD];
      elementwise.push({
        name: `${op}${vectorFirst ? "RV" : "VR"}`,
        type: [0x60, ...vec5, ...vec([])],
        code: body(
          [[3, I32]],
          [
            [...get(4), ...i32(2), ...I32_SHL, ...set(7)],
            [...get(2), ...get(3), ...get(7), 0x6c, ...I32_ADD, ...set(5)],
            BLOCK,
            LOOP,
            [...get(2), ...get(5), ...I32_GE_U, ...brIf(1)],
            [...i32(0), ...set(6)],
            BLOCK,
            LOOP,
            [...get(6), ...get(7), ...I32_GE_U, ...brIf(1)],
            [...get(2), ...get(6), ...I32_ADD],
            vectorFirst ? [...at(row), ...at(full)] : [...at(full), ...at(row)],
            instr,
            V128_STORE,
            [...get(6), ...i32(16), ...I32_ADD, ...set(6)],
            br(0),
            END,
            END,
            [...get(full), ...get(7), ...I32_ADD, ...set(full)],
            [...get(2), ...get(7), ...I32_ADD, ...set(2)],
            br(0),
            END,
            END,
          ],
        ),
      });
    }
  }
  // unary(a 0, out 1, n 2) locals end 3
  for (const [op, value] of [
    ["sqrt", [get(0), V128_LOAD, F32X4_SQRT]],
    ["square", [get(0), V128_LOAD, get(0), V128_LOAD, F32X4_MUL]],
  ] as [string, number[][]][]) {
    elementwise.push({
      name: op,
      type: [0x60, ...vec([[I32], [I32], [I32]]), ...vec([])],
      code: body(
        [[1, I32]],
        [
          ...[get(1), get(2), i32(2), I32_SHL, I32_ADD, set(3)],
          ...loop16(1, 3, [0, 1], [get(1), ...value, V128_STORE]),
        ],
      ),
    });
  }

  // (import "env" "memory" (memory 0 65536 [shared]))
  const memory = [
    ...name("env"),
    ...name("memory"),
    0x02,
    shared ? 0x03 : 0x01,
    0x00,
    ...uleb(65536),
  ];

  // leakyRelu(x 0, out 1, n 2, alpha 3) locals: a 4 (v128), end 5 (i32), v 6 (v128)
  const leaky = body(
    [
      [1, V128],
      [1, I32],
      [1, V128],
    ],
    [
      get(3),
      F32X4_SPLAT,
      set(4),
      get(0),
      get(2),
      i32(2),
      I32_SHL,
      I32_ADD,
      set(5),
      ...loop16(
        0,
        5,
        [0, 1],
        [
          get(1),
          get(0),
          V128_LOAD,
          set(6),
          get(6),
          get(4),
          F32X4_MUL,
          get(6),
          get(6),
          F32_ZERO,
          F32X4_SPLAT,
          F32X4_LT,
          V128_BITSELECT,
          V128_STORE,
        ],
      ),
    ],
  );

  // leakyReluGrad(x 0, dy 1, out 2, n 3, alpha 4) locals: a 5 (v128), end 6 (i32), g 7 (v128)
  const leakyGrad = body(
    [
      [1, V128],
      [1, I32],
      [1, V128],
    ],
    [
      get(4),
      F32X4_SPLAT,
      set(5),
      get(0),
      get(3),
      i32(2),
      I32_SHL,
      I32_ADD,
      set(6),
      ...loop16(
        0,
        6,
        [0, 1, 2],
        [
          get(2),
          get(1),
          V128_LOAD,
          set(7),
          get(7),
          get(7),
          get(5),
          F32X4_MUL,
          get(0),
          V128_LOAD,
          F32_ZERO,
          F32X4_SPLAT,
          F32X4_GT,
          V128_BITSELECT,
          V128_STORE,
        ],
      ),
    ],
  );

  // batchNorm(x 0, out 1, rows 2, c 3, mean 4, norm 5, scale 6, offset 7)
  // locals: end 8, k 9 (byte offset in the row), rowBytes 10 (i32); y 11, n 12, o 13, lo 14 (v128)
  // for (end = x + rows·c·4; x < end; x += rowBytes, out += rowBytes)
  //   for (k = 0; k < rowBytes; k += 16)
  //     y = (x[k] − mean[k])·scale[k] in float32; out[k] = float32(offset[k] + y / norm[k]),
  //     the division and the addition in float64 as the stock kernel's compiled C++ does.
  const at = (base: number): number[] => [...get(base), ...get(9), ...I32_ADD, ...V128_LOAD];
  const half = (high: boolean): number[] =>
    [13, 11, 12]
      .flatMap((l) => [...get(l), ...(high ? [...get(l), ...HIGH_HALF] : []), ...F64X2_PROMOTE_LOW])
      .concat(F64X2_DIV, F64X2_ADD, F32X4_DEMOTE_ZERO);
  const bn = body(
    [
      [3, I32],
      [4, V128],
    ],
    [
      get(3),
      i32(2),
      I32_SHL,
      set(10),
      get(0),
      get(2),
      get(10),
      [0x6c], // i32.mul
      I32_ADD,
      set(8),
      BLOCK,
      LOOP,
      get(0),
      get(8),
      I32_GE_U,
      brIf(1),
      i32(0),
      set(9),
      BLOCK,
      LOOP,
      get(9),
      get(10),
      I32_GE_U,
      brIf(1),
      get(1),
      get(9),
      I32_ADD,
      at(0),
      at(4),
      F32X4_SUB,
      at(6),
      F32X4_MUL,
      set(11),
      at(5),
      set(12),
      at(7),
      set(13),
      half(false),
      set(14),
      get(14),
      half(true),
      JOIN_LOW,
      V128_STORE,
      get(9),
      i32(16),
      I32_ADD,
      set(9),
      br(0),
      END,
      END,
      get(0),
      get(10),
      I32_ADD,
      set(0),
      get(1),
      get(10),
      I32_ADD,
      set(1),
      br(0),
      END,
      END,
    ],
  );

  // transpose(src 0, dst 1, rows 2, cols 3, ss 4, ds 5) by 4×4 blocks (callers pass row chunks
  // small enough for the source rows to stay in cache across the column passes).
  // locals: i 6, j 7, a 8, sb 9, db 10 (i32); r0..r3 11..14, t0..t3 15..18 (v128)
  const lanes = (l: number[]) =>
    shuffle(l.flatMap((lane) => [0, 1, 2, 3].map((b) => 4 * lane + b)));
  const I32_MUL = [0x6c];
  const loadRow = (k: number): number[] => [
    ...get(8),
    ...(k === 0 ? [] : [...get(9), ...i32(k), ...I32_MUL, ...I32_ADD]),
    ...V128_LOAD,
    ...set(11 + k),
  ];
  const storeRow = (k: number, a: number, b: number, l: number[]): number[] => [
    ...get(8),
    ...(k === 0 ? [] : [...get(10), ...i32(k), ...I32_MUL, ...I32_ADD]),
    ...get(a),
    ...get(b),
    ...lanes(l),
    ...V128_STORE,
  ];
  const transpose = {
    name: "transpose",
    type: [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([])],
    code: body(
      [
        [5, I32],
        [8, V128],
      ],
      [
        [...get(4), ...i32(2), ...I32_SHL, ...set(9)],
        [...get(5), ...i32(2), ...I32_SHL, ...set(10)],
        // j (columns) outer, i (rows) inner: each pass writes 4 contiguous output rows.
        [...i32(0), ...set(7)],
        BLOCK,
        LOOP,
        [...get(7), ...get(3), ...I32_GE_U, ...brIf(1)],
        [...i32(0), ...set(6)],
        BLOCK,
        LOOP,
        [...get(6), ...get(2), ...I32_GE_U, ...brIf(1)],
        // a = src + ((i·ss + j) << 2)
        [
          ...get(0),
          ...get(6),
          ...get(4),
          ...I32_MUL,
          ...get(7),
          ...I32_ADD,
          ...i32(2),
          ...I32_SHL,
          ...I32_ADD,
          ...set(8),
        ],
        loadRow(0),
        loadRow(1),
        loadRow(2),
        loadRow(3),
        [...get(11), ...get(12), ...lanes([0, 4, 1, 5]), ...set(15)],
        [...get(11), ...get(12), ...lanes([2, 6, 3, 7]), ...set(16)],
        [...get(13), ...get(14), ...lanes([0, 4, 1, 5]), ...set(17)],
        [...get(13), ...get(14), ...lanes([2, 6, 3, 7]), ...set(18)],
        // a = dst + ((j·ds + i) << 2)
        [
          ...get(1),
          ...get(7),
          ...get(5),
          ...I32_MUL,
          ...get(6),
          ...I32_ADD,
          ...i32(2),
          ...I32_SHL,
          ...I32_ADD,
          ...set(8),
        ],
        storeRow(0, 15, 17, [0, 1, 4, 5]),
        storeRow(1, 15, 17, [2, 3, 6, 7]),
        storeRow(2, 16, 18, [0, 1, 4, 5]),
        storeRow(3, 16, 18, [2, 3, 6, 7]),
        [...get(6), ...i32(4), ...I32_ADD, ...set(6)],
        br(0),
        END,
        END,
        [...get(7), ...i32(4), ...I32_ADD, ...set(7)],
        br(0),
        END,
        END,
      ],
    ),
  };

  // One type per function (duplicates are allowed), in export order.
  const funcs = [
    { name: "leakyRelu", type: types[0]!, code: leaky },
    { name: "leakyReluGrad", type: types[1]!, code: leakyGrad },
    { name: "batchNorm", type: types[2]!, code: bn },
    ...elementwise,
    transpose,
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(funcs.map((f) => f.type))),
    ...section(2, vec([memory])),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(funcs.map((f) => f.code))),
  ]);
}

const built = new WeakMap<WebAssembly.Memory, SimdKernels | null>();
let disabled = false;

function memoryOf(backend: BackendWasm): WebAssembly.Memory | undefined {
  const m = backend.wasm as unknown as {
    wasmMemory?: WebAssembly.Memory;
    asm?: { memory?: WebAssembly.Memory };
  };
  return m.wasmMemory ?? m.asm?.memory;
}

/** The SIMD kernels bound to this backend's memory, or null where they cannot run. */
export function simdKernels(backend: BackendWasm): SimdKernels | null {
  if (disabled) return null;
  const memory = memoryOf(backend);
  if (!memory) return null;
  const cached = built.get(memory);
  if (cached !== undefined) return cached;
  let kernels: SimdKernels | null = null;
  try {
    const shared =
      typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
    const bytes = moduleBytes(shared);
    if (WebAssembly.validate(bytes)) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
        env: { memory },
      });
      kernels = instance.exports as unknown as SimdKernels;
    }
  } catch {
    kernels = null;
  }
  built.set(memory, kernels);
  return kernels;
}

/** Turns the SIMD path off (or back on) for A/B measurements and tests of the fallbacks. */
export function setSimdKernelsEnabled(enabled: boolean): void {
  disabled = !enabled;
}

/**
 * dst[c, k, b] = src[b, k, c] for b < rows, k < pixels, c < cols (all float offsets): one
 * [rows, cols] → [cols, rows] transpose per pixel k, by SIMD where rows and cols allow.
 */
export function transposePixels(
  backend: BackendWasm,
  src: number,
  dst: number,
  rows: number,
  pixels: number,
  cols: number,
): void {
  const simd = simdKernels(backend);
  if (simd && rows % 4 === 0 && cols % 4 === 0) {
    for (let k = 0; k < pixels; k++) {
      simd.transpose(
        (src + k * cols) * 4,
        (dst + k * rows) * 4,
        rows,
        cols,
        pixels * cols,
        pixels * rows,
      );
    }
    return;
  }
  const heap = new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
  for (let k = 0; k < pixels; k++) {
    for (let c = 0; c < cols; c++) {
      let from = src + k * cols + c;
      const to = dst + (c * pixels + k) * rows;
      for (let b = 0; b < rows; b++, from += pixels * cols) heap[to + b] = heap[from]!;
    }
  }
}
