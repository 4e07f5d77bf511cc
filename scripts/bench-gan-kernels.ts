// `npm run bench:gan -- --kernels [preset]`: each formulation of lib/gan's wasm conv-gradient
// kernels timed on the exact layer shapes of a preset's training step, interleaved in one page
// (so machine load hits every variant alike). Runs inside the bench Worker.
import * as tf from "@tensorflow/tfjs-core";
import { PRESETS, type PresetName } from "@/lib/gan/config";
import {
  conv2DBackpropFilterDilatedWasm,
  conv2DBackpropFilterIm2colWasm,
  conv2DBackpropFilterWasm,
  conv2DBackpropInputPhasesWasm,
  conv2DBackpropInputStackedWasm,
  conv2DBackpropInputWasm,
} from "@/lib/gan/kernels/wasm-conv-grads";
import { stockKernel, stockLeakyReluGradient } from "@/lib/gan/kernels";
import { setSimdKernelsEnabled } from "@/lib/gan/kernels/wasm-simd";

type Formulation = (args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}) => tf.TensorInfo;

export const FORMULATIONS: Record<string, Record<string, Formulation>> = {
  [tf.Conv2DBackpropInput]: {
    registered: conv2DBackpropInputWasm,
    phases: conv2DBackpropInputPhasesWasm,
    stacked: conv2DBackpropInputStackedWasm,
  },
  [tf.Conv2DBackpropFilter]: {
    registered: conv2DBackpropFilterWasm,
    dilated: conv2DBackpropFilterDilatedWasm,
    im2col: conv2DBackpropFilterIm2colWasm,
  },
};

const stockConv2D: Formulation = (args) =>
  tf
    .getKernel(tf.Conv2D, "wasm")!
    .kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;

FORMULATIONS[tf.Conv2D] = { stock: stockConv2D };

export interface KernelCase {
  /** What the call is in the training step, and how many times a step makes it. */
  label: string;
  callsPerStep: number;
  kernel: typeof tf.Conv2DBackpropInput | typeof tf.Conv2DBackpropFilter | typeof tf.Conv2D;
  /** x (filter gradient, forward conv) or dx (input gradient) shape, NHWC. */
  x: [number, number, number, number];
  /** The forward conv's filter [fh, fw, ci, co]. */
  filter: [number, number, number, number];
  stride: number;
  /** Forward conv only (default "same"). */
  pad?: "same" | "valid" | number;
}

/** Plain forward convolutions of the shapes XNNPACK sees inside the gradient kernels. */
export function probeCases(n: number): KernelCase[] {
  const conv = tf.Conv2D;
  const c = (
    label: string,
    x: KernelCase["x"],
    filter: KernelCase["filter"],
    stride = 1,
  ): KernelCase => ({
    label,
    callsPerStep: 1,
    kernel: conv,
    x,
    filter,
    stride,
  });
  return [
    c("phase 2x2 7x7x128→64", [n, 7, 7, 128], [2, 2, 128, 64]),
    c("phase 3x3 7x7x128→64", [n, 7, 7, 128], [3, 3, 128, 64]),
    c("phase 3x2 7x7x128→64", [n, 7, 7, 128], [3, 2, 128, 64]),
    c("5x5 7x7x128→64", [n, 7, 7, 128], [5, 5, 128, 64]),
    c("D conv2 5x5 s2", [n, 14, 14, 64], [5, 5, 64, 128], 2),
    c("D conv2 4x4 s2", [n, 14, 14, 64], [4, 4, 64, 128], 2),
    c("1x1 7x7x128→64", [n, 7, 7, 128], [1, 1, 128, 64]),
  ];
}

