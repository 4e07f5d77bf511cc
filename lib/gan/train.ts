// One-step trainers, exactly as the course teaches: a D step on real (label 1) and generated
// (label 0) images that updates only D; a G step that labels fresh fakes "real" through D (and,
// with weight λ, through the human critic H) and updates only G.
//
// Steps return small scalar tensors rather than numbers so a training loop can read them back
// every N steps instead of stalling the GPU every step; `readStats` reads and disposes them.
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import {
  auxClasses,
  type GanConfig,
  type LiveOverrides,
  LIVE_FIELDS,
  validateConfig,
} from "./config";
import {
  IMAGE_SHAPE,
  buildDiscriminator,
  buildGenerator,
  buildHumanCritic,
  codeOf,
  trainableVariables,
} from "./models";
import { createRng, normalNoise, type Rng } from "./rng";

export type NetName = "G" | "D" | "H";

export interface Gan {
  config: GanConfig;
  readonly generator: tfl.LayersModel;
  /**
   * The moving average of G's weights the class sees (config.gAverageDecay > 0), else null.
   * Same architecture as G; `generate` and snapshots use it.
   */
  readonly average: tfl.LayersModel | null;
  /** G steps folded into the average since it was last set to G (drives its warm-up). */
  averagedSteps: number;
  readonly discriminator: tfl.LayersModel;
  readonly critic: tfl.LayersModel;
  gOptimizer: tf.AdamOptimizer;
  dOptimizer: tf.AdamOptimizer;
  hOptimizer: tf.AdamOptimizer;
  /** Draws the seeds of every noise batch, so a run is repeatable. */
  readonly rng: Rng;
}

export interface DStepStats {
  /** BCE on the real half + BCE on the fake half (≈ 1.386 when D is guessing). */
  readonly loss: tf.Scalar;
  /** Mean D(x) on the real batch. */
  readonly dReal: tf.Scalar;
  /** Mean D(G(z)) (and extra fakes) before the update. */
  readonly dFake: tf.Scalar;
  /**
   * With an auxiliary classifier: its cross-entropy on the real digits' labels (≈ 2.3 when it
   * guesses). D's update minimises loss + auxClassWeight · classLoss.
   */
  readonly classLoss?: tf.Scalar;
}

export interface GStepStats {
  /** L_G = (1 − λ)·BCE(D(G(z)), 1) + λ·BCE(H(G(z)), 1). */
  readonly loss: tf.Scalar;
  /**
   * With an auxiliary classifier: cross-entropy of D's class head on G(z) against the digit each
   * code names. G's update minimises loss + (1 − λ) · auxClassWeight · classLoss.
   */
  readonly classLoss?: tf.Scalar;
  /** Global L2 norm of G's gradient (only when asked for: it costs a reduction). */
  readonly gradNorm?: tf.Scalar;
}

export interface DStepOptions {
  /** Extra fake images (e.g. fakes the class caught), [m, 28, 28, 1] in [-1, 1], label 0. */
  readonly extraFakes?: tf.Tensor4D;
  /** Noise to use instead of drawing from gan.rng (tests). */
  readonly z?: tf.Tensor2D;
  /**
   * Digit labels (0…9) of `realBatch`: with an auxiliary classifier (config.auxClassWeight > 0)
   * D's class head learns from them. Ignored without one.
   */
  readonly realLabels?: ArrayLike<number>;
}

export interface GStepOptions {
  /** Weight of the human critic in G's loss: 0 = classic GAN, 1 = fool the class only. */
  readonly lambda?: number;
  readonly gradNorm?: boolean;
  readonly z?: tf.Tensor2D;
  readonly batchSize?: number;
}

function adam(lr: number, beta1: number): tf.AdamOptimizer {
  return tf.train.adam(lr, beta1, 0.999, 1e-8);
}

