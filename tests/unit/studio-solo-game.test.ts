import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { buildRound, fakeCount, scoreRound, verdictOf } from "@/app/studio/_lib/soloGame";
import { bytesFingerprint, weightFingerprints } from "@/app/studio/_lib/fingerprint";
import { createGan } from "@/lib/gan/train";
import { resolveConfig } from "@/lib/gan/config";
import { encodeSnapshot } from "@/lib/gan/snapshot";
import { createRng } from "@/lib/gan/rng";
import { useCpuBackend } from "./gan-test-utils";

const image = (v: number) => new Uint8Array(784).fill(v);

describe("solo spot-the-fake round", () => {
  it("mixes every real and fake image exactly once", () => {
    const rng = createRng(7);
    const reals = [image(1), image(2), image(3), image(4)];
    const fakes = new Uint8Array(784 * 6);
    for (let i = 0; i < 6; i++) fakes.fill(100 + i, i * 784, (i + 1) * 784);
    const items = buildRound(reals, fakes, () => rng.next());
    expect(items).toHaveLength(10);
    const seen = items.map((it) => `${it.truth}:${it.image[0]}`).sort();
    expect(seen).toEqual(
      [1, 2, 3, 4]
        .map((v) => `real:${v}`)
        .concat([100, 101, 102, 103, 104, 105].map((v) => `fake:${v}`))
        .sort(),
    );
  });

  it("deals between 30 % and 70 % fakes, never none or all", () => {
    const counts = new Set<number>();
    for (let r = 0; r < 1; r += 0.01) counts.add(fakeCount(10, () => r));
    expect([...counts].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
  });

  it("scores the player and D against the truth; unanswered items count as wrong", () => {
    const items = [
      { image: image(0), truth: "real" as const },
      { image: image(0), truth: "fake" as const },
      { image: image(0), truth: "fake" as const },
      { image: image(0), truth: "real" as const },
    ];
    const result = scoreRound(items, ["real", "real", "fake", null], [0.9, 0.2, 0.5, 0.49]);
    expect(result.items.map((r) => r.youCorrect)).toEqual([true, false, true, false]);
    expect(result.items.map((r) => r.dVerdict)).toEqual(["real", "fake", "real", "fake"]);
    expect(result.youCorrect).toBe(2);
    expect(result.dCorrect).toBe(2);
    expect(result.total).toBe(4);
    expect(verdictOf(0.5)).toBe("real");
  });

  it("refuses answers that do not match the items", () => {
    expect(() => scoreRound([{ image: image(0), truth: "real" }], [], [0.5])).toThrow(/expected 1/);
  });
});

describe("weight fingerprints", () => {
  beforeAll(useCpuBackend);

  it("change for the net whose trainable weights changed and only for it", () => {
    const gan = createGan(resolveConfig("tiny"), 3);
    const before = weightFingerprints(encodeSnapshot(gan, 0));
    const kernel = gan.discriminator.trainableWeights[0]!.read();
    (kernel as tf.Variable).assign(tf.add(kernel, tf.ones(kernel.shape)));
    const after = weightFingerprints(encodeSnapshot(gan, 1));
    expect(after.G).toBe(before.G);
    expect(after.D).not.toBe(before.D);
    expect(before.G).toMatch(/^[0-9a-f]{8}$/);
  });

  it("ignore batchnorm running statistics, which move without training", () => {
    const gan = createGan(resolveConfig("tiny"), 3);
    const before = weightFingerprints(encodeSnapshot(gan, 0));
    const moving = gan.generator.weights.find((w) => /moving_mean$/.test(w.originalName))!;
    moving.write(tf.fill(moving.shape as number[], 0.5));
    expect(weightFingerprints(encodeSnapshot(gan, 0)).G).toBe(before.G);
  });

  it("tell different image bytes apart", () => {
    expect(bytesFingerprint(image(1))).not.toBe(bytesFingerprint(image(2)));
  });
});
