// Scores generated digits with the small MNIST classifier (lib/gan/quality), in its own worker so
// neither the page nor the trainer waits for it. It runs on wasm with one thread (cpu if wasm is
// unavailable): the classifier is small, and the trainer keeps the other cores.
import * as tf from "@tensorflow/tfjs";
import { setWasmBackend } from "@/lib/gan/backend";
import { loadClassifier, digitsToInput, type Classifier } from "@/lib/gan/classifier";
import { fetchDigits, IMAGE_PIXELS } from "@/lib/gan/dataset";
import { meanPairwiseDistance } from "@/lib/gan/health";
import { bytesToTensor } from "@/lib/gan/images";
import { evaluateQuality, referenceStats, type ReferenceStats } from "@/lib/gan/quality";
import type { QualityRequest, QualityResponse } from "../_lib/qualityProtocol";

/** Training digits the samples' features are compared with. */
const REFERENCE_TRAIN = 1000;
/** Held-out digits scored like a sample grid (same count, so the FID floor is comparable). */
const REFERENCE_HELD_OUT = 64;

const scope = self as unknown as {
  postMessage(message: QualityResponse): void;
  addEventListener(type: "message", listener: (event: MessageEvent<QualityRequest>) => void): void;
};

let ready: Promise<{ classifier: Classifier; reference: ReferenceStats }> | undefined;
let backend = "cpu";

async function start() {
  // Single-threaded wasm: the trainer's worker has the machine's threads, and one thread is all
  // the classifier needs.
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  try {
    if (await setWasmBackend({ threads: 1 })) backend = "wasm";
  } catch {
    // wasm unavailable: stay on cpu
  }
  if (backend !== "wasm") await tf.setBackend("cpu");
  const [classifier, digits] = await Promise.all([loadClassifier(), fetchDigits()]);
  const train = digitsToInput(digits, 0, Math.min(REFERENCE_TRAIN, digits.count - digits.heldOut));
  const heldStart = digits.count - digits.heldOut;
  const heldOut = digitsToInput(digits, heldStart, Math.min(REFERENCE_HELD_OUT, digits.heldOut));
  const reference = await referenceStats(classifier, train, heldOut);
  tf.dispose([train, heldOut]);
  const realBytes = digits.pixels.subarray(
    heldStart * IMAGE_PIXELS,
    (heldStart + REFERENCE_HELD_OUT) * IMAGE_PIXELS,
  );
  return { classifier, reference, referenceDiversity: meanPairwiseDistance(realBytes) };
}

scope.addEventListener("message", (event) => {
  const req = event.data;
  const t0 = performance.now();
  const run = async (): Promise<QualityResponse> => {
    if (req.type === "init") {
      const started = start();
      ready = started;
      const { reference, referenceDiversity } = await started;
      return {
        type: "ready",
        id: req.id,
        result: {
          backend,
          realInceptionScore: reference.real.inceptionScore,
          realFid: reference.real.fid,
          referenceDiversity,
          ms: performance.now() - t0,
        },
      };
    }
    if (!ready) throw new Error("expected an init message first, got none");
    const { classifier, reference } = await ready;
    const images = bytesToTensor(req.images);
    try {
      const report = await evaluateQuality(classifier, images, reference);
      const diversity = meanPairwiseDistance(req.images);
      return {
        type: "evaluated",
        id: req.id,
        result: { report, diversity, ms: performance.now() - t0 },
      };
    } finally {
      images.dispose();
    }
  };
  run().then(
    (response) => scope.postMessage(response),
    (e: unknown) =>
      scope.postMessage({
        type: "error",
        id: req.id,
        message: e instanceof Error ? e.message : String(e),
      }),
  );
});
