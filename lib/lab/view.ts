// What the lab draws, computed from the networks as plain arrays: D's P(real) over the plane,
// G's points for a fixed noise sample, the direction G's next step pushes each of them, the
// image of a regular noise grid (G's manifold), and the divergence from the real points.
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "@/lib/gan/rng";
import { DEFAULT_BINS, jsDivergenceOfPoints } from "./divergence";
import { PLANE, sampleNoise, sampleTarget } from "./targets";
import { generatorLoss, type Lab } from "./train";

/** P(real) at the centres of a res × res grid over the plane, row 0 at y = PLANE.min. */
export function decisionMap(lab: Lab, res: number): Float32Array {
  const cell = (PLANE.max - PLANE.min) / res;
  const xy = new Float32Array(res * res * 2);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      xy[2 * (r * res + c)] = PLANE.min + (c + 0.5) * cell;
      xy[2 * (r * res + c) + 1] = PLANE.min + (r + 0.5) * cell;
    }
  }
  const p = tf.tidy(() =>
    tf.sigmoid(lab.discriminator.apply(tf.tensor2d(xy, [res * res, 2])) as tf.Tensor),
  );
  const out = p.dataSync() as Float32Array;
  p.dispose();
  return out;
}

/** G(z) for n × noiseDim noise values: interleaved points. */
export function generatePoints(lab: Lab, noise: Float32Array): Float32Array {
  const dim = lab.config.noiseDim;
  if (noise.length % dim !== 0) {
    throw new Error(`noise: expected a multiple of ${dim} values, got ${noise.length}`);
  }
  const out = tf.tidy(
    () => lab.generator.apply(tf.tensor2d(noise, [noise.length / dim, dim])) as tf.Tensor,
  );
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}

/**
 * −∂L_G/∂x at each point x: the direction (and strength) in which the G step, through the frozen
 * D, pulls that generated point. Scaled by the number of points so each is its own loss term.
 */
export function generatorPull(lab: Lab, points: Float32Array): Float32Array {
  const n = points.length / 2;
  const g = tf.tidy(() => {
    const x = tf.tensor2d(points, [n, 2]);
    const grad = tf.grad((p: tf.Tensor) =>
      generatorLoss(lab, tf.reshape(lab.discriminator.apply(p) as tf.Tensor, [-1]) as tf.Tensor1D),
    )(x);
    return tf.mul(grad, -n);
  });
  const data = g.dataSync() as Float32Array;
  g.dispose();
  return data;
}

/** Mean length of 2-D vectors stored as [x0, y0, x1, y1, …]. */
export function meanLength(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i + 1 < v.length; i += 2) s += Math.hypot(v[i]!, v[i + 1]!);
  return v.length >= 2 ? s / Math.floor(v.length / 2) : 0;
}

export const MANIFOLD_SPAN = 2;

/**
 * Noise on a lattice over [−2, 2] in the first two noise dimensions (others 0): res × res values
 * row-major, or res values along a line when the noise has one dimension.
 */
export function manifoldNoise(noiseDim: number, res: number): Float32Array {
  const at = (i: number) => -MANIFOLD_SPAN + (2 * MANIFOLD_SPAN * i) / (res - 1);
  if (noiseDim === 1) return Float32Array.from({ length: res }, (_, i) => at(i));
  const out = new Float32Array(res * res * noiseDim);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      out[(r * res + c) * noiseDim] = at(c);
      out[(r * res + c) * noiseDim + 1] = at(r);
    }
  }
  return out;
}

/** Fixed samples, drawn once per set-up, that every frame reuses so the picture moves smoothly. */
export interface LabSamples {
  /** Real points shown on the plane. */
  readonly real: Float32Array;
  /** Noise for the generated points shown (and their arrows). */
  readonly viewNoise: Float32Array;
  /** Real points and noise for the divergence estimate (bigger: less sampling noise). */
  readonly realRef: Float32Array;
  readonly evalNoise: Float32Array;
  /**
   * JS divergence between two independent real samples of the reference size: the estimate's
   * floor (a perfect generator reads about this, not 0).
   */
  readonly floor: number;
}

export const VIEW_POINTS = 300;
export const EVAL_POINTS = 2000;

export function drawSamples(
  lab: Lab,
  viewPoints = VIEW_POINTS,
  evalPoints = EVAL_POINTS,
): LabSamples {
  // Separate from lab.rng: the same seed shows the same points, however training went.
  const rng = createRng(lab.config.seed ^ 0x5eed);
  const { target, drawn, noiseDim } = lab.config;
  const realRef = sampleTarget(target, evalPoints, rng, drawn);
  return {
    real: sampleTarget(target, viewPoints, rng, drawn),
    viewNoise: sampleNoise(viewPoints, noiseDim, rng),
    realRef,
    evalNoise: sampleNoise(evalPoints, noiseDim, rng),
    floor: jsDivergenceOfPoints(realRef, sampleTarget(target, evalPoints, rng, drawn), {
      bins: DEFAULT_BINS,
    }),
  };
}

/** JS divergence (bits) between the reference real points and G on the evaluation noise. */
export function labDivergence(lab: Lab, samples: LabSamples): number {
  return jsDivergenceOfPoints(samples.realRef, generatePoints(lab, samples.evalNoise), {
    bins: DEFAULT_BINS,
  });
}
