// Picks the tfjs backend by measuring, not by name: a few forward+backward steps of a small
// DCGAN-shaped workload on each candidate, fastest wins. WebGL is the fast path on a real GPU;
// where it is software-rendered (SwiftShader, llvmpipe) wasm with SIMD and threads is ~20× faster.
// Works on a page, in a Worker and in Node (where the candidates are wasm and cpu).
import * as tf from "@tensorflow/tfjs-core";
// The umbrella package registers every gradient (training needs them) and the cpu and webgl
// backends, in browsers (ESM) and in Node (its CJS bundle) alike; a deep import of tfjs-core's
// register_all_gradients would load a second, ESM copy of tfjs-core under Node.
import "@tensorflow/tfjs";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerCustomKernels } from "./kernels";

export type BackendName = "webgl" | "wasm" | "cpu";

export interface BackendReport {
  /** The backend now active. */
  backend: BackendName;
  /**
   * Median ms per probe step for each measured candidate; null when it could not run or was
   * skipped (see reason). A lone usable candidate is activated without a probe.
   */
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
  /**
   * Measure WebGL even when its renderer is software (SwiftShader, llvmpipe). Off by default:
   * tfjs's webgl start-up alone then blocks for seconds, and bench:gan measured such WebGL at
   * ~25× slower than wasm on the same machine.
   */
  measureSoftwareWebgl?: boolean;
  /**
   * Use wasm threads where the page allows them (cross-origin isolated). On by default in
   * browsers. tfjs-backend-wasm 4.22 starts its pthread workers from `toString()` of its own
   * module, which breaks once a bundler (Next) has rewritten that module; setWasmBackend
   * therefore points the pthread workers at the unbundled glue file served next to the .wasm
   * binaries (see WASM_THREADED_GLUE), and stays single-threaded when that file is missing.
   */
  wasmThreads?: boolean;
}

/** Where the app serves the wasm binaries (copied there by scripts/copy-wasm.mjs). */
export const WASM_URL_PATH = "/tfjs-wasm/";

/**
 * tfjs-backend-wasm's threaded Emscripten glue, unbundled (wasm-out/ of the package), served
 * beside the .wasm binaries: each pthread worker loads it with importScripts.
 */
export const WASM_THREADED_GLUE = "tfjs-backend-wasm-threaded-simd.js";

/** The Emscripten module option naming the script every pthread worker loads. */
const MAIN_SCRIPT_OPTION = "mainScriptUrlOrBlob";

const PROBE_ORDER: Record<BackendName, number> = { wasm: 0, webgl: 1, cpu: 2 };

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render/i;

function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; window?: unknown };
  return typeof g.process?.versions?.node === "string" && g.window === undefined;
}

