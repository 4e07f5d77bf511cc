import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLAIN_DCGAN, resolveConfig } from "@/lib/gan/config";
import {
  createGan,
  dispose,
  disposeStats,
  generate,
  trainDiscriminatorStep,
  trainGeneratorStep,
  type Gan,
} from "@/lib/gan/train";
import { createRng, normalNoise } from "@/lib/gan/rng";
import { decodeSnapshot, encodeSnapshot, loadSnapshotInto, readWeights } from "@/lib/gan/snapshot";
import { sameWeights, useCpuBackend, weightValues } from "./gan-test-utils";

const cfg = resolveConfig("tiny", { gAverageDecay: 0.99 });

function train(gan: Gan, steps: number): void {
  const real = tf.randomUniform([16, 28, 28, 1], -1, 1, "float32", 4) as tf.Tensor4D;
  for (let i = 0; i < steps; i++) {
    disposeStats(trainDiscriminatorStep(gan, real));
    disposeStats(trainGeneratorStep(gan));
  }
  real.dispose();
}

describe("moving average of G (gAverageDecay)", () => {
  let gan: Gan;
  beforeAll(async () => {
    await useCpuBackend();
    gan = createGan(cfg, 5);
  });
  afterAll(() => dispose(gan));

  it("is off in the design's baseline and starts equal to G", () => {
    const plain = createGan(resolveConfig("tiny", PLAIN_DCGAN), 5);
    expect(plain.average).toBeNull();
    dispose(plain);
    expect(sameWeights(weightValues(gan.average!), weightValues(gan.generator))).toBe(true);
  });

  it("folds each G step in as d·average + (1 − d)·G, d ramping up from 0.1", () => {
    const before = weightValues(gan.average!);
    train(gan, 1);
    const g1 = weightValues(gan.generator);
    const after = weightValues(gan.average!);
    // First update: d = min(0.99, 1/10) = 0.1.
    after.forEach((a, i) =>
      a.forEach((v, j) => expect(v).toBeCloseTo(0.1 * before[i]![j]! + 0.9 * g1[i]![j]!, 5)),
    );
    train(gan, 3);
    // The fourth update used d = 4/13: the average now lags behind G.
    expect(sameWeights(weightValues(gan.average!), weightValues(gan.generator))).toBe(false);
    expect(gan.averagedSteps).toBe(4);
  });

  it("is what generate() draws with; training still moves G itself", async () => {
    const z = normalNoise(3, cfg.latentDim, createRng(1));
    const shown = generate(gan, z);
    const fromAverage = gan.average!.apply(z, { training: false }) as tf.Tensor;
    const fromG = gan.generator.apply(z, { training: false }) as tf.Tensor;
    expect(Array.from(await shown.data())).toEqual(Array.from(await fromAverage.data()));
    expect(Array.from(await shown.data())).not.toEqual(Array.from(await fromG.data()));
    tf.dispose([z, shown, fromAverage, fromG]);
  });

  it("snapshots hold the average as G; loading one sets G and the average to it", async () => {
    const bytes = encodeSnapshot(await readWeights(gan, ["G", "D"]), 4);
    const decoded = decodeSnapshot(bytes);
    const other = createGan(cfg, 9);
    train(other, 2);
    loadSnapshotInto(other, decoded);
    const g = weightValues(other.generator);
    expect(sameWeights(g, weightValues(other.average!))).toBe(true);
    expect(other.averagedSteps).toBe(0);
    // float16 storage: equal to the source average within half precision.
    const source = weightValues(gan.average!);
    g.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(source[i]![j]!, 2)));
    dispose(other);
  });

  it("leaks no tensor while it is updated", () => {
    train(gan, 1);
    const before = tf.memory().numTensors;
    train(gan, 10);
    expect(tf.memory().numTensors).toBe(before);
  });
});
