import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, MAX_DRAWN, needsReset, parseConfig } from "@/lib/lab/config";
import { appendCurves, emptyCurves } from "@/lib/lab/history";
import { LAB_PRESETS, LAB_PRESET_NAMES } from "@/lib/lab/presets";
import {
  decodeLabUrl,
  decodePoints,
  encodeLabUrl,
  encodePoints,
  quantizePoints,
} from "@/lib/lab/url";

describe("the lab's set-up in the URL", () => {
  it("round-trips every field and the preset through the query string", () => {
    const config = {
      ...DEFAULT_CONFIG,
      target: "spiral" as const,
      dStepsPerGStep: 5,
      dLearningRate: 0.02,
      gLearningRate: 0.0005,
      optimizer: "rmsprop" as const,
      noiseDim: 4,
      gLayers: 3,
      gUnits: 32,
      dLayers: 1,
      dUnits: 8,
      activation: "tanh" as const,
      gLoss: "minimax" as const,
      batchSize: 64,
      seed: 123456,
      slowMotion: true,
      projector: true,
    };
    const query = encodeLabUrl({ config, preset: "mode-collapse" }).toString();
    expect(decodeLabUrl(new URLSearchParams(query))).toEqual({ config, preset: "mode-collapse" });
  });

  it("keeps drawn points (on a 64-level grid) for a custom target", () => {
    const drawn = quantizePoints([0.5, -0.25, -1, 1, 0.1, 0.9]);
    const config = { ...DEFAULT_CONFIG, target: "custom" as const, drawn };
    const back = decodeLabUrl(new URLSearchParams(encodeLabUrl({ config, preset: null })));
    expect(back.config.drawn).toEqual(drawn);
    const asked = [0.5, -0.25, -1, 1, 0.1, 0.9];
    drawn.forEach((v, i) => expect(Math.abs(v - asked[i]!)).toBeLessThanOrEqual(1 / 63));
    expect(encodePoints(drawn)).toHaveLength(6);
  });

  it("falls back to the default for each missing or invalid field, keeping the valid ones", () => {
    const back = decodeLabUrl(
      new URLSearchParams(
        "target=hexagon&k=0&dlr=-1&glr=0.01&opt=adamw&noise=3&proj=maybe&preset=nope",
      ),
    );
    expect(back.preset).toBeNull();
    expect(back.config).toEqual({ ...DEFAULT_CONFIG, gLearningRate: 0.01, noiseDim: 3 });
    expect(decodeLabUrl(new URLSearchParams("")).config).toEqual(DEFAULT_CONFIG);
  });

  it("caps drawn points at the maximum and ignores stray characters", () => {
    const many = Array.from({ length: 2 * (MAX_DRAWN + 50) }, (_, i) => (i % 7) / 7);
    expect(decodePoints(encodePoints(many))).toHaveLength(2 * MAX_DRAWN);
    expect(decodePoints("AA!!__")).toEqual([-1, -1, 1, 1]);
  });

  it("every preset is a valid set-up, with its explanation", () => {
    for (const name of LAB_PRESET_NAMES) {
      const p = LAB_PRESETS[name];
      expect(parseConfig(p.config)).toEqual(p.config);
      expect(p.explain.length).toBeGreaterThan(40);
    }
  });

  it("network settings need fresh weights; rates, k and the optimiser do not", () => {
    expect(needsReset(DEFAULT_CONFIG, { ...DEFAULT_CONFIG, noiseDim: 3 })).toBe(true);
    expect(needsReset(DEFAULT_CONFIG, { ...DEFAULT_CONFIG, target: "moons" })).toBe(true);
    expect(needsReset(DEFAULT_CONFIG, { ...DEFAULT_CONFIG, drawn: [0, 0] })).toBe(true);
    expect(
      needsReset(DEFAULT_CONFIG, {
        ...DEFAULT_CONFIG,
        dStepsPerGStep: 3,
        gLearningRate: 0.02,
        optimizer: "sgd",
        gLoss: "minimax",
        slowMotion: true,
      }),
    ).toBe(false);
  });

  it("rejects an invalid set-up naming the field", () => {
    expect(() => parseConfig({ ...DEFAULT_CONFIG, batchSize: 3 })).toThrow(/batchSize/);
  });
});

describe("loss curves", () => {
  it("stay under the cap by keeping every other point, then every second new one", () => {
    const c = emptyCurves();
    for (let i = 1; i <= 25; i++) appendCurves(c, i, i, -i, 10);
    expect(c.step.length).toBeLessThanOrEqual(10);
    expect(c.step[0]).toBe(1);
    expect(c.stride).toBe(4);
    expect(c.dLoss).toEqual(c.step);
    expect(c.gLoss).toEqual(c.step.map((s) => -s));
    // Still increasing: thinning never reorders.
    expect([...c.step].sort((a, b) => a - b)).toEqual(c.step);
  });
});
