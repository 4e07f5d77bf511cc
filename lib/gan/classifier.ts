// The small MNIST classifier behind the quality metrics (lib/gan/quality.ts). It is trained by
// scripts/train-classifier.ts on the first 9,000 bundled digits; the weights live in
// public/models/classifier/. Isomorphic: the browser loads it from a URL, Node from bytes.
//
// Input convention: images are [n, 28, 28, 1] in [-1, 1] (ink = +1, background = -1), the same
// range as the generator's tanh output and the GAN's real batches, so generated and real images
// go in unchanged. Dataset bytes (0…255) go through `digitsToInput` first.
import * as tf from "@tensorflow/tfjs";
import { IMAGE_PIXELS, IMAGE_SIDE, type Digits } from "./dataset";

export const CLASSIFIER_URL = "/models/classifier/model.json";
export const CLASSIFIER_METRICS_URL = "/models/classifier/metrics.json";
export const CLASSIFIER_WEIGHTS_FILE = "weights.bin";
export const NUM_CLASSES = 10;
/** Width of the penultimate (feature) layer used for the Fréchet distance. */
export const FEATURE_SIZE = 64;
const FEATURE_LAYER = "features";
const PROBS_LAYER = "probs";
/** Images per forward pass: bounds memory when classifying thousands of digits. */
const PREDICT_BATCH = 256;

export interface Classifier {
  /** images → class probabilities [n, 10]. */
  readonly model: tf.LayersModel;
  /** images → [features [n, FEATURE_SIZE], probabilities [n, 10]]; shares `model`'s layers. */
  readonly featureModel: tf.LayersModel;
  dispose(): void;
}

/** What the training script measured; written next to the weights as metrics.json. */
export interface ClassifierMetrics {
  readonly heldOutAccuracy: number;
  /** Share of held-out real digits whose top class has probability ≥ confidenceThreshold. */
  readonly heldOutConfidentShare: number;
  readonly confidenceThreshold: number;
  readonly trainSize: number;
  readonly heldOutSize: number;
  readonly epochs: number;
  readonly trainSeconds: number;
  readonly seed: number;
  readonly date: string;
}

/**
 * The architecture: two 3×3 conv + max-pool stages, a 64-unit feature layer, softmax over the
 * ten digits. Small on purpose (≈106 k weights, ≈420 KB): the tfjs cpu backend trains it in
 * minutes and every browser runs it in milliseconds.
 */
export function buildClassifierModel(seed: number): tf.LayersModel {
  const init = (offset: number) => tf.initializers.heNormal({ seed: seed + offset });
  const input = tf.input({ shape: [IMAGE_SIDE, IMAGE_SIDE, 1], name: "image" });
  let x = tf.layers
    .conv2d({
      filters: 16,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      kernelInitializer: init(1),
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({
      filters: 32,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      kernelInitializer: init(2),
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const features = tf.layers
    .dense({
      units: FEATURE_SIZE,
      activation: "relu",
      kernelInitializer: init(3),
      name: FEATURE_LAYER,
    })
    .apply(x) as tf.SymbolicTensor;
  const probs = tf.layers
    .dense({
      units: NUM_CLASSES,
      activation: "softmax",
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 4 }),
      name: PROBS_LAYER,
    })
    .apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: probs, name: "digitClassifier" });
}

/** Wraps a (built or loaded) classifier model and derives the feature model from its layers. */
export function classifierFromModel(model: tf.LayersModel): Classifier {
  const features = model.getLayer(FEATURE_LAYER).output as tf.SymbolicTensor;
  const probs = model.getLayer(PROBS_LAYER).output as tf.SymbolicTensor;
  const featureModel = tf.model({ inputs: model.inputs, outputs: [features, probs] });
  return { model, featureModel, dispose: () => model.dispose() };
}

