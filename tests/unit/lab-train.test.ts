import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import type * as tfl from "@tensorflow/tfjs-layers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type LabConfig } from "@/lib/lab/config";
import { LAB_PRESETS } from "@/lib/lab/presets";
import { MIXTURE } from "@/lib/lab/targets";
import {
  createLab,
  disposeLab,
  labDStep,
  labGStep,
  labIteration,
  updateLab,
  type Lab,
} from "@/lib/lab/train";
import {
  decisionMap,
  drawSamples,
  generatePoints,
  generatorPull,
  labDivergence,
  manifoldNoise,
  meanLength,
} from "@/lib/lab/view";

/** Clusters of the mixture holding at least 5 % of the points (within 3 σ of the centre). */
const coveredModes = (pts: Float32Array) => {
  const counts = new Array<number>(MIXTURE.modes).fill(0);
  for (let i = 0; i < pts.length; i += 2) {
    for (let m = 0; m < MIXTURE.modes; m++) {
      const a = (2 * Math.PI * m) / MIXTURE.modes;
      const d = Math.hypot(
        pts[i]! - MIXTURE.radius * Math.cos(a),
        pts[i + 1]! - MIXTURE.radius * Math.sin(a),
      );
      if (d < 3 * MIXTURE.sigma) counts[m]! += 1;
    }
  }
  return counts.filter((c) => c >= 0.05 * (pts.length / 2)).length;
};
const weights = (m: tfl.LayersModel) => m.weights.map((w) => Array.from(w.read().dataSync()));
const labs: Lab[] = [];
const make = (cfg: Partial<LabConfig> = {}) => {
  const lab = createLab({ ...DEFAULT_CONFIG, ...cfg });
  labs.push(lab);
  return lab;
};

beforeAll(async () => {
  await tf.setBackend("cpu");
});
afterEach(() => {
  for (const lab of labs.splice(0)) disposeLab(lab);
});

