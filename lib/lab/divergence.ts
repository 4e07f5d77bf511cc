// How far the generated distribution is from the real one: the Jensen–Shannon divergence between
// their histograms on a grid over the plane. In bits, so it reads 0 (same histogram) to 1
// (no bin in common) — a number a class can follow, unlike the losses.
import { PLANE } from "./targets";

export interface HistogramOptions {
  /** Cells per side of the grid over the plane. */
  readonly bins: number;
  readonly min?: number;
  readonly max?: number;
}

export const DEFAULT_BINS = 20;

/**
 * Fractions of the points in each grid cell, row-major, plus one last cell for every point
 * outside the plane (a generator that throws its points far away must not look perfect).
 */
export function histogram2d(points: ArrayLike<number>, opts: HistogramOptions): Float64Array {
  const { bins, min = PLANE.min, max = PLANE.max } = opts;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins: expected ≥ 1, got ${bins}`);
  if (!(max > min)) throw new RangeError(`expected min < max, got ${min} and ${max}`);
  const n = Math.floor(points.length / 2);
  const h = new Float64Array(bins * bins + 1);
  if (n === 0) return h;
  const scale = bins / (max - min);
  for (let i = 0; i < n; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    const cx = Math.floor((x - min) * scale);
    const cy = Math.floor((y - min) * scale);
    // x === max lands in the last cell, not outside.
    const bx = x === max ? bins - 1 : cx;
    const by = y === max ? bins - 1 : cy;
    const inside = bx >= 0 && bx < bins && by >= 0 && by < bins;
    h[inside ? by * bins + bx : bins * bins]! += 1;
  }
  for (let i = 0; i < h.length; i++) h[i]! /= n;
  return h;
}

/** JS(p ‖ q) in bits for two probability vectors of the same length. */
export function jsDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) {
    throw new Error(`expected histograms of one length, got ${p.length} and ${q.length}`);
  }
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = q[i]!;
    const m = (a + b) / 2;
    if (a > 0) js += 0.5 * a * Math.log2(a / m);
    if (b > 0) js += 0.5 * b * Math.log2(b / m);
  }
  // Rounding can leave −1e-17 for identical inputs.
  return Math.min(1, Math.max(0, js));
}

/** JS divergence (bits) between two point clouds over a bins × bins grid on the plane. */
export function jsDivergenceOfPoints(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  opts: HistogramOptions = { bins: DEFAULT_BINS },
): number {
  return jsDivergence(histogram2d(a, opts), histogram2d(b, opts));
}