/** Browser (or any fetch-capable runtime): loads model.json and its weights from a URL. */
export async function loadClassifier(
  url: string = CLASSIFIER_URL,
  fetchFunc?: typeof fetch,
): Promise<Classifier> {
  return classifierFromModel(await tf.loadLayersModel(tf.io.http(url, { fetchFunc })));
}

/** Node or tests: builds the classifier from model.json's parsed content and the weights' bytes. */
export async function loadClassifierFromBytes(
  modelJson: unknown,
  weights: Uint8Array,
): Promise<Classifier> {
  const json = modelJson as Partial<tf.io.ModelJSON>;
  const manifest = json.weightsManifest;
  if (json.modelTopology == null || !Array.isArray(manifest) || manifest.length !== 1) {
    throw new Error("expected a layers-model model.json with one weights group");
  }
  const weightSpecs = manifest[0]!.weights;
  const expected = weightSpecs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (weights.byteLength !== expected) {
    throw new Error(`expected ${expected} weight bytes, got ${weights.byteLength}`);
  }
  const weightData = weights.buffer.slice(
    weights.byteOffset,
    weights.byteOffset + weights.byteLength,
  ) as ArrayBuffer;
  const handler = tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData });
  return classifierFromModel(await tf.loadLayersModel(handler));
}

/** Dataset bytes (0…255) of digits [start, start + count) → [count, 28, 28, 1] in [-1, 1]. */
export function digitsToInput(digits: Digits, start: number, count: number): tf.Tensor4D {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0) {
    throw new RangeError(
      `expected a non-negative integer range, got start ${start}, count ${count}`,
    );
  }
  if (start + count > digits.count) {
    throw new RangeError(`expected digits within 0…${digits.count}, got ${start}…${start + count}`);
  }
  const bytes = digits.pixels.subarray(start * IMAGE_PIXELS, (start + count) * IMAGE_PIXELS);
  return bytesToInput(bytes, count);
}

/** count × 784 bytes (0…255) → [count, 28, 28, 1] in [-1, 1]. */
export function bytesToInput(bytes: Uint8Array, count: number): tf.Tensor4D {
  if (bytes.length !== count * IMAGE_PIXELS) {
    throw new RangeError(`expected ${count * IMAGE_PIXELS} bytes, got ${bytes.length}`);
  }
  const values = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) values[i] = bytes[i]! / 127.5 - 1;
  return tf.tensor4d(values, [count, IMAGE_SIDE, IMAGE_SIDE, 1]);
}

/** Images in [0, 1] (e.g. canvas pixels) → the classifier's [-1, 1]. */
export function unitToInput(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => images.mul(2).sub(1));
}

/**
 * Features and probabilities for images in [-1, 1], read back to the CPU in batches.
 * Returns row-major Float32Arrays: features [n × FEATURE_SIZE], probs [n × 10].
 */
export async function classify(
  classifier: Classifier,
  images: tf.Tensor4D,
): Promise<{ count: number; features: Float32Array; probs: Float32Array }> {
  const [n, h, w, c] = images.shape;
  if (h !== IMAGE_SIDE || w !== IMAGE_SIDE || c !== 1) {
    throw new Error(`expected images [n, 28, 28, 1], got [${images.shape.join(", ")}]`);
  }
  const features = new Float32Array(n * FEATURE_SIZE);
  const probs = new Float32Array(n * NUM_CLASSES);
  for (let start = 0; start < n; start += PREDICT_BATCH) {
    const size = Math.min(PREDICT_BATCH, n - start);
    const [f, p] = tf.tidy(() => {
      const batch = images.slice([start, 0, 0, 0], [size, h, w, c]);
      return classifier.featureModel.predict(batch) as tf.Tensor[];
    }) as [tf.Tensor, tf.Tensor];
    features.set(await f.data(), start * FEATURE_SIZE);
    probs.set(await p.data(), start * NUM_CLASSES);
    f.dispose();
    p.dispose();
  }
  return { count: n, features, probs };
}
