// Browser side of `npm run bench:gan`, bundled by esbuild and run in a dedicated Worker (where
// the app trains). The page posts one request; results come back as messages.
import * as tf from "@tensorflow/tfjs-core";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { initBestBackend, setWasmBackend, type BackendName } from "@/lib/gan/backend";
import { registerCustomKernels } from "@/lib/gan/kernels";
import { fetchDigits } from "@/lib/gan/dataset";
import type { GanConfigOverrides, PresetName } from "@/lib/gan/config";
import { abSteps, benchTrainingSteps, profileSteps } from "../bench-gan-core";
import { activateVariant, benchKernels, layerCases, probeCases } from "../bench-gan-kernels";

export type WorkerRequest =
  | {
      kind: "steps";
      backend: BackendName;
      runs: { preset: PresetName; steps: number; budgetMs: number }[];
    }
  | { kind: "first-step"; preset: PresetName }
  | { kind: "profile"; preset: PresetName; steps: number; threads?: number }
  | { kind: "kernels"; preset: PresetName | "probe"; reps: number; threads?: number }
  | {
      kind: "ab";
      preset: PresetName;
      variants: string[];
      rounds: number;
      stepsPerRound: number;
      threads?: number;
      overrides?: GanConfigOverrides;
    };

const post = (message: Record<string, unknown>) => postMessage(message);

async function environment(backend: BackendName) {
  const info: Record<string, unknown> = {
    crossOriginIsolated:
      (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? false,
    cores: navigator.hardwareConcurrency,
  };
  if (backend === "wasm") {
    info.simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    info.threadsSupported = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    info.threads = getThreadsCount();
  }
  if (backend === "webgl") {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
    const ext = gl?.getExtension("WEBGL_debug_renderer_info");
    info.renderer = gl && ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : undefined;
  }
  return info;
}

async function run(req: WorkerRequest): Promise<void> {
  if (req.kind === "first-step") {
    // What the app does on page open: pick a backend by measuring, load the digits, train.
    const [report, digits] = await Promise.all([initBestBackend(), fetchDigits()]);
    post({ kind: "backend", report });
    await benchTrainingSteps({
      preset: req.preset,
      digits,
      steps: 0,
      budgetMs: 0,
      onFirstStep: () => post({ kind: "first-step", backend: tf.getBackend() }),
    });
    return;
  }
  registerCustomKernels();
  if (req.kind === "ab") {
    await setWasmBackend(req.threads !== undefined ? { threads: req.threads } : {});
    post({ kind: "env", backend: "wasm", ...(await environment("wasm")) });
    const times = await abSteps({
      preset: req.preset,
      digits: await fetchDigits(),
      variants: req.variants.map((name) => ({ name, activate: () => activateVariant(name) })),
      rounds: req.rounds,
      stepsPerRound: req.stepsPerRound,
      ...(req.overrides ? { overrides: req.overrides } : {}),
    });
    post({ kind: "ab", times });
    return;
  }
  if (req.kind === "kernels") {
    await setWasmBackend(req.threads !== undefined ? { threads: req.threads } : {});
    post({ kind: "env", backend: "wasm", ...(await environment("wasm")) });
    const cases = req.preset === "probe" ? probeCases(64) : layerCases(req.preset);
    post({ kind: "kernels", timings: benchKernels(cases, req.reps) });
    return;
  }
  if (req.kind === "profile") {
    await setWasmBackend(req.threads !== undefined ? { threads: req.threads } : {});
    post({ kind: "env", backend: "wasm", ...(await environment("wasm")) });
    post({ kind: "profile", ...(await profileSteps(req.preset, req.steps, await fetchDigits())) });
    return;
  }
  const t0 = performance.now();
  const ok = req.backend === "wasm" ? await setWasmBackend() : await tf.setBackend(req.backend);
  if (!ok) throw new Error(`backend ${req.backend} failed to initialise`);
  const initMs = performance.now() - t0;
  post({ kind: "env", backend: req.backend, initMs, ...(await environment(req.backend)) });
  const digits = await fetchDigits();
  for (const r of req.runs) {
    const result = await benchTrainingSteps({
      preset: r.preset,
      digits,
      steps: r.steps,
      budgetMs: r.budgetMs,
    });
    post({ kind: "result", result });
  }
}

onmessage = (e: MessageEvent<WorkerRequest>) => {
  run(e.data).then(
    () => post({ kind: "done" }),
    (err: unknown) =>
      post({
        kind: "error",
        message: err instanceof Error ? `${err.message}\n${err.stack}` : String(err),
      }),
  );
};
