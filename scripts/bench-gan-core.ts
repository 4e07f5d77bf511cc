// The measurement both halves of `npm run bench:gan` share (Node directly, Chromium inside a
// Worker): time full training steps — one D step + one G step on real digits — of a preset.
import * as tf from "@tensorflow/tfjs-core";
import { PRESETS, resolveConfig, type GanConfigOverrides, type PresetName } from "@/lib/gan/config";
import type { Digits } from "@/lib/gan/dataset";
import { createRealSampler, type RealSampler } from "@/lib/gan/batches";
import {
  createGan,
  dispose,
  disposeStats,
  trainDiscriminatorStep,
  trainGeneratorStep,
  type Gan,
} from "@/lib/gan/train";

export interface StepBenchOptions {
  preset: PresetName;
  digits: Digits;
  /** Timed steps after the warm-up step (fewer if the budget runs out first). */
  steps: number;
  /** Wall-clock budget for the timed steps, ms. */
  budgetMs: number;
  seed?: number;
  /** Called after the first finished step (page-open → first-step measurement). */
  onFirstStep?: () => void;
}

export interface StepBenchResult {
  preset: PresetName;
  backend: string;
  batchSize: number;
  /** Model build + first step (kernel set-up, shader compilation), ms. */
  warmupMs: number;
  /** Median ms per step over `steps` timed steps; null when none fit the budget. */
  medianMs: number | null;
  p10Ms: number | null;
  p90Ms: number | null;
  steps: number;
  /** The budget ended the run before the requested number of steps. */
  truncated: boolean;
  /** tf.memory().numTensors grew during the timed steps (a leak). */
  leakedTensors: number;
  /**
   * Median process CPU ms per step (Node only). For a single-threaded backend this is the step
   * time without the other processes of a shared machine; null where unavailable.
   */
  cpuMedianMs: number | null;
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export async function benchTrainingSteps(opts: StepBenchOptions): Promise<StepBenchResult> {
  const cfg = PRESETS[opts.preset];
  const seed = opts.seed ?? 1;
  const t0 = performance.now();
  const gan = createGan(cfg, seed);
  const sampler = createRealSampler(opts.digits, { batchSize: cfg.batchSize, seed });
  const step = () => trainingStep(gan, sampler);
  try {
    await step();
    const warmupMs = performance.now() - t0;
    opts.onFirstStep?.();
    const before = tf.memory().numTensors;
    const times: number[] = [];
    const cpuTimes: number[] = [];
    const cpuUsage = (
      globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }
    ).process?.cpuUsage;
    const cpuMs = () => {
      const u = cpuUsage!();
      return (u.user + u.system) / 1000;
    };
    const start = performance.now();
    while (times.length < opts.steps && performance.now() - start < opts.budgetMs) {
      const s = performance.now();
      const c = cpuUsage ? cpuMs() : 0;
      await step();
      times.push(performance.now() - s);
      if (cpuUsage) cpuTimes.push(cpuMs() - c);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return {
      preset: opts.preset,
      backend: tf.getBackend(),
      batchSize: cfg.batchSize,
      warmupMs,
      medianMs: quantile(sorted, 0.5),
      p10Ms: quantile(sorted, 0.1),
      p90Ms: quantile(sorted, 0.9),
      steps: times.length,
      truncated: times.length < opts.steps,
      leakedTensors: tf.memory().numTensors - before,
      cpuMedianMs: quantile(
        [...cpuTimes].sort((a, b) => a - b),
        0.5,
      ),
    };
  } finally {
    sampler.dispose();
    dispose(gan);
  }
}

/**
 * Kernel time per training step, summed by kernel name (nested kernels, such as the convs inside
 * lib/gan's gradient kernels, are counted in both), after two warm-up steps.
 */
export async function profileSteps(
  preset: PresetName,
  steps: number,
  digits: Digits,
): Promise<{
  msPerStep: number;
  kernels: Record<string, number>;
  byShape: Record<string, number>;
}> {
  const cfg = PRESETS[preset];
  const gan = createGan(cfg, 1);
  const sampler = createRealSampler(digits, { batchSize: cfg.batchSize, seed: 1 });
  const step = () => trainingStep(gan, sampler);
  try {
    await step();
    await step();
    const kernels: Record<string, number> = {};
    const byShape: Record<string, number> = {};
    let wall = 0;
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      const info = await tf.profile(step);
      wall += performance.now() - t0;
      for (const k of info.kernels) {
        const ms = (await k.kernelTimeMs) as number;
        kernels[k.name] = (kernels[k.name] ?? 0) + ms / steps;
        const key = `${k.name} ${k.inputShapes.map((s) => `[${s?.join(",")}]`).join(" ")}`;
        byShape[key] = (byShape[key] ?? 0) + ms / steps;
      }
    }
    return { msPerStep: wall / steps, kernels, byShape };
  } finally {
    sampler.dispose();
    dispose(gan);
  }
}

/**
 * A/B of kernel variants on full training steps in one process: rounds of `stepsPerRound` timed
 * steps per variant (after one untimed step), the variants' order rotating each round, so load
 * changes hit all variants alike. Returns each variant's step times.
 */
export async function abSteps(opts: {
  preset: PresetName;
  digits: Digits;
  variants: { name: string; activate: () => void }[];
  rounds: number;
  stepsPerRound: number;
  /** Wall time by default; Node passes process CPU time (load-independent on one thread). */
  clock?: () => number;
  /** Config overrides on top of the preset (e.g. {"gOutput": "resize-conv"}). */
  overrides?: GanConfigOverrides;
}): Promise<Record<string, number[]>> {
  const clock = opts.clock ?? (() => performance.now());
  const cfg = resolveConfig(opts.preset, opts.overrides ?? {});
  const gan = createGan(cfg, 1);
  const sampler = createRealSampler(opts.digits, { batchSize: cfg.batchSize, seed: 1 });
  const step = () => trainingStep(gan, sampler);
  const times: Record<string, number[]> = Object.fromEntries(
    opts.variants.map((v) => [v.name, []]),
  );
  try {
    for (let r = 0; r < opts.rounds; r++) {
      for (let i = 0; i < opts.variants.length; i++) {
        const v = opts.variants[(i + r) % opts.variants.length]!;
        v.activate();
        await step();
        for (let s = 0; s < opts.stepsPerRound; s++) {
          const t0 = clock();
          await step();
          times[v.name]!.push(clock() - t0);
        }
      }
    }
    return times;
  } finally {
    sampler.dispose();
    dispose(gan);
  }
}

/** One D step on a labelled real batch and one G step, waited for by reading the losses back. */
async function trainingStep(gan: Gan, sampler: RealSampler): Promise<void> {
  const { images: real, labels } = sampler.nextLabelled();
  const d = trainDiscriminatorStep(gan, real, { realLabels: labels });
  real.dispose();
  const g = trainGeneratorStep(gan, { lambda: 0 });
  // Reading the losses back is what makes the step finish on an asynchronous backend.
  await Promise.all([d.loss.data(), g.loss.data()]);
  disposeStats(d);
  disposeStats(g);
}
