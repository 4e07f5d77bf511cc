// Picks the tfjs backend by measuring, not by name: a few forward+backward steps of a small
// DCGAN-shaped workload on each candidate, fastest wins. WebGL is the fast path on a real GPU;
// where it is software-rendered (SwiftShader, llvmpipe) wasm with SIMD and threads is ~20× faster.
// Works on a page, in a Worker and in Node (where the candidates are wasm and cpu).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-webgl";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerCustomKernels } from "./kernels";

export type BackendName = "webgl" | "wasm" | "cpu";

export interface BackendReport {
  /** The backend now active. */
  backend: BackendName;
  /** Median ms per probe step for each candidate; null when it could not run (see reason). */
  msPerStep: Partial<Record<BackendName, number | null>>;
  /** wasm SIMD available (null when wasm was not a candidate). */
  simd: boolean | null;
  /** wasm threads actually in use (1 without cross-origin isolation or in Node). */
  threads: number | null;
  webglRenderer?: string;
  /** One sentence a teacher's console log can show: what was chosen and why. */
  reason: string;
}

export interface InitOptions {
  candidates?: readonly BackendName[];
  /** Timed probe steps per candidate after one warm-up step (default 3). */
  probeSteps?: number;
  log?: (message: string) => void;
  /** Directory (URL or file path, ending in "/") holding the tfjs-backend-wasm .wasm files. */
  wasmPath?: string;
  /** Wall-clock budget per candidate's timed steps, ms (default 4000): a slow backend stops early. */
  budgetMs?: number;
}

/** Where the app serves the wasm binaries (copied there by scripts/copy-wasm.mjs). */
export const WASM_URL_PATH = "/tfjs-wasm/";

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render/i;

function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; window?: unknown };
  return typeof g.process?.versions?.node === "string" && g.window === undefined;
}

function hardwareThreads(): number | undefined {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const n = nav?.hardwareConcurrency;
  return typeof n === "number" && n > 0 ? n : undefined;
}

let wasmPrepared = false;

/**
 * Points tfjs at the wasm binaries and asks for one thread per core. Must run before the wasm
 * backend first initialises: tfjs reads the thread count once (its default is half the cores)
 * and ignores later changes. Threads need a cross-origin isolated page (COOP/COEP headers).
 */
export function prepareWasm(opts: { wasmPath?: string; threads?: number } = {}): void {
  if (wasmPrepared) return;
  wasmPrepared = true;
  const path = opts.wasmPath ?? (isNode() ? undefined : WASM_URL_PATH);
  if (path !== undefined) setWasmPaths(path);
  const threads = opts.threads ?? hardwareThreads();
  if (threads !== undefined) setThreadsCount(threads);
}

/** The unmasked WebGL renderer string of the active webgl backend, if the browser exposes it. */
function webglRenderer(): string | undefined {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (!gl) return undefined;
  const ext = gl.getExtension("WEBGL_debug_renderer_info");
  const name = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) as unknown;
  return typeof name === "string" ? name : undefined;
}

/** A small conv workload shaped like one D step + one G step of the DCGAN (batch 16). */
function makeProbe(): { step: () => Promise<void>; dispose: () => void } {
  const v = (shape: number[], seed: number) => {
    const init = tf.tidy(() => tf.mul(tf.randomNormal(shape, 0, 1, "float32", seed), 0.05));
    const variable = tf.variable(init);
    init.dispose();
    return variable;
  };
  const weights = {
    d1: v([5, 5, 1, 32], 1),
    d2: v([5, 5, 32, 64], 2),
    d3: v([7 * 7 * 64, 1], 3),
    g1: v([32, 7 * 7 * 64], 4),
    g2: v([5, 5, 32, 64], 5),
    g3: v([5, 5, 1, 32], 6),
  };
  const byName = new Map(Object.values(weights).map((w) => [w.name, w]));
  const real = tf.randomUniform([16, 28, 28, 1], -1, 1, "float32", 7) as tf.Tensor4D;
  const z = tf.randomNormal([16, 32], 0, 1, "float32", 8) as tf.Tensor2D;
  const d = (x: tf.Tensor4D) => {
    const h1 = tf.leakyRelu(tf.conv2d(x, weights.d1 as tf.Tensor4D, 2, "same"), 0.2);
    const h2 = tf.leakyRelu(tf.conv2d(h1, weights.d2 as tf.Tensor4D, 2, "same"), 0.2);
    return tf.matMul(tf.reshape(h2, [x.shape[0], -1]), weights.d3 as tf.Tensor2D);
  };
  const g = () => {
    const h = tf.reshape(
      tf.leakyRelu(tf.matMul(z, weights.g1 as tf.Tensor2D), 0.2),
      [16, 7, 7, 64],
    );
    const up = tf.leakyRelu(
      tf.conv2dTranspose(h as tf.Tensor4D, weights.g2 as tf.Tensor4D, [16, 14, 14, 32], 2, "same"),
      0.2,
    );
    return tf.tanh(tf.conv2dTranspose(up, weights.g3 as tf.Tensor4D, [16, 28, 28, 1], 2, "same"));
  };
  const step = async () => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() =>
        tf.mean(tf.sub(tf.softplus(d(g())), tf.softplus(d(real)))),
      );
      for (const [name, grad] of Object.entries(grads)) {
        const w = byName.get(name);
        w?.assign(tf.sub(w, tf.mul(grad, 1e-3)));
      }
      return value;
    });
    await loss.data();
    loss.dispose();
  };
  return { step, dispose: () => tf.dispose([...Object.values(weights), real, z]) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function measure(steps: number, budgetMs: number): Promise<number> {
  const probe = makeProbe();
  try {
    await probe.step(); // warm-up: shader compilation, XNNPACK operator set-up
    const times: number[] = [];
    const start = performance.now();
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await probe.step();
      times.push(performance.now() - t0);
      if (performance.now() - start > budgetMs) break;
    }
    return median(times);
  } finally {
    probe.dispose();
  }
}

