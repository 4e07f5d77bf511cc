import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRealSampler, type RealSampler } from "@/lib/gan/batches";
import { PRESETS, resolveConfig, type GanConfig } from "@/lib/gan/config";
import { LoopControl, histogram, runTraining, type TrainingProgress } from "@/lib/gan/loop";
import { createRng, normalNoise } from "@/lib/gan/rng";
import { createGan, dispose, type Gan } from "@/lib/gan/train";
import { indexedDigits, useCpuBackend } from "./gan-test-utils";

let cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.forEach((f) => f());
  cleanup = [];
});

function setup(cfg: GanConfig = PRESETS.tiny, seed = 1): { gan: Gan; sampler: RealSampler } {
  const gan = createGan(cfg, seed);
  const sampler = createRealSampler(indexedDigits(64), { batchSize: cfg.batchSize, seed });
  cleanup.push(() => {
    dispose(gan);
    sampler.dispose();
  });
  return { gan, sampler };
}

/** Resolves with the first progress report that satisfies `pred`. */
function waitFor(reports: TrainingProgress[], pred: (p: TrainingProgress) => boolean) {
  return new Promise<TrainingProgress>((resolve) => {
    const poll = () => {
      const hit = reports.find(pred);
      if (hit) resolve(hit);
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe("training loop", () => {
  beforeAll(useCpuBackend);

  it("runs k D steps per G step and reads losses back every N iterations", async () => {
    const { gan, sampler } = setup(resolveConfig("tiny", { dStepsPerGStep: 2 }));
    const reports: TrainingProgress[] = [];
    const result = await runTraining(
      { gan, sampler, maxSteps: 12, readEvery: 5, sampleEvery: 0 },
      (p) => reports.push(p),
      new AbortController().signal,
    );
    expect(result).toEqual({ step: 12, dSteps: 24 });
    expect(reports.map((r) => r.step)).toEqual([5, 10, 12]);
    expect(reports.map((r) => r.dSteps)).toEqual([10, 20, 24]);
    for (const r of reports) {
      expect(Number.isFinite(r.dLoss) && Number.isFinite(r.gLoss)).toBe(true);
      expect(r.dReal).toBeGreaterThan(0);
      expect(r.dFake).toBeLessThan(1);
      expect(r.msPerStep).toBeGreaterThan(0);
      expect(r.gGradNorm).toBeGreaterThan(0);
    }
  });

  it("leaks no tensor across a run", async () => {
    const { gan, sampler } = setup();
    const z = normalNoise(4, PRESETS.tiny.latentDim, createRng(1));
    const real = sampler.take([0, 1, 2]);
    const opts = { gan, sampler, readEvery: 3, sampleEvery: 4, fixedNoise: z, histogramReal: real };
    await runTraining({ ...opts, maxSteps: 2 }, () => {}, new AbortController().signal);
    const before = tf.memory().numTensors;
    await runTraining({ ...opts, maxSteps: 20 }, () => {}, new AbortController().signal);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, real]);
  });

  it("attaches fixed-noise samples and D(x) histograms to sample reports", async () => {
    const { gan, sampler } = setup();
    const z = normalNoise(6, PRESETS.tiny.latentDim, createRng(2));
    const real = sampler.take([0, 1, 2, 3, 4]);
    const reports: TrainingProgress[] = [];
    await runTraining(
      {
        gan,
        sampler,
        maxSteps: 4,
        readEvery: 1,
        sampleEvery: 2,
        fixedNoise: z,
        histogramReal: real,
      },
      (p) => reports.push(p),
      new AbortController().signal,
    );
    expect(reports.map((r) => r.samples !== undefined)).toEqual([false, true, false, true]);
    expect(reports[1]!.samples!.length).toBe(6 * 784);
    const h = reports[1]!.histograms!;
    expect(h.real.reduce((a, b) => a + b)).toBe(5);
    expect(h.fake.reduce((a, b) => a + b)).toBe(6);
    tf.dispose([z, real]);
  });

  it("stops when aborted", async () => {
    const { gan, sampler } = setup();
    const ac = new AbortController();
    const reports: TrainingProgress[] = [];
    const done = runTraining(
      { gan, sampler, readEvery: 1, sampleEvery: 0 },
      (p) => {
        reports.push(p);
        if (p.step === 3) ac.abort();
      },
      ac.signal,
    );
    expect(await done).toEqual({ step: 3, dSteps: 3 });
  });

  it("waits while paused and runs single D-only and G-only steps", async () => {
    const { gan, sampler } = setup();
    const control = new LoopControl({ paused: true });
    const ac = new AbortController();
    const reports: TrainingProgress[] = [];
    const done = runTraining(
      { gan, sampler, control, sampleEvery: 0 },
      (p) => reports.push(p),
      ac.signal,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(reports).toEqual([]);
    control.stepD();
    const d = await waitFor(reports, (p) => p.kind === "stepD");
    expect([d.step, d.dSteps]).toEqual([0, 1]);
    expect(Number.isNaN(d.gLoss)).toBe(true);
    control.stepG();
    const g = await waitFor(reports, (p) => p.kind === "stepG");
    expect([g.step, g.dSteps]).toEqual([1, 1]);
    expect(Number.isFinite(g.gLoss)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(reports.length).toBe(2);
    control.play();
    await waitFor(reports, (p) => p.step >= 3);
    control.pause();
    // The iteration in flight finishes and is reported; then nothing moves.
    await new Promise((r) => setTimeout(r, 700));
    const settled = reports.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(reports.length).toBe(settled);
    ac.abort();
    await done;
  });

  it("runs at the requested speed, reporting every step in slow motion", async () => {
    const { gan, sampler } = setup();
    const control = new LoopControl({ stepsPerSecond: 2 });
    const reports: TrainingProgress[] = [];
    const t0 = performance.now();
    await runTraining(
      { gan, sampler, control, maxSteps: 3, readEvery: 100, sampleEvery: 0 },
      (p) => reports.push(p),
      new AbortController().signal,
    );
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2 * 500 - 5);
    expect(reports.map((r) => r.step)).toEqual([1, 2, 3]);
    expect(reports.every((r) => r.samples === undefined)).toBe(true);
    expect(() => control.setSpeed(0)).toThrow(/stepsPerSecond/);
  });

  it("is repeatable from a seed", async () => {
    const run = async () => {
      const { gan, sampler } = setup(PRESETS.tiny, 7);
      const losses: number[] = [];
      await runTraining(
        { gan, sampler, maxSteps: 4, readEvery: 2, sampleEvery: 0 },
        (p) => losses.push(p.dLoss, p.gLoss),
        new AbortController().signal,
      );
      return losses;
    };
    expect(await run()).toEqual(await run());
  });

  it("bins probabilities into a histogram", () => {
    expect(histogram([0, 0.05, 0.1, 0.55, 0.999, 1], 10)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
  });
});