/** Builds G, D, H and their optimizers from one seed. */
export function createGan(cfg: GanConfig, seed = 0): Gan {
  validateConfig(cfg);
  const rng = createRng(seed);
  const gSeed = rng.nextUint32();
  const generator = buildGenerator(cfg, { seed: gSeed });
  const discriminator = buildDiscriminator(cfg, { seed: rng.nextUint32() });
  const critic = buildHumanCritic(cfg, { seed: rng.nextUint32() });
  // Same seed, same initial weights: the average starts equal to G.
  const average = (cfg.gAverageDecay ?? 0) > 0 ? buildGenerator(cfg, { seed: gSeed }) : null;
  return {
    config: cfg,
    generator,
    average,
    averagedSteps: 0,
    discriminator,
    critic,
    gOptimizer: adam(cfg.gLearningRate, cfg.beta1),
    dOptimizer: adam(cfg.dLearningRate, cfg.beta1),
    hOptimizer: adam(cfg.critic.learningRate, cfg.beta1),
    rng: createRng(rng.nextUint32()),
  };
}

/** Fresh Adam state for the given nets (after loading weights, moments from old ones mislead). */
export function resetOptimizers(gan: Gan, nets: readonly NetName[] = ["G", "D", "H"]): void {
  const cfg = gan.config;
  if (nets.includes("G")) {
    gan.gOptimizer.dispose();
    gan.gOptimizer = adam(cfg.gLearningRate, cfg.beta1);
  }
  if (nets.includes("D")) {
    gan.dOptimizer.dispose();
    gan.dOptimizer = adam(cfg.dLearningRate, cfg.beta1);
  }
  if (nets.includes("H")) {
    gan.hOptimizer.dispose();
    gan.hOptimizer = adam(cfg.critic.learningRate, cfg.beta1);
  }
}

/** Changes settings that need no new weights (learning rates, k, batch size, smoothing). */
export function updateLiveConfig(gan: Gan, overrides: LiveOverrides): void {
  for (const key of Object.keys(overrides)) {
    if (!(LIVE_FIELDS as readonly string[]).includes(key)) {
      throw new Error(`expected one of ${LIVE_FIELDS.join(", ")}, got "${key}" (needs a reset)`);
    }
  }
  const next = { ...gan.config, ...overrides };
  validateConfig(next);
  gan.config = next;
  // Adam reads its learning rate on every update; changing it keeps the moments.
  setLearningRate(gan.gOptimizer, next.gLearningRate);
  setLearningRate(gan.dOptimizer, next.dLearningRate);
}

function setLearningRate(opt: tf.AdamOptimizer, lr: number): void {
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

/** Numerically stable elementwise BCE from logits: max(x,0) − x·y + log(1 + e^−|x|). */
export function bceWithLogits(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, labels)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    ),
  );
}

function assertImages(name: string, t: tf.Tensor, n?: number): void {
  const [b, h, w, c] = t.shape;
  const okShape = t.rank === 4 && h === IMAGE_SHAPE[0] && w === IMAGE_SHAPE[1] && c === 1;
  if (!okShape || (n !== undefined && b !== n) || b === 0) {
    const want = `[${n ?? "n"}, 28, 28, 1]`;
    throw new Error(`${name}: expected images of shape ${want}, got [${t.shape.join(", ")}]`);
  }
}

function assertNoise(gan: Gan, z: tf.Tensor, n?: number): void {
  if (
    z.rank !== 2 ||
    z.shape[1] !== gan.config.latentDim ||
    (n !== undefined && z.shape[0] !== n)
  ) {
    throw new Error(
      `z: expected shape [${n ?? "n"}, ${gan.config.latentDim}], got [${z.shape.join(", ")}]`,
    );
  }
}

interface Heads {
  /** Real/fake logit per image, [n]. */
  readonly logits: tf.Tensor1D;
  /** Class logits of the auxiliary classifier, [n, classes] (absent without one). */
  readonly classLogits?: tf.Tensor2D;
}

