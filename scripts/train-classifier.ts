// Trains the small MNIST classifier behind the quality metrics and writes it to
// public/models/classifier/ (model.json, weights.bin, metrics.json).
//
//   npm run train:classifier [-- --epochs 9 --fine-tune-from 7 --max-minutes 90 --seed 7]
//
// Trains on the first 9,000 bundled digits (±2 px random shifts), evaluates on the 1,000
// held-out digits it never saw, and prints the held-out accuracy and the share of held-out
// digits classified with ≥ 0.9 confidence. Fixed seed, fixed epoch count (the held-out split is
// reported, never used to pick a checkpoint). Runs on the tfjs cpu backend with lib/gan's fast
// conv-gradient kernels and a direct max-pool gradient (the stock ones dominate a step).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import {
  CLASSIFIER_WEIGHTS_FILE,
  NUM_CLASSES,
  buildClassifierModel,
  classifierFromModel,
  classify,
  digitsToInput,
  type ClassifierMetrics,
} from "@/lib/gan/classifier";
import { IMAGE_PIXELS, IMAGE_SIDE, decodeDigitsGzip, type Digits } from "@/lib/gan/dataset";
import { confidentShare } from "@/lib/gan/quality";
import { createRng, shuffleInPlace } from "@/lib/gan/rng";
import { registerCustomKernels } from "@/lib/gan/kernels";

const ROOT = path.resolve(import.meta.dirname, "..");
const DATA_FILE = path.join(ROOT, "public", "data", "mnist.bin.gz");
const OUT_DIR = path.join(ROOT, "public", "models", "classifier");
const CONFIDENCE = 0.9;
const BATCH = 64;
const MAX_SHIFT = 2;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value)) throw new Error(`expected a number after --${name}`);
  return value;
}

/** NHWC max-pool gradient: routes dy to the first maximum of each window, as the stock kernel. */
function registerFastMaxPoolGradient(): void {
  tf.unregisterKernel("MaxPoolGrad", "cpu");
  tf.registerKernel({
    kernelName: "MaxPoolGrad",
    backendName: "cpu",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
      const a = attrs as unknown as {
        filterSize: [number, number] | number;
        strides: [number, number] | number;
        pad: "valid" | "same" | number;
        dimRoundingMode?: "floor" | "round" | "ceil";
      };
      const info = tf.backend_util.computePool2DInfo(
        input.shape as [number, number, number, number],
        a.filterSize,
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
      );
      const cpu = backend as unknown as {
        data: { get(id: object): { values: Float32Array } };
        makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): tf.TensorInfo;
      };
      const xv = cpu.data.get(input.dataId).values;
      const dyv = cpu.data.get(dy.dataId).values;
      const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
      const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
      const top = info.padInfo.top;
      const left = info.padInfo.left;
      const dx = new Float32Array(xv.length);
      for (let b = 0; b < batchSize; b++) {
        for (let yr = 0; yr < outHeight; yr++) {
          for (let yc = 0; yc < outWidth; yc++) {
            for (let d = 0; d < inChannels; d++) {
              let best = -Infinity;
              let at = -1;
              for (let wr = 0; wr < filterHeight; wr++) {
                const xr = yr * strideHeight + wr - top;
                if (xr < 0 || xr >= inHeight) continue;
                for (let wc = 0; wc < filterWidth; wc++) {
                  const xc = yc * strideWidth + wc - left;
                  if (xc < 0 || xc >= inWidth) continue;
                  const i = ((b * inHeight + xr) * inWidth + xc) * inChannels + d;
                  if (xv[i]! > best) {
                    best = xv[i]!;
                    at = i;
                  }
                }
              }
              if (at >= 0) dx[at]! += dyv[((b * outHeight + yr) * outWidth + yc) * inChannels + d]!;
            }
          }
        }
      }
      return cpu.makeTensorInfo(input.shape, "float32", dx);
    },
  });
}

/** Copies digit `index` into `out` at `offset`, shifted by (dy, dx), scaled to [-1, 1]. */
function writeShifted(
  digits: Digits,
  index: number,
  dy: number,
  dx: number,
  out: Float32Array,
  offset: number,
) {
  const src = index * IMAGE_PIXELS;
  for (let r = 0; r < IMAGE_SIDE; r++) {
    const sr = r - dy;
    for (let c = 0; c < IMAGE_SIDE; c++) {
      const sc = c - dx;
      const inside = sr >= 0 && sr < IMAGE_SIDE && sc >= 0 && sc < IMAGE_SIDE;
      const byte = inside ? digits.pixels[src + sr * IMAGE_SIDE + sc]! : 0;
      out[offset + r * IMAGE_SIDE + c] = byte / 127.5 - 1;
    }
  }
}

