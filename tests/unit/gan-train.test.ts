import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLAIN_DCGAN, PRESETS, resolveConfig } from "@/lib/gan/config";
import { buildDiscriminator, buildGenerator } from "@/lib/gan/models";
import {
  bceWithLogits,
  createGan,
  criticScore,
  discriminate,
  dispose,
  generate,
  readStats,
  trainCriticStep,
  trainDiscriminatorStep,
  trainGeneratorStep,
  type Gan,
} from "@/lib/gan/train";
import { createRng, normalNoise } from "@/lib/gan/rng";
import { sameWeights, useCpuBackend, weightValues } from "./gan-test-utils";

// The design's plain DCGAN step on the tiny nets (the recipe's extras have tests of their own).
const cfg = resolveConfig("tiny", PLAIN_DCGAN);
const B: number = cfg.batchSize;

function realBatch(seed: number, n = B): tf.Tensor4D {
  return tf.randomUniform([n, 28, 28, 1], -1, 1, "float32", seed) as tf.Tensor4D;
}

function trainableValues(model: Gan["generator"]): Float32Array[] {
  return model.trainableWeights.map((w) => (w.read().dataSync() as Float32Array).slice());
}

describe("GAN training steps (tiny preset, cpu backend)", () => {
  let gan: Gan;
  let real: tf.Tensor4D;
  beforeAll(async () => {
    await useCpuBackend();
    gan = createGan(cfg, 1);
    real = realBatch(11);
  });
  afterAll(() => {
    dispose(gan);
    real.dispose();
  });

  it("maps noise to 28×28×1 images in [-1, 1] and images to one logit each", async () => {
    const z = normalNoise(5, cfg.latentDim, createRng(3));
    const images = generate(gan, z);
    expect(images.shape).toEqual([5, 28, 28, 1]);
    const v = await images.data();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    const logits = gan.discriminator.predict(images) as tf.Tensor;
    expect(logits.shape).toEqual([5, 1]);
    const p = discriminate(gan, images);
    expect(p.shape).toEqual([5]);
    for (const x of await p.data()) expect(x > 0 && x < 1).toBe(true);
    const h = criticScore(gan, images);
    expect(h.shape).toEqual([5]);
    tf.dispose([z, images, logits, p, h]);
  });

  it("builds the design's DCGAN for the baseline preset", () => {
    const g = buildGenerator(PRESETS.baseline);
    const d = buildDiscriminator(PRESETS.baseline);
    const gLayers = g.layers.map((l) => l.getClassName());
    expect(gLayers).toEqual([
      "InputLayer",
      "Dense",
      "BatchNormalization",
      "LeakyReLU",
      "Reshape",
      "Conv2DTranspose",
      "BatchNormalization",
      "LeakyReLU",
      "Conv2DTranspose",
    ]);
    expect(g.getLayer("g_dense").outputShape).toEqual([null, 7 * 7 * 128]);
    expect(g.getLayer("g_deconv1").outputShape).toEqual([null, 14, 14, 64]);
    expect(g.outputs[0]!.shape).toEqual([null, 28, 28, 1]);
    expect(d.layers.map((l) => l.getClassName())).toEqual([
      "InputLayer",
      "Conv2D",
      "LeakyReLU",
      "Conv2D",
      "LeakyReLU",
      "Flatten",
      "Dense",
    ]);
    expect(d.getLayer("d_conv1").outputShape).toEqual([null, 14, 14, 64]);
    expect(d.getLayer("d_conv2").outputShape).toEqual([null, 7, 7, 128]);
    expect(d.outputs[0]!.shape).toEqual([null, 1]);
    g.dispose();
    d.dispose();
  });

  it("D's convolutions match tf.conv2d + bias exactly (run unfused so unused gradients are skipped)", async () => {
    const d = buildDiscriminator(cfg, { seed: 5 });
    const x = realBatch(21, 3);
    const conv = d.getLayer("d_conv1");
    const [kernel, bias] = conv.getWeights() as [tf.Tensor4D, tf.Tensor1D];
    const got = conv.apply(x) as tf.Tensor;
    const want = tf.add(tf.conv2d(x, kernel, 2, "same"), bias);
    expect(got.shape).toEqual([3, 14, 14, cfg.discriminatorFilters[0]]);
    const diff = tf.max(tf.abs(tf.sub(got, want)));
    expect((await diff.data())[0]).toBeLessThan(1e-6);
    tf.dispose([x, got, want, diff]);
    d.dispose();
  });

  it("a resize-conv G upsamples 14×14 → 28×28 by nearest neighbour and a stride-1 conv", async () => {
    const g = buildGenerator(resolveConfig("tiny", { gOutput: "resize-conv" }), { seed: 4 });
    expect(g.layers.map((l) => l.getClassName()).slice(-2)).toEqual(["UpSampling2D", "Conv2D"]);
    expect(g.getLayer("g_upsample").outputShape).toEqual([null, 28, 28, cfg.generatorFilters[1]]);
    const z = normalNoise(3, cfg.latentDim, createRng(8));
    const images = g.apply(z, { training: true }) as tf.Tensor4D;
    expect(images.shape).toEqual([3, 28, 28, 1]);
    const v = await images.data();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    tf.dispose([z, images]);
    g.dispose();
  });

  it("with latentCategories, G reads the first K noise entries only through their argmax", async () => {
    const k = 4;
    const g = buildGenerator(resolveConfig("tiny", { ...PLAIN_DCGAN, latentCategories: k }), {
      seed: 9,
    });
    const base = Array.from({ length: cfg.latentDim }, (_, i) => Math.sin(i + 1));
    const row = (head: number[]) => [...head, ...base.slice(k)];
    // Same argmax (entry 2) with other values, then another argmax (entry 0).
    const z = tf.tensor2d([row([0.1, -1, 2, 0.3]), row([-3, 0.5, 0.9, 0.8]), row([2, 0, 1, 0])]);
    const out = g.apply(z, { training: false }) as tf.Tensor4D;
    const [a, b, c] = tf.unstack(out).map((t) => t.dataSync());
    let sameMax = 0;
    let otherMax = 0;
    for (let i = 0; i < a!.length; i++) {
      sameMax = Math.max(sameMax, Math.abs(a![i]! - b![i]!));
      otherMax = Math.max(otherMax, Math.abs(a![i]! - c![i]!));
    }
    expect(sameMax).toBeLessThan(1e-6);
    expect(otherMax).toBeGreaterThan(1e-3);
    tf.dispose([z, out]);
    g.dispose();
  });

  it("a D step moves D's weights and leaves G's trainable weights and H untouched", async () => {
    const g0 = trainableValues(gan.generator);
    const d0 = weightValues(gan.discriminator);
    const h0 = weightValues(gan.critic);
    const stats = await readStats(trainDiscriminatorStep(gan, real));
    expect(Number.isFinite(stats.loss)).toBe(true);
    expect(stats.dReal).toBeGreaterThan(0);
    expect(stats.dFake).toBeLessThan(1);
    expect(sameWeights(trainableValues(gan.generator), g0)).toBe(true);
    expect(sameWeights(weightValues(gan.critic), h0)).toBe(true);
    expect(sameWeights(weightValues(gan.discriminator), d0)).toBe(false);
  });

  it("a G step moves G's weights and leaves D and H untouched", async () => {
    const g0 = trainableValues(gan.generator);
    const d0 = weightValues(gan.discriminator);
    const h0 = weightValues(gan.critic);
    const stats = await readStats(trainGeneratorStep(gan, { lambda: 0.5, gradNorm: true }));
    expect(stats.gradNorm).toBeGreaterThan(0);
    expect(sameWeights(weightValues(gan.discriminator), d0)).toBe(true);
    expect(sameWeights(weightValues(gan.critic), h0)).toBe(true);
    expect(sameWeights(trainableValues(gan.generator), g0)).toBe(false);
  });

  it("a critic step moves only H", async () => {
    const g0 = weightValues(gan.generator);
    const d0 = weightValues(gan.discriminator);
    const h0 = weightValues(gan.critic);
    const loss = trainCriticStep(gan, real, new Array<number>(B).fill(0.7));
    loss.dispose();
    expect(sameWeights(weightValues(gan.generator), g0)).toBe(true);
    expect(sameWeights(weightValues(gan.discriminator), d0)).toBe(true);
    expect(sameWeights(weightValues(gan.critic), h0)).toBe(false);
  });

  it("leaks no tensor over 100 training iterations after a burn-in step", async () => {
    const extra = realBatch(5, 4);
    const labels = new Array<number>(B).fill(0.3);
    const iteration = (i: number) => {
      const d = trainDiscriminatorStep(gan, real, i % 2 ? { extraFakes: extra } : {});
      const g = trainGeneratorStep(gan, { lambda: i % 3 === 0 ? 0 : 0.5, gradNorm: i % 2 === 0 });
      const h = trainCriticStep(gan, real, labels);
      return { d, g, h };
    };
    const burn = iteration(0);
    await readStats({ ...burn.d, ...burn.g });
    burn.h.dispose();
    const before = tf.memory().numTensors;
    for (let i = 1; i <= 100; i++) {
      const { d, g, h } = iteration(i);
      if (i % 10 === 0) await readStats({ ...d, gLoss: g.loss, gradNorm: g.gradNorm, h });
      else tf.dispose([d.loss, d.dReal, d.dFake, g.loss, h, ...(g.gradNorm ? [g.gradNorm] : [])]);
    }
    expect(tf.memory().numTensors).toBe(before);
    extra.dispose();
  }, 120_000);

  it("rejects batches of the wrong shape with a clear message", () => {
    const bad = tf.zeros([4, 28, 28]) as unknown as tf.Tensor4D;
    expect(() => trainDiscriminatorStep(gan, bad)).toThrow(
      /realBatch: expected images of shape \[n, 28, 28, 1\], got \[4, 28, 28\]/,
    );
    expect(() => trainGeneratorStep(gan, { lambda: 2 })).toThrow(/lambda: expected a number/);
    expect(() => trainCriticStep(gan, real, [0.5])).toThrow(/expected 16 values, got 1/);
    bad.dispose();
  });
});

