// The GAN of the lab: an MLP generator (noise → point on the plane) and an MLP discriminator
// (point → logit), trained exactly as lib/gan trains the digit GAN — the same BCE from logits
// (imported), a D step on real (label 1) and generated (label 0) points that updates only D,
// and a G step that labels fresh fakes "real" through D and updates only G; k D steps per G
// step. lib/gan's step functions check for 28×28 images, hence these 2-D twins.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { trainableVariables } from "@/lib/gan/models";
import { createRng, type Rng } from "@/lib/gan/rng";
import { bceWithLogits } from "@/lib/gan/train";
import type { LabConfig, OptimizerName } from "./config";
import { sampleNoise, sampleTarget } from "./targets";

export interface Lab {
  config: LabConfig;
  readonly generator: tfl.Sequential;
  readonly discriminator: tfl.Sequential;
  gOptimizer: tf.Optimizer;
  dOptimizer: tf.Optimizer;
  /** Draws real batches and noise, so a seed makes a run repeatable. */
  readonly rng: Rng;
  dSteps: number;
  gSteps: number;
}

export interface LabDStats {
  /** BCE on the real half + BCE on the fake half (2 ln 2 ≈ 1.386 when D is guessing). */
  readonly loss: number;
  /** Mean D(x) on the real batch. */
  readonly dReal: number;
  /** Mean D(G(z)) before the update. */
  readonly dFake: number;
}

export interface LabGStats {
  readonly loss: number;
}

function mlp(
  name: string,
  inputDim: number,
  layers: number,
  units: number,
  outputs: number,
  cfg: LabConfig,
  rng: Rng,
): tfl.Sequential {
  const model = tfl.sequential({ name });
  for (let i = 0; i < layers; i++) {
    model.add(
      tfl.layers.dense({
        units,
        activation: cfg.activation,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.nextUint32() }),
        ...(i === 0 ? { inputShape: [inputDim] } : {}),
        name: `${name}_hidden${i + 1}`,
      }),
    );
  }
  model.add(
    tfl.layers.dense({
      units: outputs,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.nextUint32() }),
      name: `${name}_out`,
    }),
  );
  return model;
}

/** noise [n, noiseDim] → points [n, 2] (linear output: the plane is unbounded). */
export function buildLabGenerator(cfg: LabConfig, seed: number): tfl.Sequential {
  return mlp("g", cfg.noiseDim, cfg.gLayers, cfg.gUnits, 2, cfg, createRng(seed));
}

/** points [n, 2] → logits [n, 1]; sigmoid(logit) is D's P(real). */
export function buildLabDiscriminator(cfg: LabConfig, seed: number): tfl.Sequential {
  return mlp("d", 2, cfg.dLayers, cfg.dUnits, 1, cfg, createRng(seed));
}

export function makeOptimizer(name: OptimizerName, lr: number): tf.Optimizer {
  switch (name) {
    case "adam":
      // β1 0.5 as in the digit GAN: less momentum keeps the two players from overshooting.
      return tf.train.adam(lr, 0.5, 0.999, 1e-8);
    case "sgd":
      return tf.train.sgd(lr);
    case "rmsprop":
      return tf.train.rmsprop(lr);
  }
}

/** Fresh G, D and optimisers from cfg.seed. The custom target needs drawn points. */
export function createLab(cfg: LabConfig): Lab {
  if (cfg.target === "custom" && cfg.drawn.length < 2) {
    throw new Error("custom target: expected at least one drawn point, got none");
  }
  const seeds = createRng(cfg.seed);
  const generator = buildLabGenerator(cfg, seeds.nextUint32());
  const discriminator = buildLabDiscriminator(cfg, seeds.nextUint32());
  return {
    config: cfg,
    generator,
    discriminator,
    gOptimizer: makeOptimizer(cfg.optimizer, cfg.gLearningRate),
    dOptimizer: makeOptimizer(cfg.optimizer, cfg.dLearningRate),
    rng: createRng(seeds.nextUint32()),
    dSteps: 0,
    gSteps: 0,
  };
}

/**
 * Applies settings that need no new weights (k, rates, optimiser, G loss, batch, view flags).
 * A new optimiser kind starts with fresh state; a new rate keeps the optimiser's moments.
 */
