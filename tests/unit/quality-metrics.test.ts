import { describe, expect, it } from "vitest";
import {
  classHistogram,
  confidentShare,
  frechetDistance,
  frechetFromStats,
  gaussianStats,
  inceptionScore,
  sqrtmSymmetric,
  symmetricEigen,
  type Matrix,
} from "@/lib/gan/quality";

function rows(values: number[][]): Matrix {
  return { rows: values.length, cols: values[0]!.length, data: values.flat() };
}

function oneHot(classes: number[], k = 10): Matrix {
  return rows(classes.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
}

/** Seeded standard normals (mulberry32 + Box–Muller) so the tests are repeatable. */
function normals(seed: number, count: number): number[] {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return Array.from(
    { length: count },
    () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
  );
}

function matMul(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number[] {
  const out = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++) out[i * n + j]! += a[i * n + k]! * b[k * n + j]!;
  return out;
}

describe("Inception-style score", () => {
  it("is 10 for confident predictions spread evenly over ten classes", () => {
    const probs = oneHot(Array.from({ length: 100 }, (_, i) => i % 10));
    expect(inceptionScore(probs)).toBeCloseTo(10, 6);
  });

  it("is 1 when every sample is confidently the same class (collapse)", () => {
    expect(inceptionScore(oneHot(new Array<number>(50).fill(1)))).toBeCloseTo(1, 6);
  });

  it("is 1 when every prediction is uniform (no confidence)", () => {
    expect(
      inceptionScore(rows(Array.from({ length: 20 }, () => new Array<number>(10).fill(0.1)))),
    ).toBeCloseTo(1, 6);
  });

  it("counts the effective number of confidently covered classes", () => {
    expect(inceptionScore(oneHot([2, 7, 2, 7]))).toBeCloseTo(2, 6);
    // Half-confident samples score between collapse and full diversity.
    const soft = rows([
      [0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0.5, 0.5, 0, 0, 0, 0, 0, 0],
    ]);
    expect(inceptionScore(soft)).toBeCloseTo(2, 6);
  });

  it("rejects a probability matrix whose size does not match its shape", () => {
    expect(() => inceptionScore({ rows: 2, cols: 10, data: new Float32Array(10) })).toThrow(/2×10/);
  });
});

describe("class histogram and confident share", () => {
  it("gives the share of samples whose top class is each digit", () => {
    const histogram = classHistogram(oneHot([3, 3, 3, 5]));
    expect(histogram).toHaveLength(10);
    expect(histogram[3]).toBeCloseTo(0.75);
    expect(histogram[5]).toBeCloseTo(0.25);
    expect(histogram.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it("counts samples whose top probability reaches the threshold", () => {
    const probs = rows([
      [0.95, 0.05, 0, 0, 0, 0, 0, 0, 0, 0],
      [0.9, 0.1, 0, 0, 0, 0, 0, 0, 0, 0],
      [0.6, 0.4, 0, 0, 0, 0, 0, 0, 0, 0],
      [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
    ]);
    expect(confidentShare(probs)).toBeCloseTo(0.5);
    expect(confidentShare(probs, 0.5)).toBeCloseTo(0.75);
  });
});

describe("symmetric eigen-decomposition and matrix square root", () => {
  it("finds the eigenvalues of a known matrix", () => {
    const { values } = symmetricEigen([2, 1, 0, 1, 2, 0, 0, 0, 5], 3);
    expect(Array.from(values).sort((a, b) => a - b)).toEqual([
      expect.closeTo(1, 10),
      expect.closeTo(3, 10),
      expect.closeTo(5, 10),
    ]);
  });

  it("takes the square root of [[5, 4], [4, 5]] as [[2, 1], [1, 2]]", () => {
    const root = Array.from(sqrtmSymmetric([5, 4, 4, 5], 2));
    [2, 1, 1, 2].forEach((v, i) => expect(root[i]).toBeCloseTo(v, 10));
  });

  it("squares back to a random SPD matrix and to a singular PSD one", () => {
    const n = 8;
    const g = normals(11, n * n);
    const spd = matMul(
      g,
      Array.from({ length: n * n }, (_, i) => g[(i % n) * n + Math.floor(i / n)]!),
      n,
    );
    const singular = [1, 1, 1, 1, 1, 1, 1, 1, 1]; // rank 1
    for (const [m, size] of [
      [spd, n],
      [singular, 3],
    ] as const) {
      const root = sqrtmSymmetric(m, size);
      const squared = matMul(root, root, size);
      squared.forEach((v, i) => expect(v).toBeCloseTo(m[i]!, 8));
    }
  });
});

describe("Fréchet distance", () => {
  const d = 5;
  const n = 400;
  const base: Matrix = { rows: n, cols: d, data: normals(3, n * d) };

  it("is 0 between a feature set and itself", () => {
    expect(frechetDistance(base, base)).toBeCloseTo(0, 6);
  });

  it("equals ‖shift‖² between a set and the same set shifted", () => {
    const shift = [1, -2, 0.5, 0, 3];
    const shifted: Matrix = {
      rows: n,
      cols: d,
      data: Array.from(base.data, (v, i) => v + shift[i % d]!),
    };
    const expected = shift.reduce((s, v) => s + v * v, 0);
    expect(frechetDistance(base, shifted)).toBeCloseTo(expected, 6);
  });

  it("is symmetric and grows with the difference between independent samples", () => {
    const other: Matrix = { rows: n, cols: d, data: normals(4, n * d) };
    const wide: Matrix = { rows: n, cols: d, data: Array.from(other.data, (v) => 3 * v) };
    expect(frechetDistance(base, other)).toBeCloseTo(frechetDistance(other, base), 8);
    expect(frechetDistance(base, other)).toBeLessThan(0.2); // two samples of the same Gaussian
    // N(0, I) vs N(0, 9 I): Σ (σa − σb)² = 5 · (3 − 1)² = 20, up to sampling noise.
    expect(frechetDistance(base, wide)).toBeGreaterThan(17);
    expect(frechetDistance(base, wide)).toBeLessThan(23);
  });

  it("matches the closed form Tr √M = √(Tr M + 2 √det M) for non-commuting 2×2 covariances", () => {
    const a = { dim: 2, count: 2, mean: [0, 0], cov: [2, 1, 1, 2] };
    const b = { dim: 2, count: 2, mean: [1, 1], cov: [1, 0, 0, 4] };
    // Σa Σb = [[2, 4], [1, 8]]: trace 10, determinant 12.
    const expected = 2 + (4 + 5) - 2 * Math.sqrt(10 + 2 * Math.sqrt(12));
    expect(frechetFromStats(a, b)).toBeCloseTo(expected, 10);
    expect(frechetFromStats(b, a)).toBeCloseTo(expected, 10);
  });

  it("fits an unbiased covariance", () => {
    const stats = gaussianStats(
      rows([
        [1, 0],
        [3, 0],
        [5, 6],
      ]),
    );
    expect(stats.mean).toEqual([3, 2]);
    expect(stats.cov[0]).toBeCloseTo(4); // ((−2)² + 0² + 2²) / 2
    expect(stats.cov[1]).toBeCloseTo(6);
    expect(stats.cov[3]).toBeCloseTo(12);
  });

  it("rejects feature sets of different widths", () => {
    expect(() => frechetDistance(base, { rows: 3, cols: 2, data: [1, 2, 3, 4, 5, 7] })).toThrow(
      /dimensions/,
    );
  });
});