describe("the lab's GAN on the plane", () => {
  it("a D step moves only D's weights, a G step only G's", () => {
    const lab = make();
    const g0 = weights(lab.generator);
    const d0 = weights(lab.discriminator);
    labDStep(lab);
    expect(weights(lab.generator)).toEqual(g0);
    const d1 = weights(lab.discriminator);
    expect(d1).not.toEqual(d0);
    labGStep(lab);
    expect(weights(lab.discriminator)).toEqual(d1);
    expect(weights(lab.generator)).not.toEqual(g0);
    expect([lab.dSteps, lab.gSteps]).toEqual([1, 1]);
  });

  it("an iteration is k D steps and one G step", () => {
    const lab = make({ dStepsPerGStep: 3 });
    labIteration(lab);
    labIteration(lab);
    expect([lab.dSteps, lab.gSteps]).toEqual([6, 2]);
  });

  it("starts with D guessing: D loss ≈ 2 ln 2 and D(x) ≈ ½ on both halves", () => {
    const stats = labDStep(make({ seed: 3 }));
    expect(stats.loss).toBeGreaterThan(1.2);
    expect(stats.loss).toBeLessThan(1.6);
    expect(Math.abs(stats.dReal - 0.5)).toBeLessThan(0.15);
    expect(Math.abs(stats.dFake - 0.5)).toBeLessThan(0.15);
  });

  it("the same seed trains to the same weights", () => {
    const a = make({ seed: 5 });
    const b = make({ seed: 5 });
    for (let i = 0; i < 5; i++) {
      labIteration(a);
      labIteration(b);
    }
    expect(weights(a.generator)).toEqual(weights(b.generator));
    expect(weights(a.discriminator)).toEqual(weights(b.discriminator));
  });

  it("keeps no tensors after steps, views and an optimiser change", () => {
    const lab = make();
    const samples = drawSamples(lab, 50, 200);
    labIteration(lab);
    decisionMap(lab, 8);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) labIteration(lab);
    decisionMap(lab, 8);
    generatorPull(lab, generatePoints(lab, samples.viewNoise));
    labDivergence(lab, samples);
    generatePoints(lab, manifoldNoise(lab.config.noiseDim, 5));
    expect(tf.memory().numTensors).toBe(before);
    updateLab(lab, { ...lab.config, optimizer: "sgd" });
    labIteration(lab);
    updateLab(lab, { ...lab.config, optimizer: "adam" });
    labIteration(lab);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it("views have one value per cell and one point per noise vector", () => {
    const lab = make({ noiseDim: 3 });
    const map = decisionMap(lab, 10);
    expect(map).toHaveLength(100);
    expect(map.every((p) => p > 0 && p < 1)).toBe(true);
    const noise = manifoldNoise(3, 6);
    expect(noise).toHaveLength(6 * 6 * 3);
    expect(generatePoints(lab, noise)).toHaveLength(6 * 6 * 2);
    expect(manifoldNoise(1, 7)).toHaveLength(7);
  });

  it("G's pull points towards where D says 'real'", () => {
    // Train D alone on a fixed, tiny G: fakes near the origin, real points on the one Gaussian.
    const lab = make({ target: "gaussian", seed: 2 });
    for (let i = 0; i < 60; i++) labDStep(lab);
    const points = new Float32Array([-0.5, -0.5, 0.6, -0.4]);
    const pull = generatorPull(lab, points);
    // Moving a little along the pull raises D's P(real) at each point.
    const moved = points.map(
      (v, i) => v + 0.02 * Math.sign(pull[i]!) * Math.min(1, Math.abs(pull[i]!)),
    );
    const p = (xy: Float32Array) =>
      tf.tidy(() =>
        Array.from(
          tf.sigmoid(lab.discriminator.apply(tf.tensor2d(xy, [2, 2])) as tf.Tensor).dataSync(),
        ),
      );
    const before = p(points);
    const after = p(moved);
    expect(after[0]).toBeGreaterThan(before[0]!);
    expect(after[1]).toBeGreaterThan(before[1]!);
  });

  it("minimax G loss: a D sure the fakes are fake leaves G a hundredth of the gradient or less; the course's loss still pulls", () => {
    const lab = make(LAB_PRESETS["vanishing-gradients"].config);
    // Only D trains: it becomes certain that G's (unchanged) points are fake.
    for (let i = 0; i < 200; i++) labDStep(lab);
    const pts = generatePoints(lab, drawSamples(lab, 100, 100).viewNoise);
    const minimax = meanLength(generatorPull(lab, pts));
    updateLab(lab, { ...lab.config, gLoss: "nonSaturating" });
    const nonSaturating = meanLength(generatorPull(lab, pts));
    expect(minimax).toBeLessThan(nonSaturating / 100);
  });

  it("the vanishing-gradients preset stalls G for 50 iterations; the course's loss, same set-up, does not", () => {
    const cfg = LAB_PRESETS["vanishing-gradients"].config;
    const stalled = make(cfg);
    const learning = make({ ...cfg, gLoss: "nonSaturating" });
    const samples = drawSamples(stalled);
    for (let i = 0; i < 50; i++) {
      labIteration(stalled);
      labIteration(learning);
    }
    expect(labDivergence(stalled, samples)).toBeGreaterThan(0.95);
    expect(
      meanLength(generatorPull(stalled, generatePoints(stalled, samples.viewNoise))),
    ).toBeLessThan(0.01);
    expect(labDivergence(learning, samples)).toBeLessThan(0.5);
  }, 120_000);

  it("the mode-collapse preset keeps G on at most 3 of the 8 clusters", () => {
    const lab = make(LAB_PRESETS["mode-collapse"].config);
    const samples = drawSamples(lab);
    for (let i = 0; i < 200; i++) labIteration(lab);
    expect(coveredModes(generatePoints(lab, samples.viewNoise))).toBeLessThanOrEqual(3);
  }, 120_000);

  it("on one Gaussian, seed 1 halves the JS divergence within 50 iterations", () => {
    const lab = make({ target: "gaussian", seed: 1 });
    const samples = drawSamples(lab);
    const start = labDivergence(lab, samples);
    let best = start;
    for (let i = 0; i < 50 && best > start / 2; i++) {
      labIteration(lab);
      if (i % 10 === 9) best = Math.min(best, labDivergence(lab, samples));
    }
    expect(start).toBeGreaterThan(0.5);
    expect(best).toBeLessThanOrEqual(start / 2);
  });
});