export function updateLab(lab: Lab, cfg: LabConfig): void {
  const old = lab.config;
  lab.config = cfg;
  if (cfg.optimizer !== old.optimizer) {
    lab.gOptimizer.dispose();
    lab.dOptimizer.dispose();
    lab.gOptimizer = makeOptimizer(cfg.optimizer, cfg.gLearningRate);
    lab.dOptimizer = makeOptimizer(cfg.optimizer, cfg.dLearningRate);
    return;
  }
  setLearningRate(lab.gOptimizer, cfg.gLearningRate);
  setLearningRate(lab.dOptimizer, cfg.dLearningRate);
}

function setLearningRate(opt: tf.Optimizer, lr: number): void {
  // Every tfjs optimiser reads this.learningRate on each update.
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

export function realBatch(lab: Lab, n: number): Float32Array {
  return sampleTarget(lab.config.target, n, lab.rng, lab.config.drawn);
}

function noiseBatch(lab: Lab, n: number): tf.Tensor2D {
  return tf.tensor2d(sampleNoise(n, lab.config.noiseDim, lab.rng), [n, lab.config.noiseDim]);
}

function logitsOf(model: tfl.Sequential, x: tf.Tensor): tf.Tensor1D {
  return tf.reshape(model.apply(x) as tf.Tensor, [-1]);
}

/** G's loss on D's logits for its fakes, as the chosen loss defines it. */
export function generatorLoss(lab: Lab, fakeLogits: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const n = fakeLogits.shape[0];
    return lab.config.gLoss === "nonSaturating"
      ? (tf.mean(bceWithLogits(fakeLogits, tf.ones([n]))) as tf.Scalar)
      : (tf.neg(tf.mean(bceWithLogits(fakeLogits, tf.zeros([n])))) as tf.Scalar);
  });
}

/** One discriminator update: a real batch labelled 1, G(z) labelled 0; only D's weights move. */
export function labDStep(lab: Lab, real?: Float32Array): LabDStats {
  const n = lab.config.batchSize;
  const realPoints = real ?? realBatch(lab, n);
  if (realPoints.length !== 2 * n) {
    throw new Error(`real: expected ${n} points, got ${realPoints.length / 2}`);
  }
  const stats = tf.tidy(() => {
    const fakes = lab.generator.apply(noiseBatch(lab, n)) as tf.Tensor2D;
    const points = tf.concat([tf.tensor2d(realPoints, [n, 2]), fakes]);
    const labels = tf.concat([tf.ones([n]), tf.zeros([n])]);
    let kept: tf.Tensor1D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const logits = logitsOf(lab.discriminator, points);
      kept = tf.keep(logits);
      // mean over the real half + mean over the fake half, as lib/gan's D loss.
      return tf.mul(tf.mean(bceWithLogits(logits, labels)), 2) as tf.Scalar;
    }, trainableVariables(lab.discriminator));
    lab.dOptimizer.applyGradients(grads as Record<string, tf.Tensor>);
    const probs = tf.sigmoid(kept!);
    kept!.dispose();
    return tf.stack([value, tf.mean(tf.slice(probs, 0, n)), tf.mean(tf.slice(probs, n, n))]);
  });
  const [loss, dReal, dFake] = stats.dataSync();
  stats.dispose();
  lab.dSteps++;
  return { loss: loss!, dReal: dReal!, dFake: dFake! };
}

/** One generator update through the frozen D; only G's weights move. */
export function labGStep(lab: Lab): LabGStats {
  const n = lab.config.batchSize;
  const loss = tf.tidy(() => {
    const z = noiseBatch(lab, n);
    const { value, grads } = tf.variableGrads(
      () => generatorLoss(lab, logitsOf(lab.discriminator, lab.generator.apply(z) as tf.Tensor2D)),
      trainableVariables(lab.generator),
    );
    lab.gOptimizer.applyGradients(grads as Record<string, tf.Tensor>);
    return value;
  });
  const value = loss.dataSync()[0]!;
  loss.dispose();
  lab.gSteps++;
  return { loss: value };
}

export interface LabIterationStats {
  readonly d: LabDStats;
  readonly g: LabGStats;
}

/** k D steps, then one G step. */
export function labIteration(lab: Lab): LabIterationStats {
  let d: LabDStats | undefined;
  for (let i = 0; i < lab.config.dStepsPerGStep; i++) d = labDStep(lab);
  return { d: d!, g: labGStep(lab) };
}

export function disposeLab(lab: Lab): void {
  lab.generator.dispose();
  lab.discriminator.dispose();
  lab.gOptimizer.dispose();
  lab.dOptimizer.dispose();
}