/** The conv-gradient calls of one training step (D step on 2·batch images, then G step). */
export function layerCases(preset: PresetName): KernelCase[] {
  const cfg = PRESETS[preset];
  const n = cfg.batchSize;
  const k = cfg.kernelSize;
  const [g7, g14] = cfg.generatorFilters;
  const [d1, d2] = cfg.discriminatorFilters;
  const input = tf.Conv2DBackpropInput;
  const filter = tf.Conv2DBackpropFilter;
  return [
    // G's transposed convs run as input gradients: forward in both steps.
    {
      label: "G deconv1 forward",
      callsPerStep: 2,
      kernel: input,
      x: [n, 14, 14, g14],
      filter: [k, k, g14, g7],
      stride: 2,
    },
    {
      label: "G deconv2 forward",
      callsPerStep: 2,
      kernel: input,
      x: [n, 28, 28, 1],
      filter: [k, k, 1, g14],
      stride: 2,
    },
    {
      label: "D conv2 dx (D step)",
      callsPerStep: 1,
      kernel: input,
      x: [2 * n, 14, 14, d1],
      filter: [k, k, d1, d2],
      stride: 2,
    },
    {
      label: "D conv2 dx (G step)",
      callsPerStep: 1,
      kernel: input,
      x: [n, 14, 14, d1],
      filter: [k, k, d1, d2],
      stride: 2,
    },
    {
      label: "D conv1 dx (G step)",
      callsPerStep: 1,
      kernel: input,
      x: [n, 28, 28, 1],
      filter: [k, k, 1, d1],
      stride: 2,
    },
    {
      label: "D conv2 dW (D step)",
      callsPerStep: 1,
      kernel: filter,
      x: [2 * n, 14, 14, d1],
      filter: [k, k, d1, d2],
      stride: 2,
    },
    {
      label: "D conv1 dW (D step)",
      callsPerStep: 1,
      kernel: filter,
      x: [2 * n, 28, 28, 1],
      filter: [k, k, 1, d1],
      stride: 2,
    },
    // A transposed conv's filter gradient is Conv2DBackpropFilter(x = its output gradient, dy = its input).
    {
      label: "G deconv1 dW (G step)",
      callsPerStep: 1,
      kernel: filter,
      x: [n, 14, 14, g14],
      filter: [k, k, g14, g7],
      stride: 2,
    },
    {
      label: "G deconv2 dW (G step)",
      callsPerStep: 1,
      kernel: filter,
      x: [n, 28, 28, 1],
      filter: [k, k, 1, g14],
      stride: 2,
    },
  ];
}

export interface KernelTiming {
  label: string;
  callsPerStep: number;
  kernel: string;
  shapes: string;
  /** Median ms per call, by formulation. */
  ms: Record<string, number>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Times every formulation of every case `reps` times, rotating their order each repetition, on
 * fresh copies of the inputs each call.
 * `clock` is wall time in browsers; Node passes its process CPU time (one wasm thread there), a
 * measure of the work that other processes on a shared machine do not inflate.
 */
export function benchKernels(
  cases: KernelCase[],
  reps: number,
  clock: () => number = () => performance.now(),
): KernelTiming[] {
  const backend = tf.backend();
  return cases.map((c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad ?? "same");
    const dyShape = info.outShape;
    const variants = Object.entries(FORMULATIONS[c.kernel]!);
    const times: number[][] = variants.map(() => []);
    // For a forward conv, "dy" is its filter.
    const dy = tf.randomNormal(c.kernel === tf.Conv2D ? c.filter : dyShape, 0, 1, "float32", 1);
    const other =
      c.kernel === tf.Conv2DBackpropInput
        ? tf.randomNormal(c.filter, 0, 0.1, "float32", 2)
        : tf.randomNormal(c.x, 0, 1, "float32", 2);
    const inputs =
      c.kernel === tf.Conv2D
        ? { x: other, filter: dy }
        : c.kernel === tf.Conv2DBackpropInput
          ? { dy, filter: other }
          : { x: other, dy };
    const attrs = {
      strides: c.stride,
      pad: c.pad ?? "same",
      dataFormat: "NHWC",
      dilations: 1,
      ...(c.kernel === tf.Conv2DBackpropInput ? { inputShape: c.x } : { filterShape: c.filter }),
    } as unknown as tf.NamedAttrMap;
    for (let r = 0; r < reps + 1; r++) {
      for (let i = 0; i < variants.length; i++) {
        const v = (i + r) % variants.length;
        // Fresh copies, as in training (every tensor is new each step): the backend caches
        // XNNPACK operators, with their packed weights, by input id.
        const fresh = Object.fromEntries(
          Object.entries(inputs).map(([k, t]) => [k, tf.add(t, 0)]),
        ) as Record<string, tf.Tensor>;
        const t0 = clock();
        const out = variants[v]![1]({ inputs: fresh, backend, attrs });
        const dt = clock() - t0;
        backend.disposeData(out.dataId);
        tf.dispose(Object.values(fresh));
        if (r > 0) times[v]!.push(dt);
      }
    }
    tf.dispose([dy, other]);
    return {
      label: c.label,
      callsPerStep: c.callsPerStep,
      kernel: c.kernel,
      shapes: `x [${c.x}] filter [${c.filter}] dy [${dyShape}]`,
      ms: Object.fromEntries(variants.map(([name], i) => [name, median(times[i]!)])),
    };
  });
}

type Choice = Formulation | "stock" | "ours";

