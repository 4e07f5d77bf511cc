// Sample-quality metrics from the small MNIST classifier (lib/gan/classifier.ts): a
// classifier-based Inception-style score, a Fréchet distance on its penultimate features, the
// class histogram, and a plateau rule that says when training has stopped improving.
//
// Confidence alone is fooled by collapse (early blobs that all look like a confident "1"), so
// `qualityReached` also demands diversity: no class above ~20 % of the samples.
import type * as tf from "@tensorflow/tfjs";
import { classify, type Classifier } from "./classifier";
import {
  checkMatrix,
  frechetFromStats,
  gaussianStats,
  type GaussianStats,
  type Matrix,
} from "./frechet";

export {
  frechetDistance,
  frechetFromStats,
  gaussianStats,
  sqrtmSymmetric,
  symmetricEigen,
  type GaussianStats,
  type Matrix,
} from "./frechet";

export const QUALITY_RULE = {
  /** A sample counts as "confident" when its top class has at least this probability. */
  confidence: 0.9,
  /** Share of confident samples required. */
  minConfidentShare: 0.8,
  /** Diversity: no class may take more than this share of the samples (uniform is 0.1). */
  maxClassShare: 0.2,
} as const;
export type QualityRule = { readonly [K in keyof typeof QUALITY_RULE]: number };

export interface QualityReport {
  readonly inceptionScore: number;
  /** Fréchet distance between the samples' features and the reference's training features. */
  readonly fid: number;
  readonly confidentShare: number;
  /** Share of samples whose top class is c, for c = 0…9. */
  readonly classHistogram: readonly number[];
  readonly maxClassShare: number;
  readonly qualityReached: boolean;
}

/** The real data's own figures: what a perfect generator would score. */
export interface ReferenceStats {
  /** Gaussian of the training digits' features: generated samples are measured against it. */
  readonly features: GaussianStats;
  /** Held-out real digits scored like samples: IS, FID against `features` (the floor), etc. */
  readonly real: Omit<QualityReport, "qualityReached">;
}

/**
 * exp(E_x KL(p(y|x) ‖ p(y))): 10 when ten classes are each predicted confidently and equally
 * often, 1 when every sample gets the same distribution (collapse, or no confidence at all).
 */
export function inceptionScore(probs: Matrix): number {
  checkMatrix(probs, "probabilities");
  const { rows, cols, data } = probs;
  const eps = 1e-12;
  const marginal = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let k = 0; k < cols; k++) marginal[k]! += data[i * cols + k]!;
  for (let k = 0; k < cols; k++) marginal[k]! /= rows;
  let kl = 0;
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < cols; k++) {
      const p = data[i * cols + k]!;
      if (p > 0) kl += p * (Math.log(p + eps) - Math.log(marginal[k]! + eps));
    }
  }
  return Math.exp(kl / rows);
}

function argmax(data: ArrayLike<number>, offset: number, cols: number): number {
  let best = 0;
  for (let k = 1; k < cols; k++) if (data[offset + k]! > data[offset + best]!) best = k;
  return best;
}

/** Share of samples whose most probable class is c, for each class c. */
export function classHistogram(probs: Matrix): number[] {
  checkMatrix(probs, "probabilities");
  const shares = new Array<number>(probs.cols).fill(0);
  for (let i = 0; i < probs.rows; i++) shares[argmax(probs.data, i * probs.cols, probs.cols)]! += 1;
  return shares.map((n) => n / probs.rows);
}

/** Share of samples whose most probable class has probability ≥ threshold. */
export function confidentShare(probs: Matrix, threshold: number = QUALITY_RULE.confidence): number {
  checkMatrix(probs, "probabilities");
  let confident = 0;
  for (let i = 0; i < probs.rows; i++) {
    const o = i * probs.cols;
    if (probs.data[o + argmax(probs.data, o, probs.cols)]! >= threshold) confident++;
  }
  return confident / probs.rows;
}

function scoreSamples(
  scored: { count: number; features: Float32Array; probs: Float32Array },
  reference: GaussianStats,
  rule: QualityRule,
): QualityReport {
  const probs: Matrix = {
    rows: scored.count,
    cols: scored.probs.length / scored.count,
    data: scored.probs,
  };
  const features: Matrix = { rows: scored.count, cols: reference.dim, data: scored.features };
  const histogram = classHistogram(probs);
  const maxClassShare = Math.max(...histogram);
  const confident = confidentShare(probs, rule.confidence);
  return {
    inceptionScore: inceptionScore(probs),
    fid: frechetFromStats(gaussianStats(features), reference),
    confidentShare: confident,
    classHistogram: histogram,
    maxClassShare,
    qualityReached: confident >= rule.minConfidentShare && maxClassShare <= rule.maxClassShare,
  };
}

