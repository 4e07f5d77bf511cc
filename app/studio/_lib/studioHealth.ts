// The health checks of lib/gan/health applied to what the studio has measured so far.
import {
  checkBalance,
  checkDiscriminatorTooStrong,
  checkModeCollapse,
  type HealthReport,
} from "@/lib/gan/health";
import { recentMean, type Series } from "./history";
import type { QualityView } from "./useQuality";

/** Checks start after this many generator steps: every GAN starts out unbalanced. */
export const HEALTH_FROM_STEP = 100;
/** Recent readings averaged, so one noisy batch does not raise an alarm. */
const WINDOW = 5;

export interface HealthCheck extends HealthReport {
  readonly id: "strength" | "balance" | "collapse";
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** The gradient norm early in training, as the scale for "G's signal has vanished". */
function referenceGradNorm(s: Series): number | undefined {
  const early = s.gGradNorm.slice(0, 10).filter((v) => Number.isFinite(v) && v > 0);
  if (early.length < 3) return undefined;
  return [...early].sort((a, b) => a - b)[Math.floor(early.length / 2)];
}

export function studioHealth(step: number, s: Series, quality: QualityView): HealthCheck[] | null {
  if (step < HEALTH_FROM_STEP) return null;
  const dReal = recentMean(s.dReal, WINDOW);
  const dFake = recentMean(s.dFake, WINDOW);
  if (!Number.isFinite(dReal) || !Number.isFinite(dFake)) return null;
  const out: HealthCheck[] = [];
  const ref = referenceGradNorm(s);
  const grad = recentMean(s.gGradNorm, WINDOW);
  const withGrad = ref !== undefined && Number.isFinite(grad);
  out.push({
    id: "strength",
    ...checkDiscriminatorTooStrong({
      dRealMean: clamp01(dReal),
      dFakeMean: clamp01(dFake),
      ...(withGrad ? { gGradNorm: grad, gGradNormReference: ref } : {}),
    }),
  });
  out.push({
    id: "balance",
    ...checkBalance({ dRealMean: clamp01(dReal), dFakeMean: clamp01(dFake) }),
  });
  const latest = quality.latest;
  if (latest && quality.reference) {
    out.push({
      id: "collapse",
      ...checkModeCollapse({
        classHistogram: latest.classHistogram.map((share) => Math.round(share * 1000)),
        pairwiseDiversity: latest.diversity,
        referenceDiversity: quality.reference.referenceDiversity,
      }),
    });
  }
  return out;
}
