// The trainer protocol end to end in Node: the page-side TrainerClient talking to the worker's
// TrainerHost through structured-cloned messages, as a Web Worker would, on the cpu backend.
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { TrainerClient, TrainerRequestError, type WorkerLike } from "@/app/_lib/trainer-client";
import type { BackendReport } from "@/lib/gan/backend";
import { PRESETS, resolveConfig } from "@/lib/gan/config";
import { decodeSnapshot, encodeSnapshot } from "@/lib/gan/snapshot";
import { createGan, dispose } from "@/lib/gan/train";
import { createTrainerHost, type TrainerHost } from "@/lib/gan/trainer-host";
import { transferables, type TrainerMessage } from "@/lib/gan/worker-protocol";
import { indexedDigits, useCpuBackend } from "./gan-test-utils";

const cpuReport: BackendReport = {
  backend: "cpu",
  msPerStep: {},
  simd: null,
  threads: null,
  reason: "tests run on cpu",
};

let hosts: TrainerHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

function connect(): { client: TrainerClient; messages: TrainerMessage[] } {
  const messages: TrainerMessage[] = [];
  let toPage: ((e: MessageEvent<unknown>) => void) | undefined;
  const host = createTrainerHost({
    post: (m) => {
      messages.push(m);
      const copy = structuredClone(m, { transfer: transferables(m) });
      setTimeout(() => toPage?.({ data: copy } as MessageEvent<unknown>), 0);
    },
    loadDigits: async () => indexedDigits(64, 8),
    initBackend: async () => cpuReport,
  });
  hosts.push(host);
  const worker: WorkerLike = {
    postMessage: (m) => void host.handle(structuredClone(m) as never),
    addEventListener: (_type, listener) => (toPage = listener),
    terminate: () => {},
  };
  return { client: new TrainerClient(worker), messages };
}

