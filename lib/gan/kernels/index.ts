// Registers lib/gan's kernels over tfjs's missing or slow ones. Import order matters: the wasm
// backend registers its own kernels when its module loads, so it is imported here first and
// ours overwrite them afterwards.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { conv2DBackpropFilterCpu, conv2DBackpropInputCpu } from "./cpu-conv-grads";
import { resizeNearestNeighborGradCpu } from "./cpu-resize";
import { conv2DBackpropFilterWasm, conv2DBackpropInputWasm } from "./wasm-conv-grads";
import { makeTileWasm } from "./wasm-tile";
import { makeBatchMatMulWasm } from "./wasm-matmul";
import {
  LEAKY_RELU_GRAD,
  leakyReluGradConfig,
  leakyReluGradWasm,
  makeFusedBatchNormWasm,
  makeIdentityWasm,
  makeLeakyReluWasm,
  makeResizeNearestNeighborGradWasm,
  makeResizeNearestNeighborWasm,
} from "./wasm-pointwise";
import { makeMeanWasm, makeSumWasm } from "./wasm-reduce";
import { makeBinaryWasm, makeUnaryWasm } from "./wasm-elementwise";
import { makeConv2DWasm } from "./wasm-conv-single";

/** Marks our registrations so a second call (or a hot reload) does not stack them. */
const OURS = Symbol.for("spot-the-fake.kernel");

/** On our kernel functions: the kernel they replaced (for A/B benchmarks and tests). */
const STOCK = Symbol.for("spot-the-fake.stock-kernel");

type Tagged = tf.KernelFunc & { [OURS]?: true; [STOCK]?: tf.KernelFunc };

function install(
  kernelName: string,
  backendName: string,
  make: (stock?: tf.KernelFunc) => tf.KernelFunc,
): void {
  const existing = tf.getKernel(kernelName, backendName);
  if ((existing?.kernelFunc as Tagged | undefined)?.[OURS]) return;
  if (existing) tf.unregisterKernel(kernelName, backendName);
  const kernelFunc = make(existing?.kernelFunc) as Tagged;
  kernelFunc[OURS] = true;
  if (existing) kernelFunc[STOCK] = existing.kernelFunc;
  // Keep the stock set-up (it binds the wasm functions a wrapped stock kernel calls); the
  // backend runs it when it initialises.
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc,
    ...(existing?.setupFunc ? { setupFunc: existing.setupFunc } : {}),
    ...(existing?.disposeFunc ? { disposeFunc: existing.disposeFunc } : {}),
  });
}

/** Names of the kernels lib/gan replaces, per backend (for reports and tests). */
export const CUSTOM_KERNELS = {
  wasm: [
    tf.Conv2DBackpropFilter,
    tf.Conv2DBackpropInput,
    tf.Tile,
    tf.BatchMatMul,
    tf.LeakyRelu,
    LEAKY_RELU_GRAD,
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
  ],
  cpu: [tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput, tf.ResizeNearestNeighborGrad],
} as const;

/** Registers the custom kernels; safe to call any number of times, before or after setBackend. */
export function registerCustomKernels(): void {
  install(tf.Conv2DBackpropFilter, "wasm", () => conv2DBackpropFilterWasm as tf.KernelFunc);
  install(tf.Conv2DBackpropInput, "wasm", () => conv2DBackpropInputWasm as tf.KernelFunc);
  install(tf.Tile, "wasm", (stock) => makeTileWasm(stock));
  install(tf.BatchMatMul, "wasm", (stock) => {
    if (!stock) throw new Error("expected tfjs-backend-wasm to register BatchMatMul");
    return makeBatchMatMulWasm(stock);
  });
  install(tf.LeakyRelu, "wasm", (stock) => makeLeakyReluWasm(stock));
  install(LEAKY_RELU_GRAD, "wasm", () => leakyReluGradWasm);
  install(tf.Sum, "wasm", (stock) => {
    if (!stock) throw new Error("expected tfjs-backend-wasm to register Sum");
    return makeSumWasm(stock);
  });
  install(tf.Mean, "wasm", (stock) => {
    if (!stock) throw new Error("expected tfjs-backend-wasm to register Mean");
    return makeMeanWasm(stock);
  });
  install(tf.Identity, "wasm", (stock) => makeIdentityWasm(stock));
  install(tf.FusedBatchNorm, "wasm", (stock) => {
    if (!stock) throw new Error("expected tfjs-backend-wasm to register FusedBatchNorm");
    return makeFusedBatchNormWasm(stock);
  });
  install(tf.ResizeNearestNeighborGrad, "wasm", (stock) => {
    if (!stock) throw new Error("expected tfjs-backend-wasm to register ResizeNearestNeighborGrad");
    return makeResizeNearestNeighborGradWasm(stock);
  });
  install(tf.ResizeNearestNeighbor, "wasm", (stock) => {
    if (!stock) throw new Error("expected tfjs-backend-wasm to register ResizeNearestNeighbor");
    return makeResizeNearestNeighborWasm(stock);
  });
  install(tf.Conv2D, "wasm", (stock) => {
    if (!stock) throw new Error("expected tfjs-backend-wasm to register Conv2D");
    return makeConv2DWasm(stock);
  });
  const elementwise = [
    [tf.Add, (stock: tf.KernelFunc) => makeBinaryWasm("add", stock)],
    [tf.Sub, (stock: tf.KernelFunc) => makeBinaryWasm("sub", stock)],
    [tf.Multiply, (stock: tf.KernelFunc) => makeBinaryWasm("mul", stock)],
    [tf.RealDiv, (stock: tf.KernelFunc) => makeBinaryWasm("div", stock)],
    [tf.Square, (stock: tf.KernelFunc) => makeUnaryWasm("square", stock)],
    [tf.Sqrt, (stock: tf.KernelFunc) => makeUnaryWasm("sqrt", stock)],
  ] as const;
  for (const [kernelName, make] of elementwise) {
    install(kernelName, "wasm", (stock) => {
      if (!stock) throw new Error(`expected tfjs-backend-wasm to register ${kernelName}`);
      return make(stock);
    });
  }
  // LeakyRelu's gradient runs as one fused kernel on wasm (three stock passes elsewhere).
  const grad = tf.getGradient(tf.LeakyRelu);
  if (grad && grad !== leakyReluGradConfig) stockLeakyReluGrad = grad;
  tf.registerGradient(leakyReluGradConfig);
  install(tf.Conv2DBackpropFilter, "cpu", () => conv2DBackpropFilterCpu as tf.KernelFunc);
  install(tf.Conv2DBackpropInput, "cpu", () => conv2DBackpropInputCpu as tf.KernelFunc);
  install(tf.ResizeNearestNeighborGrad, "cpu", () => resizeNearestNeighborGradCpu as tf.KernelFunc);
}

let stockLeakyReluGrad: tf.GradConfig | undefined;

/** The kernel tfjs registered under `kernelName` before ours (the current one if not ours). */
export function stockKernel(kernelName: string, backendName: string): tf.KernelFunc | undefined {
  const f = tf.getKernel(kernelName, backendName)?.kernelFunc as Tagged | undefined;
  return f?.[OURS] ? f[STOCK] : f;
}

/** tfjs-core's LeakyRelu gradient as it was before registerCustomKernels replaced it. */
export function stockLeakyReluGradient(): tf.GradConfig | undefined {
  return stockLeakyReluGrad;
}

/** True when `kernelName` on `backendName` is one of ours. */
export function isCustomKernel(kernelName: string, backendName: string): boolean {
  return Boolean((tf.getKernel(kernelName, backendName)?.kernelFunc as Tagged | undefined)?.[OURS]);
}
