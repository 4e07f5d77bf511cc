// Pure builders for the three networks: the generator G (counterfeiter), the discriminator D
// (police) and the human critic H (a small D that learns what the class calls "real").
// Functional tf.layers models, so a class-label input can be added later beside z.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { auxClasses, type GanConfig } from "./config";
import { createRng, type Rng } from "./rng";

export const IMAGE_SHAPE = [28, 28, 1] as const;

export interface BuildOptions {
  /** Seeds the initial weights (and D's dropout masks): same seed, same nets. */
  readonly seed?: number;
}

type Kwargs = Record<string, unknown>;

/**
 * Dropout whose mask comes from an injected rng, drawing a fresh seed per call: tf.layers'
 * Dropout either uses Math.random (not repeatable) or a fixed seed (the same mask every step).
 */
class SeededDropout extends tfl.layers.Layer {
  static className = "SpotTheFakeSeededDropout";
  constructor(
    private readonly rate: number,
    private readonly rng: Rng,
    name: string,
  ) {
    super({ name });
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (kwargs["training"] !== true || this.rate === 0) return x;
    return tf.dropout(x, this.rate, undefined, this.rng.nextUint32());
  }
  override getConfig() {
    return { ...super.getConfig(), rate: this.rate };
  }
}

/**
 * z → z with its first `categories` entries replaced by the one-hot of their argmax: a uniform
 * K-way choice drawn from the same N(0, 1) noise. No weights; no gradient flows to z.
 */
class CategoricalCode extends tfl.layers.Layer {
  static className = "SpotTheFakeCategoricalCode";
  constructor(
    private readonly categories: number,
    name: string,
  ) {
    super({ name });
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const z = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor2D;
    return tf.tidy(() => {
      const k = this.categories;
      const [n, d] = z.shape;
      const code = tf.cast(tf.oneHot(codeOf(z, k), k), "float32");
      return k === d ? code : tf.concat([code, tf.slice(z, [0, k], [n, d - k])], 1);
    });
  }
  override getConfig() {
    return { ...super.getConfig(), categories: this.categories };
  }
}

/** The category G's code names for each noise row: argmax of its first K entries. */
export function codeOf(z: tf.Tensor2D, categories: number): tf.Tensor1D {
  return tf.tidy(() => tf.argMax(tf.slice(z, [0, 0], [z.shape[0], categories]), 1) as tf.Tensor1D);
}

function initializers(rng: Rng) {
  return () => tfl.initializers.glorotUniform({ seed: rng.nextUint32() });
}

/** z [n, latentDim] → image [n, 28, 28, 1] in [-1, 1]. */
export function buildGenerator(cfg: GanConfig, opts: BuildOptions = {}): tfl.LayersModel {
  const rng = createRng(opts.seed ?? 1);
  const init = initializers(rng);
  const [c7, c14] = cfg.generatorFilters;
  const k = cfg.kernelSize;
  const bn = (name: string) =>
    tfl.layers.batchNormalization({ name, momentum: cfg.batchNormMomentum, epsilon: 1e-5 });
  const z = tfl.input({ shape: [cfg.latentDim], name: "g_z" });
  const categories = cfg.latentCategories ?? 0;
  const code =
    categories > 0 ? (new CategoricalCode(categories, "g_code").apply(z) as tfl.SymbolicTensor) : z;
  // Bias-free layers before batchnorm: its beta makes a bias redundant.
  let x = tfl.layers
    .dense({ units: 7 * 7 * c7, useBias: false, kernelInitializer: init(), name: "g_dense" })
    .apply(code) as tfl.SymbolicTensor;
  x = bn("g_bn1").apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .leakyReLU({ alpha: cfg.leakyAlpha, name: "g_act1" })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .reshape({ targetShape: [7, 7, c7], name: "g_reshape" })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2dTranspose({
      filters: c14,
      kernelSize: k,
      strides: 2,
      padding: "same",
      useBias: false,
      kernelInitializer: init(),
      name: "g_deconv1",
    })
    .apply(x) as tfl.SymbolicTensor;
  x = bn("g_bn2").apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .leakyReLU({ alpha: cfg.leakyAlpha, name: "g_act2" })
    .apply(x) as tfl.SymbolicTensor;
  const image =
    cfg.gOutput === "resize-conv"
      ? (plainConv(
          tfl.layers.conv2d({
            filters: 1,
            kernelSize: k,
            strides: 1,
            padding: "same",
            activation: "tanh",
            kernelInitializer: init(),
            name: "g_conv_out",
          }),
        ).apply(
          tfl.layers.upSampling2d({ size: [2, 2], name: "g_upsample" }).apply(x),
        ) as tfl.SymbolicTensor)
      : (tfl.layers
          .conv2dTranspose({
            filters: 1,
            kernelSize: k,
            strides: 2,
            padding: "same",
            activation: "tanh",
            kernelInitializer: init(),
            name: "g_deconv2",
          })
          .apply(x) as tfl.SymbolicTensor);
  return tfl.model({ inputs: z, outputs: image, name: "generator" });
}