describe("trainer worker protocol", () => {
  beforeAll(useCpuBackend);

  it("initialises, trains on play, streams progress and samples, and pauses", async () => {
    const { client } = connect();
    const ready = await client.init({
      preset: "tiny",
      seed: 1,
      readEvery: 2,
      sampleEvery: 2,
      sampleCount: 9,
    });
    expect(ready.backend).toBe("cpu");
    expect(ready.datasetSize).toBe(56);
    expect(ready.config).toEqual(PRESETS.tiny);
    const samples = client.once("samples");
    const histograms = client.once("histograms");
    const progress = client.once("progress", (p) => p.step >= 2);
    client.play();
    expect((await progress).dSteps).toBeGreaterThanOrEqual(2);
    const s = await samples;
    expect(s.count).toBe(9);
    expect(s.images.length).toBe(9 * 784);
    const h = await histograms;
    expect(h.real.reduce((a, b) => a + b)).toBe(56);
    expect(h.fake.reduce((a, b) => a + b)).toBe(9);
    const paused = client.once("state");
    client.pause();
    expect((await paused).paused).toBe(true);
  });

  it("single-steps D and G while paused and says which weights changed", async () => {
    const { client } = connect();
    await client.init({ preset: "tiny", seed: 2 });
    const d = client.once("weightsChanged");
    client.stepD();
    expect((await d).which).toBe("D");
    const g = client.once("weightsChanged");
    client.stepG();
    expect(await g).toMatchObject({ which: "G", step: 1 });
  });

  it("generates from given noise, fresh fakes and fixed samples, and gives D's verdicts", async () => {
    const { client } = connect();
    await client.init({ preset: "tiny", seed: 3, sampleCount: 4 });
    const z = new Float32Array(2 * PRESETS.tiny.latentDim).fill(0.5);
    const latent = await client.latent(z);
    expect(latent.count).toBe(2);
    expect(latent.images.length).toBe(2 * 784);
    expect(Array.from(latent.images.subarray(0, 784))).toEqual(
      Array.from(latent.images.subarray(784)),
    );
    const fresh = await client.generate(5);
    expect([fresh.count, fresh.images.length, fresh.step]).toEqual([5, 5 * 784, 0]);
    expect((await client.sampleFixed()).images.length).toBe(4 * 784);
    const verdicts = await client.discriminate(fresh.images);
    expect(verdicts.probabilities.length).toBe(5);
    await expect(client.latent(new Float32Array(3))).rejects.toThrow(/multiple of 16 values/);
  });

  it("snapshots and reloads weights, rejecting another architecture with its code", async () => {
    const { client } = connect();
    await client.init({ preset: "tiny", seed: 4 });
    client.stepG();
    await client.once("weightsChanged");
    const snap = await client.snapshot({ nets: ["G", "D", "H"] });
    expect(snap.step).toBe(1);
    expect(Object.keys(decodeSnapshot(snap.bytes).nets).sort()).toEqual(["D", "G", "H"]);
    const z = new Float32Array(3 * PRESETS.tiny.latentDim).map((_, i) => Math.sin(i));
    const before = await client.latent(z);
    await client.reset({ seed: 5 });
    expect((await client.latent(z)).images).not.toEqual(before.images);
    expect(await client.loadSnapshot(snap.bytes)).toEqual({ step: 1, nets: ["G", "D", "H"] });
    const after = await client.latent(z);
    let maxDiff = 0;
    after.images.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - before.images[i]!))));
    expect(maxDiff).toBeLessThanOrEqual(2); // float16 weights
    const other = createGan(resolveConfig("tiny", { kernelSize: 3 }), 1);
    const foreign = encodeSnapshot(other, 9);
    dispose(other);
    const err = await client.loadSnapshot(foreign).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerRequestError);
    expect((err as TrainerRequestError).code).toBe("ARCHITECTURE");
  });

  it("starts a generate-only trainer from a snapshot", async () => {
    const gan = createGan(resolveConfig("tiny", { kernelSize: 3 }), 8);
    const bytes = encodeSnapshot(gan, 42);
    dispose(gan);
    const { client } = connect();
    const ready = await client.init({
      preset: "classroom",
      seed: 1,
      datasetUrl: null,
      snapshot: bytes,
    });
    expect([ready.step, ready.datasetSize, ready.config.kernelSize]).toEqual([42, 0, 3]);
    expect((await client.generate(2)).step).toBe(42);
    const errors = client.once("error");
    client.play();
    expect((await errors).message).toMatch(/no dataset/);
  });

  it("trains the human critic on class verdicts and keeps the fakes the class caught", async () => {
    const { client } = connect();
    await client.init({ preset: "tiny", seed: 6 });
    const images = new Uint8Array(8 * 784);
    for (let i = 0; i < 4; i++) images.fill(255, i * 784, i * 784 + 392);
    const fractions = [0.9, 0.9, 0.9, 0.9, 0.1, 0.2, 0.1, 0.6];
    const fake = [false, false, false, false, true, true, true, true];
    const report = await client.addHumanLabels(images, fractions, fake);
    expect(report.labelled).toBe(8);
    expect(report.caughtFakes).toBe(3);
    expect(report.lossAfter).toBeLessThan(report.lossBefore);
    expect(images.length).toBe(8 * 784); // the caller's array is copied, not detached
    await expect(client.addHumanLabels(images, [0.5])).rejects.toThrow(/expected 1 images/);
  });

  it("applies live settings and rejects ones that need new weights", async () => {
    const { client } = connect();
    await client.init({ preset: "tiny", seed: 7 });
    const { config } = await client.setConfig({ dStepsPerGStep: 3, gLearningRate: 1e-3 });
    expect([config.dStepsPerGStep, config.gLearningRate]).toEqual([3, 1e-3]);
    await expect(client.setConfig({ kernelSize: 3 } as never)).rejects.toThrow(/needs a reset/);
    const progress = client.once("progress");
    client.stepD();
    client.stepG();
    await progress;
    client.play();
    const p = await client.once("progress", (e) => e.kind === "iteration");
    expect(p.dSteps - 1).toBe(3 * (p.step - 1));
    client.pause();
  });

  it("frees every tensor when closed", async () => {
    const before = tf.memory().numTensors;
    const { client } = connect();
    await client.init({ preset: "tiny", seed: 9 });
    client.play();
    await client.once("progress");
    await hosts.pop()!.close();
    expect(tf.memory().numTensors).toBe(before);
  });
});
