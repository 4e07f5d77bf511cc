import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRESETS, resolveConfig } from "@/lib/gan/config";
import {
  SnapshotError,
  createGanFromSnapshot,
  decodeSnapshot,
  encodeSnapshot,
  loadSnapshotInto,
  readWeights,
  type SnapshotErrorCode,
} from "@/lib/gan/snapshot";
import { crc32, float16ToFloat32, float32ToFloat16 } from "@/lib/gan/snapshot-codec";
import { createGan, dispose, type Gan } from "@/lib/gan/train";
import { sameWeights, useCpuBackend, weightValues } from "./gan-test-utils";

function expectSnapshotError(fn: () => unknown, code: SnapshotErrorCode, message: RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SnapshotError);
    expect((e as SnapshotError).code).toBe(code);
    expect((e as SnapshotError).message).toMatch(message);
    return;
  }
  throw new Error(`expected a SnapshotError ${code}`);
}

function maxRelativeError(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) =>
    x.forEach((v, j) => {
      const err = Math.abs(v - b[i]![j]!) / Math.max(Math.abs(v), 1e-3);
      worst = Math.max(worst, err);
    }),
  );
  return worst;
}

describe("snapshot codecs", () => {
  it("converts float16 exactly for representable values and rounds to nearest", () => {
    for (const v of [0, 1, -2, 0.5, 65504, 2 ** -24, -(2 ** -14)]) {
      expect(float16ToFloat32(float32ToFloat16(v))).toBe(v);
    }
    expect(float16ToFloat32(float32ToFloat16(1 + 2 ** -11))).toBe(1); // tie → even
    expect(float16ToFloat32(float32ToFloat16(1e6))).toBe(Infinity);
    expect(float16ToFloat32(float32ToFloat16(0.1))).toBeCloseTo(0.1, 4);
  });

  it("computes the standard CRC-32", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});

describe("GAN snapshots", () => {
  let gan: Gan;
  beforeAll(async () => {
    await useCpuBackend();
    gan = createGan(PRESETS.tiny, 1);
  });
  afterAll(() => dispose(gan));

  it("round-trips G, D and H within float16 tolerance, with step and config", () => {
    const bytes = encodeSnapshot(gan, 1234, { nets: ["G", "D", "H"] });
    const decoded = decodeSnapshot(bytes);
    expect(decoded.step).toBe(1234);
    expect(decoded.config).toEqual(PRESETS.tiny);
    expect(Object.keys(decoded.nets).sort()).toEqual(["D", "G", "H"]);
    const other = createGan(PRESETS.tiny, 99);
    expect(loadSnapshotInto(other, decoded)).toEqual(["G", "D", "H"]);
    expect(
      maxRelativeError(weightValues(gan.generator), weightValues(other.generator)),
    ).toBeLessThan(1e-3);
    expect(
      maxRelativeError(weightValues(gan.discriminator), weightValues(other.discriminator)),
    ).toBeLessThan(1e-3);
    expect(maxRelativeError(weightValues(gan.critic), weightValues(other.critic))).toBeLessThan(
      1e-3,
    );
    dispose(other);
  });

  it("reads weights asynchronously to the same bytes as the synchronous path", async () => {
    const weights = await readWeights(gan, ["G", "D"]);
    expect(encodeSnapshot(weights, 5)).toEqual(encodeSnapshot(gan, 5));
  });

  it("int8 snapshots are much smaller and stay within one quantisation step", () => {
    const f16 = encodeSnapshot(gan, 1);
    const i8 = encodeSnapshot(gan, 1, { precision: "int8" });
    expect(i8.length).toBeLessThan(f16.length * 0.7);
    const other = createGan(PRESETS.tiny, 99);
    loadSnapshotInto(other, decodeSnapshot(i8));
    const a = weightValues(gan.generator).flatMap((x) => Array.from(x));
    const b = weightValues(other.generator).flatMap((x) => Array.from(x));
    const maxAbs = Math.max(...a.map(Math.abs));
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(maxAbs / 127));
    dispose(other);
  });

  it("keeps the classroom generator under 1 MB with int8 weights", () => {
    const classroom = createGan(PRESETS.classroom, 1);
    const f16 = encodeSnapshot(classroom, 0, { nets: ["G"] });
    const i8 = encodeSnapshot(classroom, 0, { nets: ["G"], precision: "int8" });
    expect(i8.length).toBeLessThanOrEqual(1024 * 1024);
    expect(f16.length).toBeGreaterThan(i8.length);
    dispose(classroom);
  });

  it("rebuilds the nets a snapshot describes (as the server does to score with D)", async () => {
    const bytes = encodeSnapshot(gan, 7);
    const rebuilt = createGanFromSnapshot(decodeSnapshot(bytes));
    const x = tf.randomUniform([3, 28, 28, 1], -1, 1, "float32", 1);
    const p1 = await (gan.discriminator.predict(x) as tf.Tensor).data();
    const p2 = await (rebuilt.discriminator.predict(x) as tf.Tensor).data();
    p1.forEach((v, i) => expect(p2[i]).toBeCloseTo(v, 2));
    x.dispose();
    dispose(rebuilt);
  });

  it("rejects truncated, corrupted, foreign and future-version snapshots", () => {
    const bytes = encodeSnapshot(gan, 3);
    expectSnapshotError(() => decodeSnapshot(bytes.subarray(0, 10)), "TRUNCATED", /at least 20/);
    expectSnapshotError(
      () => decodeSnapshot(bytes.subarray(0, bytes.length - 100)),
      "TRUNCATED",
      new RegExp(`expected ${bytes.length} bytes`),
    );
    const corrupted = bytes.slice();
    corrupted[bytes.length - 500]! ^= 0x40;
    expectSnapshotError(() => decodeSnapshot(corrupted), "CHECKSUM", /checksum mismatch/);
    const corruptedHeader = bytes.slice();
    corruptedHeader[30]! ^= 0x01;
    expectSnapshotError(() => decodeSnapshot(corruptedHeader), "CHECKSUM", /checksum/);
    const future = bytes.slice();
    future[4] = 2;
    expectSnapshotError(
      () => decodeSnapshot(future),
      "VERSION",
      /expected snapshot format 1, got 2/,
    );
    const foreign = bytes.slice();
    foreign[0] = 0x50;
    expectSnapshotError(() => decodeSnapshot(foreign), "FORMAT", /magic/);
    expectSnapshotError(() => decodeSnapshot(new Uint8Array([...bytes, 0])), "FORMAT", /bytes/);
  });

  it("rejects another architecture and loads nothing", () => {
    const wide = createGan(resolveConfig("tiny", { generatorFilters: [24, 8] }), 2);
    const bytes = encodeSnapshot(wide, 3, { nets: ["G", "D", "H"] });
    const before = [gan.generator, gan.discriminator, gan.critic].map(weightValues);
    expectSnapshotError(
      () => loadSnapshotInto(gan, decodeSnapshot(bytes)),
      "ARCHITECTURE",
      /expected architecture dcgan-z16-cat10-g16x8r.*got dcgan-z16-cat10-g24x8r/,
    );
    const after = [gan.generator, gan.discriminator, gan.critic].map(weightValues);
    after.forEach((w, i) => expect(sameWeights(w, before[i]!)).toBe(true));
    dispose(wide);
  });

  it("validates every tensor before assigning any (no half-load)", () => {
    const other = createGan(PRESETS.tiny, 5);
    const decoded = decodeSnapshot(encodeSnapshot(other, 1, { nets: ["G", "D"] }));
    // D's tensors are fine, G's last one is renamed: neither net may change.
    const g = decoded.nets.G!;
    const tampered = {
      ...decoded,
      nets: { D: decoded.nets.D!, G: [...g.slice(0, -1), { ...g[g.length - 1]!, name: "x/y" }] },
    };
    const before = [gan.generator, gan.discriminator].map(weightValues);
    expectSnapshotError(() => loadSnapshotInto(gan, tampered), "ARCHITECTURE", /got x\/y/);
    const after = [gan.generator, gan.discriminator].map(weightValues);
    after.forEach((w, i) => expect(sameWeights(w, before[i]!)).toBe(true));
    dispose(other);
  });

  it("leaks no tensor when loading", () => {
    const decoded = decodeSnapshot(encodeSnapshot(gan, 1, { nets: ["G", "D", "H"] }));
    loadSnapshotInto(gan, decoded);
    const before = tf.memory().numTensors;
    loadSnapshotInto(gan, decoded);
    expect(tf.memory().numTensors).toBe(before);
  });
});
