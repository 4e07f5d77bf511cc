// Training on the wasm backend (lib/gan's kernels) frees every tensor it makes, in each way G can
// upsample (transposed convs, or resize + stride-1 conv) and with the auxiliary classifier on.
import { beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerCustomKernels } from "@/lib/gan/kernels";
import { resolveConfig, type GanConfigOverrides } from "@/lib/gan/config";
import {
  createGan,
  dispose,
  disposeStats,
  trainDiscriminatorStep,
  trainGeneratorStep,
} from "@/lib/gan/train";

beforeAll(async () => {
  registerCustomKernels();
  setWasmPaths(path.resolve("node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep);
  expect(await tf.setBackend("wasm")).toBe(true);
});

const VARIANTS: Record<string, GanConfigOverrides> = {
  "transposed convs": {},
  "resize + stride-1 conv output": { gOutput: "resize-conv" },
  "auxiliary classifier, resize-conv and G's moving average": {
    gOutput: "resize-conv",
    latentCategories: 10,
    auxClassWeight: 1,
    gAverageDecay: 0.99,
  },
};

describe("no tensor leaks on wasm", () => {
  for (const [name, overrides] of Object.entries(VARIANTS)) {
    it(`${name}: tf.memory().numTensors is constant over 20 training iterations`, () => {
      const gan = createGan(resolveConfig("tiny", overrides), 3);
      const real = tf.randomUniform([16, 28, 28, 1], -1, 1, "float32", 1) as tf.Tensor4D;
      const realLabels = Array.from({ length: 16 }, (_, i) => i % 10);
      const iteration = () => {
        disposeStats(trainDiscriminatorStep(gan, real, { realLabels }));
        disposeStats(trainGeneratorStep(gan, { gradNorm: true }));
      };
      iteration();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 20; i++) iteration();
      expect(tf.memory().numTensors).toBe(before);
      real.dispose();
      dispose(gan);
    }, 60_000);
  }
});