/**
 * Makes a stride-2 'same' conv layer with bias run as tf.conv2d + bias add instead of
 * tf.layers' fused conv. The fused op's gradient computes the input, filter and bias gradients
 * together, needed or not: in a G step D's filter and bias gradients, in a D step the gradient
 * w.r.t. the images. The plain ops' gradients are computed only for what the update needs.
 * Same weights, same names, same outputs.
 */
function plainConv(layer: tfl.layers.Layer): tfl.layers.Layer {
  const conv = layer as unknown as {
    kernel: { read(): tf.Tensor4D };
    bias: { read(): tf.Tensor1D } | null;
    strides: [number, number];
    padding: "same" | "valid";
    activation?: { apply(x: tf.Tensor): tf.Tensor };
    call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor;
  };
  conv.call = (inputs) =>
    tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const y = tf.conv2d(x, conv.kernel.read(), conv.strides, conv.padding);
      const z = conv.bias ? tf.add(y, conv.bias.read()) : y;
      return conv.activation ? conv.activation.apply(z) : z;
    });
  return layer;
}

function buildConvCritic(
  prefix: string,
  filters: readonly [number, number],
  cfg: GanConfig,
  dropout: number,
  seed: number,
  classes = 0,
): tfl.LayersModel {
  const rng = createRng(seed);
  const init = initializers(rng);
  const dropoutRng = createRng(rng.nextUint32());
  const input = tfl.input({ shape: [...IMAGE_SHAPE], name: `${prefix}_image` });
  let x: tfl.SymbolicTensor = input;
  filters.forEach((f, i) => {
    x = plainConv(
      tfl.layers.conv2d({
        filters: f,
        kernelSize: cfg.kernelSize,
        strides: 2,
        padding: "same",
        kernelInitializer: init(),
        name: `${prefix}_conv${i + 1}`,
      }),
    ).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers
      .leakyReLU({ alpha: cfg.leakyAlpha, name: `${prefix}_act${i + 1}` })
      .apply(x) as tfl.SymbolicTensor;
    if (dropout > 0) {
      x = new SeededDropout(dropout, dropoutRng, `${prefix}_drop${i + 1}`).apply(
        x,
      ) as tfl.SymbolicTensor;
    }
  });
  x = tfl.layers.flatten({ name: `${prefix}_flatten` }).apply(x) as tfl.SymbolicTensor;
  const logit = tfl.layers
    .dense({ units: 1, kernelInitializer: init(), name: `${prefix}_logit` })
    .apply(x) as tfl.SymbolicTensor;
  // With an auxiliary classifier the output is [real/fake logit, class logits…] in one row.
  const output =
    classes > 0
      ? (tfl.layers
          .concatenate({ axis: -1, name: `${prefix}_outputs` })
          .apply([
            logit,
            tfl.layers
              .dense({ units: classes, kernelInitializer: init(), name: `${prefix}_classes` })
              .apply(x) as tfl.SymbolicTensor,
          ]) as tfl.SymbolicTensor)
      : logit;
  return tfl.model({
    inputs: input,
    outputs: output,
    name: prefix === "d" ? "discriminator" : "critic",
  });
}

/**
 * image [n, 28, 28, 1] → one logit per image; sigmoid(logit) = P(real) according to D. With an
 * auxiliary classifier, [n, 1 + classes]: the logit, then the class logits.
 */
export function buildDiscriminator(cfg: GanConfig, opts: BuildOptions = {}): tfl.LayersModel {
  return buildConvCritic(
    "d",
    cfg.discriminatorFilters,
    cfg,
    cfg.dDropout,
    opts.seed ?? 2,
    auxClasses(cfg),
  );
}

/** image → one logit; sigmoid(logit) predicts the fraction of students who said "real". */
export function buildHumanCritic(cfg: GanConfig, opts: BuildOptions = {}): tfl.LayersModel {
  return buildConvCritic("h", cfg.critic.filters, cfg, 0, opts.seed ?? 3);
}

/** Stable, instance-independent weight names ("g_dense/kernel"), in model.weights order. */
export function weightNames(model: tfl.LayersModel): string[] {
  return model.weights.map((w) => w.originalName);
}

/** The trainable tf.Variables of a model, to restrict an optimizer to that network. */
export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}