/**
 * Scores generated images ([n, 28, 28, 1] in [-1, 1]; use a fixed noise set so successive
 * evaluations are comparable) against the real data's reference.
 */
export async function evaluateQuality(
  classifier: Classifier,
  images: tf.Tensor4D,
  reference: ReferenceStats,
  rule: QualityRule = QUALITY_RULE,
): Promise<QualityReport> {
  return scoreSamples(await classify(classifier, images), reference.features, rule);
}

/**
 * The real data's own figures, computed once and cacheable (plain JSON). `train` are real
 * training digits (the Gaussian samples are compared with); `heldOut` are real digits the
 * classifier never saw, scored like samples. FID shrinks with sample count, so pass as many
 * held-out digits as evaluations use samples to get a comparable floor.
 */
export async function referenceStats(
  classifier: Classifier,
  train: tf.Tensor4D,
  heldOut: tf.Tensor4D,
  rule: QualityRule = QUALITY_RULE,
): Promise<ReferenceStats> {
  const trainScored = await classify(classifier, train);
  const features = gaussianStats({
    rows: trainScored.count,
    cols: trainScored.features.length / trainScored.count,
    data: trainScored.features,
  });
  const { qualityReached: _ignored, ...real } = scoreSamples(
    await classify(classifier, heldOut),
    features,
    rule,
  );
  return { features, real };
}

/**
 * When to stop: the quality score is smoothed with an exponential moving average, and training
 * has plateaued once the best smoothed score has not improved by more than
 * `minRelativeImprovement` (relative to the best so far) for `patience` evaluations in a row.
 * Small gains that add up to a real one do count: the best is only reset by a significant gain.
 */
export interface PlateauRule {
  /** "lower" for FID (smaller is better), "higher" for the Inception-style score. */
  readonly direction: "lower" | "higher";
  /** Weight of the newest score in the moving average, in (0, 1]; 1 = no smoothing. */
  readonly smoothing: number;
  readonly minRelativeImprovement: number;
  readonly patience: number;
}

/** FID evaluated every few hundred steps: no 2 % gain over 5 evaluations means stop. */
export const FID_PLATEAU_RULE: PlateauRule = {
  direction: "lower",
  smoothing: 0.5,
  minRelativeImprovement: 0.02,
  patience: 5,
};

export interface PlateauState {
  readonly evaluations: number;
  readonly lastStep: number | null;
  readonly smoothed: number | null;
  /** Smoothed score at the last significant improvement, and the step it was reached at. */
  readonly best: number | null;
  readonly bestStep: number | null;
  /** Evaluations since the last significant improvement. */
  readonly sinceImprovement: number;
  /** True once the rule says "a good time to stop"; stays true only while nothing improves. */
  readonly plateaued: boolean;
}

export const INITIAL_PLATEAU_STATE: PlateauState = {
  evaluations: 0,
  lastStep: null,
  smoothed: null,
  best: null,
  bestStep: null,
  sinceImprovement: 0,
  plateaued: false,
};

/** Pure update with one (step, score) evaluation; steps must increase. */
export function updatePlateau(
  state: PlateauState,
  step: number,
  score: number,
  rule: PlateauRule = FID_PLATEAU_RULE,
): PlateauState {
  if (!Number.isFinite(score)) throw new RangeError(`expected a finite score, got ${score}`);
  if (state.lastStep !== null && !(step > state.lastStep)) {
    throw new RangeError(`expected a step after ${state.lastStep}, got ${step}`);
  }
  if (!(rule.smoothing > 0 && rule.smoothing <= 1)) {
    throw new RangeError(`expected smoothing in (0, 1], got ${rule.smoothing}`);
  }
  const smoothed =
    state.smoothed === null
      ? score
      : rule.smoothing * score + (1 - rule.smoothing) * state.smoothed;
  const sign = rule.direction === "lower" ? 1 : -1;
  const improved =
    state.best === null ||
    sign * (state.best - smoothed) > rule.minRelativeImprovement * Math.abs(state.best);
  const sinceImprovement = improved ? 0 : state.sinceImprovement + 1;
  return {
    evaluations: state.evaluations + 1,
    lastStep: step,
    smoothed,
    best: improved ? smoothed : state.best,
    bestStep: improved ? step : state.bestStep,
    sinceImprovement,
    plateaued: sinceImprovement >= rule.patience,
  };
}

/** Streaming wrapper around `updatePlateau` for a training loop. */
export function createPlateauDetector(rule: PlateauRule = FID_PLATEAU_RULE) {
  let state = INITIAL_PLATEAU_STATE;
  return {
    push(step: number, score: number): PlateauState {
      state = updatePlateau(state, step, score, rule);
      return state;
    },
    get state(): PlateauState {
      return state;
    },
  };
}