function crossOriginIsolated(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

function hardwareThreads(): number | undefined {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const n = nav?.hardwareConcurrency;
  return typeof n === "number" && n > 0 ? n : undefined;
}

let wasmPrepared = false;
let wasmThreads: number | undefined;
let wasmPathUsed: string | undefined;

/**
 * Runs `init` (the wasm backend's initialisation) so that its pthread workers load `glueUrl`.
 * tfjs-backend-wasm 4.22 sets the Emscripten option `mainScriptUrlOrBlob` to a Blob holding
 * `toString()` of its own threaded module: a bundler-rewritten copy fails to evaluate in the
 * workers (and importing a blob: script is also refused under the app's CSP), and the backend
 * then waits for its workers forever. For the duration of `init`, a setter on Object.prototype
 * turns that assignment into the glue's same-origin URL (a string: the workers importScripts
 * it); it is removed afterwards, also when `init` fails.
 */
export async function withThreadedGlue<T>(glueUrl: string, init: () => Promise<T>): Promise<T> {
  const proto = Object.prototype as Record<string, unknown>;
  if (Object.getOwnPropertyDescriptor(proto, MAIN_SCRIPT_OPTION)) return init();
  Object.defineProperty(proto, MAIN_SCRIPT_OPTION, {
    configurable: true,
    enumerable: false,
    get: () => undefined,
    set(this: object) {
      Object.defineProperty(this, MAIN_SCRIPT_OPTION, {
        value: glueUrl,
        writable: true,
        configurable: true,
        enumerable: true,
      });
    },
  });
  try {
    return await init();
  } finally {
    delete proto[MAIN_SCRIPT_OPTION];
  }
}

/** Absolute URL of the threaded glue, or undefined when it cannot be fetched (no threads). */
async function threadedGlueUrl(path: string): Promise<string | undefined> {
  const loc = (globalThis as { location?: { href: string } }).location;
  if (!loc) return undefined;
  const url = new URL(path + WASM_THREADED_GLUE, loc.href).href;
  try {
    const res = await fetch(url, { method: "HEAD" });
    return res.ok ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Points tfjs at the wasm binaries and asks for one thread per logical core. Call before the
 * wasm backend first initialises (or use setWasmBackend, which does): tfjs reads the thread
 * count once and ignores later changes. Threads need a cross-origin isolated page (COOP/COEP).
 */
export function prepareWasm(
  opts: { wasmPath?: string; threads?: number; multithread?: boolean } = {},
): void {
  if (wasmPrepared) return;
  wasmPrepared = true;
  if (opts.multithread === false) tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  const path = opts.wasmPath ?? (isNode() ? undefined : WASM_URL_PATH);
  wasmPathUsed = path;
  if (path !== undefined) setWasmPaths(path);
  wasmThreads = opts.threads ?? hardwareThreads();
  if (wasmThreads !== undefined) setThreadsCount(wasmThreads);
}

/**
 * Activates the wasm backend with the thread count prepareWasm asked for. tfjs-backend-wasm
 * 4.22 caps its thread pool at navigator.hardwareConcurrency / 2 (it assumes two hyper-threads
 * per core), read once when the module instantiates; on a 2-core laptop that means one thread.
 * For the duration of the initialisation, hardwareConcurrency reports twice the requested
 * count so the cap lands on it; the real value is restored right after.
 */
export async function setWasmBackend(
  opts: { wasmPath?: string; threads?: number; multithread?: boolean } = {},
): Promise<boolean> {
  prepareWasm(opts);
  const nav = (globalThis as { navigator?: object }).navigator;
  const threads = wasmThreads;
  // Not tf.findBackend: it starts initialising a registered backend as a side effect, and the
  // patches below must be in place before that begins.
  const fresh = !("wasm" in (tf.engine() as unknown as { registry: object }).registry);
  const patch = nav !== undefined && threads !== undefined && !isNode() && fresh;
  let glue: string | undefined;
  if (fresh && !isNode() && (await wasmWouldThread())) {
    glue = await threadedGlueUrl(wasmPathUsed ?? WASM_URL_PATH);
    // Without the glue file the pthread workers could not start: stay on one thread.
    if (glue === undefined) tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  }
  if (patch) {
    Object.defineProperty(nav, "hardwareConcurrency", {
      configurable: true,
      get: () => threads * 2,
    });
  }
  try {
    const activate = () => tf.setBackend("wasm");
    return glue !== undefined ? await withThreadedGlue(glue, activate) : await activate();
  } finally {
    if (patch) delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/** tfjs would pick the threaded SIMD binary (the only one that starts pthread workers). */
async function wasmWouldThread(): Promise<boolean> {
  const [simd, threads] = await Promise.all([
    tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"),
    tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"),
  ]);
  return Boolean(simd) && Boolean(threads);
}

type GL = WebGLRenderingContext;

/**
 * The unmasked renderer of a throwaway WebGL context, found without starting tfjs's webgl
 * backend (whose start-up and shader compilation block a worker for seconds on software GL).
 */
function peekRenderer(): string | undefined {
  const g = globalThis as {
    OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string): unknown };
  };
  if (g.OffscreenCanvas === undefined) return undefined;
  try {
    const canvas = new g.OffscreenCanvas(1, 1);
    const gl = (canvas.getContext("webgl2") ?? canvas.getContext("webgl")) as GL | null;
    if (!gl) return undefined;
    const name = rendererOf(gl);
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return name;
  } catch {
    return undefined;
  }
}

function rendererOf(gl: GL): string | undefined {
  const ext = gl.getExtension("WEBGL_debug_renderer_info");
  const name = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) as unknown;
  return typeof name === "string" ? name : undefined;
}

/** The unmasked WebGL renderer string of the active webgl backend, if the browser exposes it. */
function webglRenderer(): string | undefined {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: GL } }).gpgpu?.gl;
  return gl ? rendererOf(gl) : undefined;
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