/** Every wasm kernel registerCustomKernels replaces besides the two conv gradients. */
const REPLACED = [
  tf.LeakyRelu,
  tf.Sum,
  tf.Mean,
  tf.Identity,
  tf.FusedBatchNorm,
  tf.Add,
  tf.Sub,
  tf.Multiply,
  tf.RealDiv,
  tf.Square,
  tf.Sqrt,
  tf.Conv2D,
  tf.ResizeNearestNeighborGrad,
  tf.ResizeNearestNeighbor,
];

const ELEMENTWISE = [tf.Add, tf.Sub, tf.Multiply, tf.RealDiv, tf.Square, tf.Sqrt];

/** Our conv gradients, and the other kernels ours except those listed (stock). */
function oursExcept(stock: string[], extra: Partial<Variant> = {}): Variant {
  return {
    kernels: {
      [tf.Conv2DBackpropInput]: "ours",
      [tf.Conv2DBackpropFilter]: "ours",
      ...Object.fromEntries(REPLACED.map((k) => [k, stock.includes(k) ? "stock" : "ours"])),
    },
    stockLeakyReluGradient: stock.includes(tf.LeakyRelu),
    ...extra,
  };
}

interface Variant {
  kernels: Record<string, Choice>;
  stockLeakyReluGradient: boolean;
  simd?: false;
}

/** Kernel sets to compare on whole training steps (`bench:gan -- --ab`). */
export const STEP_VARIANTS: Record<string, Variant> = {
  // lib/gan's kernels as of issue #4's first speed pass: conv gradients by phase convs and
  // dilated convs, everything else stock.
  before: {
    kernels: {
      [tf.Conv2DBackpropInput]: conv2DBackpropInputPhasesWasm,
      [tf.Conv2DBackpropFilter]: conv2DBackpropFilterDilatedWasm,
      ...Object.fromEntries(REPLACED.map((k) => [k, "stock" as const])),
    },
    stockLeakyReluGradient: true,
  },
  // Only the conv-gradient dispatch (narrow layers) on top of "before".
  convs: oursExcept(REPLACED),
  // "convs" plus LeakyRelu and its fused gradient.
  leaky: oursExcept(REPLACED.filter((k) => k !== tf.LeakyRelu)),
  // Everything but the shared-memory Identity.
  copying: oursExcept([tf.Identity]),
  // Everything but the elementwise arithmetic (XNNPACK's, through the thread pool).
  pooled: oursExcept(ELEMENTWISE),
  // Everything but the one-output-channel forward conv and the ×2 upsampling (and gradient).
  wide: oursExcept([tf.Conv2D, tf.ResizeNearestNeighborGrad, tf.ResizeNearestNeighbor]),
  // Everything registered, but the SIMD loops off (JS LeakyRelu; stock arithmetic inside ours).
  nosimd: oursExcept([], { simd: false }),
  registered: oursExcept([]),
};

/** What registerCustomKernels registered, captured on the first switch. */
let ours: Record<string, tf.KernelFunc> | null = null;
let ourLeakyReluGradient: tf.GradConfig | undefined;

/** Registers a variant's kernels (and LeakyRelu gradient) on wasm; call after registerCustomKernels. */
export function activateVariant(name: string): void {
  const variant = STEP_VARIANTS[name];
  if (!variant) throw new Error(`unknown kernel variant ${name}`);
  if (!ours) {
    ours = {};
    for (const kernelName of Object.keys(variant.kernels)) {
      ours[kernelName] = tf.getKernel(kernelName, "wasm")!.kernelFunc;
    }
    ourLeakyReluGradient = tf.getGradient(tf.LeakyRelu);
  }
  for (const [kernelName, choice] of Object.entries(variant.kernels)) {
    const f =
      choice === "ours"
        ? ours[kernelName]!
        : choice === "stock"
          ? stockKernel(kernelName, "wasm")!
          : (choice as unknown as tf.KernelFunc);
    const existing = tf.getKernel(kernelName, "wasm")!;
    if (existing.kernelFunc === f) continue;
    tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({
      kernelName,
      backendName: "wasm",
      kernelFunc: f,
      ...(existing.setupFunc ? { setupFunc: existing.setupFunc } : {}),
      ...(existing.disposeFunc ? { disposeFunc: existing.disposeFunc } : {}),
    });
  }
  setSimdKernelsEnabled(variant.simd !== false);
  const grad = variant.stockLeakyReluGradient ? stockLeakyReluGradient() : ourLeakyReluGradient;
  if (grad) tf.registerGradient(grad);
}