/**
 * Registers lib/gan's kernels, measures each available candidate and activates the fastest.
 * Never throws for an unavailable candidate; throws only when none can run.
 */
export async function initBestBackend(opts: InitOptions = {}): Promise<BackendReport> {
  const log = opts.log ?? (() => {});
  const node = isNode();
  const candidates = opts.candidates ?? (node ? ["wasm", "cpu"] : ["webgl", "wasm"]);
  const steps = Math.max(1, opts.probeSteps ?? 3);
  const budgetMs = opts.budgetMs ?? 4000;
  registerCustomKernels();
  if (candidates.includes("wasm")) prepareWasm({ wasmPath: opts.wasmPath });

  const msPerStep: BackendReport["msPerStep"] = {};
  const notes: string[] = [];
  let simd: boolean | null = null;
  let threads: number | null = null;
  let renderer: string | undefined;

  for (const name of candidates) {
    if (name === "webgl" && node) {
      msPerStep.webgl = null;
      notes.push("webgl: not available in Node");
      continue;
    }
    let ok = false;
    try {
      ok = await tf.setBackend(name);
    } catch (e) {
      notes.push(`${name}: failed to initialise (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!ok) {
      msPerStep[name] = null;
      continue;
    }
    let software = false;
    if (name === "webgl") {
      renderer = webglRenderer();
      software = renderer !== undefined && SOFTWARE_GL.test(renderer);
    }
    if (name === "wasm") {
      simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
      threads = getThreadsCount();
    }
    // Software WebGL is measured too (by measurement, not by name) but with one timed step:
    // its first steps alone can take seconds.
    const ms = await measure(software ? 1 : steps, software ? 0 : budgetMs);
    msPerStep[name] = ms;
    const extra =
      name === "webgl"
        ? ` (${renderer ?? "renderer hidden"}${software ? ", software" : ""})`
        : name === "wasm"
          ? ` (SIMD ${simd ? "on" : "off"}, ${threads} thread${threads === 1 ? "" : "s"})`
          : "";
    log(`backend probe ${name}: ${ms.toFixed(1)} ms/step${extra}`);
  }

  const ranked = (Object.entries(msPerStep) as [BackendName, number | null][])
    .filter((e): e is [BackendName, number] => e[1] !== null)
    .sort((a, b) => a[1] - b[1]);
  let best = ranked[0]?.[0];
  if (!best) {
    // Nothing measured: fall back to cpu, which always exists.
    if (!(await tf.setBackend("cpu")))
      throw new Error(`no usable tfjs backend: ${notes.join("; ")}`);
    best = "cpu";
    notes.push("cpu: fallback, no candidate could run");
  } else {
    await tf.setBackend(best);
  }
  const others = ranked
    .slice(1)
    .map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`)
    .join(", ");
  const bestMs = msPerStep[best];
  const reason =
    `${best}: fastest probe step` +
    (bestMs != null ? ` (${bestMs.toFixed(0)} ms` : " (") +
    (others ? ` vs ${others})` : ")") +
    (best === "wasm" ? `, SIMD ${simd ? "on" : "off"}, ${threads} thread(s)` : "") +
    (renderer ? `; WebGL renderer ${renderer}` : "") +
    (notes.length ? `; ${notes.join("; ")}` : "");
  log(`backend chosen: ${reason}`);
  return {
    backend: best,
    msPerStep,
    simd,
    threads,
    ...(renderer !== undefined ? { webglRenderer: renderer } : {}),
    reason,
  };
}
