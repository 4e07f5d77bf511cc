// Fréchet distance between Gaussians fitted to feature vectors (the "FID" of the quality
// metrics, on the small classifier's features), and the symmetric-matrix linear algebra it needs.
// Plain float64 arrays: the feature layer is 64-dim, far too small to be worth a GPU round trip.

/** Row-major matrix: `rows` samples × `cols` values. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

/** A Gaussian fitted to feature vectors; plain arrays so it survives JSON (cache it). */
export interface GaussianStats {
  readonly dim: number;
  readonly count: number;
  readonly mean: readonly number[];
  /** dim × dim, row-major, unbiased (n − 1). */
  readonly cov: readonly number[];
}

export function checkMatrix(m: Matrix, what: string): void {
  if (m.rows < 1 || m.cols < 1 || m.data.length !== m.rows * m.cols) {
    throw new RangeError(
      `expected ${what} with ${m.rows}×${m.cols} = ${m.rows * m.cols} values, got ${m.data.length}`,
    );
  }
}

/** Mean and unbiased covariance of the rows. */
export function gaussianStats(features: Matrix): GaussianStats {
  checkMatrix(features, "features");
  const { rows: n, cols: d, data } = features;
  if (n < 2) throw new RangeError(`expected at least 2 samples for a covariance, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = data[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ca = centred[a]!;
      if (ca === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b]! += ca * centred[b]!;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { dim: d, count: n, mean: Array.from(mean), cov: Array.from(cov) };
}

/**
 * Eigen-decomposition of a symmetric n×n matrix by cyclic Jacobi rotations: robust for the
 * small (≤ 100-dim) covariances here, and exact to rounding for PSD matrices with tiny or zero
 * eigenvalues, where Newton–Schulz square-root iterations go astray.
 */
export function symmetricEigen(
  matrix: ArrayLike<number>,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  if (matrix.length !== n * n)
    throw new RangeError(`expected ${n * n} values, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, vectors: v };
}

/** Principal square root of a symmetric PSD matrix (negative rounding noise clamped to 0). */
export function sqrtmSymmetric(matrix: ArrayLike<number>, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const root = Math.sqrt(Math.max(0, values[k]!));
    if (root === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k]! * root;
      for (let j = 0; j < n; j++) out[i * n + j]! += vik * vectors[j * n + k]!;
    }
  }
  return out;
}

function multiply(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      for (let j = 0; j < n; j++) out[i * n + j]! += aik * b[k * n + j]!;
    }
  }
  return out;
}

/**
 * ‖μa − μb‖² + Tr(Σa + Σb − 2 (Σa Σb)^½). Tr (Σa Σb)^½ is computed as Tr (√Σa Σb √Σa)^½: the
 * two matrices are similar, and the second is symmetric PSD, so its eigenvalues are real and ≥ 0.
 */
export function frechetFromStats(a: GaussianStats, b: GaussianStats): number {
  if (a.dim !== b.dim) throw new RangeError(`expected equal dimensions, got ${a.dim} and ${b.dim}`);
  const n = a.dim;
  let meanTerm = 0;
  for (let i = 0; i < n; i++) meanTerm += (a.mean[i]! - b.mean[i]!) ** 2;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a.cov[i * n + i]! + b.cov[i * n + i]!;
  const rootA = sqrtmSymmetric(a.cov, n);
  const inner = multiply(multiply(rootA, b.cov, n), rootA, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const avg = (inner[i * n + j]! + inner[j * n + i]!) / 2; // symmetric up to rounding
      inner[i * n + j] = avg;
      inner[j * n + i] = avg;
    }
  }
  let traceRoot = 0;
  for (const value of symmetricEigen(inner, n).values) traceRoot += Math.sqrt(Math.max(0, value));
  return Math.max(0, meanTerm + trace - 2 * traceRoot);
}

/** Fréchet distance between Gaussians fitted to two feature sets (rows = samples). */
export function frechetDistance(featuresA: Matrix, featuresB: Matrix): number {
  return frechetFromStats(gaussianStats(featuresA), gaussianStats(featuresB));
}