function accuracy(probs: Float32Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < NUM_CLASSES; k++) {
      if (probs[i * NUM_CLASSES + k]! > probs[i * NUM_CLASSES + best]!) best = k;
    }
    if (best === labels[i]) correct++;
  }
  return correct / labels.length;
}

async function saveModel(model: tf.LayersModel, metrics: ClassifierMetrics): Promise<number> {
  mkdirSync(OUT_DIR, { recursive: true });
  let weightBytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData!);
      weightBytes = data.byteLength;
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [CLASSIFIER_WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      };
      writeFileSync(path.join(OUT_DIR, "model.json"), JSON.stringify(json));
      writeFileSync(path.join(OUT_DIR, CLASSIFIER_WEIGHTS_FILE), new Uint8Array(data));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  writeFileSync(path.join(OUT_DIR, "metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
  return weightBytes;
}

async function main() {
  const seed = option("seed", 7);
  const epochs = option("epochs", 9);
  // Epochs from this one on fine-tune at a tenth of the learning rate.
  const fineTuneFrom = option("fine-tune-from", 7);
  // A safety bound on a busy machine; the run states how many epochs it finished.
  const maxMinutes = option("max-minutes", 90);
  await tf.setBackend("cpu");
  registerCustomKernels(); // lib/gan's fast cpu conv gradients
  registerFastMaxPoolGradient();

  const digits = await decodeDigitsGzip(new Uint8Array(readFileSync(DATA_FILE)));
  const trainSize = digits.count - digits.heldOut;
  const heldOutLabels = digits.labels.subarray(trainSize);
  const heldOutImages = digitsToInput(digits, trainSize, digits.heldOut);
  console.log(`train ${trainSize} digits, held out ${digits.heldOut}, seed ${seed}`);

  const model = buildClassifierModel(seed);
  const optimizer = tf.train.adam(1e-3);
  model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const classifier = classifierFromModel(model);
  const rng = createRng(seed);
  const order = Array.from({ length: trainSize }, (_, i) => i);
  const xs = new Float32Array(BATCH * IMAGE_PIXELS);
  const ys = new Float32Array(BATCH * NUM_CLASSES);
  const started = performance.now();
  let epochsRun = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    // (learningRate is protected in the typings; Adam reads it afresh on every step.)
    (optimizer as unknown as { learningRate: number }).learningRate =
      epoch >= fineTuneFrom ? 1e-4 : 1e-3;
    shuffleInPlace(order, rng);
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start + BATCH <= trainSize; start += BATCH) {
      ys.fill(0);
      for (let k = 0; k < BATCH; k++) {
        const index = order[start + k]!;
        const dy = rng.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
        const dx = rng.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
        writeShifted(digits, index, dy, dx, xs, k * IMAGE_PIXELS);
        ys[k * NUM_CLASSES + digits.labels[index]!] = 1;
      }
      const x = tf.tensor4d(xs, [BATCH, IMAGE_SIDE, IMAGE_SIDE, 1]);
      const y = tf.tensor2d(ys, [BATCH, NUM_CLASSES]);
      const [loss] = (await model.trainOnBatch(x, y)) as number[];
      x.dispose();
      y.dispose();
      lossSum += loss!;
      batches++;
    }
    epochsRun++;
    const { probs } = await classify(classifier, heldOutImages);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `epoch ${epoch + 1}/${epochs}  loss ${(lossSum / batches).toFixed(4)}  ` +
        `held-out acc ${(accuracy(probs, heldOutLabels) * 100).toFixed(2)} %  ${seconds.toFixed(0)} s`,
    );
    if (seconds > maxMinutes * 60) {
      console.log(`stopping: time cap of ${maxMinutes} min reached`);
      break;
    }
  }

  const trainSeconds = (performance.now() - started) / 1000;
  const { probs } = await classify(classifier, heldOutImages);
  const metrics: ClassifierMetrics = {
    heldOutAccuracy: accuracy(probs, heldOutLabels),
    heldOutConfidentShare: confidentShare(
      { rows: digits.heldOut, cols: NUM_CLASSES, data: probs },
      CONFIDENCE,
    ),
    confidenceThreshold: CONFIDENCE,
    trainSize,
    heldOutSize: digits.heldOut,
    epochs: epochsRun,
    trainSeconds: Math.round(trainSeconds),
    seed,
    date: new Date().toISOString(),
  };
  const weightBytes = await saveModel(model, metrics);
  console.log(
    `held-out accuracy ${(metrics.heldOutAccuracy * 100).toFixed(2)} %, ` +
      `confident (≥ ${CONFIDENCE}) ${(metrics.heldOutConfidentShare * 100).toFixed(1)} %, ` +
      `${metrics.trainSeconds} s, weights ${(weightBytes / 1024).toFixed(0)} KB → ${path.relative(ROOT, OUT_DIR)}`,
  );
}

await main();
