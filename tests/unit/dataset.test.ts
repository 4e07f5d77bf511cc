import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  DatasetFormatError,
  IMAGE_PIXELS,
  decodeDigits,
  decodeDigitsGzip,
  digitPixels,
} from "@/lib/gan/dataset";

const file = path.join(__dirname, "..", "..", "public", "data", "mnist.bin.gz");

describe("bundled digit dataset", () => {
  it("is compact and decodes quickly to 10,000 labelled 28×28 digits", async () => {
    const gz = new Uint8Array(readFileSync(file));
    expect(gz.length).toBeLessThan(2 * 1024 * 1024);
    const t0 = performance.now();
    const digits = await decodeDigitsGzip(gz);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(5000); // generous on a noisy machine; bench reports the real figure
    expect(digits.count).toBe(10_000);
    expect(digits.pixels.length).toBe(10_000 * IMAGE_PIXELS);
    expect(digits.heldOut).toBe(1000);
  });

  it("holds every class, with labels 0–9 and pixels spanning 0–255", async () => {
    const digits = await decodeDigitsGzip(new Uint8Array(readFileSync(file)));
    const perClass = new Array<number>(10).fill(0);
    for (const label of digits.labels) perClass[label] = (perClass[label] ?? 0) + 1;
    for (const n of perClass) expect(n).toBeGreaterThan(700);
    let min = 255;
    let max = 0;
    for (const p of digits.pixels) {
      if (p < min) min = p;
      if (p > max) max = p;
    }
    expect(min).toBe(0);
    expect(max).toBe(255);
    // A digit has ink in the middle and a blank border.
    const first = digitPixels(digits, 0);
    expect(first[0]).toBe(0);
    expect(first.reduce((s, p) => s + (p > 128 ? 1 : 0), 0)).toBeGreaterThan(40);
  });

  it("rejects truncated, foreign and wrong-version files with a clear error", () => {
    const good = new Uint8Array(16 + 1 + IMAGE_PIXELS);
    good.set([77, 78, 83, 84, 1, 28, 28, 0]);
    new DataView(good.buffer).setUint32(8, 1, true);
    expect(decodeDigits(good).count).toBe(1);
    expect(() => decodeDigits(good.subarray(0, 100))).toThrow(/expected 801 bytes/);
    const foreign = good.slice();
    foreign[0] = 0x50;
    expect(() => decodeDigits(foreign)).toThrow(DatasetFormatError);
    const future = good.slice();
    future[4] = 9;
    expect(() => decodeDigits(future)).toThrow(/format version/);
    const badLabel = good.slice();
    badLabel[16] = 12;
    expect(() => decodeDigits(badLabel)).toThrow(/not a digit/);
  });
});