describe("generator loss with the human critic", () => {
  beforeAll(useCpuBackend);

  it("computes BCE from logits stably, with soft labels, like tf.losses", async () => {
    const logits = tf.tensor1d([-80, -2, 0, 3, 90]);
    const labels = tf.tensor1d([0, 0.3, 1, 0.9, 1]);
    const ours = await bceWithLogits(logits, labels).data();
    const ref = await tf.losses
      .sigmoidCrossEntropy(labels, logits, undefined, 0, tf.Reduction.NONE)
      .data();
    ours.forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 5));
    expect(Number.isFinite(ours[0]!)).toBe(true);
  });

  it("λ = 0 is exactly the classic loss BCE(D(G(z)), 1), whatever H is", async () => {
    const a = createGan(cfg, 4);
    const b = createGan(cfg, 4);
    b.critic.setWeights(
      b.critic.weights.map((w, i) => tf.randomNormal(w.shape as number[], 0, 1, "float32", i)),
    );
    const z = normalNoise(B, cfg.latentDim, createRng(9));
    const classic = tf.tidy(() => {
      const logits = a.discriminator.apply(a.generator.apply(z, { training: true }), {
        training: true,
      }) as tf.Tensor;
      return tf.losses.sigmoidCrossEntropy(tf.onesLike(logits), logits);
    });
    const expected = (await classic.data())[0]!;
    const la = await readStats(trainGeneratorStep(a, { lambda: 0, z }));
    const lb = await readStats(trainGeneratorStep(b, { lambda: 0, z }));
    expect(la.loss).toBeCloseTo(expected, 6);
    expect(lb.loss).toBe(la.loss);
    expect(sameWeights(trainableValues(a.generator), trainableValues(b.generator))).toBe(true);
    tf.dispose([z, classic]);
    dispose(a);
    dispose(b);
  });

  it("λ = 1 ignores D: the G update is the same whatever D's weights", async () => {
    const a = createGan(cfg, 5);
    const b = createGan(cfg, 5);
    b.discriminator.setWeights(
      b.discriminator.weights.map((w, i) =>
        tf.randomNormal(w.shape as number[], 0, 1, "float32", i),
      ),
    );
    const z = normalNoise(B, cfg.latentDim, createRng(10));
    const la = await readStats(trainGeneratorStep(a, { lambda: 1, z }));
    const lb = await readStats(trainGeneratorStep(b, { lambda: 1, z }));
    expect(lb.loss).toBe(la.loss);
    expect(sameWeights(weightValues(a.generator), weightValues(b.generator))).toBe(true);
    // …while at λ = 0.5 the two different Ds do pull G differently.
    const ma = await readStats(trainGeneratorStep(a, { lambda: 0.5, z }));
    const mb = await readStats(trainGeneratorStep(b, { lambda: 0.5, z }));
    expect(ma.loss).not.toBe(mb.loss);
    z.dispose();
    dispose(a);
    dispose(b);
  });

  it("training H on (image, fraction said real) pairs reduces its error", async () => {
    const gan = createGan(cfg, 6);
    // Bright blobs the class called real 90 % of the time, noise it called real 10 % of the time.
    const images = tf.tidy(() => {
      const blobs = tf.mul(tf.ones([16, 28, 28, 1]), 0.8);
      const noise = tf.randomUniform([16, 28, 28, 1], -1, 1, "float32", 2);
      return tf.concat([blobs, noise]) as tf.Tensor4D;
    });
    const fractions = [...new Array<number>(16).fill(0.9), ...new Array<number>(16).fill(0.1)];
    const error = async () => {
      const p = criticScore(gan, images);
      const v = Array.from(await p.data());
      p.dispose();
      return v.reduce((s, x, i) => s + Math.abs(x - fractions[i]!), 0) / v.length;
    };
    const before = await error();
    for (let i = 0; i < 40; i++) trainCriticStep(gan, images, fractions).dispose();
    const after = await error();
    expect(after).toBeLessThan(before * 0.5);
    expect(after).toBeLessThan(0.15);
    images.dispose();
    dispose(gan);
  });
});

describe("repeatability", () => {
  beforeAll(useCpuBackend);

  it("the same seed gives identical runs; another seed does not", async () => {
    const run = async (seed: number) => {
      const gan = createGan(resolveConfig("tiny", { dDropout: 0.3 }), seed);
      const real = realBatch(1);
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const d = await readStats(trainDiscriminatorStep(gan, real));
        const g = await readStats(trainGeneratorStep(gan));
        losses.push(d.loss, g.loss);
      }
      const weights = weightValues(gan.generator);
      real.dispose();
      dispose(gan);
      return { losses, weights };
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(b.losses).toEqual(a.losses);
    expect(sameWeights(a.weights, b.weights)).toBe(true);
    expect(c.losses).not.toEqual(a.losses);
  });
});
