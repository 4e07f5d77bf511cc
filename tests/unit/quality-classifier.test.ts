import { readFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FEATURE_SIZE,
  NUM_CLASSES,
  bytesToInput,
  classify,
  digitsToInput,
  loadClassifier,
  loadClassifierFromBytes,
  type Classifier,
  type ClassifierMetrics,
} from "@/lib/gan/classifier";
import { IMAGE_PIXELS, decodeDigitsGzip, type Digits } from "@/lib/gan/dataset";
import {
  confidentShare,
  evaluateQuality,
  referenceStats,
  type ReferenceStats,
} from "@/lib/gan/quality";

const root = path.join(__dirname, "..", "..");
const modelDir = path.join(root, "public", "models", "classifier");

// Forward passes on the cpu backend; generous because the machine running tests may be busy.
const SLOW_MS = 240_000;

let digits: Digits;
let classifier: Classifier;
let trainStart: number;
let reference: ReferenceStats;
let heldOutScores: Awaited<ReturnType<typeof classify>>;

function accuracy(probs: Float32Array, labels: Uint8Array): number {
  let correct = 0;
  labels.forEach((label, i) => {
    const row = Array.from(probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES));
    if (row.indexOf(Math.max(...row)) === label) correct++;
  });
  return correct / labels.length;
}

beforeAll(async () => {
  await tf.setBackend("cpu");
  digits = await decodeDigitsGzip(
    new Uint8Array(readFileSync(path.join(root, "public", "data", "mnist.bin.gz"))),
  );
  trainStart = digits.count - digits.heldOut;
  const json: unknown = JSON.parse(readFileSync(path.join(modelDir, "model.json"), "utf8"));
  classifier = await loadClassifierFromBytes(
    json,
    new Uint8Array(readFileSync(path.join(modelDir, "weights.bin"))),
  );
  const all = digitsToInput(digits, trainStart, digits.heldOut);
  heldOutScores = await classify(classifier, all);
  all.dispose();
  const train = digitsToInput(digits, 0, 1000);
  const heldOut = digitsToInput(digits, trainStart, 200);
  reference = await referenceStats(classifier, train, heldOut);
  tf.dispose([train, heldOut]);
}, SLOW_MS);

afterAll(() => classifier?.dispose());

describe("committed MNIST classifier", { timeout: SLOW_MS }, () => {
  it("is small: weights under 500 KB", () => {
    expect(readFileSync(path.join(modelDir, "weights.bin")).length).toBeLessThan(500 * 1024);
  });

  it("classifies 500 held-out real digits with ≥ 95 % accuracy", () => {
    const { probs, features } = heldOutScores;
    expect(features.length).toBe(digits.heldOut * FEATURE_SIZE);
    for (let i = 0; i < 500; i += 97) {
      const sum = probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 4);
    }
    const first500 = probs.subarray(0, 500 * NUM_CLASSES);
    expect(
      accuracy(first500, digits.labels.subarray(trainStart, trainStart + 500)),
    ).toBeGreaterThanOrEqual(0.95);
  });

  it("loads the same weights over HTTP as the browser does (model.json, then weights.bin)", async () => {
    const requested: string[] = [];
    const serveFromDisk = (async (input: RequestInfo | URL) => {
      const url = String(input);
      requested.push(url);
      const file = path.join(root, "public", new URL(url, "http://localhost").pathname);
      return new Response(new Uint8Array(readFileSync(file)));
    }) as typeof fetch;
    const overHttp = await loadClassifier(
      "http://localhost/models/classifier/model.json",
      serveFromDisk,
    );
    const images = digitsToInput(digits, trainStart, 50);
    const [a, b] = [await classify(classifier, images), await classify(overHttp, images)];
    images.dispose();
    overHttp.dispose();
    expect(requested.map((u) => new URL(u).pathname)).toEqual([
      "/models/classifier/model.json",
      "/models/classifier/weights.bin",
    ]);
    expect(Array.from(b.probs)).toEqual(Array.from(a.probs));
  });

  it("reproduces the held-out accuracy and confident share recorded in metrics.json", () => {
    const metrics = JSON.parse(
      readFileSync(path.join(modelDir, "metrics.json"), "utf8"),
    ) as ClassifierMetrics;
    expect(metrics.heldOutSize).toBe(digits.heldOut);
    expect(metrics.trainSize).toBe(trainStart);
    expect(accuracy(heldOutScores.probs, digits.labels.subarray(trainStart))).toBeCloseTo(
      metrics.heldOutAccuracy,
      2,
    );
    expect(
      confidentShare(
        { rows: digits.heldOut, cols: NUM_CLASSES, data: heldOutScores.probs },
        metrics.confidenceThreshold,
      ),
    ).toBeCloseTo(metrics.heldOutConfidentShare, 2);
  });

  it("gives real held-out digits a small FID floor and a high Inception-style score", () => {
    expect(reference.features.dim).toBe(FEATURE_SIZE);
    expect(reference.real.inceptionScore).toBeGreaterThan(8);
    expect(reference.real.confidentShare).toBeGreaterThan(0.85);
    expect(reference.real.maxClassShare).toBeLessThan(0.2);
    // The reference survives a JSON round trip, so it can be cached.
    expect(JSON.parse(JSON.stringify(reference))).toEqual(reference);
  });

  it("passes real digits and fails a collapsed set of one digit repeated", async () => {
    const real = digitsToInput(digits, trainStart + 200, 200);
    // Collapse onto a digit the classifier is sure of: confidence alone would then pass it.
    const candidates = digitsToInput(digits, trainStart, 20);
    const { probs } = await classify(classifier, candidates);
    candidates.dispose();
    const sure = Array.from({ length: 20 }, (_, i) => i).find(
      (i) => Math.max(...probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES)) >= 0.99,
    );
    expect(sure).toBeDefined();
    const one = digits.pixels.subarray(
      (trainStart + sure!) * IMAGE_PIXELS,
      (trainStart + sure! + 1) * IMAGE_PIXELS,
    );
    const repeated = new Uint8Array(200 * IMAGE_PIXELS);
    for (let i = 0; i < 200; i++) repeated.set(one, i * IMAGE_PIXELS);
    const collapsed = bytesToInput(repeated, 200);

    const before = tf.memory().numTensors;
    const realReport = await evaluateQuality(classifier, real, reference);
    const collapsedReport = await evaluateQuality(classifier, collapsed, reference);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([real, collapsed]);

    expect(realReport.qualityReached).toBe(true);
    expect(realReport.fid).toBeLessThan(3 * reference.real.fid + 1);
    expect(collapsedReport.confidentShare).toBe(1);
    expect(collapsedReport.maxClassShare).toBe(1);
    expect(collapsedReport.qualityReached).toBe(false);
    expect(collapsedReport.inceptionScore).toBeLessThan(1.01);
    expect(collapsedReport.fid).toBeGreaterThan(10 * realReport.fid);
  });
});
