import { describe, expect, it } from "vitest";
import {
  checkBalance,
  checkDiscriminatorTooStrong,
  checkModeCollapse,
  meanPairwiseDistance,
} from "@/lib/gan/health";

describe("health: discriminator too strong", () => {
  it("alerts when D rejects every fake with certainty", () => {
    const r = checkDiscriminatorTooStrong({ dRealMean: 0.97, dFakeMean: 0.01 });
    expect(r.status).toBe("alert");
    expect(r.explanation).toMatch(/1 % "real"/);
  });

  it("alerts with a vanished gradient and only warns while G still gets a gradient", () => {
    const base = { dRealMean: 0.97, dFakeMean: 0.02, gGradNormReference: 1 };
    expect(checkDiscriminatorTooStrong({ ...base, gGradNorm: 0.02 }).status).toBe("alert");
    expect(checkDiscriminatorTooStrong({ ...base, gGradNorm: 0.02 }).explanation).toMatch(
      /vanished/,
    );
    expect(checkDiscriminatorTooStrong({ ...base, gGradNorm: 0.8 }).status).toBe("warn");
  });

  it("still alerts when label smoothing caps D(real) below 0.9", () => {
    expect(checkDiscriminatorTooStrong({ dRealMean: 0.88, dFakeMean: 0.02 }).status).toBe("alert");
  });

  it("warns when D is clearly ahead and is ok near equilibrium", () => {
    expect(checkDiscriminatorTooStrong({ dRealMean: 0.85, dFakeMean: 0.1 }).status).toBe("warn");
    expect(checkDiscriminatorTooStrong({ dRealMean: 0.6, dFakeMean: 0.4 }).status).toBe("ok");
    expect(checkDiscriminatorTooStrong({ dRealMean: 0.5, dFakeMean: 0.5 }).status).toBe("ok");
  });

  it("rejects values that are not probabilities", () => {
    expect(() => checkDiscriminatorTooStrong({ dRealMean: 1.5, dFakeMean: 0 })).toThrow(
      /dRealMean/,
    );
    expect(() => checkDiscriminatorTooStrong({ dRealMean: NaN, dFakeMean: 0 })).toThrow();
  });
});

describe("health: generator far superior", () => {
  it("alerts when D calls fakes real more than real digits", () => {
    expect(checkBalance({ dRealMean: 0.4, dFakeMean: 0.9 }).status).toBe("alert");
    expect(checkBalance({ dRealMean: 0.3, dFakeMean: 0.62 }).status).toBe("alert");
  });
  it("warns when G starts pulling ahead, ok when balanced or D ahead", () => {
    expect(checkBalance({ dRealMean: 0.5, dFakeMean: 0.66 }).status).toBe("warn");
    expect(checkBalance({ dRealMean: 0.55, dFakeMean: 0.45 }).status).toBe("ok");
    expect(checkBalance({ dRealMean: 0.99, dFakeMean: 0.01 }).status).toBe("ok");
  });
});

describe("health: mode collapse", () => {
  it("is ok for a near-uniform class histogram", () => {
    expect(
      checkModeCollapse({ classHistogram: [10, 9, 11, 10, 10, 8, 12, 10, 9, 11] }).status,
    ).toBe("ok");
  });
  it("warns above 20 % of one class and alerts when one class dominates", () => {
    expect(checkModeCollapse({ classHistogram: [25, 9, 8, 8, 8, 8, 9, 9, 8, 8] }).status).toBe(
      "warn",
    );
    const collapsed = checkModeCollapse({ classHistogram: [0, 90, 0, 0, 0, 0, 0, 10, 0, 0] });
    expect(collapsed.status).toBe("alert");
    expect(collapsed.explanation).toMatch(/90 % of the samples are 1s/);
    expect(checkModeCollapse({ classHistogram: [34, 33, 33, 0, 0, 0, 0, 0, 0, 0] }).status).toBe(
      "alert",
    );
  });
  it("uses diversity relative to real digits", () => {
    expect(checkModeCollapse({ pairwiseDiversity: 0.5, referenceDiversity: 0.55 }).status).toBe(
      "ok",
    );
    expect(checkModeCollapse({ pairwiseDiversity: 0.4, referenceDiversity: 0.55 }).status).toBe(
      "warn",
    );
    expect(checkModeCollapse({ pairwiseDiversity: 0.1, referenceDiversity: 0.55 }).status).toBe(
      "alert",
    );
  });
  it("reports the worst of both signals and needs at least one", () => {
    const r = checkModeCollapse({
      classHistogram: [10, 9, 11, 10, 10, 8, 12, 10, 9, 11],
      pairwiseDiversity: 0.1,
      referenceDiversity: 0.5,
    });
    expect(r.status).toBe("alert");
    expect(() => checkModeCollapse({})).toThrow(/expected classHistogram or pairwiseDiversity/);
  });
});

describe("sample diversity", () => {
  it("is 0 for identical images and 2 for opposite ones", () => {
    const same = new Uint8Array(3 * 784).fill(77);
    expect(meanPairwiseDistance(same)).toBe(0);
    const opposite = new Uint8Array(2 * 784);
    opposite.fill(255, 784);
    expect(meanPairwiseDistance(opposite)).toBeCloseTo(2, 10);
    expect(() => meanPairwiseDistance(new Uint8Array(784))).toThrow(/at least 2 images/);
  });
});
