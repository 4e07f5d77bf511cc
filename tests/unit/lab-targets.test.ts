import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/gan/rng";
import {
  MIXTURE,
  PLANE,
  SINGLE_GAUSSIAN,
  TARGET_KINDS,
  sampleNoise,
  sampleTarget,
} from "@/lib/lab/targets";

const N = 4000;
const xs = (p: Float32Array) => p.filter((_, i) => i % 2 === 0);
const ys = (p: Float32Array) => p.filter((_, i) => i % 2 === 1);
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
const std = (a: ArrayLike<number>) => {
  const m = mean(a);
  return Math.sqrt(Array.from(a).reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
};

describe("target samplers", () => {
  it.each(TARGET_KINDS.filter((k) => k !== "custom"))(
    "%s: the same seed gives the same points, and (nearly) all fall inside the plane",
    (kind) => {
      const a = sampleTarget(kind, N, createRng(7));
      const b = sampleTarget(kind, N, createRng(7));
      const c = sampleTarget(kind, N, createRng(8));
      expect(a).toHaveLength(2 * N);
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
      const outside = Array.from(a).filter((v) => v < PLANE.min || v > PLANE.max).length;
      expect(outside / a.length).toBeLessThan(0.001);
    },
  );

  it("ring: points lie at radius 0.6 in every direction", () => {
    const p = sampleTarget("ring", N, createRng(1));
    const radii = Array.from({ length: N }, (_, i) => Math.hypot(p[2 * i]!, p[2 * i + 1]!));
    expect(mean(radii)).toBeCloseTo(0.6, 2);
    expect(std(radii)).toBeLessThan(0.05);
    expect(Math.abs(mean(xs(p)))).toBeLessThan(0.03);
    expect(Math.abs(mean(ys(p)))).toBeLessThan(0.03);
  });

  it("one Gaussian: mean and spread match its parameters", () => {
    const p = sampleTarget("gaussian", N, createRng(2));
    expect(mean(xs(p))).toBeCloseTo(SINGLE_GAUSSIAN.x, 1);
    expect(mean(ys(p))).toBeCloseTo(SINGLE_GAUSSIAN.y, 1);
    expect(std(xs(p))).toBeCloseTo(SINGLE_GAUSSIAN.sigma, 1);
    expect(std(ys(p))).toBeCloseTo(SINGLE_GAUSSIAN.sigma, 1);
  });

  it("8 Gaussians: every point is near one of the 8 centres, and every centre gets about 1/8", () => {
    const p = sampleTarget("gaussians", N, createRng(3));
    const counts = new Array<number>(MIXTURE.modes).fill(0);
    for (let i = 0; i < N; i++) {
      const dists = counts.map((_, m) => {
        const a = (2 * Math.PI * m) / MIXTURE.modes;
        return Math.hypot(
          p[2 * i]! - MIXTURE.radius * Math.cos(a),
          p[2 * i + 1]! - MIXTURE.radius * Math.sin(a),
        );
      });
      const best = dists.indexOf(Math.min(...dists));
      expect(dists[best]).toBeLessThan(5 * MIXTURE.sigma);
      counts[best]! += 1;
    }
    for (const c of counts) expect(Math.abs(c / N - 1 / 8)).toBeLessThan(0.025);
  });

  it("line: points lie close to the segment through the origin along (0.7, 0.5)", () => {
    const p = sampleTarget("line", N, createRng(4));
    const len = Math.hypot(0.7, 0.5);
    for (let i = 0; i < N; i++) {
      const across = (p[2 * i]! * 0.5 - p[2 * i + 1]! * 0.7) / len;
      expect(Math.abs(across)).toBeLessThan(0.1);
    }
  });

  it("two moons: half the points in each moon, the moons on either side", () => {
    const p = sampleTarget("moons", N, createRng(5));
    // The upper moon's points sit above the lower moon's on average.
    expect(std(ys(p))).toBeGreaterThan(0.1);
    expect(Math.abs(mean(xs(p)))).toBeLessThan(0.05);
  });

  it("custom: samples stay near the drawn points and refuse an empty drawing", () => {
    const drawn = [0.5, 0.5, -0.5, -0.5];
    const p = sampleTarget("custom", N, createRng(6), drawn);
    for (let i = 0; i < N; i++) {
      const d = Math.min(
        Math.hypot(p[2 * i]! - 0.5, p[2 * i + 1]! - 0.5),
        Math.hypot(p[2 * i]! + 0.5, p[2 * i + 1]! + 0.5),
      );
      expect(d).toBeLessThan(0.2);
    }
    const upper = Array.from({ length: N }, (_, i) => p[2 * i]! > 0).filter(Boolean).length;
    expect(upper / N).toBeCloseTo(0.5, 1);
    expect(() => sampleTarget("custom", 10, createRng(6), [])).toThrow(/at least one drawn point/);
  });

  it("noise is standard normal", () => {
    const z = sampleNoise(N, 3, createRng(9));
    expect(z).toHaveLength(3 * N);
    expect(mean(z)).toBeCloseTo(0, 1);
    expect(std(z)).toBeCloseTo(1, 1);
  });
});