function headsOf(model: tfl.LayersModel, x: tf.Tensor, training: boolean): Heads {
  const out = model.apply(x, { training }) as tf.Tensor2D;
  const [n, width] = out.shape;
  if (width === 1) return { logits: tf.reshape(out, [-1]) };
  return {
    logits: tf.reshape(tf.slice(out, [0, 0], [n, 1]), [-1]),
    classLogits: tf.slice(out, [0, 1], [n, width - 1]),
  };
}

function logitsOf(model: tfl.LayersModel, x: tf.Tensor, training: boolean): tf.Tensor1D {
  return headsOf(model, x, training).logits;
}

/** Mean softmax cross-entropy of class logits [n, K] against integer labels [n]. */
export function classCrossEntropy(classLogits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const k = classLogits.shape[1];
    const picked = tf.sum(tf.mul(classLogits, tf.oneHot(tf.cast(labels, "int32"), k)), 1);
    return tf.mean(tf.sub(tf.logSumExp(classLogits, 1), picked)) as tf.Scalar;
  });
}

// With the auxiliary classifier, the category G's code names is the digit it must draw.
export { codeOf };

function checkLabels(labels: ArrayLike<number>, n: number, classes: number): void {
  if (labels.length !== n)
    throw new Error(`realLabels: expected ${n} labels, got ${labels.length}`);
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new Error(`realLabels[${i}]: expected an integer in 0…${classes - 1}, got ${y}`);
    }
  }
}

/** k = 1 discriminator update: real batch labelled 1 (or 1 − smoothing), G(z) labelled 0. */
export function trainDiscriminatorStep(
  gan: Gan,
  realBatch: tf.Tensor4D,
  opts: DStepOptions = {},
): DStepStats {
  assertImages("realBatch", realBatch);
  const nReal = realBatch.shape[0];
  if (opts.extraFakes) assertImages("extraFakes", opts.extraFakes);
  if (opts.z) assertNoise(gan, opts.z, nReal);
  const classes = auxClasses(gan.config);
  const realLabels = classes > 0 ? opts.realLabels : undefined;
  if (realLabels) checkLabels(realLabels, nReal, classes);
  const auxWeight = gan.config.auxClassWeight ?? 0;
  return tf.tidy(() => {
    const z = opts.z ?? normalNoise(nReal, gan.config.latentDim, gan.rng);
    // G runs in training mode as in the reference recipe (batch statistics); its variables are
    // not in D's varList, so no gradient reaches them.
    const generated = gan.generator.apply(z, { training: true }) as tf.Tensor4D;
    const fakes = opts.extraFakes ? tf.concat([generated, opts.extraFakes]) : generated;
    const nFake = fakes.shape[0];
    // One pass over [real; fake]: D has no batchnorm, so this equals two separate passes.
    const images = tf.concat([realBatch, fakes]);
    const realLabel = 1 - gan.config.labelSmoothing;
    const labels = tf.concat([tf.fill([nReal], realLabel), tf.zeros([nFake])]);
    // Per-example weights make the loss mean(real) + mean(fake), whatever the two sizes.
    const weights = tf.concat([tf.fill([nReal], 1 / nReal), tf.fill([nFake], 1 / nFake)]);
    // Kept out of the gradient computation: D's logits, its BCE and its class loss.
    let kept: { logits: tf.Tensor1D; bce: tf.Scalar; ce?: tf.Scalar } | undefined;
    const { grads } = tf.variableGrads(() => {
      const { logits, classLogits } = headsOf(gan.discriminator, images, true);
      const bce = tf.sum(tf.mul(bceWithLogits(logits, labels), weights)) as tf.Scalar;
      kept = { logits: tf.keep(logits), bce: tf.keep(bce) };
      if (!classLogits || !realLabels) return bce;
      // The class head learns the digits from the real half only.
      const ce = classCrossEntropy(
        tf.slice(classLogits, [0, 0], [nReal, classes]),
        tf.tensor1d(Int32Array.from(realLabels), "int32"),
      );
      kept.ce = tf.keep(ce);
      return tf.add(bce, tf.mul(ce, auxWeight)) as tf.Scalar;
    }, trainableVariables(gan.discriminator));
    applyGrads(gan.dOptimizer, grads);
    const { logits, bce, ce } = kept!;
    const probs = tf.sigmoid(logits);
    logits.dispose();
    return {
      loss: bce,
      dReal: tf.mean(tf.slice(probs, 0, nReal)) as tf.Scalar,
      dFake: tf.mean(tf.slice(probs, nReal, nFake)) as tf.Scalar,
      ...(ce ? { classLoss: ce } : {}),
    };
  });
}

