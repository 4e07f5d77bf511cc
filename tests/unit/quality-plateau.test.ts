import { describe, expect, it } from "vitest";
import {
  FID_PLATEAU_RULE,
  INITIAL_PLATEAU_STATE,
  createPlateauDetector,
  updatePlateau,
  type PlateauRule,
} from "@/lib/gan/quality";

/** First step at which the detector says "stop", or null. */
function firstPlateau(
  curve: (step: number) => number,
  every: number,
  until: number,
  rule = FID_PLATEAU_RULE,
) {
  const detector = createPlateauDetector(rule);
  for (let step = every; step <= until; step += every) {
    if (detector.push(step, curve(step)).plateaued) return step;
  }
  return null;
}

/** Seeded noise in [−1, 1]. */
function noise(seed: number): (i: number) => number {
  return (i) => {
    let t = Math.imul(seed ^ (i * 0x9e3779b1), 0x85ebca6b);
    t ^= t >>> 13;
    t = Math.imul(t, 0xc2b2ae35);
    t ^= t >>> 16;
    return ((t >>> 0) / 4294967295) * 2 - 1;
  };
}

describe("plateau detector", () => {
  it("stops a decaying FID curve after it flattens, not while it still falls", () => {
    // FID = 5 + 100·e^(−step/1000), evaluated every 100 steps.
    const curve = (step: number) => 5 + 100 * Math.exp(-step / 1000);
    const stop = firstPlateau(curve, 100, 20_000);
    expect(stop).not.toBeNull();
    // At the stop, the remaining possible gain is small relative to the score…
    expect((curve(stop!) - 5) / curve(stop!)).toBeLessThan(0.15);
    // …and while the curve still fell by > 2 % per evaluation, it did not stop.
    expect(stop!).toBeGreaterThan(2500);
  });

  it("never stops a curve that keeps improving by 5 % per evaluation", () => {
    expect(firstPlateau((step) => 200 * 0.95 ** (step / 100), 100, 10_000)).toBeNull();
  });

  it("stops a noisy flat curve after `patience` evaluations without a significant gain", () => {
    const jitter = noise(5);
    const stop = firstPlateau((step) => 50 * (1 + 0.01 * jitter(step)), 100, 10_000);
    expect(stop).toBe(100 * (1 + FID_PLATEAU_RULE.patience));
  });

  it("counts small gains that add up to a significant one", () => {
    // 1 % per evaluation: each alone is below the 2 % bar, every second one clears it.
    expect(firstPlateau((step) => 100 * 0.99 ** (step / 100), 100, 5_000)).toBeNull();
  });

  it("restarts its patience after a late improvement", () => {
    const rule: PlateauRule = { ...FID_PLATEAU_RULE, smoothing: 1, patience: 3 };
    let state = INITIAL_PLATEAU_STATE;
    for (const [step, fid] of [
      [1, 50],
      [2, 50],
      [3, 50],
      [4, 50],
    ] as const) {
      state = updatePlateau(state, step, fid, rule);
    }
    expect(state.plateaued).toBe(true);
    state = updatePlateau(state, 5, 30, rule);
    expect(state).toMatchObject({ plateaued: false, best: 30, bestStep: 5, sinceImprovement: 0 });
  });

  it("follows a rising score when the direction is 'higher'", () => {
    const rule: PlateauRule = { ...FID_PLATEAU_RULE, direction: "higher" };
    const risingIs = (step: number) => 9 - 8 * Math.exp(-step / 500);
    const stop = firstPlateau(risingIs, 100, 20_000, rule);
    expect(stop).not.toBeNull();
    expect(stop!).toBeGreaterThan(1000);
    expect(firstPlateau(risingIs, 100, 20_000)).toBe(600); // the wrong direction sees no gain
  });

  it("rejects non-increasing steps and non-finite scores", () => {
    const state = updatePlateau(INITIAL_PLATEAU_STATE, 100, 40);
    expect(() => updatePlateau(state, 100, 39)).toThrow(/step after 100/);
    expect(() => updatePlateau(state, 200, Number.NaN)).toThrow(/finite/);
  });
});