const timeout = (ms: number) =>
  new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms));

/**
 * Median ms of `steps` probe steps after one warm-up step. With a deadline, gives up as soon as
 * one step (warm-up included) has taken longer, returning the time waited as a lower bound.
 */
async function measure(
  steps: number,
  budgetMs: number,
  deadlineMs = Infinity,
): Promise<{ ms: number; cutOff: boolean }> {
  const probe = makeProbe();
  let abandoned = false;
  try {
    const timed = async () => {
      const t0 = performance.now();
      const done = probe.step();
      const result = Number.isFinite(deadlineMs)
        ? await Promise.race([done, timeout(deadlineMs)])
        : await done;
      if (result === "timeout") {
        abandoned = true;
        // Let the queued GPU work finish before the probe's tensors go.
        void done.finally(() => probe.dispose());
      }
      return performance.now() - t0;
    };
    const warm = await timed(); // shader compilation, XNNPACK operator set-up
    if (abandoned) return { ms: warm, cutOff: true };
    const times: number[] = [];
    const start = performance.now();
    for (let i = 0; i < steps; i++) {
      times.push(await timed());
      if (abandoned) return { ms: times[times.length - 1]!, cutOff: true };
      if (performance.now() - start > budgetMs) break;
    }
    return { ms: median(times), cutOff: false };
  } finally {
    if (!abandoned) probe.dispose();
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

  const msPerStep: BackendReport["msPerStep"] = {};
  const notes: string[] = [];
  let simd: boolean | null = null;
  let threads: number | null = null;
  let renderer: string | undefined;

  // wasm first: its time bounds how long a software-rendered WebGL is worth waiting for.
  const order = [...candidates].sort((a, b) => PROBE_ORDER[a] - PROBE_ORDER[b]);
  const runnable = order.filter((name) => {
    if (name !== "webgl") return true;
    if (node) {
      msPerStep.webgl = null;
      notes.push("webgl: not available in Node");
      return false;
    }
    if (opts.measureSoftwareWebgl || candidates.length === 1) return true;
    renderer = peekRenderer();
    if (renderer !== undefined && SOFTWARE_GL.test(renderer)) {
      msPerStep.webgl = null;
      notes.push("webgl: software renderer, not measured");
      log(`backend probe webgl: skipped, software renderer (${renderer})`);
      return false;
    }
    return true;
  });
  // With a single candidate left there is nothing to compare: skip the probe (page open →
  // first training step is what a student waits through).
  let unmeasured: BackendName | undefined;
  for (const name of runnable) {
    let ok = false;
    try {
      ok =
        name === "wasm"
          ? await setWasmBackend({
              wasmPath: opts.wasmPath,
              multithread: node || (opts.wasmThreads ?? crossOriginIsolated()),
            })
          : await tf.setBackend(name);
    } catch (e) {
      notes.push(`${name}: failed to initialise (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!ok) {
      msPerStep[name] = null;
      continue;
    }
    if (name === "wasm") {
      simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
      threads = getThreadsCount();
    }
    if (runnable.length === 1) {
      unmeasured = name;
      break;
    }
    let software = false;
    if (name === "webgl") {
      renderer = webglRenderer();
      software = renderer !== undefined && SOFTWARE_GL.test(renderer);
    }
    // Software WebGL is measured too (by measurement, not by name), but only until it has
    // clearly lost to the fastest backend so far: its first step alone can take seconds.
    const fastest = Math.min(...Object.values(msPerStep).map((v) => v ?? Infinity));
    const deadline = software && Number.isFinite(fastest) ? Math.max(500, 3 * fastest) : Infinity;
    const { ms, cutOff } = await measure(software ? 1 : steps, budgetMs, deadline);
    msPerStep[name] = ms;
    if (cutOff) notes.push(`${name}: stopped after ${ms.toFixed(0)} ms, already slower`);
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
  let best = unmeasured ?? ranked[0]?.[0];
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
  const why = unmeasured
    ? `${best}: the only usable candidate (not measured)`
    : `${best}: fastest probe step` +
      (bestMs != null ? ` (${bestMs.toFixed(0)} ms` : " (") +
      (others ? ` vs ${others})` : ")");
  const reason =
    why +
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
