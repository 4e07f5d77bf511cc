// One arm of bench:lambda: a GAN trained with a given λ, its human critic H fed by the simulated
// class exactly as the host's trainer feeds it after a reveal (HumanLabels.add + trainCritic).
import * as tf from "@tensorflow/tfjs-core";
import { createRealSampler, type RealSampler } from "@/lib/gan/batches";
import type { GanConfig } from "@/lib/gan/config";
import type { Digits } from "@/lib/gan/dataset";
import { HumanLabels } from "@/lib/gan/human-labels";
import { bytesToTensor, tensorToBytes } from "@/lib/gan/images";
import { createRng, type Rng } from "@/lib/gan/rng";
import { judgeImages, realFractions, type SimulatedClass } from "@/lib/gan/simulated-class";
import {
  createGan,
  criticScore,
  discriminate,
  dispose,
  disposeStats,
  generate,
  trainDiscriminatorStep,
  trainGeneratorStep,
  type Gan,
} from "@/lib/gan/train";
import { ItemKind, type ItemId, type ItemRecord } from "@/lib/game/state";

export interface Arm {
  readonly name: string;
  /** λ once H has been trained on a first round (before it, H knows nothing: G uses λ = 0). */
  readonly lambda: number;
  readonly gan: Gan;
  readonly sampler: RealSampler;
  readonly labels: HumanLabels;
  /** Drives H's minibatches, as the host's session rng does. */
  readonly hRng: Rng;
  step: number;
}

/** Both arms get the same seed: same initial weights, same real batches, same noise stream. */
export function createArm(
  name: string,
  lambda: number,
  cfg: GanConfig,
  digits: Digits,
  seed: number,
): Arm {
  return {
    name,
    lambda,
    gan: createGan(cfg, seed),
    sampler: createRealSampler(digits, { batchSize: cfg.batchSize, seed }),
    labels: new HumanLabels(),
    hRng: createRng(seed ^ 0x5eed),
    step: 0,
  };
}

/** λ in force now. */
export function lambdaNow(arm: Arm): number {
  return arm.labels.size > 0 ? arm.lambda : 0;
}

/** `gSteps` generator steps, each after k discriminator steps (the app's training loop). */
export function trainArm(arm: Arm, gSteps: number): void {
  const lambda = lambdaNow(arm);
  for (let i = 0; i < gSteps; i++) {
    for (let k = 0; k < arm.gan.config.dStepsPerGStep; k++) {
      const { images: real, labels } = arm.sampler.nextLabelled();
      disposeStats(trainDiscriminatorStep(arm.gan, real, { realLabels: labels }));
      real.dispose();
    }
    disposeStats(trainGeneratorStep(arm.gan, { lambda }));
    arm.step++;
  }
}

/** One judged image: what the class and the police (D) said, and what H predicted. */
export interface JudgedItem {
  readonly fake: boolean;
  readonly image: Uint8Array;
  readonly saidReal: number;
  readonly saidFake: number;
  /** D's probability that the image is real. */
  readonly dProbability: number;
  /** H's predicted share of the class saying real. */
  readonly hScore: number;
}

/** The arm's generator on `z`, as the 0…255 bytes the students and the server see. */
export async function fakesOf(arm: Arm, z: tf.Tensor2D): Promise<Uint8Array> {
  const images = generate(arm.gan, z);
  try {
    return await tensorToBytes(images);
  } finally {
    images.dispose();
  }
}

/**
 * A round: fakes from the arm's G on `z` and the given real digits, judged by the class and by D
 * on the same bytes (the server scores D on the uploaded bytes too).
 */
export async function judgeRound(
  arm: Arm,
  z: tf.Tensor2D,
  realBytes: Uint8Array,
  cls: SimulatedClass,
  classRng: Rng,
): Promise<JudgedItem[]> {
  const fakeBytes = await fakesOf(arm, z);
  const all = new Uint8Array(fakeBytes.length + realBytes.length);
  all.set(fakeBytes);
  all.set(realBytes, fakeBytes.length);
  const x = bytesToTensor(all);
  const d = discriminate(arm.gan, x);
  const h = criticScore(arm.gan, x);
  const [dp, hp] = await Promise.all([d.data(), h.data()]);
  tf.dispose([x, d, h]);
  const verdicts = judgeImages(cls, all, classRng);
  const nFake = fakeBytes.length / 784;
  return verdicts.map((v, i) => ({
    fake: i < nFake,
    image: all.subarray(i * 784, (i + 1) * 784),
    saidReal: v.saidReal,
    saidFake: v.saidFake,
    dProbability: dp[i]!,
    hScore: hp[i]!,
  }));
}

/** After the reveal: H learns the class's verdicts, as the host's trainer does (30 steps there). */
export async function teachCritic(arm: Arm, items: readonly JudgedItem[], steps = 30) {
  const images = new Uint8Array(items.length * 784);
  items.forEach((it, i) => images.set(it.image, i * 784));
  arm.labels.add(
    images,
    realFractions(items),
    items.map((it) => it.fake),
  );
  return arm.labels.trainCritic(arm.gan, arm.hRng, { steps, yieldFn: async () => {} });
}

/** The game's records for lib/game/stats (D's verdict is real when D(x) ≥ 0.5, as scored live). */
export function toItemRecords(items: readonly JudgedItem[]): ItemRecord[] {
  return items.map(
    (it, i) =>
      ({
        itemId: `item-${i}` as ItemId,
        kind: it.fake ? ItemKind.Fake : ItemKind.Real,
        dProbability: it.dProbability,
        authorId: null, // no student forgeries here
        saidReal: it.saidReal,
        saidFake: it.saidFake,
      }) as ItemRecord,
  );
}

export function disposeArm(arm: Arm): void {
  arm.sampler.dispose();
  dispose(arm.gan);
}
