import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/gan/rng";
import { histogram2d, jsDivergence, jsDivergenceOfPoints } from "@/lib/lab/divergence";
import { sampleTarget } from "@/lib/lab/targets";

describe("Jensen–Shannon divergence over a grid histogram", () => {
  it("is exactly 0 for identical point clouds", () => {
    const p = sampleTarget("ring", 2000, createRng(1));
    expect(jsDivergenceOfPoints(p, p)).toBe(0);
  });

  it("is exactly 1 bit (ln 2 nats) for clouds with no cell in common", () => {
    const left = sampleTarget("gaussian", 2000, createRng(1)).map((v, i) =>
      i % 2 ? v : v * 0.1 - 0.7,
    );
    const right = left.map((v, i) => (i % 2 ? v : v + 1.4));
    expect(jsDivergenceOfPoints(left, right)).toBeCloseTo(1, 12);
  });

  it("is near 0 for two independent samples of one distribution, and higher for different ones", () => {
    const a = sampleTarget("moons", 20_000, createRng(2));
    const b = sampleTarget("moons", 20_000, createRng(3));
    const ring = sampleTarget("ring", 20_000, createRng(4));
    const same = jsDivergenceOfPoints(a, b);
    expect(same).toBeLessThan(0.02);
    expect(jsDivergenceOfPoints(a, ring)).toBeGreaterThan(10 * same);
  });

  it("matches the closed form for two known histograms", () => {
    // p = (1, 0), q = (½, ½): m = (¾, ¼); JS = ½·log2(4/3) + ½·(½·log2(⅔) + ½·log2(2)).
    const expected = 0.5 * Math.log2(4 / 3) + 0.5 * (0.5 * Math.log2(2 / 3) + 0.5 * Math.log2(2));
    expect(jsDivergence([1, 0], [0.5, 0.5])).toBeCloseTo(expected, 12);
    expect(jsDivergence([0.5, 0.5], [1, 0])).toBeCloseTo(expected, 12);
  });

  it("counts points outside the plane in their own cell, so throwing points away is not free", () => {
    const h = histogram2d([0, 0, 5, 5, -3, 0, 1, 1], { bins: 4 });
    expect(h).toHaveLength(17);
    expect(h[16]).toBeCloseTo(0.5);
    // (1, 1) is on the upper edge and stays in the last cell of the grid.
    expect(h[15]).toBeCloseTo(0.25);
    expect(h.reduce((s, v) => s + v, 0)).toBeCloseTo(1);
    expect(jsDivergenceOfPoints([0, 0], [9, 9])).toBeCloseTo(1, 12);
  });

  it("rejects histograms of different lengths", () => {
    expect(() => jsDivergence([1], [0.5, 0.5])).toThrow(/one length/);
  });
});
