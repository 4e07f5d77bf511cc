import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeDigitsGzip, IMAGE_PIXELS, type Digits } from "@/lib/gan/dataset";
import { createRng } from "@/lib/gan/rng";
import {
  calibrateClass,
  judgeImages,
  realFractions,
  strokeStats,
  studentVerdict,
  type SimulatedClass,
} from "@/lib/gan/simulated-class";

const file = path.join(__dirname, "..", "..", "public", "data", "mnist.bin.gz");

let digits: Digits;
let cls: SimulatedClass;
let heldOut: Uint8Array;

beforeAll(async () => {
  digits = await decodeDigitsGzip(new Uint8Array(readFileSync(file)));
  const trainCount = digits.count - digits.heldOut;
  // Students learn what real digits look like from the training split, are tested on held-out.
  cls = calibrateClass(digits.pixels.subarray(0, trainCount * IMAGE_PIXELS), { seed: 1 });
  heldOut = digits.pixels.subarray(trainCount * IMAGE_PIXELS);
});

function image(paint: (x: number, y: number) => number): Uint8Array {
  const out = new Uint8Array(IMAGE_PIXELS);
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) out[y * 28 + x] = paint(x, y);
  return out;
}

function shareSaidReal(images: Uint8Array, seed: number): number {
  const v = judgeImages(cls, images, createRng(seed));
  const real = v.reduce((s, t) => s + t.saidReal, 0);
  return real / (v.length * cls.students.length);
}

describe("stroke statistics", () => {
  it("measure a solid centred bar: its box, full-strength ink, no soft edge, one part", () => {
    const bar = image((x, y) => (x >= 12 && x < 16 && y >= 4 && y < 24 ? 255 : 0));
    const s = strokeStats(bar);
    expect(s.height).toBe(20);
    expect(s.width).toBe(4);
    expect(s.inkedMean).toBe(1);
    expect(s.softEdges).toBe(0);
    expect(s.largestPart).toBe(1);
    expect(s.inkMass).toBeCloseTo(80 / 784, 10);
    expect(s.centreOffset).toBeCloseTo(0, 10);
  });

  it("see a speck away from the stroke as a second part and grey ink as soft edge", () => {
    const s = strokeStats(
      image((x, y) => {
        if (x >= 12 && x < 15 && y >= 4 && y < 24) return 255; // 60-pixel stroke
        if (x === 2 && y === 2) return 255; // a speck
        if (x === 15 && y >= 4 && y < 24) return 100; // a grey edge down one side
        return 0;
      }),
    );
    expect(s.largestPart).toBeCloseTo(60 / 61, 10);
    expect(s.softEdges).toBeCloseTo(20 / 81, 10);
  });

  it("reject an image that is not 784 bytes", () => {
    expect(() => strokeStats(new Uint8Array(100))).toThrow(/784 bytes, got 100/);
    expect(() => judgeImages(cls, new Uint8Array(785), createRng(1))).toThrow(/multiple of 784/);
  });
});

describe("a simulated class calibrated on real digits", () => {
  it("calls most held-out real digits real", () => {
    const share = shareSaidReal(heldOut, 2);
    console.log(`simulated class: ${(share * 100).toFixed(1)} % of held-out real verdicts "real"`);
    expect(share).toBeGreaterThan(0.8);
  });

  it("calls uniform noise, a blank page, a black-filled page and a lone dot fake", () => {
    const rng = createRng(3);
    const junk = [
      image(() => rng.nextInt(256)),
      image(() => rng.nextInt(256)),
      image(() => 0),
      image(() => 255),
      image((x, y) => (x === 14 && y === 14 ? 255 : 0)),
    ];
    for (const [i, im] of junk.entries()) {
      const [fraction] = realFractions(judgeImages(cls, im, createRng(10 + i)));
      expect(fraction, `junk image ${i}`).toBeLessThan(0.2);
    }
  });

  it("is made of students who differ, the same for the same seed", () => {
    const training = digits.pixels.subarray(0, 2000 * IMAGE_PIXELS);
    const a = calibrateClass(training, { seed: 5 });
    const b = calibrateClass(training, { seed: 5 });
    const c = calibrateClass(training, { seed: 6 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const rules = new Set(a.students.map((s) => JSON.stringify(s)));
    expect(rules.size).toBe(30);
    expect(a.students.every((s) => Object.keys(s.ranges).length >= 2)).toBe(true);
  });

  it("gives the same verdicts for the same rng seed", () => {
    const some = heldOut.subarray(0, 50 * IMAGE_PIXELS);
    expect(judgeImages(cls, some, createRng(9))).toEqual(judgeImages(cls, some, createRng(9)));
  });

  it("lets a student with lapse 1 guess, and one with lapse 0 follow the rule", () => {
    const stats = strokeStats(image(() => 0));
    const strict = { ranges: { inkMass: [0.05, 0.2] as const }, lapse: 0 };
    const guesser = { ranges: strict.ranges, lapse: 1 };
    const rng = createRng(4);
    const ruled = Array.from({ length: 200 }, () => studentVerdict(strict, stats, rng));
    const guessed = Array.from({ length: 200 }, () => studentVerdict(guesser, stats, rng));
    expect(ruled.every((v) => v === "fake")).toBe(true);
    const real = guessed.filter((v) => v === "real").length;
    expect(real).toBeGreaterThan(60);
    expect(real).toBeLessThan(140);
  });
});
