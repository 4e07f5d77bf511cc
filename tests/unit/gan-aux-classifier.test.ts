import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { architectureId, GanConfigError, PLAIN_DCGAN, resolveConfig } from "@/lib/gan/config";
import {
  bceWithLogits,
  classCrossEntropy,
  codeOf,
  createGan,
  discriminate,
  dispose,
  readStats,
  trainDiscriminatorStep,
  trainGeneratorStep,
  type Gan,
} from "@/lib/gan/train";
import { createRng, normalNoise } from "@/lib/gan/rng";
import { useCpuBackend, weightValues, sameWeights } from "./gan-test-utils";

const AUX = { latentCategories: 10, auxClassWeight: 1 } as const;
const cfg = resolveConfig("tiny", AUX);

/** D's class head on some images: [n, 10] logits (columns 1… of D's output). */
function classLogits(gan: Gan, images: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const out = gan.discriminator.apply(images, { training: false }) as tf.Tensor2D;
    return tf.slice(out, [0, 1], [out.shape[0], 10]);
  });
}

describe("auxiliary classifier (AC-GAN) option", () => {
  beforeAll(useCpuBackend);

  it("is off in the design's baseline, on in class, and needs a 10-way code naming the digit", () => {
    expect(resolveConfig("baseline").auxClassWeight ?? 0).toBe(0);
    expect(resolveConfig("classroom").auxClassWeight).toBeGreaterThan(0);
    const noCode = { ...PLAIN_DCGAN, auxClassWeight: 1 };
    expect(() => resolveConfig("tiny", noCode)).toThrow(GanConfigError);
    expect(() => resolveConfig("tiny", noCode)).toThrow(
      /auxClassWeight: needs latentCategories = numClasses \(10\)/,
    );
    expect(() => resolveConfig("tiny", { ...AUX, auxClassWeight: -1 })).toThrow(/auxClassWeight/);
    expect(architectureId(cfg)).toContain("-ac10");
    expect(architectureId(resolveConfig("tiny", PLAIN_DCGAN))).not.toContain("-ac");
  });

  it("codeOf is the argmax of the first K noise entries; class CE matches its definition", async () => {
    const z = tf.tensor2d([
      [0.1, 2, -1, 5],
      [3, 0, 1, 9],
    ]);
    expect(Array.from(await codeOf(z, 3).data())).toEqual([1, 0]);
    const logits = tf.tensor2d([
      [2, 0, -1],
      [0, 0, 0],
    ]);
    const ce = await classCrossEntropy(logits, tf.tensor1d([0, 2], "int32")).data();
    const row0 = -Math.log(Math.exp(2) / (Math.exp(2) + 1 + Math.exp(-1)));
    expect(ce[0]).toBeCloseTo((row0 + Math.log(3)) / 2, 5);
    tf.dispose([z, logits]);
  });

  describe("training", () => {
    let gan: Gan;
    beforeAll(() => {
      gan = createGan(cfg, 7);
    });
    afterAll(() => dispose(gan));

    it("D outputs the real/fake logit and 10 class logits; discriminate still gives P(real)", async () => {
      const x = tf.randomUniform([3, 28, 28, 1], -1, 1, "float32", 1) as tf.Tensor4D;
      const out = gan.discriminator.predict(x) as tf.Tensor;
      expect(out.shape).toEqual([3, 11]);
      const p = discriminate(gan, x);
      expect(p.shape).toEqual([3]);
      const logit0 = (await out.data()).filter((_, i) => i % 11 === 0);
      const want = logit0.map((l) => 1 / (1 + Math.exp(-l)));
      Array.from(await p.data()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
      tf.dispose([x, out, p]);
    });

    it("reports D's real/fake BCE as its loss and the class head's cross-entropy apart", async () => {
      const real = tf.randomUniform([16, 28, 28, 1], -1, 1, "float32", 9) as tf.Tensor4D;
      const labels = Int32Array.from({ length: 16 }, (_, i) => (i * 3) % 10);
      const z = normalNoise(16, cfg.latentDim, createRng(4));
      const [bce, ce] = tf.tidy(() => {
        const fake = gan.generator.apply(z, { training: true }) as tf.Tensor4D;
        const out = gan.discriminator.apply(tf.concat([real, fake]), {
          training: true,
        }) as tf.Tensor2D;
        const logit = tf.reshape(tf.slice(out, [0, 0], [32, 1]), [-1]);
        const onReal = tf.mean(bceWithLogits(tf.slice(logit, 0, 16), tf.ones([16])));
        const onFake = tf.mean(bceWithLogits(tf.slice(logit, 16, 16), tf.zeros([16])));
        return [
          tf.add(onReal, onFake),
          classCrossEntropy(tf.slice(out, [0, 1], [16, 10]), tf.tensor1d(labels, "int32")),
        ];
      });
      const stats = await readStats(trainDiscriminatorStep(gan, real, { z, realLabels: labels }));
      expect(stats.loss).toBeCloseTo((await bce!.data())[0]!, 4);
      expect(stats.classLoss).toBeCloseTo((await ce!.data())[0]!, 4);
      const g = await readStats(trainGeneratorStep(gan, { z }));
      expect(g.classLoss).toBeGreaterThan(0);
      expect(g.loss).toBeGreaterThan(0);
      tf.dispose([real, z, bce!, ce!]);
    }, 60_000);

    it("D steps with real labels teach D's class head the labels of the real batch", async () => {
      const real = tf.randomUniform([16, 28, 28, 1], -1, 1, "float32", 3) as tf.Tensor4D;
      const labels = Int32Array.from({ length: 16 }, (_, i) => i % 10);
      const ce = async () => {
        const l = classLogits(gan, real);
        const v = (await classCrossEntropy(l, tf.tensor1d(labels, "int32")).data())[0]!;
        l.dispose();
        return v;
      };
      const before = await ce();
      for (let i = 0; i < 40; i++) {
        await readStats(trainDiscriminatorStep(gan, real, { realLabels: labels }));
      }
      expect(await ce()).toBeLessThan(before - 0.5);
      real.dispose();
    }, 60_000);

    it("G steps move G toward drawing what its code names, as D's class head reads it", async () => {
      const z = normalNoise(16, cfg.latentDim, createRng(5));
      const code = codeOf(z, 10);
      const ce = async () => {
        const images = gan.generator.apply(z, { training: true }) as tf.Tensor4D;
        const l = classLogits(gan, images);
        const v = (await classCrossEntropy(l, code).data())[0]!;
        tf.dispose([images, l]);
        return v;
      };
      const d0 = weightValues(gan.discriminator);
      const before = await ce();
      for (let i = 0; i < 15; i++) await readStats(trainGeneratorStep(gan, { z }));
      expect(await ce()).toBeLessThan(before);
      expect(sameWeights(weightValues(gan.discriminator), d0)).toBe(true);
      tf.dispose([z, code]);
    }, 60_000);

    it("rejects labels of the wrong count or outside 0…9 with a clear message", () => {
      const real = tf.zeros([4, 28, 28, 1]) as tf.Tensor4D;
      expect(() => trainDiscriminatorStep(gan, real, { realLabels: [1, 2] })).toThrow(
        /realLabels: expected 4 labels, got 2/,
      );
      expect(() => trainDiscriminatorStep(gan, real, { realLabels: [1, 2, 3, 10] })).toThrow(
        /realLabels\[3\]: expected an integer in 0…9, got 10/,
      );
      real.dispose();
    });
  });
});