/** One generator update; λ = 0 is the classic loss (H is not even run), λ = 1 ignores D. */
export function trainGeneratorStep(gan: Gan, opts: GStepOptions = {}): GStepStats {
  const lambda = opts.lambda ?? 0;
  if (!Number.isFinite(lambda) || lambda < 0 || lambda > 1) {
    throw new Error(`lambda: expected a number in [0, 1], got ${lambda}`);
  }
  const n = opts.z?.shape[0] ?? opts.batchSize ?? gan.config.batchSize;
  if (opts.z) assertNoise(gan, opts.z);
  const classes = auxClasses(gan.config);
  const auxWeight = gan.config.auxClassWeight ?? 0;
  return tf.tidy(() => {
    const z = opts.z ?? normalNoise(n, gan.config.latentDim, gan.rng);
    const ones = tf.ones([n]);
    const code = classes > 0 ? codeOf(z, classes) : undefined;
    const fooled = (model: tfl.LayersModel, x: tf.Tensor, training: boolean) =>
      tf.mean(bceWithLogits(logitsOf(model, x, training), ones)) as tf.Scalar;
    // Kept out of the gradient computation: L_G and (auxiliary classifier) the class loss.
    let kept: { loss: tf.Scalar; ce?: tf.Scalar } | undefined;
    const { grads } = tf.variableGrads(() => {
      const fake = gan.generator.apply(z, { training: true }) as tf.Tensor4D;
      let byD: tf.Scalar | undefined;
      let ce: tf.Scalar | undefined;
      if (lambda < 1) {
        const { logits, classLogits } = headsOf(gan.discriminator, fake, true);
        byD = tf.mean(bceWithLogits(logits, ones)) as tf.Scalar;
        // Draw the digit the code names, as D's class head reads it.
        if (classLogits && code) ce = classCrossEntropy(classLogits, code);
      }
      const byH = lambda > 0 ? fooled(gan.critic, fake, false) : undefined;
      const loss = !byH
        ? byD!
        : !byD
          ? byH
          : (tf.add(tf.mul(byD, 1 - lambda), tf.mul(byH, lambda)) as tf.Scalar);
      kept = { loss: tf.keep(loss), ...(ce ? { ce: tf.keep(ce) } : {}) };
      return ce ? (tf.add(loss, tf.mul(ce, (1 - lambda) * auxWeight)) as tf.Scalar) : loss;
    }, trainableVariables(gan.generator));
    const gradNorm = opts.gradNorm ? globalNorm(Object.values(grads)) : undefined;
    applyGrads(gan.gOptimizer, grads);
    updateAverage(gan);
    const { loss, ce } = kept!;
    return { loss, ...(ce ? { classLoss: ce } : {}), ...(gradNorm ? { gradNorm } : {}) };
  });
}

/**
 * Folds G's current weights (batchnorm statistics included) into the average:
 * average ← d·average + (1 − d)·G, with d = min(decay, (1 + t) / (10 + t)) after t updates.
 */
function updateAverage(gan: Gan): void {
  const avg = gan.average;
  if (!avg) return;
  const t = gan.averagedSteps++;
  const d = Math.min(gan.config.gAverageDecay ?? 0, (1 + t) / (10 + t));
  tf.tidy(() => {
    gan.generator.weights.forEach((w, i) => {
      const a = avg.weights[i]!;
      a.write(tf.add(tf.mul(a.read(), d), tf.mul(w.read(), 1 - d)));
    });
  });
}

/** Sets the average to G's current weights (after loading weights into G). */
export function resetAverage(gan: Gan): void {
  if (!gan.average) return;
  gan.average.setWeights(gan.generator.weights.map((w) => w.read()));
  gan.averagedSteps = 0;
}

