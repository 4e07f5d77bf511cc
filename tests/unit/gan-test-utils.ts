// Shared setup for the GAN unit tests: the tfjs cpu backend with lib/gan's conv-gradient
// kernels (the stock cpu filter gradient makes even the tiny preset take ~2 s a step).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import type * as tfl from "@tensorflow/tfjs-layers";
import type { Digits } from "@/lib/gan/dataset";
import { registerCustomKernels } from "@/lib/gan/kernels";

export async function useCpuBackend(): Promise<void> {
  registerCustomKernels();
  await tf.setBackend("cpu");
  await tf.ready();
}

/** Copies of every weight of a model (trainable and batchnorm statistics). */
export function weightValues(model: tfl.LayersModel): Float32Array[] {
  return model.weights.map((w) => w.read().dataSync() as Float32Array).map((a) => a.slice());
}

export function sameWeights(a: Float32Array[], b: Float32Array[]): boolean {
  return a.length === b.length && a.every((x, i) => x.every((v, j) => v === b[i]![j]));
}

/** Digits whose first pixel encodes their index, so a batch tells which digits it holds. */
export function indexedDigits(count: number, heldOut = 0): Digits {
  const pixels = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    pixels[i * 784] = i;
    for (let p = 1; p < 784; p++) pixels[i * 784 + p] = (i * 31 + p * 7) % 256;
    labels[i] = i % 10;
  }
  return { count, heldOut, labels, pixels };
}
