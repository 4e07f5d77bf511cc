import { describe, expect, it } from "vitest";
import {
  GanConfigError,
  PRESETS,
  PRESET_NAMES,
  architectureId,
  resolveConfig,
  PLAIN_DCGAN,
} from "@/lib/gan/config";

describe("GAN config", () => {
  it("keeps the design's DCGAN numbers in the baseline preset", () => {
    const b = PRESETS.baseline;
    expect(b.latentDim).toBe(100);
    expect(b.generatorFilters).toEqual([128, 64]);
    expect(b.discriminatorFilters).toEqual([64, 128]);
    expect(b.kernelSize).toBe(5);
    expect(b.batchSize).toBe(64);
    expect(b.gLearningRate).toBe(2e-4);
    expect(b.dLearningRate).toBe(2e-4);
    expect(b.beta1).toBe(0.5);
    expect(b.dStepsPerGStep).toBe(1);
    expect(b.labelSmoothing).toBe(0);
    expect(b.conditional).toBe(false);
  });

  it("gives the classroom preset its own nets: snapshots of the baseline's nets are refused", () => {
    // Before the retune the classroom preset had exactly the baseline's nets.
    expect(architectureId(PRESETS.classroom)).not.toBe(architectureId(PRESETS.baseline));
    expect(PRESETS.classroom.kernelSize).toBe(4);
    expect(PRESETS.classroom.discriminatorFilters).toEqual([32, 64]);
  });

  it("resolves every preset to a valid config, classroom by default", () => {
    for (const name of PRESET_NAMES) expect(resolveConfig(name)).toEqual(PRESETS[name]);
    expect(resolveConfig()).toEqual(PRESETS.classroom);
  });

  it("applies overrides and merges critic settings", () => {
    const cfg = resolveConfig("tiny", { batchSize: 8, critic: { learningRate: 0.01 } });
    expect(cfg.batchSize).toBe(8);
    expect(cfg.critic).toEqual({ filters: PRESETS.tiny.critic.filters, learningRate: 0.01 });
  });

  it("rejects invalid values with a message naming the field", () => {
    expect(() => resolveConfig("tiny", { batchSize: 0 })).toThrow(GanConfigError);
    expect(() => resolveConfig("tiny", { batchSize: 2.5 })).toThrow(
      /batchSize: expected an integer/,
    );
    expect(() => resolveConfig("tiny", { gLearningRate: 0 })).toThrow(/gLearningRate/);
    expect(() => resolveConfig("tiny", { labelSmoothing: 0.9 })).toThrow(/labelSmoothing/);
    expect(() => resolveConfig("tiny", { generatorFilters: [8] as never })).toThrow(
      /generatorFilters: expected two filter counts/,
    );
    expect(() => resolveConfig("tiny", { conditional: true })).toThrow(/conditional/);
    expect(() => resolveConfig("huge" as never)).toThrow(/expected a preset in/);
  });

  it("derives the architecture id from shape fields only", () => {
    const tiny = resolveConfig("tiny", PLAIN_DCGAN);
    expect(
      architectureId(resolveConfig("tiny", { ...PLAIN_DCGAN, gLearningRate: 0.01, batchSize: 4 })),
    ).toBe(architectureId(tiny));
    expect(architectureId(resolveConfig("tiny", { ...PLAIN_DCGAN, kernelSize: 4 }))).not.toBe(
      architectureId(tiny),
    );
    expect(architectureId(resolveConfig("tiny", { ...PLAIN_DCGAN, latentDim: 8 }))).not.toBe(
      architectureId(tiny),
    );
    expect(architectureId(PRESETS.baseline)).toBe("dcgan-z100-g128x64-d64x128-h16x32-k5");
    // A categorical code changes what G computes from the same weights: another architecture.
    expect(
      architectureId(resolveConfig("tiny", { ...PLAIN_DCGAN, latentCategories: 10 })),
    ).toContain("-cat10-");
    expect(architectureId(resolveConfig("tiny", { ...PLAIN_DCGAN, gLearningRate: 0.001 }))).toBe(
      architectureId(tiny),
    );
    // The classroom recipe: a 10-way code, resize-conv output, D's class head.
    expect(architectureId(PRESETS.classroom)).toBe(
      "dcgan-z100-cat10-g128x64r-d32x64-ac10-h16x32-k4",
    );
  });

  it("accepts a categorical code of 2 up to latentDim − 1 entries, or 0 for none", () => {
    expect(resolveConfig("tiny", { latentCategories: 10 }).latentCategories).toBe(10);
    expect(() => resolveConfig("tiny", { latentCategories: 1 })).toThrow(/latentCategories/);
    expect(() => resolveConfig("tiny", { latentCategories: 16 })).toThrow(/latentCategories/);
    expect(() => resolveConfig("tiny", { latentCategories: 2.5 })).toThrow(/latentCategories/);
  });

  it("names G's output layer kind in the architecture id and rejects unknown kinds", () => {
    const tiny = resolveConfig("tiny", PLAIN_DCGAN);
    expect(architectureId(resolveConfig("tiny", { ...PLAIN_DCGAN, gOutput: "deconv" }))).toBe(
      architectureId(tiny),
    );
    expect(
      architectureId(resolveConfig("tiny", { ...PLAIN_DCGAN, gOutput: "resize-conv" })),
    ).not.toBe(architectureId(tiny));
    expect(() => resolveConfig("tiny", { gOutput: "pixel-shuffle" as never })).toThrow(/gOutput/);
  });
});