// variableGrads types its result as tensors; they are exactly what applyGradients wants.
function applyGrads(opt: tf.Optimizer, grads: tf.NamedTensorMap): void {
  opt.applyGradients(grads as Parameters<tf.Optimizer["applyGradients"]>[0]);
}

function globalNorm(tensors: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(tensors.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/**
 * One update of the human critic H on (image → fraction of students who said "real"): BCE with
 * soft targets. Returns the loss before the update.
 */
export function trainCriticStep(
  gan: Gan,
  images: tf.Tensor4D,
  realFractions: tf.Tensor1D | ArrayLike<number>,
): tf.Scalar {
  assertImages("images", images);
  const n = images.shape[0];
  const size = realFractions instanceof tf.Tensor ? realFractions.size : realFractions.length;
  if (size !== n) throw new Error(`realFractions: expected ${n} values, got ${size}`);
  if (!(realFractions instanceof tf.Tensor)) {
    for (let i = 0; i < n; i++) {
      const f = realFractions[i]!;
      if (!(f >= 0 && f <= 1)) throw new Error(`realFractions[${i}]: expected 0…1, got ${f}`);
    }
  }
  return tf.tidy(() => {
    const targets =
      realFractions instanceof tf.Tensor
        ? tf.reshape(realFractions, [-1])
        : tf.tensor1d(Array.from(realFractions), "float32");
    const { value, grads } = tf.variableGrads(
      () => tf.mean(bceWithLogits(logitsOf(gan.critic, images, true), targets)) as tf.Scalar,
      trainableVariables(gan.critic),
    );
    applyGrads(gan.hOptimizer, grads);
    return value;
  });
}

/**
 * The generator the class sees: G's moving average when the config keeps one, else G.
 */
export function shownGenerator(gan: Gan): tfl.LayersModel {
  return gan.average ?? gan.generator;
}

/**
 * G(z) in inference mode (batchnorm running statistics), from the generator the class sees
 * (`shownGenerator`): [n, 28, 28, 1] in [-1, 1].
 */
export function generate(gan: Gan, z: tf.Tensor2D): tf.Tensor4D {
  assertNoise(gan, z);
  return tf.tidy(() => shownGenerator(gan).apply(z, { training: false }) as tf.Tensor4D);
}

/** D's probability that each image is real, [n]. */
export function discriminate(gan: Gan, images: tf.Tensor4D): tf.Tensor1D {
  assertImages("images", images);
  return tf.tidy(() => tf.sigmoid(logitsOf(gan.discriminator, images, false)));
}

/** H's prediction of the fraction of students who would say "real", [n]. */
export function criticScore(gan: Gan, images: tf.Tensor4D): tf.Tensor1D {
  assertImages("images", images);
  return tf.tidy(() => tf.sigmoid(logitsOf(gan.critic, images, false)));
}

/** Reads step statistics back as numbers and disposes the tensors. */
export async function readStats<T extends object>(stats: T): Promise<{ [K in keyof T]: number }> {
  const entries = Object.entries(stats).filter(([, v]) => v instanceof tf.Tensor) as [
    string,
    tf.Tensor,
  ][];
  const values = await Promise.all(entries.map(([, t]) => t.data()));
  for (const [, t] of entries) t.dispose();
  return Object.fromEntries(entries.map(([k], i) => [k, values[i]![0]!])) as never;
}

/** Disposes step statistics that will never be read. */
export function disposeStats(stats: object): void {
  for (const v of Object.values(stats)) if (v instanceof tf.Tensor) v.dispose();
}

/** Frees every weight and optimizer slot of the GAN. */
export function dispose(gan: Gan): void {
  gan.generator.dispose();
  gan.average?.dispose();
  gan.discriminator.dispose();
  gan.critic.dispose();
  gan.gOptimizer.dispose();
  gan.dOptimizer.dispose();
  gan.hOptimizer.dispose();
}
