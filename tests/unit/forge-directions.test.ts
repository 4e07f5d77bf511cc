// The forge's dials: the generator's main noise directions and the moves through noise space.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { codeNamesDigit, codeOfNoise, withCode } from "@/lib/gan/latent-code";
import { PRESETS } from "@/lib/gan/config";
import {
  composeNoise,
  gram,
  normalVector,
  slerp,
  topEigenvectors,
  withoutLeadingRows,
} from "@/app/play/[code]/_lib/directions";
import { seededRng } from "@/lib/game";

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

describe("main directions", () => {
  it("finds orthonormal directions that W·Wᵀ stretches most, strongest first", () => {
    const rows = 12;
    const cols = 40;
    const rng = seededRng(3);
    const w = Float32Array.from({ length: rows * cols }, () => rng() - 0.5);
    // Make one input direction (e0 + e1) dominate.
    for (let j = 0; j < cols; j++) {
      w[j] = w[j]! * 6;
      w[cols + j] = w[j]!;
    }
    const g = gram(w, rows, cols);
    const dirs = topEigenvectors(g, rows, 4, 200);
    expect(dirs).toHaveLength(4);
    const stretch = dirs.map((d) => {
      const gd = Array.from({ length: rows }, (_, i) =>
        dot(g.subarray(i * rows, (i + 1) * rows), d),
      );
      return dot(gd, d);
    });
    for (let k = 0; k < 4; k++) {
      expect(dot(dirs[k]!, dirs[k]!)).toBeCloseTo(1, 4);
      for (let l = 0; l < k; l++) expect(Math.abs(dot(dirs[k]!, dirs[l]!))).toBeLessThan(1e-3);
      if (k > 0) expect(stretch[k]!).toBeLessThanOrEqual(stretch[k - 1]! * (1 + 1e-6));
    }
    // The dominant direction is (e0 + e1)/√2, up to sign.
    expect(Math.abs(dirs[0]![0]! + dirs[0]![1]!) / Math.SQRT2).toBeGreaterThan(0.95);
  });

  it("keeps every composed vector within the limit, and the anchor when the dials are at zero", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (seed, offsets) => {
          const rng = seededRng(seed);
          const anchor = normalVector(16, rng);
          const dirs = [0, 1, 2].map(() => normalVector(16, rng));
          const z = composeNoise(anchor, dirs, offsets, 5);
          for (const v of z) expect(Math.abs(v)).toBeLessThanOrEqual(5);
          const still = composeNoise(anchor, dirs, [0, 0, 0], 100);
          expect(Array.from(still)).toEqual(Array.from(anchor));
        },
      ),
    );
  });

  it("blends two favourites from A to B, keeping the length of the noise", () => {
    const rng = seededRng(9);
    const a = normalVector(100, rng);
    const b = normalVector(100, rng);
    expect(
      Array.from(slerp(a, b, 0))
        .map((v, i) => v - a[i]!)
        .every((d) => Math.abs(d) < 1e-4),
    ).toBe(true);
    expect(
      Array.from(slerp(a, b, 1))
        .map((v, i) => v - b[i]!)
        .every((d) => Math.abs(d) < 1e-4),
    ).toBe(true);
    const mid = slerp(a, b, 0.5);
    const norm = (x: Float32Array) => Math.sqrt(dot(x, x));
    expect(norm(mid)).toBeGreaterThan(0.9 * Math.min(norm(a), norm(b)));
  });
});

describe("choosing the digit (G's categorical code)", () => {
  it("withCode makes the chosen entry the code's argmax, within the limit, leaving the rest of z", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 9 }),
        fc.double({ min: 0, max: 4.5, noNaN: true }),
        (seed, digit, spread) => {
          const rng = seededRng(seed);
          const z = Float32Array.from({ length: 16 }, () => (rng() * 2 - 1) * spread);
          const out = withCode(z, digit, 10, 5);
          expect(codeOfNoise(out, 10)).toBe(digit);
          for (const v of out) expect(Math.abs(v)).toBeLessThanOrEqual(5);
          for (let i = 10; i < 16; i++) expect(out[i]).toBe(z[i]);
        },
      ),
    );
  });

  it("the code names the digit only with the auxiliary classifier (classroom, not baseline)", () => {
    expect(codeNamesDigit(PRESETS.classroom)).toBe(true);
    expect(codeNamesDigit(PRESETS.baseline)).toBe(false);
    expect(codeNamesDigit({ ...PRESETS.classroom, auxClassWeight: 0 })).toBe(false);
  });

  it("withCode keeps z as it is when it already names that digit clearly", () => {
    const z = Float32Array.from([0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1.5]);
    expect(Array.from(withCode(z, 2, 10, 5))).toEqual(Array.from(z));
    expect(() => withCode(z, 10, 10, 5)).toThrow(/category: expected an integer in 0…9, got 10/);
  });

  it("directions from a kernel without its code rows never move the code", () => {
    const rows = 14;
    const cols = 20;
    const rng = seededRng(8);
    const w = Float32Array.from({ length: rows * cols }, () => rng() - 0.5);
    // Code rows that dominate the kernel, as a one-hot input's weights do.
    for (let j = 0; j < 4 * cols; j++) w[j] = w[j]! * 10;
    const dirs = topEigenvectors(gram(withoutLeadingRows(w, cols, 4), rows, cols), rows, 3);
    for (const d of dirs) for (let i = 0; i < 4; i++) expect(Math.abs(d[i]!)).toBeLessThan(1e-6);
  });
});
